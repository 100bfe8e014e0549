"""schema.org ``NewsArticle`` data for a story page.

A plain dict: the template serialises it with ``tojson``, which escapes
``<``, ``>``, ``&`` and ``'`` so no headline can close the script element.
"""


def news_article(article, settings) -> dict:
    site = settings.get("SITEURL", "")
    url = f"{site}/{article.url}"
    story = getattr(article, "story", None)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": story.summary if story else "",
        "datePublished": article.date.isoformat(),
        "dateModified": getattr(article, "modified", article.date).isoformat(),
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in getattr(article, "tags", [])],
        "wordCount": getattr(article, "word_count", 0),
        "inLanguage": settings.get("DEFAULT_LANG", "en"),
        "publisher": {"@type": "Organization", "name": settings.get("SITENAME"), "url": f"{site}/"},
        "url": url,
        "mainEntityOfPage": url,
    }
    if getattr(article, "dateline", None):
        data["dateline"] = article.dateline
    source = story.credited_source if story else None
    if getattr(article, "byline", None):
        data["author"] = {"@type": "Person", "name": article.byline}
    elif source:
        data["author"] = {"@type": "Organization", "name": source}
    if source:
        data["sourceOrganization"] = {"@type": "Organization", "name": source}
    if story and story.canonical_url:
        data["isBasedOn"] = story.canonical_url
    if story and story.image:
        data["image"] = [story.image]
    if getattr(article, "story_id", None):
        data["identifier"] = article.story_id
    return data
