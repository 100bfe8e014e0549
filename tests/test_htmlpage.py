"""Saved HTML article pages as raw input (ingest/htmlpage.py, pagemeta.py, safehtml.py).

The fixtures in tests/fixtures/html/ are invented pages. The corpus test reads the
third-party pages in ../shared/corpora at run time and skips when they are absent.
"""

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from pelican.plugins.gazette.ingest import formats, htmlpage, safehtml
from pelican.plugins.gazette.ingest.boilerplate import DEFAULT_JUNK_PATTERNS, compile_patterns
from pelican.plugins.gazette.ingest.pagemeta import iso_date, read_meta
from pelican.plugins.gazette.ingest.raw import RawStory, Rejection

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
JUNK = compile_patterns(DEFAULT_JUNK_PATTERNS)
LEDE = (
    "The ferry company said on Monday that the night crossing would run again from the "
    "spring, after a winter in which the harbour was closed by ice for eleven days and "
    "the island's shop ran out of flour twice."
)
SECOND = (
    "Islanders had asked for the crossing to return since it was cut three years ago, and "
    "the council agreed to pay for a new pier light so the boat can dock after dark."
)


def parse(data: bytes | str, name: str = "page.html", **options):
    if isinstance(data, str):
        data = data.encode("utf-8")
    opts = htmlpage.HtmlOptions(**options) if options else htmlpage.DEFAULT_OPTIONS
    return htmlpage.parse(data, name, JUNK, opts)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def page(body: str, head: str = "<title>Night ferry returns to the island</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


ARTICLE = page(f"<article><p>{LEDE}</p><p>{SECOND}</p></article>")


# Safe HTML: what may reach a page ---------------------------------------------------------

_ALLOWED_TAGS = {"p", "h2", "ul", "li", "blockquote", "figure", "figcaption", "a", "strong"}
_ALLOWED_TAGS |= {"em", "br", "table", "tbody", "tr", "td"}


def assert_safe(body: str) -> None:
    """Only allow-listed tags, and no attribute but a link's http(s)/mailto href."""
    tree = lxml_html.fragment_fromstring(body or "<p></p>", create_parent="div")
    for element in tree.iter():
        if element is tree:
            continue
        assert isinstance(element.tag, str), "a comment or instruction in the body"
        assert element.tag in _ALLOWED_TAGS, element.tag
        attributes = dict(element.attrib)
        if element.tag == "a":
            assert set(attributes) <= {"href", "rel"}
            assert re.match(r"(?:https?:|mailto:)", attributes["href"]), attributes["href"]
        else:
            assert not attributes, (element.tag, attributes)
    tags = " ".join(re.findall(r"<[^>]*>", body.lower()))  # markup only, not escaped text
    for needle in ("<script", "<style", "<iframe", "<svg", "<img", "<object", "<embed"):
        assert needle not in tags
    assert "javascript:" not in tags and "data:" not in tags
    assert not re.search(r"\son\w+\s*=", tags)


def test_a_news_page_becomes_a_story_with_its_metadata():
    story = parse(fixture("article.html"), "culture/2024-03-05-library.html")
    assert isinstance(story, RawStory), story
    assert story.kind == "html"
    assert story.title == "Harbour Town opens its new tidal library"
    assert story.byline == "Ada Quill"  # JSON-LD's person; the organisation is the publisher
    assert story.publisher == "The Example Courier"
    assert story.canonical_url == "https://news.example.com/2024/03/05/tidal-library"
    assert story.image == "https://cdn.example.com/img/library-ld.jpg"
    assert story.lang == "en-GB"
    assert story.published == "2024-03-05T09:30:00+00:00"
    assert story.updated == "2024-03-06T11:00:00+01:00"
    assert story.keywords == ("libraries", "coast")
    # The raw text's own steps: the dateline and the byline line are off the body.
    assert story.dateline == "HARBOUR TOWN (Courier)" and story.place == "HARBOUR TOWN"
    assert story.paragraphs[0].startswith("The town's new library opened on Tuesday")
    assert not any("By Ada Quill" in p for p in story.paragraphs)
    # Furniture stays out: navigation, the most-read box, the footer, scripts.
    text = story.body_text
    for furniture in ("Most read", "bakery", "Copyright", "pwned", "Home", "background"):
        assert furniture not in text
    assert "Books above the waterline" in story.paragraphs
    assert story.word_count == sum(
        len(re.findall(r"\w+(?:['’.-]\w+)*", p)) for p in story.paragraphs
    )
    body = story.html_body
    assert_safe(body)
    assert "<h2>Books above the waterline</h2>" in body
    assert "<li>Opening hours follow the tide table printed at the door.</li>" in body
    assert "<blockquote>" in body
    assert '<a href="https://www.example.org/knots" rel="nofollow">the guide</a>' in body
    assert "cdn.example.com/img/shelves.jpg" not in body  # images never in the body


def test_story_values_are_plain_for_the_parse_cache():
    import marshal

    story = parse(fixture("article.html"))
    for name, value in vars(story).items():
        marshal.dumps(value)  # raises on anything but plain values
        assert not isinstance(value, list), name


def test_hostile_markup_never_reaches_the_body():
    story = parse(fixture("hostile.html"))
    assert isinstance(story, RawStory), story
    assert_safe(story.html_body)
    assert "injected by script" not in story.body_text
    assert "alert" not in story.html_body.replace("&lt;script&gt;alert", "")
    # Text that merely looks like markup stays text, escaped.
    assert '&lt;script&gt;alert("escaped text stays text")&lt;/script&gt;' in story.html_body
    # A javascript: or data: link keeps its words, loses its link.
    assert "which engineers put at four times the price" in story.body_text
    assert '<a href="https://www.example.org/fund" rel="nofollow">repair</a>' in story.html_body


@pytest.mark.parametrize(
    "href, base, expected",
    [
        ("https://example.org/a", None, "https://example.org/a"),
        ("http://example.org/a", None, "http://example.org/a"),
        ("/world/x", "https://news.example.com/a/b", "https://news.example.com/world/x"),
        ("x.html", "https://news.example.com/a/b", "https://news.example.com/a/x.html"),
        ("//cdn.example.com/x", None, "https://cdn.example.com/x"),
        ("mailto:desk@example.com", None, "mailto:desk@example.com"),
        ("javascript:alert(1)", None, None),
        (" JaVaScRiPt:alert(1)", None, None),
        ("java\tscript:alert(1)", None, None),
        ("java\x00script:alert(1)", None, None),
        ("data:text/html;base64,AAAA", None, None),
        ("vbscript:msgbox", None, None),
        ("#section", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_safe_href(href, base, expected):
    assert safehtml.safe_href(href, base) == expected


def test_relative_links_without_a_known_page_address_are_text_only():
    story = parse(
        page(f'<article><p>{LEDE} <a href="/local">More</a></p><p>{SECOND}</p></article>')
    )
    assert isinstance(story, RawStory)
    assert "<a " not in story.html_body and "More" in story.body_text


# Editor overrides ---------------------------------------------------------------------------


def test_an_editor_corrects_fields_with_gazette_meta_tags():
    story = parse(fixture("editor.html"))
    assert isinstance(story, RawStory), story
    assert story.headers == {
        "date": "2023-11-30",
        "section": "Coast",
        "topics": "lighthouses; dinners",
        "byline": "Edited Byline",
    }
    assert story.title == "Keepers dine together one last time"
    assert story.byline == "Edited Byline"
    assert story.original_title == "Lighthouse keepers hold their last annual dinner"


# Rejections, with reasons ------------------------------------------------------------------


def test_a_section_front_is_not_an_article():
    result = parse(fixture("section-front.html"))
    assert isinstance(result, Rejection) and result.reason.startswith("not an article"), result


def test_a_paywall_stub_is_not_an_article():
    result = parse(fixture("paywall.html"))
    assert isinstance(result, Rejection) and "paywall stub" in result.reason, result


def test_a_search_page_is_not_an_article():
    head = '<title>Search</title><link rel="canonical" href="https://example.com/search?q=ferry">'
    result = parse(page(f"<article><p>{LEDE}</p></article>", head))
    assert isinstance(result, Rejection) and "search page" in result.reason, result


def test_a_stub_under_the_word_floor_is_rejected():
    result = parse(page("<article><p>Ferry news in brief, more soon.</p></article>"))
    assert isinstance(result, Rejection) and "words of body text" in result.reason, result


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"   \n  ", "empty file"),
        (b"\x00\x01\x02" * 1000, "binary"),
        (b"%PDF-1.4\n" + ARTICLE.encode(), "a PDF document, not a web page"),
        (b"\x1f\x8b\x08\x00" + ARTICLE.encode(), "a gzip-compressed file"),
        (page("<nav><a href='/a'>Home</a></nav>").encode(), "no extractable text"),
        (b"<html><head><title>Only a title</title></head></html>", "no extractable text"),
    ],
)
def test_rejections_name_their_reason(data, reason):
    result = parse(data)
    assert isinstance(result, Rejection), result
    assert reason in result.reason


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-16-le"])
def test_a_utf16_or_utf32_page_reads_as_its_utf8_twin(codec):
    """With its byte order mark (``utf-16``, ``utf-32``: Python writes one) or without."""
    twin, wide = parse(ARTICLE.encode()), parse(ARTICLE.encode(codec))
    assert isinstance(wide, RawStory), wide
    assert (wide.title, wide.paragraphs) == (twin.title, twin.paragraphs)


def test_a_page_over_the_size_limit_is_rejected():
    result = parse(ARTICLE, max_bytes=100)
    assert isinstance(result, Rejection) and "too large" in result.reason


# Hostile and broken pages: never an exception ------------------------------------------------


def _deep_divs(depth: int, size: int) -> bytes:
    opening = b"<div>" * depth
    filler = (b"<div><p>" + b"word " * 40 + b"</p></div>") * (size // 230)
    return b"<html><body>" + opening + filler + b"</div>" * depth + b"</body></html>"


@pytest.mark.parametrize(
    "name, data",
    [
        ("5 MB of nested divs", _deep_divs(100_000, 4_500_000)),
        ("deep nesting alone", b"<div>" * 200_000 + ARTICLE.encode()),
        ("no body", f"<html><head><title>T</title></head><p>{LEDE}</p><p>{SECOND}</p>".encode()),
        ("no html at all", f"{LEDE}\n\n{SECOND}".encode()),
        (
            "unclosed everything",
            f"<html><body><article><p>{LEDE}<p>{SECOND}<div><span><b>".encode(),
        ),
        ("open title", f"<html><head><title>T<body><p>{LEDE}</p><p>{SECOND}</p>".encode()),
        ("xml declaration", f'<?xml version="1.0" encoding="utf-8"?>{ARTICLE}'.encode()),
        (
            "utf-8 declared latin-1",
            ARTICLE.replace("<head>", '<head><meta charset="iso-8859-1">').encode(),
        ),
        (
            "cp1252 declared utf-8",
            page(f"<p>{LEDE} “quoted” — café</p><p>{SECOND}</p>", '<meta charset="utf-8">').encode(
                "cp1252"
            ),
        ),
        ("unknown charset", page(f"<p>{LEDE}</p>", '<meta charset="x-no-such">').encode()),
        ("utf-16 with BOM", ARTICLE.encode("utf-16")),
        ("NUL bytes", ARTICLE.encode().replace(b"<p>", b"<p>\x00", 1)),
        (
            "broken JSON-LD",
            page(
                f"<p>{LEDE}</p>",
                '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>',
            ).encode(),
        ),
        (
            "JSON-LD of odd shapes",
            page(
                f"<p>{LEDE}</p>",
                '<script type="application/ld+json">[1, "x", {"@type": ["NewsArticle"], '
                '"author": [null, 3, {"name": ["A"]}], "image": [{}], "datePublished": 5}]'
                "</script>",
            ).encode(),
        ),
        (
            "comments and CDATA",
            page(f"<!-- <p>hidden</p> --><![CDATA[ x ]]><p>{LEDE}</p>").encode(),
        ),
        ("only scripts", b"<html><body><script>" + b"x=1;" * 10000 + b"</script></body></html>"),
        ("frameset", b"<html><frameset><frame src='javascript:alert(1)'></frameset></html>"),
        ("huge attribute", page(f'<p title="{"x" * 1_000_000}">{LEDE}</p>').encode()),
        ("many tiny paragraphs", page("<p>p.</p>" * 50_000).encode()),
    ],
)
def test_hostile_pages_end_as_a_story_or_a_rejection(name, data):
    result = parse(data)
    assert isinstance(result, (RawStory, Rejection)), name
    if isinstance(result, RawStory):
        assert_safe(result.html_body)
        assert result.paragraphs and result.title


def test_markup_nested_past_the_parsers_limit_is_malformed_beyond_repair():
    result = parse(_deep_divs(100_000, 4_500_000))
    assert isinstance(result, Rejection) and "malformed beyond repair" in result.reason, result


def test_a_wrong_charset_declaration_loses_no_characters():
    data = page(f"<p>{LEDE} café “quoted”</p><p>{SECOND}</p>", '<meta charset="iso-8859-1">')
    story = parse(data.encode("utf-8"))
    assert isinstance(story, RawStory) and "café “quoted”" in story.body_text


def test_a_legacy_page_is_decoded_by_its_declaration():
    data = page(f"<p>{LEDE} Grüße aus Köln</p><p>{SECOND}</p>", '<meta charset="windows-1252">')
    story = parse(data.encode("cp1252"))
    assert isinstance(story, RawStory) and "Grüße aus Köln" in story.body_text


_FRAGMENTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<script>",
        "</script>",
        "<a href='javascript:x'>",
        "</a>",
        "<ul><li>",
        "<table><tr><td>",
        "<!--",
        "-->",
        "<![CDATA[",
        "<title>",
        "<meta charset='utf-16'>",
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"',
        "&amp;",
        "&#0;",
        "<svg onload=x>",
        "\u202e",
        "\x00",
        LEDE,
        SECOND,
        "word ",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=40), st.binary(max_size=64))
def test_any_markup_soup_is_a_story_or_a_rejection(parts, noise):
    data = "".join(parts).encode("utf-8", "surrogatepass") + noise
    result = parse(data)
    assert isinstance(result, (RawStory, Rejection))
    if isinstance(result, RawStory):
        assert_safe(result.html_body)


# The page's own articleBody, and site rules -----------------------------------------------


def _with_body(extra: str, article_body: str) -> str:
    head = (
        "<title>Night ferry returns to the island</title>"
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "headline": "Night ferry returns", '
        f'"articleBody": "{article_body}"}}'
        "</script>"
    )
    return page(f"<article><p>{LEDE}</p>{extra}<p>{SECOND}</p></article>", head)


def test_the_pages_own_article_body_drops_what_it_does_not_have():
    teaser = (
        "<p>Related: the island's bakery wins a prize for its seaweed bread at the county show.</p>"
    )
    story = parse(_with_body(teaser, f"{LEDE}\\n\\n{SECOND}"))
    assert isinstance(story, RawStory)
    assert "bakery" not in story.body_text
    assert story.paragraphs == (LEDE, SECOND)


def test_an_article_body_that_disagrees_is_ignored():
    other = " ".join(["An unrelated story about mountain goats and their keepers."] * 8)
    story = parse(_with_body("", other))
    assert isinstance(story, RawStory)
    assert story.paragraphs == (LEDE, SECOND)


def test_a_complete_article_body_fills_in_a_page_that_shows_little():
    long_body = " ".join([LEDE, SECOND] * 3)
    head = (
        "<title>Night ferry returns</title><script type='application/ld+json'>"
        '{"@type": "NewsArticle", "headline": "Night ferry returns", '
        f'"articleBody": "{long_body}"}}'
        "</script>"
    )
    story = parse(page("<article><p>Photo: the ferry at the pier.</p></article>", head))
    assert isinstance(story, RawStory), story
    assert story.body_text.startswith(LEDE) and story.word_count > 150


def test_site_rules_drop_and_keep_by_domain():
    head = (
        "<title>Night ferry returns to the island</title>"
        '<link rel="canonical" href="https://www.ferries.example/news/1">'
    )
    promo = "<p class='promo'>Sign up for our ferry timetable alerts and never miss a boat.</p>"
    markup = page(f"<article><p>{LEDE}</p>{promo}<p>{SECOND}</p></article>", head)
    plain = parse(markup)
    assert isinstance(plain, RawStory) and "timetable alerts" in plain.body_text
    rules = {"ferries.example": {"drop": [".promo"]}}
    dropped = parse(markup, site_rules=rules)
    assert "timetable alerts" not in dropped.body_text and dropped.paragraphs == (LEDE, SECOND)
    other_site = parse(markup, site_rules={"elsewhere.example": {"drop": ["p"]}})
    assert other_site.body_text == plain.body_text
    keep = parse(markup, site_rules={"ferries.example": {"keep": [".promo"]}})
    assert isinstance(keep, Rejection) or "timetable" in keep.body_text
    bad = parse(markup, site_rules={"ferries.example": {"drop": ["::not a selector"]}})
    assert isinstance(bad, RawStory) and any("site rule" in w for w in bad.warnings)


# Metadata ------------------------------------------------------------------------------------


def test_metadata_from_open_graph_and_meta_tags_without_json_ld():
    head = (
        "<title>Night ferry returns to the island - Island Post</title>"
        '<meta property="og:site_name" content="Island Post">'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-01-02T08:00:00+00:00">'
        '<meta name="author" content="By Rosa Tern and Olly Gull">'
        '<meta property="og:url" content="https://islandpost.example/ferry">'
    )
    meta = read_meta(page("<p>x</p>", head))
    assert meta.title == "Night ferry returns to the island"
    assert meta.published == "2024-01-02T08:00:00+00:00"
    assert meta.authors == ("Rosa Tern", "Olly Gull")
    assert meta.canonical_url == "https://islandpost.example/ferry"
    assert meta.is_article is True


def test_a_site_name_is_never_the_headline():
    head = (
        '<meta property="og:title" content="Island Post">'
        '<meta property="og:site_name" content="Island Post">'
        "<title>Island Post | Night ferry returns to the island</title>"
    )
    meta = read_meta(page("<h1>Night ferry returns to the island</h1>", head))
    assert meta.title == "Night ferry returns to the island"


def test_time_element_gives_the_date():
    meta = read_meta(page('<time datetime="2023-05-06T10:00:00Z" pubdate>6 May</time>'))
    assert meta.published == "2023-05-06T10:00:00+00:00"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-03-05T09:30:00Z", "2024-03-05T09:30:00+00:00"),
        ("2024-03-05T09:30:00.123456789+0100", "2024-03-05T09:30:00.123456+01:00"),
        ("2024-03-05", "2024-03-05T00:00:00"),
        ("Tue, 05 Mar 2024 09:30:00 +0000", "2024-03-05T09:30:00+00:00"),
        ("published 2024-03-05 at noon", "2024-03-05"),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_date(value, expected):
    assert iso_date(value) == expected


# Formats -----------------------------------------------------------------------------------


def test_formats_claim_saved_pages_and_skip_their_files_folders():
    assert formats.is_raw("a.html") and formats.is_raw("a.htm") and formats.is_raw("a.txt")
    assert not formats.is_raw("a.HTML") and not formats.is_raw("a.css")
    assert formats.skip_folder("Night ferry_files") and formats.skip_folder("page_files")
    assert not formats.skip_folder("_files") and not formats.skip_folder("files")
    assert not formats.skip_folder("world")
    result = formats.parse_file(ARTICLE.encode(), "world/ferry.html", formats.ParseOptions(JUNK))
    assert isinstance(result, RawStory) and result.kind == "html"
    assert isinstance(
        formats.parse_file(ARTICLE.encode(), "world/ferry.htm", formats.ParseOptions(JUNK)),
        RawStory,
    )


def test_the_text_path_does_not_load_the_html_extractors():
    import subprocess

    code = (
        "import sys; from pelican.plugins.gazette.ingest import formats, boilerplate;"
        "j = boilerplate.compile_patterns(boilerplate.DEFAULT_JUNK_PATTERNS);"
        "formats.parse_file(b'Headline\\n\\nBody text here.', 'a.txt', formats.ParseOptions(j));"
        "print('trafilatura' in sys.modules, 'bs4' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# The corpora: a floor on body quality ------------------------------------------------------

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.corpus
def test_body_quality_on_a_corpus_sample():
    """Shingle F1 of Gazette's body_text on a sample of the corpora (< 60 s), as
    bench/extraction.py scores it; every page a story or a rejection."""
    sys.path.insert(0, str(BENCH))
    import extraction

    if not extraction.CORPORA.is_dir():
        pytest.skip("corpora not found at ../shared/corpora: skipping corpus test")
    newspaper = extraction.pages(extraction.CORPORA, ["newspaper4k-testdata"])
    l3s = extraction.pages(extraction.CORPORA, ["l3s-gn1"])[::12]
    dragnet = extraction.pages(extraction.CORPORA, ["dragnet"])[::12]
    if not (newspaper and l3s and dragnet):
        pytest.skip("a corpus is missing from ../shared/corpora: skipping corpus test")
    scores = {}
    for name, members in (("newspaper4k", newspaper), ("l3s", l3s), ("dragnet", dragnet)):
        counts = []
        for member in members:
            result = htmlpage.parse(member.html(), member.name, JUNK)
            assert isinstance(result, (RawStory, Rejection))
            text = result.body_text if isinstance(result, RawStory) else ""
            gold = extraction.gold_text(member)
            if gold:
                counts.append(extraction.page_counts(text, gold))
        scores[name] = extraction.prf(counts)[2]
    assert scores["newspaper4k"] >= 0.95, scores
    assert scores["l3s"] >= 0.85, scores
    assert scores["dragnet"] >= 0.87, scores


# Nothing executes in Chromium ---------------------------------------------------------------


def test_hostile_bodies_run_nothing_in_chromium(browser, tmp_path):
    """Every hostile page's safe body, in a page of its own: no dialog, no script error,
    no request anywhere (file:// pages with no scripts of their own)."""
    bodies = []
    for data in [fixture("hostile.html"), fixture("article.html")] + [
        ARTICLE.replace("<article>", f"<article>{payload}").encode()
        for payload in (
            "<p><img src=x onerror=alert(1)>x</p>",
            "<p><a href='javascript:alert(2)'>x</a></p>",
            "<svg><script>alert(3)</script></svg>",
            "<p><iframe srcdoc='<script>alert(4)</script>'></iframe></p>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(5)>",
            "<p><a href='&#106;avascript:alert(6)'>x</a></p>",
            "<noscript><p title='</noscript><img src=x onerror=alert(7)>'></noscript>",
        )
    ]:
        result = parse(data)
        if isinstance(result, RawStory):
            bodies.append(result.html_body)
    assert len(bodies) >= 8
    events = []
    context = browser.new_context(java_script_enabled=True)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: (events.append(f"dialog {dialog.message}"), dialog.dismiss()))
    tab.on("pageerror", lambda error: events.append(f"error {error}"))
    tab.on("request", lambda request: events.append(f"request {request.url}"))
    for index, body in enumerate(bodies):
        path = tmp_path / f"body{index}.html"
        path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", "utf-8")
        events.clear()
        tab.goto(path.as_uri())
        tab.wait_for_timeout(100)
        for link in tab.query_selector_all("a"):
            href = link.get_attribute("href") or ""
            assert href.startswith(("https:", "http:", "mailto:")), href
        outside = [e for e in events if not e.startswith(f"request {path.as_uri()}")]
        assert not outside, (index, outside)
    context.close()


# Through the catalog, as a build reads it -----------------------------------------------------


def test_a_saved_page_in_the_seeds_is_published_like_a_text_story(tmp_path):
    from pelican.plugins.gazette import settings
    from pelican.plugins.gazette.ingest import catalog

    seeds = tmp_path / "seeds" / "culture"
    seeds.mkdir(parents=True)
    (seeds / "2024-03-05-library.html").write_bytes(fixture("article.html"))
    (seeds / "front.html").write_bytes(fixture("section-front.html"))
    (seeds / "2024-03-04-ferry.txt").write_text(f"Night ferry returns\n\n{LEDE}\n", "utf-8")
    config = settings.resolve({"PATH": str(tmp_path)})
    built = catalog.build(config, entries={}, require_ledger=False)
    by_source = {o.source: o for o in built.outcomes}
    page_outcome = by_source["seeds/culture/2024-03-05-library.html"]
    assert page_outcome.status == "published", page_outcome
    story = page_outcome.story
    assert story.kind == "html" and story.section == "Culture"
    assert story.title == "Harbour Town opens its new tidal library"
    assert story.publisher == "The Example Courier"
    assert story.canonical_url == "https://news.example.com/2024/03/05/tidal-library"
    assert story.body_html.startswith('<p><span class="dateline">HARBOUR TOWN (Courier)</span></p>')
    assert_safe(
        story.body_html.replace('<span class="dateline">', "<em>").replace("</span>", "</em>")
    )
    assert by_source["seeds/culture/front.html"].status == "rejected"
    assert by_source["seeds/culture/2024-03-04-ferry.txt"].status == "published"


def test_the_bench_scores_shingles_per_page_normalised():
    sys.path.insert(0, str(BENCH))
    import extraction

    assert extraction.page_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = extraction.page_counts("a b c d e f", "a b c d e")  # 3 shingles vs 2
    assert (tp, fp, fn) == (2 / 3, 1 / 3, 0.0)
    assert extraction.page_counts("", "a b c d") == (0.0, 0.0, 1.0)
    # Each page weighs the same, however long: one perfect page, one empty one.
    long_page = extraction.page_counts(
        " ".join(map(str, range(1000))), " ".join(map(str, range(1000)))
    )
    precision, recall, f1 = extraction.prf([long_page, extraction.page_counts("", "a b c d")])
    assert (precision, recall) == (1.0, 0.5) and abs(f1 - 2 / 3) < 1e-9
