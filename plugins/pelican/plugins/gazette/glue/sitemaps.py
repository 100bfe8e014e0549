"""Writes the sitemaps and robots.txt (outputs/sitemaps.py) on ``all_generators_finalized``."""

import logging
import os

from ..outputs.sitemaps import NEWS_SITEMAP, news_sitemap, robots, sitemap_files

log = logging.getLogger(__name__)


def write_all(generators) -> None:
    articles = next((g for g in generators if hasattr(g, "articles")), None)
    pages = next((g for g in generators if hasattr(g, "pages")), None)
    if articles is None:
        return
    settings = articles.settings
    site = settings["SITEURL"]
    if "://" not in site:  # a sitemap's and robots.txt's URLs must be absolute
        log.info("gazette: sitemaps need an absolute SITEURL; none written")
        return
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


def _lang(settings) -> str:
    # Google News wants an ISO 639 code: "en", not "en-GB".
    return settings.get("DEFAULT_LANG", "en").split("-")[0].split("_")[0].lower()


def _write(out: str, name: str, text: str) -> None:
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as file:
        file.write(text)
