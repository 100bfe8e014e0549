"""Parse one saved article page (``.html``/``.htm``) into a ``RawStory``.

The same contract as raw.parse: bytes in, a ``RawStory`` or a named
``Rejection`` out, never an exception. Pure Python, no Pelican import.

- Text: trafilatura extracts the body, precision first; the default mode and
  readability-lxml are fallbacks when the result is short, and readability's
  text is taken when it is the same text with less around it (90% of its words
  in trafilatura's, covering 60% of them). A page's own JSON-LD ``articleBody``
  is preferred where it agrees with the extraction: it drops extracted blocks
  the publisher's body does not have (captions, teasers, ads), replaces an
  extraction that missed much of it, and fills in a page whose markup shows
  little of it. Per-site rules (CSS selectors to drop, or the one region to
  keep, by domain) fix what generic extraction gets wrong.
- Metadata: beautifulsoup4 (pagemeta.py); where the tags are silent on the date
  or the author, trafilatura's own heuristics (htmldate), with a fixed latest
  date rather than the clock's. Editor overrides are ``<meta name="gazette:date"
  content="…">`` and so on (see pagemeta.py).
- Body HTML: built by an allow-list from the extracted tree (safehtml.py).
  Images are left out of the body; the page's image URL is ``RawStory.image``.
- The dateline, byline and junk steps of raw.py run on the extracted blocks.
"""

import html
import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from . import raw
from .pagemeta import PageMeta, clean_authors, iso_date, read_meta
from .raw import RawStory, Rejection
from .safehtml import Block, blocks_of, render, text_block
from .text import decode_wide, other_kind

try:  # the fallback extractor; without it the fallback chain is one step shorter
    from readability import Document as _Readability
except ImportError:  # pragma: no cover
    _Readability = None

# Defaults for settings: GAZETTE_HTML_MIN_WORDS, GAZETTE_HTML_SITE_RULES,
# GAZETTE_HTML_MAX_BYTES. Images are never in the body (no remote fetch, no setting
# needed); the page's image URL is RawStory.image, for Open Graph and JSON-LD.
DEFAULT_MIN_WORDS = 25  # fewer body words: a section front, a search page or a stub
# A page that says it is an article (JSON-LD Article, og:type article) may be a brief;
# one that says it is not free to read is a paywall stub under PAYWALL_MIN_WORDS.
ARTICLE_MIN_WORDS = 10
PAYWALL_MIN_WORDS = 120
DEFAULT_SITE_RULES: dict = {}  # {"example.com": {"drop": ["css", …], "keep": ["css", …]}}
DEFAULT_MAX_BYTES = 8_000_000
# A result under this many words is "short": the next extractor is tried.
SHORT_WORDS = 100
# readability-lxml's text replaces trafilatura's when it is a cleaner part of it: this
# share of its words in trafilatura's, covering at least the second share of them.
_CLEANER_INSIDE, _CLEANER_COVERS = 0.9, 0.6
# How much longer a fallback's text must be to be taken instead.
_FALLBACK_GAIN = 1.3
_MAX_READABILITY_CHARS = 3_000_000
_WORD = re.compile(r"\w+")
_DENSE = re.compile(
    r"[\u0e00-\u0e7f\u1000-\u109f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
)
_DATE_PARAMS = {"original_date": True, "extensive_search": True, "max_date": "2099-12-31"}
_SEARCH_URL = re.compile(r"/search(?:[/?.]|$)|[?&](?:q|query|s|search)=", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_WORTH_A_WARNING = {
    "trafilatura default",
    "readability",
    "articleBody (the page's text holds little of it)",
}
_WINDOWS_1252 = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252"}
_READABILITY_LOG = logging.getLogger("readability.readability")
# Characters lxml refuses in text (C0 controls but tab and line ends): off the markup.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlOptions:
    min_words: int = DEFAULT_MIN_WORDS
    site_rules: dict = field(default_factory=lambda: dict(DEFAULT_SITE_RULES))
    max_bytes: int = DEFAULT_MAX_BYTES


DEFAULT_OPTIONS = HtmlOptions()


def parse(
    data: bytes, source: str, junk: re.Pattern, options: HtmlOptions = DEFAULT_OPTIONS
) -> RawStory | Rejection:
    """Parse the bytes of the saved page ``source`` (a path used for naming)."""
    try:
        return _parse(data, source, junk, options)
    except (RecursionError, MemoryError) as err:
        return Rejection(source, f"malformed beyond repair ({type(err).__name__})")
    except Exception as err:  # noqa: BLE001 - the contract: a named rejection, never a crash
        return Rejection(source, f"unreadable page ({type(err).__name__}: {err})"[:300])


def _parse(data: bytes, source: str, junk: re.Pattern, options: HtmlOptions):
    if len(data) > options.max_bytes:
        return Rejection(
            source, f"page too large ({len(data):,} bytes; the limit is {options.max_bytes:,})"
        )
    decoded = decode_page(data)
    if isinstance(decoded, Rejection):
        return Rejection(source, decoded.reason)
    markup, warnings = decoded
    if not markup.strip():
        return Rejection(source, "empty file", tuple(warnings))
    markup = repair(_CONTROL.sub("", markup))
    tree = _tree(markup)
    if tree is None:
        return Rejection(source, "malformed beyond repair (no HTML tree)", tuple(warnings))
    meta = read_meta(markup)
    warnings.extend(meta.warnings)
    base = meta.canonical_url
    if not meta.published or not meta.authors:
        _page_fallbacks(tree, base, meta)
    lang = tree.get("lang") or tree.get("xml:lang")
    meta.lang = lang.strip() if isinstance(lang, str) and lang.strip() else meta.lang
    url_reason = _not_article_url(base)
    if url_reason:
        return Rejection(source, url_reason, tuple(warnings))
    tree, kept = _apply_site_rules(tree, base, options.site_rules, warnings)
    blocks, how = _extract(tree, markup, base, kept)
    blocks, how = _reconcile(blocks, how, meta.article_body)
    title = meta.editor.get("title") or meta.title or _first_heading(blocks)
    blocks = _drop_title(blocks, title, meta)
    if not blocks:
        return Rejection(source, _no_text(tree, markup), tuple(warnings))
    return _story(source, blocks, how, title, meta, junk, options, warnings)


def _page_fallbacks(tree, base, meta: PageMeta) -> None:
    """trafilatura's own metadata heuristics (htmldate for the date) where the page's
    tags are silent. The latest plausible date is fixed, never the clock's today, so two
    builds of one checkout agree."""
    try:
        found = extract_metadata(tree, base, {**_DATE_PARAMS})
    except Exception:  # noqa: BLE001 - a heuristic failing leaves the field empty
        return
    if not meta.published and found.date:
        meta.published = iso_date(found.date)
    if not meta.authors and found.author:
        names = [n.strip() for n in found.author.split(";")]
        meta.authors = clean_authors(names, meta)


def decode_page(data: bytes) -> tuple[str, list[str]] | Rejection:
    """The page's text: UTF-8 when the bytes are UTF-8 (whatever the page declares),
    else its declared charset, else a detected one."""
    kind = other_kind(data)
    if kind:
        return Rejection("", f"malformed: {kind}, not a web page")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), []
        except UnicodeDecodeError:
            pass
    wide = decode_wide(data)
    if wide is not None:
        return wide
    if data.count(b"\x00") > max(16, len(data) // 1000):
        return Rejection("", "malformed: binary data, not a web page")
    data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:8192])
    if declared:
        name = declared[1].decode("ascii", "replace").lower()
        try:
            # A charset readable in the page's own bytes is ASCII-compatible: not UTF-16/32.
            text = (
                None
                if name.startswith(("utf-16", "utf-32", "utf16", "utf32"))
                else data.decode(name)
            )
        except (LookupError, UnicodeDecodeError):
            text = None
        if name in _WINDOWS_1252:  # what browsers read for these names
            name = "cp1252"
            text = data.decode(name, errors="replace")
        if text is not None:
            return text, [f"not valid UTF-8; decoded as {name}, as the page declares"]
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:500_000]).best()
    except Exception:  # noqa: BLE001 - detection is a best effort
        best = None
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), [f"not valid UTF-8; decoded as {best.encoding}"]
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("cp1252", errors="replace"), ["not valid UTF-8; decoded as cp1252"]


def repair(markup: str) -> str:
    """The markup with the breakage that hides a whole page mended: an XML declaration
    (lxml refuses it in a str), and a ``<title>`` left open (its text would run to the end
    of the page, taking the body with it)."""
    markup = _XML_DECL.sub("", markup, count=1)
    opened = _TITLE_OPEN.search(markup, 0, 200_000)
    if opened:
        end = markup.find("<", opened.end())
        if end != -1 and not _TITLE_CLOSE.match(markup, end):
            markup = markup[:end] + "</title>" + markup[end:]
    return markup


def _tree(markup: str):
    tree = None
    try:
        tree = load_html(markup)
    except Exception:  # noqa: BLE001
        tree = None
    if tree is None or len(tree) == 0:
        try:
            tree = lxml_html.document_fromstring(f"<html><body>{markup}</body></html>")
        except (etree.ParserError, ValueError):
            return None
    if tree is None or not len(tree):
        return None
    return tree


def _no_text(tree, markup: str) -> str:
    """Why a page gave no text: the parser gave up on it (nesting past libxml2's depth
    limit drops the rest of the page), or there is none."""
    tags = markup.count("<")
    if tags > 20_000:
        read = sum(1 for _ in zip(tree.iter(), range(tags // 20), strict=False))
        if read < tags // 20:
            return (
                f"malformed beyond repair: the parser read {read:,} of about {tags:,} "
                "tags (nested too deep?)"
            )
    return "no extractable text"


def _not_article_url(url: str | None) -> str | None:
    if url and _SEARCH_URL.search(urlsplit(url).path + "?" + urlsplit(url).query):
        return "not an article (a search page)"
    return None


def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.") if url else ""


def _apply_site_rules(tree, url: str | None, rules: dict, warnings: list):
    """The tree after the site's rules: ``drop`` selectors removed, or only the ``keep``
    selectors' elements. Returns (tree, whether a keep rule chose the region)."""
    host = _host(url)
    rule = None
    for domain, value in (rules or {}).items():
        domain = domain.lower().removeprefix("www.")
        if host == domain or host.endswith("." + domain):
            rule = value
            break
    if not rule:
        return tree, False
    from lxml.cssselect import CSSSelector

    tree = lxml_html.document_fromstring(etree.tostring(tree))
    kept = False
    for selector in rule.get("drop", ()):
        try:
            for element in CSSSelector(selector)(tree):
                element.drop_tree()
        except Exception as err:  # noqa: BLE001 - a bad selector is the setting's fault
            warnings.append(f"site rule drop {selector!r} ignored ({type(err).__name__})")
    chosen = []
    for selector in rule.get("keep", ()):
        try:
            chosen.extend(CSSSelector(selector)(tree))
        except Exception as err:  # noqa: BLE001
            warnings.append(f"site rule keep {selector!r} ignored ({type(err).__name__})")
    if chosen:
        body = etree.Element("body")
        for element in chosen:
            element.tail = None
            body.append(element)
        root = etree.Element("html")
        root.append(body)
        tree, kept = root, True
    return tree, kept


def _words(blocks: list[Block]) -> float:
    """Body size in words; a CJK, Thai or Burmese character counts half a word (\\w+
    would take a whole run of them as one)."""
    text = " ".join(b.text for b in blocks)
    dense = len(_DENSE.findall(text))
    return len(_WORD.findall(_DENSE.sub(" ", text) if dense else text)) + dense / 2


def _trafilatura(tree, base, **modes) -> list[Block]:
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=base,
            include_comments=False,
            include_tables=True,
            include_links=True,
            include_images=False,
            with_metadata=False,
            **modes,
        )
    except Exception:  # noqa: BLE001 - one extractor failing is not the page failing
        return []
    if document is None or document.body is None:
        return []
    return blocks_of(document.body, base)


def _readability(markup: str, base) -> list[Block]:
    if _Readability is None or len(markup) > _MAX_READABILITY_CHARS or "<" not in markup:
        return []
    # readability logs a traceback for every page it cannot read (and re-raises): that is
    # a fallback failing, not news for the build's log.
    level = _READABILITY_LOG.level
    _READABILITY_LOG.setLevel(logging.CRITICAL)
    try:
        summary = _Readability(markup, url=base).summary(html_partial=True)
        fragment = lxml_html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # noqa: BLE001
        return []
    finally:
        _READABILITY_LOG.setLevel(level)
    return blocks_of(fragment, base)


def _extract(tree, markup: str, base, kept: bool) -> tuple[list[Block], str]:
    """The body blocks and the extractor that gave them."""
    if kept:
        blocks = blocks_of(tree.find("body") if tree.find("body") is not None else tree, base)
        return blocks, "site rule"
    best, how = _trafilatura(tree, base, favor_precision=True), "trafilatura precision"
    if _words(best) < SHORT_WORDS:
        default = _trafilatura(tree, base)
        if _words(default) > _words(best) * _FALLBACK_GAIN:
            best, how = default, "trafilatura default"
    readable = _readability(markup, base)
    if _words(best) < SHORT_WORDS and _words(readable) > _words(best) * _FALLBACK_GAIN:
        return readable, "readability"
    if readable and _words(readable) < _words(best):
        ours = Counter(_tokens(" ".join(b.text for b in best)))
        theirs = Counter(_tokens(" ".join(b.text for b in readable)))
        common = sum((ours & theirs).values())
        inside = common / max(1, sum(theirs.values()))
        covers = common / max(1, sum(ours.values()))
        if inside >= _CLEANER_INSIDE and covers >= _CLEANER_COVERS:
            best, how = readable, "readability (the same text, less around it)"
    return best, how


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _reconcile(blocks: list[Block], how: str, article_body: str | None):
    """Prefer the page's own complete ``articleBody`` where it agrees with the extraction."""
    if not article_body:
        return blocks, how
    body = article_body
    if "<" in body and ">" in body:
        try:
            body_tree = lxml_html.fragment_fromstring(body, create_parent="div")
            body_blocks = blocks_of(body_tree)
        except Exception:  # noqa: BLE001
            return blocks, how
    else:
        body = html.unescape(body) if "&" in body else body
        body_blocks = [text_block(p) for p in re.split(r"\n\s*\n|\r?\n", body) if p.strip()]
    ours = Counter(_tokens(" ".join(b.text for b in blocks)))
    theirs = Counter(_tokens(" ".join(b.text for b in body_blocks)))
    if sum(theirs.values()) < 30:
        return blocks, how  # a teaser, not a body
    if re.search(r"(?:\.\.\.|…)\s*$", body.strip()):
        return blocks, how  # cut short
    common = sum((ours & theirs).values())
    ours_in_theirs = common / max(1, sum(ours.values()))
    theirs_in_ours = common / max(1, sum(theirs.values()))
    if theirs_in_ours >= 0.9 and ours_in_theirs < 0.97:
        # The page's body is all in the extraction, which has more: keep the blocks
        # the page's body has.
        shingles = _shingle_set(_tokens(" ".join(b.text for b in body_blocks)))
        tokens = set(theirs)
        filtered = [b for b in blocks if _agrees(b.text, shingles, tokens)]
        if _words(filtered) >= 0.8 * sum(theirs.values()):
            return filtered, how + " + articleBody filter"
        return blocks, how
    if _words(blocks) < SHORT_WORDS and _words(body_blocks) >= max(SHORT_WORDS, 2 * _words(blocks)):
        return body_blocks, "articleBody (the page's text holds little of it)"
    if ours_in_theirs >= 0.8 and theirs_in_ours < 0.8:
        # What was extracted is the page's body, but much of it was missed.
        if len(body_blocks) == 1 and len(blocks) > 1 and sum(theirs.values()) > 300:
            return blocks, how  # one run-on paragraph: not better than structured blocks
        return body_blocks, "articleBody"
    return blocks, how


def _shingle_set(tokens: list[str], n: int = 4) -> set:
    return {tuple(tokens[i : i + n]) for i in range(max(0, len(tokens) - n + 1))}


def _agrees(text: str, shingles: set, tokens: set) -> bool:
    words = _tokens(text)
    if len(words) < 4:
        return bool(words) and all(w in tokens for w in words)
    mine = _shingle_set(words)
    return len(mine & shingles) >= 0.5 * len(mine)


def _first_heading(blocks: list[Block]) -> str | None:
    for block in blocks[:3]:
        if block.kind == "h":
            return block.text
    return None


def _norm(text: str | None) -> str:
    return " ".join(_tokens(text or ""))


def _drop_title(blocks: list[Block], title: str | None, meta: PageMeta) -> list[Block]:
    """Without the headline repeated at the top of the body."""
    heads = {_norm(t) for t in (title, meta.original_title, meta.h1) if t}
    heads.discard("")
    out = list(blocks)
    while out and _norm(out[0].text) in heads:
        out.pop(0)
    return out


def _text_steps(blocks: list[Block], source: str, junk: re.Pattern):
    """The raw text's own steps (stamps, byline, dateline, junk lines and phrases,
    credits, corrections) on the extracted blocks: the blocks are written out as a raw
    text, one paragraph each, and read back by raw.parse. Returns (the RawStory, the
    blocks that are its paragraphs), or None when raw.parse finds no body."""
    lines = ["Gazette extracted page"]
    for block in blocks:
        text = "\n".join(line for line in block.text.split("\n") if line.strip())
        lines.append(text.replace("\n\n", "\n"))
    parsed = raw.parse("\n\n".join(lines).encode("utf-8"), source, junk)
    if not isinstance(parsed, RawStory):
        return None
    return parsed, _match_blocks(parsed.paragraphs, blocks)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _match_blocks(paragraphs, blocks: list[Block]) -> list[Block]:
    """The block of each paragraph: the block itself when its text came back unchanged
    (its links and emphasis kept), else a plain block of the changed text."""
    out, start = [], 0
    flat = [_flat(b.text) for b in blocks]
    for paragraph in paragraphs:
        want = _flat(paragraph)
        found = None
        for k in range(start, min(len(blocks), start + 60)):
            if flat[k] == want:
                found = blocks[k]
                start = k + 1
                break
        if found is None:
            for k in range(start, min(len(blocks), start + 60)):
                if want and (want in flat[k] or flat[k] in want):
                    found = replace(text_block(paragraph, blocks[k].kind), group=blocks[k].group)
                    start = k + 1
                    break
        out.append(found or text_block(paragraph))
    return out


def _story(
    source, blocks, how, title, meta: PageMeta, junk, options, warnings
) -> RawStory | Rejection:
    removed: list[str] = []
    names = {_norm(a) for a in meta.authors} | {_norm("by " + a) for a in meta.authors}
    names.discard("")
    while len(blocks) > 1 and _norm(blocks[0].text) in names:
        removed.append(blocks.pop(0).text)  # the author's name alone above the lede
    steps = _text_steps(blocks, source, junk)
    if steps is None:
        return Rejection(source, "no extractable text", tuple(warnings))
    parsed, kept = steps
    paragraphs = tuple(b.text for b in kept)
    word_count = parsed.word_count
    if not paragraphs or not word_count:
        return Rejection(source, "no extractable text", tuple(warnings))
    size = _words(kept)  # CJK-aware, for the thresholds
    if meta.is_article is False and size < 4 * options.min_words:
        return Rejection(
            source, f"not an article (the page says it is a {meta.page_type})", tuple(warnings)
        )
    if meta.paywalled and size < PAYWALL_MIN_WORDS:
        return Rejection(
            source,
            f"not an article: a paywall stub ({word_count} words of body text, and the page "
            "says it is not free to read)",
            tuple(warnings),
        )
    least = min(ARTICLE_MIN_WORDS, options.min_words) if meta.is_article else options.min_words
    if size < least:
        return Rejection(
            source,
            f"not an article: {word_count} words of body text, under {least} "
            "(a section front, a search page or a stub)",
            tuple(warnings),
        )
    if not title:
        title = " ".join(paragraphs[0].split()[:12])
        warnings.append("no headline in the page; the body's first words stand in")
    title = " ".join(title.split())
    if len(title) > raw.MAX_HEADLINE_CHARS:
        title = title[: raw.MAX_HEADLINE_CHARS].rsplit(" ", 1)[0] + "…"
        warnings.append("headline cut to the length limit")
    headers = {k: v for k, v in meta.editor.items() if k in raw.HEADER_FIELDS}
    page_byline = ", ".join(meta.authors) if meta.authors else None
    if how in _WORTH_A_WARNING:  # a fallback: worth an editor's look
        warnings.append(f"body from {how}")
    return replace(
        parsed,
        title=title,
        paragraphs=paragraphs,
        headers=headers,
        byline=headers.get("byline") or page_byline or parsed.byline,
        removed=tuple(removed) + parsed.removed,
        warnings=tuple(warnings) + parsed.warnings,
        original_title=meta.original_title if meta.original_title != title else None,
        kind="html",
        html_body=render(kept),
        canonical_url=meta.canonical_url,
        publisher=meta.publisher,
        image=meta.image,
        lang=_lang(meta),
        published=meta.published or parsed.published,
        updated=meta.updated or parsed.updated,
        keywords=tuple(meta.keywords),
    )


def _lang(meta: PageMeta) -> str | None:
    value = meta.lang
    if not value:
        return None
    value = value.replace("_", "-").split(",")[0].strip()
    return value if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", value) else None
