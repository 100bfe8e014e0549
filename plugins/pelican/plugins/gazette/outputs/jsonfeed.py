"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1): feedgen has none.

Renders the same Feed and Items as the Atom and RSS feeds (see feeds.py).
Keys keep a fixed order, so the same stories give the same bytes.
"""

import json

VERSION = "https://jsonfeed.org/version/1.1"


def render(site, feed, feed_url: str, fragments=None) -> bytes:
    document = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.home,
        "feed_url": feed_url,
        "description": feed.subtitle,
        "language": site.language,
        "authors": [{"name": site.author}],
    }
    if site.icon:
        document["icon"] = site.icon
        document["favicon"] = site.icon
    if fragments is None:
        document["items"] = [_item(each) for each in feed.items]
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    # The same bytes, with each item serialised once for every feed that carries it.
    head = json.dumps(document, ensure_ascii=False, indent=2)[: -len("\n}")]
    items = ",\n".join(fragments.take("json", site, feed.items))
    return (f'{head},\n  "items": [\n{items}\n  ]\n}}\n').encode()


def item_fragment(each) -> str:
    """One item as it appears, indented, in the ``items`` list of any feed."""
    text = json.dumps(_item(each), ensure_ascii=False, indent=2)
    return "\n".join("    " + line for line in text.split("\n"))


def _item(each) -> dict:
    entry = {
        "id": each.id,
        "url": each.url,
        "title": each.title,
        "content_html": each.content_html,
        "summary": each.summary,
        "date_published": each.published.isoformat(),
        "date_modified": each.updated.isoformat(),
        "tags": [each.section.name, *(t.name for t in each.topics)],
    }
    if each.original_url:
        entry["external_url"] = each.original_url  # the page it was saved from
    credit = each.byline or each.source
    if credit:
        entry["authors"] = [{"name": credit}]
    # Custom fields start with an underscore (JSON Feed 1.1, "Extensions").
    entry["_gazette"] = {"section": each.section.name, "dateline": each.dateline}
    if each.source:
        entry["_gazette"]["source"] = each.source
    return entry
