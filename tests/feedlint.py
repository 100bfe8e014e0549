"""A lint of our own for the W3C Feed Validator's rules that apply to our feeds.

Each function takes a feed's bytes and the URL it is served at and returns
a list of problems (empty when the feed is clean).
"""

import json
import re
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urlparse

from lxml import etree

A = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d\d:\d\d:\d\d ([+-]\d{4}|GMT|UT)$"
)
# What the validator's "ContainsHTML" looks for in text: end tags and entity references.
HTML_IN_TEXT = re.compile(r"</[A-Za-z]+\s*>|<[A-Za-z]+[\s/>]|&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


class _Urls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("href", "src") and v is not None]


def html_problems(markup: str, where: str) -> list[str]:
    parser = _Urls()
    parser.feed(markup or "")
    problems = [f"{where}: relative URL {u!r}" for u in parser.urls if not urlparse(u).scheme]
    problems += [f"{where}: <{t}> in content" for t in parser.tags if t in ("script", "iframe")]
    return problems


def _text_problems(title: str | None, where: str) -> list[str]:
    if not title:
        return [f"{where}: empty title"]
    return [f"{where}: HTML in title {title!r}"] if HTML_IN_TEXT.search(title) else []


def atom(data: bytes, feed_url: str) -> list[str]:
    root = etree.fromstring(data)
    problems = []
    for name in ("id", "title", "updated"):
        if root.find(A + name) is None:
            problems.append(f"feed: no <{name}>")
    selfs = [link.get("href") for link in root.findall(A + "link") if link.get("rel") == "self"]
    if selfs != [feed_url]:
        problems.append(f"feed: self link {selfs} is not {feed_url}")
    feed_author = root.find(A + "author") is not None
    dates = [root.findtext(A + "updated")]
    ids, updated = set(), set()
    for n, entry in enumerate(root.findall(A + "entry")):
        where = f"entry {n}"
        for name in ("id", "title", "updated"):
            if entry.find(A + name) is None:
                problems.append(f"{where}: no <{name}>")
        if not feed_author and entry.find(A + "author") is None:
            problems.append(f"{where}: no author")
        entry_id = entry.findtext(A + "id")
        if entry_id in ids or not (entry_id or "").startswith("tag:"):
            problems.append(f"{where}: id {entry_id!r} is not a unique tag: URI")
        ids.add(entry_id)
        stamp = entry.findtext(A + "updated")
        if stamp in updated:
            problems.append(f"{where}: duplicate updated {stamp}")
        updated.add(stamp)
        dates += [stamp, entry.findtext(A + "published")]
        problems += _text_problems(entry.findtext(A + "title"), where)
        for link in entry.findall(A + "link"):
            if not urlparse(link.get("href", "")).scheme:
                problems.append(f"{where}: relative link {link.get('href')!r}")
        content = entry.find(A + "content")
        if content is None and entry.find(A + "link") is None:
            problems.append(f"{where}: neither content nor link")
        elif content is not None:
            problems += html_problems(content.text, where)
    problems += [f"date {d!r} is not RFC 3339" for d in dates if d and not RFC3339.match(d)]
    return problems


def rss(data: bytes, feed_url: str) -> list[str]:
    channel = etree.fromstring(data).find("channel")
    problems = [
        f"channel: no <{n}>" for n in ("title", "link", "description") if not channel.findtext(n)
    ]
    selfs = [x.get("href") for x in channel.findall(A + "link") if x.get("rel") == "self"]
    if selfs != [feed_url]:
        problems.append(f"channel: atom:link self {selfs} is not {feed_url}")
    guids = set()
    dates = [channel.findtext("lastBuildDate"), channel.findtext("pubDate")]
    for n, item in enumerate(channel.findall("item")):
        where = f"item {n}"
        names = [child.tag for child in item]
        if CONTENT in names and names.index("description") > names.index(CONTENT):
            problems.append(f"{where}: description after content:encoded")
        guid = item.findtext("guid")
        if not guid or guid in guids:
            problems.append(f"{where}: guid {guid!r} missing or repeated")
        guids.add(guid)
        problems += _text_problems(item.findtext("title"), where)
        problems += html_problems(item.findtext(CONTENT), where)
        problems += html_problems(item.findtext("description"), where)
        if item.findtext("author") and "@" not in item.findtext("author"):
            problems.append(f"{where}: <author> is not an e-mail address")
        dates.append(item.findtext("pubDate"))
    for d in filter(None, dates):
        if not RFC822.match(d):
            problems.append(f"date {d!r} is not RFC 822")
        else:
            parsedate_to_datetime(d)
    return problems


def json_feed(data: bytes, feed_url: str) -> list[str]:
    doc = json.loads(data)
    problems = [f"feed: no {k}" for k in ("version", "title", "items") if k not in doc]
    if doc.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"feed: version {doc.get('version')!r}")
    if doc.get("feed_url") != feed_url:
        problems.append(f"feed: feed_url {doc.get('feed_url')!r} is not {feed_url}")
    ids = set()
    for n, item in enumerate(doc.get("items", [])):
        where = f"item {n}"
        if not item.get("id") or item["id"] in ids:
            problems.append(f"{where}: id missing or repeated")
        ids.add(item.get("id"))
        if not item.get("content_html"):
            problems.append(f"{where}: no content_html")
        problems += html_problems(item.get("content_html"), where)
        for key in ("date_published", "date_modified"):
            if not RFC3339.match(item.get(key, "")):
                problems.append(f"{where}: {key} {item.get(key)!r} is not RFC 3339")
    return problems


def lint(path: str, data: bytes, feed_url: str) -> list[str]:
    """Problems of the feed file at ``path`` (its format from the name)."""
    if path.endswith(".atom.xml"):
        return atom(data, feed_url)
    if path.endswith(".rss.xml"):
        return rss(data, feed_url)
    return json_feed(data, feed_url)
