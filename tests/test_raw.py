"""Parsing one raw file: headline, headers, byline, dateline, paragraphs, junk."""

import pytest

from helpers import SAMPLE
from pelican.plugins.gazette.ingest.boilerplate import DEFAULT_JUNK_PATTERNS, compile_patterns
from pelican.plugins.gazette.ingest.raw import RawStory, Rejection, parse

JUNK = compile_patterns(DEFAULT_JUNK_PATTERNS)


def story(text: str | bytes, source: str = "seeds/x.txt") -> RawStory:
    result = parse(text.encode() if isinstance(text, str) else text, source, JUNK)
    assert isinstance(result, RawStory), result
    return result


def rejection(data: bytes) -> Rejection:
    result = parse(data, "seeds/bad.txt", JUNK)
    assert isinstance(result, Rejection), result
    return result


def test_sample_article():
    raw = story(SAMPLE.read_bytes())
    assert raw.title == "US signals no change in airstrikes as Afghan Taliban advance"
    assert raw.dateline == "Washington DC"
    assert raw.place == "Washington DC"
    assert raw.paragraphs[0].startswith("The United States showed no sign Monday")
    assert raw.removed == ("Next Story", "Share it")
    assert "Next Story" not in raw.body_text and "Share it" not in raw.body_text
    assert raw.paragraphs[-1].endswith("despite the Taliban's rapid strategic gains.")
    assert len(raw.paragraphs) == 10
    # Kept as written: the sample's unbalanced quote stays.
    assert 'or not," by Afghans' in raw.body_text


@pytest.mark.parametrize(
    ("lede", "dateline", "place"),
    [
        ("SALVADOR, Feb 26 - Showers fell.", "SALVADOR, Feb 26", "SALVADOR"),
        ("WASHINGTON (AP) — The Senate voted.", "WASHINGTON (AP)", "WASHINGTON"),
        ("LONDON (Reuters) - Shares rose.", "LONDON (Reuters)", "LONDON"),
        ("NEW YORK, March 3 (Reuters) - Oil fell.", "NEW YORK, March 3 (Reuters)", "NEW YORK"),
        ("WEST HARTFORD, Conn., Feb 26 - Profit rose.", "WEST HARTFORD, Conn., Feb 26", None),
        ("AMSTERDAM, 2 March - Rates held.", "AMSTERDAM, 2 March", "AMSTERDAM"),
        ("Kabul: Fighting resumed.", "Kabul", "Kabul"),
        ("Paris, France: The strike ended.", "Paris, France", "Paris, France"),
        ("KUNDUZ: The city fell.", "KUNDUZ", "KUNDUZ"),
    ],
)
def test_dateline_forms(lede, dateline, place):
    raw = story(f"Headline\n\n{lede}\n\nSecond paragraph.\n")
    assert raw.dateline == dateline
    if place:
        assert raw.place == place
    assert not raw.paragraphs[0].startswith(dateline)


@pytest.mark.parametrize(
    "lede",
    [
        "He said: the plan is dead.",
        "Result: Smith 6-3 6-4 Jones.",
        "Space Quest: The Return is a fine game, critics say.",
        "A new film, Monsters: Origins, opens on Friday.",
        "Shares fell - and then recovered.",
        "Note: prices are in dollars.",
    ],
)
def test_sentences_with_colons_or_dashes_are_not_datelines(lede):
    raw = story(f"Headline\n\n{lede}\n")
    assert raw.dateline is None
    assert raw.paragraphs[0] == lede


def test_editor_headers_and_byline():
    raw = story(
        "Date: 2021-08-09\nSection: World\nTopics: Kabul, Taliban\nSource: Wire\n\n"
        "Headline here\n\nBy Jane Doe, Reuters\n\nKABUL, Aug 9 - Text.\n"
    )
    assert raw.headers == {
        "date": "2021-08-09",
        "section": "World",
        "topics": "Kabul, Taliban",
        "source": "Wire",
    }
    assert raw.title == "Headline here"
    assert raw.byline == "Jane Doe, Reuters"
    assert raw.dateline == "KABUL, Aug 9"


@pytest.mark.parametrize(
    ("opening", "byline"),
    [
        ("By Jane Doe, Reuters\n\nKABUL, Aug 9 - Text.", "Jane Doe, Reuters"),
        ("By Jane Doe\nKABUL, Aug 9 - Text.", "Jane Doe"),  # no blank line after it
        ("BY JANE DOE AND JOHN ROE\n\nText.", "JANE DOE AND JOHN ROE"),
        (
            "by Mary-Ann O'Neill and Ali bin Said, AP\n\nText.",
            "Mary-Ann O'Neill and Ali bin Said, AP",
        ),
        ("By noon, the streets were empty.\n\nText.", None),
        ("By Monday the talks had failed\n\nText.", None),
        ("By Tony Blair.\n\nText.", None),
    ],
)
def test_bylines(opening, byline):
    raw = story(f"Headline\n\n{opening}\n")
    assert raw.byline == byline
    if byline is None:
        assert raw.paragraphs[0].startswith(opening.split("\n")[0].strip())


def test_hard_wrapped_wire_paragraphs_are_joined():
    raw = story(
        "HEADLINE\n\n"
        "    LONDON, March 2 - The first paragraph is wrapped at seventy\n"
        "columns by the wire and goes on over several lines of text\n"
        "until it ends here.\n"
        "    The second paragraph starts with an indent and is also\n"
        "wrapped across lines until it stops.\n"
        " Reuter\n"
    )
    assert raw.dateline == "LONDON, March 2"
    assert raw.paragraphs == (
        "The first paragraph is wrapped at seventy columns by the wire and goes on "
        "over several lines of text until it ends here.",
        "The second paragraph starts with an indent and is also wrapped across lines "
        "until it stops.",
    )
    assert raw.removed == ("Reuter",)


def test_short_lines_keep_their_breaks():
    raw = story("RESULTS\n\n    Shr 28 cts vs 22 cts\n    Net 1.2 mln vs 1.0 mln\n")
    assert raw.paragraphs == ("Shr 28 cts vs 22 cts\nNet 1.2 mln vs 1.0 mln",)


def test_trailing_junk_is_removed_but_genuine_text_stays():
    raw = story(
        "Headline\n\nFirst paragraph.\n\nRead more about this in our guide to the budget.\n\n"
        "Read more\n\nAlso read: Another story entirely\n\nFollow us on Twitter\n\nShare it\n"
    )
    assert raw.removed == (
        "Read more",
        "Also read: Another story entirely",
        "Follow us on Twitter",
        "Share it",
    )
    # A sentence that starts like junk but is the story's last paragraph... is junk only
    # when it is a whole junk line; this one is text followed by junk and stays.
    assert raw.paragraphs[-1] == "Read more about this in our guide to the budget."


def test_whole_junk_lines_go_wherever_they_are():
    raw = story("Headline\n\nNext Story\n\nThe real last paragraph.\n")
    assert raw.paragraphs == ("The real last paragraph.",)
    assert raw.removed == ("Next Story",)


def test_wire_signoff_on_the_last_line():
    raw = story("HEADLINE\n\nProfits rose 5 pct in the year. REUTER\n")
    assert raw.paragraphs == ("Profits rose 5 pct in the year.",)
    assert raw.removed == ("REUTER",)


def test_crlf_cr_bom_and_nfc():
    raw = story(b"\xef\xbb\xbfHeadline\r\n\r\nCafe\xcc\x81 opens.\r\rSecond.\r\n")
    assert raw.title == "Headline"
    assert raw.paragraphs == ("Café opens.", "Second.")


def test_control_and_invisible_characters_are_removed():
    raw = story("Head\x07line\n\nText\u202ewith\u200b marks\x1b.\n")
    assert raw.title == "Headline"
    assert raw.paragraphs == ("Textwith marks.",)


def test_character_references_from_scrapers_are_decoded():
    raw = story(
        "Spurs bid &#163;8m for AT&amp;T R&D unit\n\nIt&#x27;s &lt;b&gt; AT&T &nbsp;x&#3;.\n"
    )
    assert raw.title == "Spurs bid £8m for AT&T R&D unit"
    assert raw.paragraphs == ("It's <b> AT&T \xa0x.",)


def test_cp1252_fallback_warns():
    raw = story(b"Price rise\n\nIt costs \xa3100 \x96 more.\n")
    assert raw.paragraphs == ("It costs £100 – more.",)
    assert raw.warnings and "cp1252" in raw.warnings[0]


def test_no_blank_line_after_headline():
    raw = story(
        "A headline with no blank line\n"
        "The first paragraph is one long line of text, longer than a wire line would be, "
        "as scrapers write it.\n"
        "The second paragraph is another long line of text, again longer than any wire "
        "would wrap it.\n"
    )
    assert raw.title == "A headline with no blank line"
    assert len(raw.paragraphs) == 2


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n\t \r\n", "empty file"),
        (b"Headline\x00\x01\x02binary", "binary file"),
        (bytes(range(128, 256)) * 40, "binary file"),
        (b"Only a headline\n\n", "headline only"),
        (b"Next Story\n\nShare it\n", "headline only"),
        (b"Date: 2021-01-01\n\n", "only header lines"),
        (
            b"Date: 2021-01-01\nDATE: 2021-01-02\n\nHeadline\n\nText.",
            "Date: header line is given twice",
        ),
        (b"x" * 5000, "too long for a headline"),
        (b"Headline\n\nLONDON, March 2 -\n", "dateline only"),
    ],
)
def test_bad_input_is_rejected_with_a_reason(data, reason):
    assert reason in rejection(data).reason


BRIDGE = (
    "The council voted on Tuesday to close the old harbour bridge for repairs, officials said."
    "\n\nThe work will take six months, a spokesman said.\n"
)


def test_pelicans_metadata_names_are_the_same_header_lines():
    """Title, Category, Tags and Author(s), as a Pelican site writes its metadata, are the
    headline, Section, Topics and Byline."""
    gazette = story(
        "Date: 2024-01-02\nSection: Local\nTopics: Bridges, Council\nByline: Jane Doe\n\n"
        "Bridge closes for repairs\n\n" + BRIDGE
    )
    pelican = story(
        "Title: Bridge closes for repairs\nDate: 2024-01-02\nCategory: Local\n"
        "Tags: Bridges, Council\nAuthor: Jane Doe\n\n" + BRIDGE
    )
    assert pelican == gazette
    assert story("Authors: Jane Doe\n\nBridge closes for repairs\n\n" + BRIDGE).byline == "Jane Doe"
    twice = rejection(b"Author: Jane Doe\nByline: John Roe\n\nBridge\n\n" + BRIDGE.encode())
    assert "given twice" in twice.reason


def test_a_markdown_heading_mark_is_not_part_of_the_headline():
    assert story("# Bridge closes for repairs\n\n" + BRIDGE).title == "Bridge closes for repairs"
    assert story("#Bridges of the city\n\n" + BRIDGE).title == "#Bridges of the city"  # a hashtag


@pytest.mark.parametrize(
    ("codec", "bom", "warned"),
    [
        ("utf-16-le", b"\xff\xfe", False),  # what Windows Notepad saves as "Unicode"
        ("utf-16-be", b"\xfe\xff", False),
        ("utf-32-le", b"\xff\xfe\x00\x00", False),
        ("utf-16-le", b"", True),  # no byte order mark: found by its NUL bytes
    ],
)
def test_a_utf16_or_utf32_file_reads_as_its_utf8_twin(codec, bom, warned):
    text = SAMPLE.read_text(encoding="utf-8").replace("United States", "United States’")
    twin, wide = story(text), story(bom + text.encode(codec))
    assert (wide.title, wide.dateline, wide.paragraphs) == (
        twin.title,
        twin.dateline,
        twin.paragraphs,
    )
    assert any("byte order mark" in w for w in wide.warnings) == warned


@pytest.mark.parametrize(
    ("start", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"),
        (b"{\\rtf1\\ansi\\deff0 ", "an RTF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
    ],
)
def test_a_file_of_another_kind_is_rejected_as_what_it_is(start, kind):
    """A document or image saved under an article's name: its first bytes say what it is,
    though the rest may decode as text (an RTF, a small PDF)."""
    reason = rejection(start + b"Headline words\n\nBody words of the file.\n").reason
    assert kind in reason and "not text" in reason
