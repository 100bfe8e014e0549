"""sitemap.xml (sitemaps.org), a Google News sitemap and robots.txt. Pure.

glue/sitemaps.py writes them on ``all_generators_finalized`` from the stories
and the editions the build already holds. Every lastmod is the newest change to a story the page
shows; pages without dated content (About) get no lastmod rather than a
made-up one.
"""

from datetime import timedelta
from xml.sax.saxutils import escape

SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "news-sitemap.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS = 50_000  # sitemaps.org limit per file
NEWS_MAX_URLS = 1_000  # Google News limit
NEWS_WINDOW = timedelta(days=2)


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
