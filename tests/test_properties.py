"""Properties of the per-story pipeline, for any input (Hypothesis).

For any bytes: the result is a story or a rejection, never an exception;
every word published occurs in the input (nothing invented); every word of
the input is published, or listed as removed junk or as a header (nothing
dropped silently).
"""

import re
from collections import Counter
from datetime import UTC, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from pelican.plugins.gazette import settings
from pelican.plugins.gazette.ingest.catalog import PUBLISHED, REJECTED, outcome_of
from pelican.plugins.gazette.ingest.ledger import Entry
from pelican.plugins.gazette.ingest.raw import RawStory, Rejection, parse
from pelican.plugins.gazette.ingest.text import NotText, read_text

CONFIG = settings.resolve({})
ENTRY = Entry(
    "seeds/x.txt", "tag:example.org,2021-01-01:story/1", datetime(2021, 1, 1, tzinfo=UTC), ""
)
WORD = re.compile(r"\w+")

LINES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "",
            "   ",
            "Next Story",
            "Share it",
            " Reuter",
            "REUTER",
            "Read more: x",
            "By Ann Lee",
            "Date: 2021-08-09",
            "Section: World",
            "Topics: A, B",
            "Date: garbage",
            "Source: x",
        ]
    ),
    st.builds(
        "{}{}{} {}".format,
        st.sampled_from(["", "    "]),
        st.sampled_from(["Washington DC", "LONDON", "KABUL, Aug 9", "Paris (AP)", "He said"]),
        st.sampled_from([":", " -", " —", " --", ","]),
        st.text(max_size=60),
    ),
)
RAW_TEXT = st.builds(
    lambda lines, end: end.join(lines),
    st.lists(LINES, max_size=30),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
RAW_BYTES = st.one_of(
    st.binary(max_size=3000),
    RAW_TEXT.map(lambda t: t.encode("utf-8")),
    RAW_TEXT.map(lambda t: t.encode("cp1252", "replace")),
)


def words(*texts) -> Counter:
    return Counter(w.lower() for text in texts if text for w in WORD.findall(text))


def published_words(raw: RawStory) -> Counter:
    return words(raw.title, raw.byline, raw.dateline, *raw.paragraphs)


@given(RAW_BYTES)
@example(b"")
@example(b"\x00")
@example(b"Headline\n\nBy Jo Bloggs\n\nLONDON, March 2 -\n")
def test_any_bytes_give_a_story_or_a_rejection(data):
    raw = parse(data, "seeds/x.txt", CONFIG.junk)
    assert isinstance(raw, RawStory | Rejection)
    if isinstance(raw, Rejection):
        assert raw.reason
        return
    outcome = outcome_of(raw, ENTRY, CONFIG, "seeds")
    assert outcome.status in (PUBLISHED, REJECTED)
    if outcome.status == PUBLISHED:
        story = outcome.story
        assert story.title and story.slug is not None and story.body_html.startswith("<p>")
        assert story.reading_time_minutes >= 1 and story.word_count >= 0
    else:
        assert outcome.reason


@given(RAW_BYTES)
def test_nothing_invented_and_nothing_dropped(data):
    raw = parse(data, "seeds/x.txt", CONFIG.junk)
    if isinstance(raw, Rejection):
        return
    try:
        text, _ = read_text(data)
    except NotText:  # pragma: no cover - parse would have rejected it
        raise AssertionError("parse accepted bytes that are not text") from None
    given_words = words(text)
    published = published_words(raw)
    assert not published - given_words, "published words that are not in the input"
    accounted = published + words(*raw.removed)
    accounted += words(*(f"{name} {value}" for name, value in raw.headers.items()))
    if raw.byline:
        accounted["by"] += 1
    assert not given_words - accounted, "input words that were neither published nor listed"
