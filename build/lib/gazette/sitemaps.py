"""sitemap.xml (sitemaps.org), a Google News sitemap and robots.txt.

Written on ``all_generators_finalized`` from the stories and the editions the
build already holds. Every lastmod is the newest change to a story the page
shows; pages without dated content (About) get no lastmod rather than a
made-up one.
"""

import os
from datetime import timedelta
from xml.sax.saxutils import escape

SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "news-sitemap.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS = 50_000  # sitemaps.org limit per file
NEWS_MAX_URLS = 1_000  # Google News limit
NEWS_WINDOW = timedelta(days=2)


def write_all(generators) -> None:
    articles = next((g for g in generators if hasattr(g, "articles")), None)
    pages = next((g for g in generators if hasattr(g, "pages")), None)
    if articles is None:
        return
    settings = articles.settings
    site = settings["SITEURL"]
    urls = site_urls(articles, pages.pages if pages else [], site)
    out = settings["OUTPUT_PATH"]
    for name, text in sitemap_files(urls, site).items():
        _write(out, name, text)
    news = news_sitemap(articles.articles, site, settings.get("SITENAME", ""), _lang(settings))
    _write(out, NEWS_SITEMAP, news)
    _write(out, "robots.txt", robots(site))


def site_urls(generator, pages, site: str) -> list[tuple[str, object]]:
    """(absolute URL, lastmod datetime or None) for every page worth indexing."""
    settings, gazette = generator.settings, generator.context.get("gazette")
    newest = gazette.modified if gazette else None
    urls = [(f"{site}/", newest)]
    for name in ("CATEGORIES_URL", "TAGS_URL", "ARCHIVES_URL"):
        if settings.get(name):
            urls.append((f"{site}/{settings[name]}", newest))
    if gazette:
        urls += [(f"{site}/{e.url}", e.modified) for e in gazette.editions]
    for category, stories in generator.categories:
        urls.append((f"{site}/{category.url}", _newest(stories)))
    for tag, stories in sorted(generator.tags.items(), key=lambda item: item[0].slug):
        urls.append((f"{site}/{tag.url}", _newest(stories)))
    urls += [(f"{site}/{a.url}", a.modified) for a in generator.articles]
    urls += [(f"{site}/{p.url}", getattr(p, "modified", None)) for p in pages]
    return urls


def _newest(stories):
    return max(s.modified for s in stories)


def sitemap_files(urls, site: str) -> dict[str, str]:
    """sitemap.xml; past 50,000 URLs, an index of numbered sitemaps."""
    if len(urls) <= MAX_URLS:
        return {SITEMAP: urlset(urls)}
    files, entries = {}, []
    for number, start in enumerate(range(0, len(urls), MAX_URLS), 1):
        chunk = urls[start : start + MAX_URLS]
        name = f"sitemap-{number}.xml"
        files[name] = urlset(chunk)
        entries.append((f"{site}/{name}", max((m for _, m in chunk if m), default=None)))
    files[SITEMAP] = _document("sitemapindex", "sitemap", entries, SITEMAP_NS)
    return files


def urlset(urls) -> str:
    return _document("urlset", "url", urls, SITEMAP_NS)


def _document(root: str, item: str, entries, namespace: str) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{namespace}">']
    for loc, lastmod in entries:
        modified = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"<{item}><loc>{escape(loc)}</loc>{modified}</{item}>")
    lines.append(f"</{root}>")
    return "\n".join(lines) + "\n"


def news_stories(articles) -> list:
    """Stories of the two days up to the newest story's date, newest first, at most 1,000.

    Measured from the newest story rather than the build clock, so a build is
    reproducible and an archive site still has a (historical) news sitemap.
    """
    if not articles:
        return []
    newest = max(a.date for a in articles)
    recent = [a for a in articles if a.date > newest - NEWS_WINDOW]
    recent.sort(key=lambda a: a.date, reverse=True)
    return recent[:NEWS_MAX_URLS]


def news_sitemap(articles, site: str, name: str, language: str) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">',
    ]
    publication = (
        f"<news:publication><news:name>{escape(name)}</news:name>"
        f"<news:language>{escape(language)}</news:language></news:publication>"
    )
    for article in news_stories(articles):
        lines.append(
            f"<url><loc>{escape(f'{site}/{article.url}')}</loc><news:news>{publication}"
            f"<news:publication_date>{article.date.isoformat()}</news:publication_date>"
            f"<news:title>{escape(article.title)}</news:title></news:news></url>"
        )
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(site: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site}/{SITEMAP}\nSitemap: {site}/{NEWS_SITEMAP}\n"


def _lang(settings) -> str:
    # Google News wants an ISO 639 code: "en", not "en-GB".
    return settings.get("DEFAULT_LANG", "en").split("-")[0].split("_")[0].lower()


def _write(out: str, name: str, text: str) -> None:
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as file:
        file.write(text)
