"""Enrichment: the metadata a story gets from its parsed parts."""

from datetime import UTC, datetime

import pytest

from helpers import SAMPLE
from pelican.plugins.gazette import settings
from pelican.plugins.gazette.ingest.ledger import Entry
from pelican.plugins.gazette.ingest.raw import parse
from pelican.plugins.gazette.ingest.story import StoryError, enrich, plain_text, slugify, summarise
from pelican.plugins.gazette.ingest.summaries import sentence_ends
from pelican.plugins.gazette.ingest.topics import extract

CONFIG = settings.resolve({"TIMEZONE": "Europe/London"})
SEEN = datetime(2021, 8, 10, 6, 0, tzinfo=UTC)
ENTRY = Entry("seeds/x.txt", "tag:gazette.example,2021-08-10:story/abc", SEEN, "sha")


def make(text: str, source: str = "seeds/x.txt", entry=ENTRY, root: str = "seeds"):
    raw = parse(text.encode(), source, CONFIG.junk)
    return enrich(raw, extract(raw.title, raw.paragraphs), entry, CONFIG, root)


def test_sample_metadata():
    story = make(SAMPLE.read_text(), source="seeds/000_63138d52634a9ea7.txt")
    assert story.summary.startswith("The United States showed no sign Monday")
    assert len(story.summary) <= 300
    assert story.slug == "us-signals-no-change-in-airstrikes-as-afghan-taliban-advance"
    assert story.id == ENTRY.id
    assert story.date == SEEN and story.date_source == "ledger"
    assert story.section == "News"
    assert 3 <= len(story.topics) <= 8
    for expected in ("Taliban", "Afghanistan", "Pentagon", "John Kirby"):
        assert expected in story.topics
    for wrong in ("Monday", "It", "The", "When"):
        assert wrong not in story.topics
    assert story.word_count == len(story.body_text.split())
    assert story.reading_time_minutes == 2
    assert '<span class="dateline">Washington DC</span>' in story.body_html
    assert "Next Story" not in story.body_html


def test_body_html_escapes_everything():
    story = make("T\n\n<script>alert(1)</script> & <b>bold</b> *not markdown* # no\n")
    assert "<script>" not in story.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in story.body_html
    assert "*not markdown* # no" in story.body_html


@pytest.mark.parametrize(
    "text",
    [
        SAMPLE.read_text(encoding="utf-8"),
        'A & B <script>\n\nKABUL: Tom\'s "quote" & <T.N> — café, naïve.\nA hard break.\n',
    ],
)
def test_plain_text_gives_back_the_words_of_the_body_html(text):
    story = make(text)
    expected = " ".join([story.dateline or "", story.body_text]).split()
    assert plain_text(story.body_html).split() == expected


def test_date_precedence_header_then_filename_then_ledger():
    dated = make("Date: 2021-08-09 14:30\n\nT\n\nText.\n", source="seeds/2020-01-02-x.txt")
    assert (dated.date.isoformat(), dated.date_source) == ("2021-08-09T14:30:00+01:00", "header")
    named = make("T\n\nText.\n", source="seeds/2020-01-02-x.txt")
    assert (named.date.isoformat(), named.date_source) == ("2020-01-02T00:00:00+00:00", "filename")
    ledgered = make("T\n\nText.\n", source="seeds/000_63138d52634a9ea7.txt")
    assert ledgered.date_source == "ledger"
    unknown = make("T\n\nText.\n", entry=None)
    assert unknown.date is None and unknown.id is None


def test_written_dates_and_bad_dates():
    assert make("Date: 9 August 2021\n\nT\n\nX.\n").date.date().isoformat() == "2021-08-09"
    assert make("Date: August 9, 2021\n\nT\n\nX.\n").date.date().isoformat() == "2021-08-09"
    with pytest.raises(StoryError, match="unreadable Date: header"):
        make("Date: next Tuesday\n\nT\n\nX.\n")


def test_modified_comes_from_a_ledger_revision():
    revised = datetime(2021, 8, 12, tzinfo=UTC)
    entry = Entry("seeds/x.txt", ENTRY.id, SEEN, "sha", revised)
    story = make("T\n\nText.\n", entry=entry)
    assert story.date == SEEN and story.modified == revised
    assert make("T\n\nText.\n").modified == SEEN


def test_section_from_header_folder_or_default():
    assert make("Section: Money\n\nT\n\nX.\n", source="seeds/world/x.txt").section == "Money"
    assert make("T\n\nX.\n", source="seeds/world/x.txt").section == "World"
    assert make("T\n\nX.\n", source="seeds/us-politics/x.txt").section == "Us Politics"
    assert make("T\n\nX.\n", source="seeds/x.txt").section == "News"


def test_editor_byline_and_origin():
    story = make("Byline: Ann Lee\nSource: https://example.org/a\n\nT\n\nX.\n")
    assert story.byline == "Ann Lee"
    assert story.origin == "https://example.org/a"


def test_summary_cuts_at_sentence_or_word():
    long = "First sentence is here and it is long enough to matter. " * 3 + "word " * 80
    cut = summarise(long, 300)
    assert len(cut) <= 300 and cut.endswith("matter.")
    words = summarise("word " * 100, 50)
    assert words.endswith("…") and len(words) <= 50 and "wor…" not in words


def test_slugify():
    assert slugify("Café owners' £5m “deal” — approved!", 80) == "cafe-owners-ps5m-deal-approved"
    assert slugify("北京 欢迎你", 80) == "bei-jing-huan-ying-ni"
    assert len(slugify("word " * 50, 80)) <= 80
    assert slugify("!!!", 80) == ""


def test_the_pages_own_times_come_after_the_header_and_before_the_file_name():
    from dataclasses import replace

    raw = parse(b"T\n\nText.\n", "seeds/2020-01-02-x.txt", CONFIG.junk)
    paged = replace(raw, published="2021-08-09T08:00:00Z", updated="2021-08-11T09:30:00+00:00")
    story = enrich(paged, [], ENTRY, CONFIG, "seeds")
    assert (story.date.isoformat(), story.date_source) == ("2021-08-09T08:00:00+00:00", "page")
    assert story.modified.isoformat() == "2021-08-11T09:30:00+00:00"
    headed = replace(paged, headers={"date": "2021-08-01"})
    assert enrich(headed, [], ENTRY, CONFIG, "seeds").date_source == "header"
    unreadable = replace(raw, published="last Tuesday")
    assert enrich(unreadable, [], ENTRY, CONFIG, "seeds").date_source == "filename"


def test_a_time_stamp_line_above_the_lede_dates_the_story_when_nothing_better_does():
    story = make("T\n\nPublished: 9 August 2021\n\nText.\n", source="seeds/x.txt")
    assert (story.date.date().isoformat(), story.date_source) == ("2021-08-09", "page")
    assert story.paragraphs == ("Text.",)
    assert "Published: 9 August 2021" in story.removed


@pytest.mark.parametrize(
    "lede",
    [
        "The U.S. Senate voted on a bill that Rep. Jane Doe of the Fed wrote with Gen. John Roe "
        "in Jan. 2017, paying Acme Inc. and Mr. Smith much more than the others did then.",
        "Prices at Acme Corp. rose by half in the second quarter of the year while the rest of "
        "the market of the U.K. stood still for months, a fall nobody had expected to see.",
    ],
)
def test_summaries_do_not_end_at_abbreviations(lede):
    # One sentence, longer than the limit: cut at a word (with "…"), never at a stop.
    summary = summarise(lede, 120)
    assert summary.endswith("…")


def test_summaries_end_at_real_sentence_ends_even_glued_ones():
    lede = "The minister spoke to the media on Monday about the plan.The union said it would " + (
        "strike " * 30
    )
    assert summarise(lede, 100) == "The minister spoke to the media on Monday about the plan."
    lede = "Troops left the U.S. The withdrawal, long planned, was over by the end of it all. " * 3
    # "U.S." before "The" ends a sentence; before "Senate" it does not.
    assert summarise(lede, 120).endswith("it all. Troops left the U.S.")
    lede = "Troops left the U.S. Senate. " + "Then the members of it went home and slept. " * 3
    assert summarise(lede, 50) == "Troops left the U.S. Senate."


def test_a_quote_mark_scraping_turned_into_a_question_mark_ends_no_sentence():
    lede = (
        "The mayor said the plan was ?a good start? and that the city would build the road. "
        "Work begins in May. Is it enough? Nobody knows yet, and the council meets again soon."
    )
    ends = [lede[:end].rstrip()[-7:] for end in sentence_ends(lede)]
    assert ends == ["e road.", "in May.", "enough?"]  # not "start?"
    assert summarise("Is it enough? Nobody knows. " * 4, 30) == "Is it enough? Nobody knows."


def test_an_editors_priority_and_lead_headers():
    story = make("Priority: 3\nLead: yes\n\nBridge vote\n\nThe council voted.\n")
    assert story.priority == 3 and story.lead is True
    plain = make("Bridge vote\n\nThe council voted.\n")
    assert plain.priority == 0 and plain.lead is False
    with pytest.raises(StoryError, match="Priority"):
        make("Priority: high\n\nBridge vote\n\nThe council voted.\n")
    with pytest.raises(StoryError, match="Lead"):
        make("Lead: perhaps\n\nBridge vote\n\nThe council voted.\n")


def test_a_story_keeps_its_fields_in_slots_and_copies_and_pickles_whole():
    """A site holds every Story while it builds: no per-story __dict__ (1.3 KB each)."""
    import copy
    import pickle
    from dataclasses import replace

    story = make(SAMPLE.read_text(), source="seeds/000_63138d52634a9ea7.txt")
    assert not hasattr(story, "__dict__")
    assert pickle.loads(pickle.dumps(story)) == story == copy.copy(story)
    assert replace(story, paragraphs=()).title == story.title
    with pytest.raises(AttributeError):
        story.title = "changed"  # still frozen
