"""schema.org ``NewsArticle`` data for a story page.

A plain dict: the template serialises it with ``tojson``, which escapes
``<``, ``>``, ``&`` and ``'`` so no headline can close the script element.
``author`` is the byline's people (``Person``), else whoever the story came
from (agency, publisher, Source:), else the site, as an ``Organization``;
``image`` is the story's own picture or its social card.
"""

import re

from ..ingest.agencies import is_agency

# Words of a byline part that make it a role or a desk, not a person ("Staff Writer",
# "Political Editor", "BBC News", "Reuters Staff").
_NOT_A_PERSON = frozenset(
    "staff writer writers editor editors correspondent correspondents reporter reporters "
    "contributor contributors columnist bureau desk team news newsroom agency agencies "
    "service wire media press online digital chief senior deputy associate special "
    "analyst producer edition report reports reporting the author authors admin unknown "
    "posted".split()
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
# "By …", "View all posts by …": the names follow the last "by"; "… says" ends with a verb.
_BY = re.compile(r"^(?:[\w'’]+\s+){0,3}by[\s.:]+", re.IGNORECASE)
_SAYS = re.compile(r"\s+(?:says|said|writes|wrote)$")  # lower case: "Ali bin Said" is a name


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
    data["author"] = authors(getattr(article, "byline", None), source, data["publisher"])
    if source:
        data["sourceOrganization"] = {"@type": "Organization", "name": source}
    if story and story.canonical_url:
        data["isBasedOn"] = story.canonical_url
    image = getattr(article, "social_image", None)
    if image is not None:
        data["image"] = [_image_object(image)]
    elif story and story.image:
        data["image"] = [story.image]
    if getattr(article, "story_id", None):
        data["identifier"] = article.story_id
    return data


def authors(byline: str | None, source: str | None, publisher: dict) -> dict | list[dict]:
    """The byline's people (one, or a list); else the story's source, else the publisher,
    as an Organization."""
    organisations = {source or "", publisher.get("name") or ""}
    names = byline_names(byline or "", organisations)
    people = [{"@type": "Person", "name": name} for name in names]
    if people:
        return people[0] if len(people) == 1 else people
    if source:
        return {"@type": "Organization", "name": source}
    return dict(publisher)


def byline_names(byline: str, organisations=()) -> list[str]:
    """The people a byline names: "Jane Doe and John Roe, Reuters" -> both names; a role
    ("Staff Writer"), a desk ("BBC News"), an agency or one of ``organisations`` (the
    story's source, the site) is no one's name."""
    known = {" ".join(name.split()).lower() for name in organisations}
    names = []
    for part in _SPLIT.split(" ".join(byline.split())):
        part = _SAYS.sub("", _BY.sub("", part.strip(" .|-")).strip(" .|-"))
        words = part.split()
        if any(dash in words for dash in ("-", "–", "—")):  # "L-MAG – Das Magazin": a title
            continue
        if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in part) or is_agency(part):
            continue
        if " ".join(words).lower() in known:
            continue
        if any(word.lower().strip(".") in _NOT_A_PERSON for word in words):
            continue
        if not words[0][0].isupper() or part in names:
            continue
        names.append(part)
    return names


def _image_object(image) -> dict | str:
    """An ImageObject with its size when known (a card), else the image's URL."""
    if image.width and image.height:
        return {
            "@type": "ImageObject",
            "url": image.url,
            "width": image.width,
            "height": image.height,
        }
    return image.url
