"""Build the digest's feeds from plain data: Atom and RSS 2.0 with feedgen,
JSON Feed 1.1 (jsonfeed.py) and RFC 5005 daily archive feeds.

Pure: no Pelican import. ``build_all()`` takes the site and its stories and
returns every feed file as bytes by its path under the output folder, so two
builds of the same stories give byte-identical feeds. All times come from
the stories; none from the clock.
"""

import copy
import hashlib
import html
import json
import logging
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from itertools import groupby
from operator import attrgetter
from xml.sax import saxutils

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator

from . import jsonfeed

log = logging.getLogger(__name__)

HISTORY_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005
FEEDS = "feeds"
ATOM, RSS, JSON = ".atom.xml", ".rss.xml", ".json"

# Characters XML 1.0 forbids (feedgen raises on them) and invisible controls.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The ASCII characters XML takes: a text of only these has none of _NOT_XML's.
_XML_ASCII = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x7F)])
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+\d*);")


# Slots: a large site has an Item for every story (a __dict__ would be 0.5 KB more each).
@dataclass(frozen=True, slots=True)
class Term:
    """A section or topic: its name, and the absolute URL of its page."""

    name: str
    slug: str
    url: str
    scheme: str  # absolute URL of the index of all sections (or topics)


@dataclass(frozen=True, slots=True)
class Item:
    """One story as the feeds carry it; build with ``item()`` so text is clean."""

    id: str  # permanent tag: URI from the ledger
    title: str  # plain text
    url: str  # absolute
    published: datetime
    updated: datetime
    summary: str  # plain text
    content_html: str  # absolute URLs only
    section: Term
    topics: tuple[Term, ...] = ()
    byline: str | None = None
    dateline: str | None = None
    source: str | None = None  # the agency (Reuters) or a saved page's publisher
    original_url: str | None = None  # a saved page's own (canonical) URL, absolute


@dataclass(frozen=True)
class Site:
    url: str  # absolute, no trailing slash
    name: str
    subtitle: str
    language: str
    author: str
    icon: str | None = None  # absolute URLs
    logo: str | None = None
    edition_url: str | None = None  # e.g. "{date:%Y}/{date:%m}/{date:%d}/": an edition's page
    # Stories in one archive document: a big day spans several (RFC 5005 allows it), so
    # none grows past what feed readers and validators take (about 5 MB).
    archive_max_items: int = 100
    # A topic with fewer stories has no page, so no feeds either (GAZETTE_TOPIC_MIN_STORIES).
    topic_min_items: int = 1
    # Paths under the site root of the stylesheets a browser shows an Atom or RSS feed
    # with: an XSL one that makes it a readable page, and a CSS one for browsers without
    # XSLT (Chromium is removing it). Readers ignore both.
    xsl: str | None = None
    css: str | None = None


@dataclass(frozen=True)
class Feed:
    """One feed: ``path`` is its URL path without the format's extension."""

    path: str
    title: str
    subtitle: str
    home: str  # the page the feed mirrors
    items: tuple[Item, ...]
    links: tuple[tuple[str, str], ...] = ()  # extra (rel, href): RFC 5005 links
    archive: bool = False  # an RFC 5005 archive document


def clean(text: str | None, where: str, field: str) -> str | None:
    """``text`` without characters XML cannot carry; says so in the log."""
    if text is None:
        return None
    if text.isascii() and not text.encode("ascii").translate(None, _XML_ASCII):
        return text  # most text: this check is 6x faster than the pattern's search
    cleaned, count = _NOT_XML.subn("", text)
    if count:
        log.warning(
            "gazette: feeds: %s: removed %d control characters from %s", where, count, field
        )
    return cleaned


def plain_title(title: str, where: str) -> str:
    """A headline with no markup: feed readers may render RSS titles as HTML."""
    text = clean(title, where, "headline")
    decoded = _ENTITY.sub(lambda m: html.unescape(m[0]), text)  # e.g. "&#163;8m" -> "£8m"
    if decoded != text:
        log.warning("gazette: feeds: %s: decoded character references in headline %r", where, text)
    stripped = " ".join(_TAG.sub(" ", decoded).split())
    if stripped != " ".join(decoded.split()):
        log.warning("gazette: feeds: %s: removed markup from headline %r", where, decoded)
    return stripped or decoded.replace("<", "‹").replace(">", "›")


def item(**fields) -> Item:
    """An Item with clean text and times in whole seconds (``updated`` never before
    ``published``)."""
    where = fields["id"]
    for name in ("summary", "content_html", "byline", "dateline", "source", "original_url"):
        fields[name] = clean(fields.get(name), where, name)
    fields["title"] = plain_title(fields["title"], where)
    published = fields["published"].replace(microsecond=0)
    updated = (fields.get("updated") or published).replace(microsecond=0)
    fields["published"], fields["updated"] = published, max(published, updated)
    return Item(**fields)


def newest_first(items) -> list[Item]:
    return sorted(items, key=lambda i: (i.published, i.updated, i.id), reverse=True)


def distinct_updated(items, memo=None) -> list[Item]:
    """The items with no two ``updated`` times the same anywhere on the site, in whole
    seconds: the W3C validator warns when two entries share atom:updated, and stories
    dated by day all share midnight. Earliest first (ties by id), each takes the first
    second at or after its own not taken yet: the same time in every feed and build. A
    story added later can move (by whole seconds) only the stories after it in its run
    of taken seconds, as a day's stories at midnight. ``memo`` (``take``/``put``, as the
    dev server's build process carries from build to build) gives a kept item the same
    moved copy as the last build did, which the feed cache then knows (``FeedKeys``)."""
    out = []
    last = None  # the latest time given: every second from its run's start to it is taken
    for each in sorted(items, key=lambda i: (i.updated, i.id)):
        when = each.updated if last is None or each.updated > last else last + _SECOND
        if when != each.updated:
            kept = memo.take((id(each), when)) if memo is not None else None
            if kept is None or kept[0] is not each:
                kept = (each, _updated_at(each, when))
                if memo is not None:
                    memo.put((id(each), when), kept)
            each = kept[1]
        out.append(each)
        last = when
    return out


_SECOND = timedelta(seconds=1)


def _updated_at(each: Item, when: datetime) -> Item:
    """``each`` at another ``updated`` time. A copy with one field set: a site's stories
    mostly share midnight, and ``dataclasses.replace`` costs 30 µs a story."""
    moved = copy.copy(each)
    object.__setattr__(moved, "updated", when)
    return moved


def url(site: Site, path: str) -> str:
    return f"{site.url}/{path}"


# --- the feeds of a site -------------------------------------------------------------------


def plan(
    site: Site, items, limit: int, tz: tzinfo, topic_limit: int | None = None, times=None
) -> list[Feed]:
    """Every feed: all stories, each section, each topic, and one archive per edition.

    The site and section feeds carry the newest ``limit`` stories, topic feeds the
    newest ``topic_limit`` (default: ``limit``): a site has hundreds of topics, each
    story is in several, and their feeds would otherwise be most of the output.
    ``times``: the memo of ``distinct_updated``.
    """
    items = newest_first(distinct_updated(items, times))
    archives = archive_feeds(site, items, tz)
    latest = [("prev-archive", url(site, archives[-1].path + ATOM))] if archives else []
    feeds = [
        Feed(
            f"{FEEDS}/all",
            site.name,
            site.subtitle,
            site.url + "/",
            tuple(items[:limit]),
            tuple(latest),
        ),
    ]
    kinds = (
        ("section", lambda i: [i.section], limit),
        ("topic", lambda i: i.topics, topic_limit or limit),
    )
    for kind, terms_of, most in kinds:
        terms: dict[str, Term] = {}
        members: dict[str, list[Item]] = {}
        for each in items:
            for term in terms_of(each):
                terms.setdefault(term.slug, term)
                members.setdefault(term.slug, []).append(each)
        for slug in sorted(terms):
            term = terms[slug]
            if kind == "topic" and len(members[slug]) < site.topic_min_items:
                continue
            title = f"{site.name}: {term.name}"
            subtitle = f"Stories in the {kind} {term.name}"
            path = f"{FEEDS}/{kind}/{slug}"
            feeds.append(Feed(path, title, subtitle, term.url, tuple(members[slug][:most])))
    return feeds + archives


def archive_feeds(site: Site, items: list[Item], tz: tzinfo) -> list[Feed]:
    """Complete, linked RFC 5005 archive documents, oldest first: one per edition (day),
    or several for a day of more than ``site.archive_max_items`` stories. A day's first
    document holds its oldest stories and keeps the day's URL; a story added later to
    the day changes only its last document."""

    def day(i):
        return i.published.astimezone(tz).date()

    def oldest_first(group):
        return sorted(group, key=lambda i: (i.published, i.id))

    size = max(1, site.archive_max_items)
    documents = []  # (day, part number, parts that day, stories)
    for d, group in groupby(sorted(items, key=day), key=day):
        members = oldest_first(group)
        starts = range(0, len(members), size)
        for part, start in enumerate(starts, 1):
            documents.append((d, part, len(starts), members[start : start + size]))
    paths = [
        f"{FEEDS}/archive/{d.isoformat()}" + (f"-{part}" if part > 1 else "")
        for d, part, _, _ in documents
    ]
    feeds = []
    for n, (d, part, parts, members) in enumerate(documents):
        links = [("current", url(site, f"{FEEDS}/all{ATOM}"))]
        if n > 0:
            links.append(("prev-archive", url(site, paths[n - 1] + ATOM)))
        if n + 1 < len(paths):
            links.append(("next-archive", url(site, paths[n + 1] + ATOM)))
        home = url(site, site.edition_url.format(date=d)) if site.edition_url else site.url + "/"
        title = f"{site.name}: edition of {d.day} {d:%B %Y}"
        subtitle = f"Every story of {d}"
        if parts > 1:
            title, subtitle = (
                f"{title}, part {part} of {parts}",
                f"{subtitle}: part {part} of {parts}",
            )
        stories = tuple(newest_first(members))
        feeds.append(Feed(paths[n], title, subtitle, home, stories, tuple(links), archive=True))
    return feeds


def build_all(site: Site, items, limit: int, tz: tzinfo, topic_limit=None) -> dict[str, bytes]:
    """Every feed file by its path under the output folder."""
    return dict(iter_all(site, items, limit, tz, topic_limit))


def iter_all(site: Site, items, limit: int, tz: tzinfo, topic_limit: int | None = None, reuse=None):
    """(path, bytes) of every feed file, one at a time: a large site's feeds need
    not all be held in memory. ``reuse(feed)``, when given, may say a feed's files are
    already there (the dev server's cache, keyed by ``FeedKeys``): that feed is then
    not rendered."""
    return render(site, to_render(site, items, limit, tz, topic_limit, reuse))


def to_render(
    site: Site,
    items,
    limit: int,
    tz: tzinfo,
    topic_limit: int | None = None,
    reuse=None,
    times=None,
) -> list[Feed]:
    """The feeds ``iter_all`` renders: every non-empty feed ``reuse`` does not take."""
    planned = []
    for feed in plan(site, items, limit, tz, topic_limit, times):
        if not feed.items:
            log.warning("gazette: feeds: %s has no stories; not written", feed.path)
            continue
        if reuse is None or not reuse(feed):
            planned.append(feed)
    return planned


def render(site: Site, planned: list[Feed]):
    """(path, bytes) of each file of ``planned`` feeds. Each story's entry is rendered
    once per format and reused by every feed that carries it (see ``Fragments``)."""
    fragments = Fragments(planned)
    for feed in planned:
        yield feed.path + ATOM, atom(site, feed, fragments)
        if not feed.archive:
            yield feed.path + RSS, rss(site, feed, fragments)
            json_url = url(site, feed.path + JSON)
            yield feed.path + JSON, jsonfeed.render(site, feed, json_url, fragments)


def files_of(feed: Feed) -> list[str]:
    """The paths ``iter_all`` writes for ``feed``."""
    return [feed.path + ATOM] if feed.archive else [feed.path + ext for ext in (ATOM, RSS, JSON)]


class FeedKeys:
    """``key(feed)``: a hash of everything a feed's files show, given ``base`` (a hash of
    the site, the settings and the code that writes feeds). Each story's part is hashed
    once, however many feeds carry it; ``known`` (what ``seen`` was in the build before)
    saves hashing again the items the dev server's build process kept (warm.py). By
    identity: items of one instant in two time zones are equal, but print differently."""

    def __init__(self, base: str, known: dict | None = None):
        self.base = base
        self.known = known or {}  # id(item) -> (item, its digest)
        self.seen: dict[int, tuple[Item, bytes]] = {}  # the same, for this build's items
        self.terms: dict[Term, bytes] = {}  # each section's and topic's repr, once

    def __call__(self, feed: Feed) -> str:
        digest = hashlib.sha256(self.base.encode())
        digest.update(repr(replace(feed, items=())).encode())
        for each in feed.items:
            found = self.seen.get(id(each)) or self.known.get(id(each))
            if found is None or found[0] is not each:
                found = (each, self.item_digest(each))
            self.seen[id(each)] = found
            digest.update(found[1])
        return digest.hexdigest()

    def item_digest(self, each: Item) -> bytes:
        """The item's fields as reprs (each self-delimiting), then a NUL (no repr holds
        one) and its content as it is: a repr of the whole item escaped the story's HTML
        again (three quarters of its 25 µs), and its Terms, shared by thousands."""
        digest = hashlib.sha256(repr(_plain_fields(each)).encode())
        for term in (each.section, *each.topics):
            shown = self.terms.get(term)
            if shown is None:
                shown = self.terms[term] = repr(term).encode()
            digest.update(shown)
        content = each.content_html
        text = "\0" + content if isinstance(content, str) else repr(content)
        digest.update(text.encode())
        return digest.digest()


_plain_fields = attrgetter(
    *(name for name in Item.__match_args__ if name not in ("content_html", "section", "topics"))
)


# --- feedgen -------------------------------------------------------------------------------


class _Via(BaseEntryExtension):
    """An entry's ``<link rel="via">``: the page a saved story came from. (feedgen's own
    ``link()`` drops ``rel`` and ``type`` of entry links, so it cannot write one.)"""

    url: str | None = None

    def extend_atom(self, entry):
        if self.url:
            link = entry.makeelement("{http://www.w3.org/2005/Atom}link")
            link.attrib.update({"href": self.url, "rel": "via", "type": "text/html"})
            entry.append(link)
        return entry


class _History(BaseExtension):
    """Marks an Atom document as an RFC 5005 archive: ``<fh:archive/>``."""

    def extend_ns(self):
        return {"fh": HISTORY_NS}

    def extend_atom(self, feed):
        feed.append(feed.makeelement(f"{{{HISTORY_NS}}}archive"))
        return feed


def _generator(site: Site, feed: Feed, self_url: str, media_type: str, entries=True):
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(feed.title)
    fg.subtitle(feed.subtitle)
    fg.author(name=site.author)
    fg.language(site.language)
    fg.generator("Gazette")
    if site.icon:
        fg.icon(site.icon)
    if site.logo:
        fg.logo(site.logo)
    fg.link(href=self_url, rel="self", type=media_type)
    for rel, href in feed.links:
        fg.link(href=href, rel=rel, type="application/atom+xml")
    fg.link(href=feed.home, rel="alternate", type="text/html")  # last: RSS's channel link
    newest = max(i.updated for i in feed.items)  # never the build time
    fg.updated(newest)
    fg.lastBuildDate(newest)
    # dc:creator carries RSS bylines (registered directly: load_extension imports it each
    # time). Imported here: feedgen.ext.dc needs feedgen.feed imported first.
    from feedgen.ext.dc import DcEntryExtension, DcExtension

    fg.register_extension("dc", DcExtension, DcEntryExtension, atom=False, rss=True)
    if feed.archive:
        fg.register_extension("history", _History, atom=True, rss=False)
    fg.register_extension("via", BaseExtension, _Via, atom=True, rss=False)
    if entries:
        for each in feed.items:
            _entry(fg.add_entry(order="append"), each)
    return fg


def _entry(fe, each: Item) -> None:
    fe.guid(each.id, permalink=False)
    fe.title(each.title)
    fe.link(href=each.url, rel="alternate", type="text/html")
    fe.published(each.published)
    fe.updated(each.updated)
    credit = each.byline or each.source  # the agency when the story has no byline
    if credit:
        fe.author(name=credit)
        fe.dc.dc_creator(credit)
    fe.via.url = each.original_url
    lede = f"{each.dateline} — {each.summary}" if each.dateline else each.summary
    fe.summary(html.escape(lede, quote=False), type="html")  # escaped: nothing executes
    fe.content(each.content_html, type="html")
    for term in (each.section, *each.topics):
        fe.category(term=term.name, scheme=term.scheme, label=term.name)


# Entries are the last children of an Atom <feed> and of an RSS <channel>, and feedgen
# pretty-prints them the same in every feed: a feed is its head (rendered by feedgen
# without entries), then each story's entry as rendered once, then the closing tags.
_ATOM_START, _ATOM_END = b"  <entry>", b"</feed>\n"
_RSS_START, _RSS_END = b"    <item>", b"  </channel>\n</rss>\n"


class Fragments:
    """Each story's Atom entry and RSS item as bytes, rendered once for the whole site.

    A story is in the site feed, its section's, each of its topics' and its
    edition's archive: rendering it once instead of in every feed is most of
    the feeds' cost. A fragment is dropped after its last use, so a large
    site does not hold every story's entry at once; one that is used again is
    held without the story's text (``_Around``), which the item holds anyway.
    """

    def __init__(self, feeds=()):
        self.uses: dict[tuple[str, Item], int] = {}
        for feed in feeds:
            kinds = ("atom",) if feed.archive else ("atom", "rss", "json")
            for kind in kinds:
                for each in feed.items:
                    key = (kind, each)
                    self.uses[key] = self.uses.get(key, 0) + 1
        self.cache: dict[tuple[str, Item], bytes] = {}

    def take(self, kind: str, site: Site, items) -> list[bytes]:
        """The fragments of ``items``; those not rendered yet are rendered together."""
        missing = [each for each in items if (kind, each) not in self.cache]
        if missing:
            for each, text in zip(missing, _render(kind, site, missing), strict=True):
                again = self.uses.get((kind, each), 1) > 1
                self.cache[kind, each] = _Around.of(kind, each, text) if again else text
        out = []
        for each in items:
            key = (kind, each)
            held = self.cache[key]
            out.append(held.around(kind, each) if isinstance(held, _Around) else held)
            left = self.uses.get(key, 1) - 1
            if left > 0:
                self.uses[key] = left
            else:
                self.uses.pop(key, None)
                del self.cache[key]
        return out


class _Around(tuple):
    """A fragment held without its story's content: what comes before and after it. A
    site's recent stories are in its topics' feeds and in their days' archives, rendered
    last: their entries held whole in between were 16 MB at 20,000 stories."""

    @classmethod
    def of(cls, kind: str, each: Item, text):
        """``text`` around the item's content as ``kind`` writes it; ``text`` itself when
        the content is not found there as expected."""
        content = _written_content(kind, each)
        at = text.find(content) if content else -1
        if at < 0:
            return text
        return cls((text[:at], text[at + len(content) :]))

    def around(self, kind: str, each: Item):
        before, after = self
        return before + _written_content(kind, each) + after


def _written_content(kind: str, each: Item):
    """The item's ``content_html`` as it is written in its ``kind`` of fragment: escaped as
    XML text (Atom's content, RSS's content:encoded) or as a JSON string."""
    if kind == "json":
        return json.dumps(each.content_html, ensure_ascii=False)[1:-1]
    return saxutils.escape(each.content_html, {"\r": "&#13;"}).encode()  # lxml writes a CR as &#13;


def _render(kind: str, site: Site, items) -> list[bytes]:
    """Entries exactly as they appear inside any feed of that format, in one feedgen pass."""
    if kind == "json":
        return [jsonfeed.item_fragment(each) for each in items]
    batch = Feed("x", "x", "x", site.url + "/", tuple(items))
    fg = _generator(site, batch, url(site, "x"), "application/atom+xml")
    if kind == "atom":
        data, start, end = fg.atom_str(pretty=True), _ATOM_START, _ATOM_END
    else:
        data, start, end = fg.rss_str(pretty=True), _RSS_START, _RSS_END
    body = data[data.index(start) : data.rindex(end)]
    # Text is escaped, so an element start at the line's indent is always a new entry.
    parts = body.split(b"\n" + start)
    entries = [parts[0] + b"\n"] + [start + part + b"\n" for part in parts[1:]]
    entries[-1] = entries[-1][:-1]  # the body's own final newline
    return entries


def atom(site: Site, feed: Feed, fragments: Fragments | None = None) -> bytes:
    return _xml_feed("atom", site, feed, fragments)


def rss(site: Site, feed: Feed, fragments: Fragments | None = None) -> bytes:
    return _xml_feed("rss", site, feed, fragments)


def _xml_feed(kind: str, site: Site, feed: Feed, fragments: Fragments | None) -> bytes:
    """feedgen writes the feed's head; the entries are the shared, pre-rendered fragments."""
    ext, media, end = (
        (ATOM, "application/atom+xml", _ATOM_END)
        if kind == "atom"
        else (RSS, "application/rss+xml", _RSS_END)
    )
    fragments = fragments or Fragments()
    fg = _generator(site, feed, url(site, feed.path + ext), media, False)
    head = fg.atom_str(pretty=True) if kind == "atom" else fg.rss_str(pretty=True)
    head = styled(site, feed.path, head[: head.rindex(end)])
    return b"".join([head, *fragments.take(kind, site, feed.items), end])


def styled(site: Site, path: str, document: bytes) -> bytes:
    """``document`` (feedgen's bytes) with an xml-stylesheet processing instruction for
    each of the site's feed stylesheets, after the XML declaration. The hrefs are
    relative to the feed (``path``): a browser loads an XSL stylesheet only from the
    feed's own origin, and the site may be served at any address."""
    up = "../" * path.count("/")
    lines = [
        f'<?xml-stylesheet href="{html.escape(up + href)}" type="{kind}"?>\n'.encode()
        for kind, href in (("text/xsl", site.xsl), ("text/css", site.css))
        if href
    ]
    if not lines:
        return document
    declaration = document.index(b"?>\n") + 3
    return b"".join([document[:declaration], *lines, document[declaration:]])
