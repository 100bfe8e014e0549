"""A saved article page's own metadata, read with beautifulsoup4 (lxml parser).

Pure functions, no Pelican import. Sources, strongest first: the page's
JSON-LD (``NewsArticle``/``Article`` and kin), Open Graph and Twitter tags,
other ``<meta>`` names, ``<time datetime>``, the canonical link and the
``<title>``. Never raises on a bad page: unreadable JSON-LD is skipped with a
warning, and every value is a plain ``str``/``tuple``/``bool``.

An editor corrects a saved page's fields with ``<meta name="gazette:FIELD"
content="…">`` in the page (FIELD one of raw.HEADER_FIELDS: date, section,
topics, source, byline, plus title): they become the story's header values,
exactly as a ``.txt`` file's header lines do.
"""

import html
import json
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime

from bs4 import BeautifulSoup, SoupStrainer

from .raw import HEADER_FIELDS

EDITOR_FIELDS = (*HEADER_FIELDS, "title")
_ARTICLE_TYPES = re.compile(r"(?:\w*Article|BlogPosting|LiveBlogPosting|Report|NewsArticle)$")
_NOT_ARTICLE_TYPES = {"CollectionPage", "SearchResultsPage", "ItemList", "ProfilePage"}
_TAGS = ("meta", "link", "script", "time", "title", "h1")
_SPACE = re.compile(r"\s+")
_ISO_DAY = re.compile(r"((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|–—·•»:]|-{1,2})\s+")
# Author values that are not names.
_NOT_AUTHOR = re.compile(r"^(?:https?://|www\.)|@|^\W*$|facebook|twitter", re.IGNORECASE)
_MAX_JSON_CHARS = 2_000_000
_PLACEHOLDER_AUTHORS = {"noauthor", "admin", "administrator", "staff", "anonymous", "none", "null"}


@dataclass
class PageMeta:
    title: str | None = None
    original_title: str | None = None  # before a site-name suffix was taken off
    h1: str | None = None
    published: str | None = None  # ISO 8601
    updated: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    site_name: str | None = None
    image: str | None = None
    section: str | None = None
    keywords: tuple[str, ...] = ()
    canonical_url: str | None = None
    description: str | None = None
    article_body: str | None = None  # JSON-LD articleBody, as given
    is_article: bool | None = None  # True/False when the page says so, None when silent
    page_type: str | None = None  # JSON-LD @type or og:type naming a non-article page
    paywalled: bool = False  # isAccessibleForFree: false
    lang: str | None = None
    editor: dict = field(default_factory=dict)  # gazette:FIELD overrides
    warnings: list = field(default_factory=list)


def read_meta(markup: str) -> PageMeta:
    """The metadata of one page's markup (already decoded)."""
    meta = PageMeta()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "looks like XML", "looks like a URL"
            soup = BeautifulSoup(markup, "lxml", parse_only=SoupStrainer(_TAGS))
    except Exception as err:  # noqa: BLE001 - a parser failure is a warning, not a crash
        meta.warnings.append(f"page metadata unreadable ({type(err).__name__})")
        return meta
    tags = _meta_tags(soup)
    _json_ld(soup, meta)
    _from_tags(soup, tags, meta)
    meta.authors = clean_authors(meta.authors, meta)
    meta.editor = {
        name: " ".join(tags[f"gazette:{name}"].split())
        for name in EDITOR_FIELDS
        if tags.get(f"gazette:{name}", "").strip()
    }
    return meta


def _meta_tags(soup) -> dict[str, str]:
    """``name``/``property``/``itemprop`` (lower case) -> the first non-empty content."""
    tags: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        content = tag.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop"):
            key = tag.get(attribute)
            if isinstance(key, str) and key.strip():
                tags.setdefault(key.strip().lower(), content.strip())
    return tags


def _json_ld(soup, meta: PageMeta) -> None:
    articles, others = [], []
    for script in soup.find_all("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind:
            continue
        text = script.string or script.get_text() or ""
        if not text.strip() or len(text) > _MAX_JSON_CHARS:
            continue
        data = _load_json(text)
        if data is None:
            meta.warnings.append("unreadable JSON-LD block skipped")
            continue
        for item in _items(data):
            types = _types(item)
            if any(_ARTICLE_TYPES.search(t) for t in types):
                articles.append(item)
            elif types:
                others.append(item)
    if articles:
        # The article with the longest body (a page may also describe related articles).
        article = max(
            articles, key=lambda a: (len(_text(a.get("articleBody")) or ""), "headline" in a)
        )
        meta.is_article = True
        meta.title = _text(article.get("headline")) or _text(article.get("name"))
        meta.published = iso_date(
            _text(article.get("datePublished")) or _text(article.get("dateCreated"))
        )
        meta.updated = iso_date(_text(article.get("dateModified")))
        meta.authors = _names(article.get("author") or article.get("creator"))
        meta.publisher = _name(article.get("publisher")) or _name(article.get("sourceOrganization"))
        meta.image = _image(article.get("image") or article.get("thumbnailUrl"))
        meta.section = _first(article.get("articleSection"))
        meta.keywords = _keywords(article.get("keywords"))
        meta.article_body = _text(article.get("articleBody"))
        meta.description = _text(article.get("description"))
        meta.lang = (
            _text(article.get("inLanguage")) if isinstance(article.get("inLanguage"), str) else None
        )
        free = article.get("isAccessibleForFree")
        meta.paywalled = free is False or (
            isinstance(free, str) and free.strip().lower() == "false"
        )
        meta.canonical_url = _url(article.get("mainEntityOfPage")) or _url(article.get("url"))
    else:
        for item in others:
            types = set(_types(item))
            if types & _NOT_ARTICLE_TYPES:
                meta.is_article = False
                meta.page_type = sorted(types & _NOT_ARTICLE_TYPES)[0]
                break
    for item in others:
        if not meta.publisher and set(_types(item)) & {"Organization", "NewsMediaOrganization"}:
            meta.publisher = _name(item)
        if not meta.site_name and "WebSite" in _types(item):
            meta.site_name = _text(item.get("name"))


def _load_json(text: str):
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:]
    if text.endswith("-->"):
        text = text[:-3]
    text = text.strip().rstrip(";")
    for attempt in (text, re.sub(r",\s*([}\]])", r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _items(data, depth: int = 0):
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _items(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data and isinstance(data[key], (list, dict)):
                yield from _items(data[key], depth + 1)


def _types(item: dict) -> list[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)]


def _text(value) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _clean_line(value: str | None) -> str | None:
    if not value:
        return None
    value = _SPACE.sub(" ", _unescape(value)).strip()
    return value or None


def _unescape(value: str) -> str:
    return html.unescape(value) if "&" in value else value


def clean_authors(names, meta: PageMeta) -> tuple[str, ...]:
    """Person names only: not the publisher or the site ("The Economist"), not a
    placeholder ("No Author")."""
    sites = {_squeeze(n) for n in (meta.publisher, meta.site_name) if n}
    out = []
    for name in names:
        name = _clean_line(re.sub(r"^(?:by|von|par|por|di|door)\s+", "", name or "", flags=re.I))
        key = _squeeze(name or "")
        if not key or key in sites or key in _PLACEHOLDER_AUTHORS or _NOT_AUTHOR.search(name):
            continue
        if name not in out:
            out.append(name)
    return tuple(out)


def _squeeze(value: str) -> str:
    return re.sub(r"\W", "", value.casefold())


def _name(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _clean_line(value) if isinstance(value, str) else None


def _names(value) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    names = []
    for item in values:
        if isinstance(item, dict) and "Organization" in str(item.get("@type")):
            continue  # the publisher as author: credited as the publisher
        name = _name(item)
        if name and not _NOT_AUTHOR.search(name) and name not in names and len(name) < 120:
            names.append(name)
    return tuple(names)


def _first(value) -> str | None:
    return _clean_line(_text(value))


def _url(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def _image(value) -> str | None:
    if isinstance(value, list):
        for item in value:
            url = _image(item)
            if url:
                return url
        return None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or value.get("@id")
    return _url(value)


def _keywords(value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return ()
    words = []
    for item in value:
        word = _clean_line(item) if isinstance(item, str) else None
        if word and word not in words and len(word) <= 80:
            words.append(word)
    return tuple(words[:30])


def _from_tags(soup, tags: dict[str, str], meta: PageMeta) -> None:
    get = tags.get
    if meta.is_article is None:
        og_type = (get("og:type") or "").lower()
        if og_type == "article":
            meta.is_article = True
        elif og_type in {"website", "profile"}:
            meta.page_type = f"og:type {og_type}"
    title_tag = soup.find("title")
    page_title = _clean_line(title_tag.get_text()) if title_tag else None
    h1s = [_clean_line(h.get_text(" ")) for h in soup.find_all("h1", limit=6)]
    h1s = [h for h in h1s if h and len(h) <= 400]
    meta.h1 = h1s[0] if h1s else None
    meta.site_name = meta.site_name or _clean_line(
        get("og:site_name") or get("application-name") or get("twitter:site")
    )
    if meta.site_name and meta.site_name.startswith("@"):
        meta.site_name = meta.site_name[1:]
    meta.publisher = meta.publisher or meta.site_name or _clean_line(get("publisher"))
    meta.canonical_url = meta.canonical_url or _canonical(soup) or _url(get("og:url"))
    _title(meta, page_title, h1s, [get(k) for k in ("og:title", "twitter:title", "dc.title")])
    meta.published = meta.published or iso_date(
        get("article:published_time")
        or get("datepublished")
        or get("og:published_time")
        or get("article:published")
        or get("pubdate")
        or get("publishdate")
        or get("publish-date")
        or get("date")
        or get("dc.date")
        or get("dc.date.issued")
        or get("dcterms.date")
        or get("sailthru.date")
        or get("parsely-pub-date")
        or _time(soup)
    )
    meta.updated = meta.updated or iso_date(
        get("article:modified_time") or get("datemodified") or get("og:updated_time")
    )
    if not meta.authors:
        for key in (
            "author",
            "article:author",
            "byl",
            "parsely-author",
            "sailthru.author",
            "dc.creator",
            "dcterms.creator",
        ):
            value = get(key)
            if value:
                value = re.sub(r"^by\s+", "", value.strip(), flags=re.IGNORECASE)
                names = _names([v for v in re.split(r"\s*(?:,|;|\band\b|&)\s*", value) if v])
                if names:
                    meta.authors = names
                    break
    meta.image = meta.image or _url(
        get("og:image") or get("og:image:url") or get("twitter:image") or get("twitter:image:src")
    )
    meta.section = meta.section or _clean_line(get("article:section") or get("section"))
    if not meta.keywords:
        meta.keywords = _keywords(get("news_keywords") or get("keywords") or get("article:tag"))
    meta.description = meta.description or _clean_line(
        get("description") or get("og:description") or get("twitter:description")
    )
    meta.lang = meta.lang or _clean_line(
        get("og:locale") or get("content-language") or get("language")
    )


def _title(meta: PageMeta, page_title, h1s, tagged) -> None:
    """The headline: an ``<h1>`` that the page's titles hold (they add the site's name or
    a section around it), else the first of JSON-LD's headline, Open Graph's, Twitter's
    and the ``<title>`` that is not just the site's name, without a site-name part."""
    raw = [meta.title, *tagged, page_title]
    raw = [_clean_line(t) for t in raw if t]
    meta.original_title = raw[0] if raw else meta.h1
    named = [t for t in (_strip_site(t, meta) for t in raw) if t and not _is_site(t, meta)]
    h1s = [h for h in h1s if not _is_site(h, meta) and len(_WORDS.findall(h)) >= 2]
    for h1 in h1s:
        key = _key(h1)
        if any(key and key in _key(t) for t in raw):
            meta.title = h1
            return
    meta.title = named[0] if named else (h1s[0] if h1s else None)
    if meta.title and meta.title == page_title and meta.title == raw[0]:
        meta.title = _longest_part(meta.title)


def _longest_part(title: str) -> str:
    """A ``<title>`` of parts ("Site - Section » Headline") whose site part is unknown:
    the part with the most words, when it has four or more."""
    parts = re.split(r"\s+(?:[|»·•]|--?|–|—)\s+", title)
    if len(parts) < 2:
        return title
    best = max(parts, key=lambda p: len(p.split()))
    return best if len(best.split()) >= 4 else title


_WORDS = re.compile(r"\w+")


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def _is_site(text: str, meta: PageMeta) -> bool:
    key = _squeeze(text)
    names = {_squeeze(n) for n in (meta.site_name, meta.publisher) if n}
    host = (meta.canonical_url or "").split("//")[-1].split("/")[0].lower().removeprefix("www.")
    if not key:
        return False
    if key in names or key == _squeeze(host.split(".")[0]) or key == _squeeze(host):
        return True
    words = [_squeeze(w) for w in text.split()]
    labels = set(host.split("."))
    return len(words) <= 3 and all(w in labels for w in words)  # "KBS World", world.kbs.co.kr


def _canonical(soup) -> str | None:
    for link in soup.find_all("link"):
        rel = link.get("rel") or []
        rel = rel.split() if isinstance(rel, str) else rel
        if "canonical" in [r.lower() for r in rel]:
            return _url(link.get("href"))
    return None


def _time(soup) -> str | None:
    for tag in soup.find_all("time", limit=20):
        value = tag.get("datetime")
        if (
            isinstance(value, str)
            and _ISO_DAY.search(value)
            and (
                tag.get("pubdate") is not None
                or "publish" in " ".join(tag.get("class") or []).lower()
            )
        ):
            return value
    for tag in soup.find_all("time", limit=5):
        value = tag.get("datetime")
        if isinstance(value, str) and _ISO_DAY.search(value):
            return value
    return None


def _strip_site(title: str, meta: PageMeta) -> str:
    """The headline without a " | Site Name" (or "Site: ") part."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = {n.lower() for n in (meta.site_name, meta.publisher) if n}
    host = (meta.canonical_url or "").split("//")[-1].split("/")[0].lower().removeprefix("www.")
    host_word = host.split(".")[0] if host else ""

    def is_site(part: str) -> bool:
        low = part.lower().strip()
        squeezed = re.sub(r"\W", "", low)
        return bool(
            low in names
            or any(squeezed and squeezed == re.sub(r"\W", "", n) for n in names)
            or (host_word and squeezed == host_word)
            or (host and low.removeprefix("www.") == host)
        )

    seps = _TITLE_SEPARATORS.findall(title)
    start, end = 0, len(parts)
    while end - start > 1 and is_site(parts[end - 1]):
        end -= 1
    while end - start > 1 and is_site(parts[start]):
        start += 1
    if (start, end) == (0, len(parts)):
        # No part names the site; a short last part after " | " still is one.
        if seps[-1].strip() == "|" and len(parts[-1].split()) <= 4 and len(parts[0].split()) >= 3:
            end -= 1
        else:
            return title
    kept = parts[start]
    for index in range(start + 1, end):
        kept += seps[index - 1] + parts[index]
    return kept.strip() or title


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 string for a page's date value, None when it is not a date."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    candidate = value.replace("Z", "+00:00") if value.endswith("Z") else value
    candidate = re.sub(r"(\.\d{6})\d+", r"\1", candidate)
    candidate = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", candidate)
    try:
        when = datetime.fromisoformat(candidate)
    except ValueError:
        when = None
    if when is not None and 1900 < when.year < 2200:
        return when.isoformat()
    match = _ISO_DAY.search(value)
    if match:
        return f"{match[1]}-{match[2]}-{match[3]}"
    for fmt in (
        "%a, %d %b %Y %H:%M:%S %z",
        "%a, %d %b %Y %H:%M:%S %Z",
        "%B %d, %Y",
        "%d %B %Y",
        "%Y/%m/%d",
    ):
        try:
            return datetime.strptime(value, fmt).isoformat()
        except ValueError:
            continue
    return None
