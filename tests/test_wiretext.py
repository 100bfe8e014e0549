"""Raw text as publishers really have it: datelines, agencies, bylines, notes, junk anywhere.

Every sentence here is invented; the real sources are read at run time by test_corpora.py.
"""

import re

import pytest

from pelican.plugins.gazette.ingest.boilerplate import DEFAULT_JUNK_PATTERNS, compile_patterns
from pelican.plugins.gazette.ingest.headlines import compile_suffixes, strip_suffix
from pelican.plugins.gazette.ingest.raw import RawStory, parse

JUNK = compile_patterns(DEFAULT_JUNK_PATTERNS)


def story(text: str) -> RawStory:
    result = parse(text.encode(), "seeds/x.txt", JUNK)
    assert isinstance(result, RawStory), result
    return result


def kept_words(raw: RawStory) -> list[str]:
    return " ".join([raw.byline or "", raw.dateline or "", raw.body_text]).split()


@pytest.mark.parametrize(
    ("lede", "dateline", "place", "rest"),
    [
        ("Frankfurt: The bank held rates.", "Frankfurt", "Frankfurt", "The bank"),
        ("Woodcliff Lake, N.J.: <BMW> said sales rose.", "Woodcliff Lake, N.J.", None, "<BMW>"),
        ('EL SEGUNDO, Calif.: "We are done," she said.', "EL SEGUNDO, Calif.", None, '"We'),
        ("KREFELD, West Germany: Output fell.", "KREFELD, West Germany", None, "Output"),
        ("BOSTON, Mass.: 5 people were hurt.", "BOSTON, Mass.", None, "5 people"),
        ("London, March 9: Shares fell.", "London, March 9", "London", "Shares"),
        ("Peking: The talks opened.", "Peking", "Peking", "The talks"),
        ("Basle: Talks ended.", "Basle", "Basle", "Talks"),
        ("Bombay: Rain fell.", "Bombay", "Bombay", "Rain"),
        ("Frankfurt am Main: Rates rose.", "Frankfurt am Main", None, "Rates"),
    ],
)
def test_colon_datelines_in_the_shapes_publishers_write(lede, dateline, place, rest):
    raw = story(f"Headline\n\n{lede}\n")
    assert raw.dateline == dateline
    if place:
        assert raw.place == place
    assert raw.paragraphs[0].startswith(rest)


@pytest.mark.parametrize(
    ("lede", "dateline", "agency", "rest"),
    [
        ("WASHINGTON (Reuters) - The Senate voted.", "WASHINGTON (Reuters)", "Reuters", "The"),
        ("(Reuters) - A court ruled on Friday.", None, "Reuters", "A court"),
        ("New Delhi, Aug 1 (PTI) The minister said.", "New Delhi, Aug 1 (PTI)", "PTI", "The"),
        ("LONDON, England (CNN) -- The rain came.", "LONDON, England (CNN)", "CNN", "The"),
        ("(AP) — The storm hit.", None, "AP", "The storm"),
        ("(AFP) - The team won.", None, "AFP", "The team"),
        ("(IANS) The film opens.", None, "IANS", "The film"),
        ("(ANI) Police said so.", None, "ANI", "Police"),
        (
            "SEATTLE/WASHINGTON (Reuters) - Shares fell.",
            "SEATTLE/WASHINGTON (Reuters)",
            "Reuters",
            "S",
        ),
        (
            "WEST PALM BEACH, Fla (Reuters) - He said.",
            "WEST PALM BEACH, Fla (Reuters)",
            "Reuters",
            "He",
        ),
    ],
)
def test_agency_datelines_give_the_agency_and_leave_the_lede_clean(lede, dateline, agency, rest):
    raw = story(f"Headline\n\n{lede}\n\nMore text.\n")
    assert (raw.dateline, raw.agency) == (dateline, agency)
    assert raw.paragraphs[0].startswith(rest)
    assert f"({agency})" not in raw.paragraphs[0]


@pytest.mark.parametrize(
    "lede",
    [
        "He said: the plan is dead.",
        "Result: Smith 6-3 6-4 Jones.",
        "The Aam Aadmi Party (AAP) said on Monday that it would stand.",
        "Warning: the road is shut.",
        "The company (Reuters) said nothing.",
    ],
)
def test_sentences_stay_text(lede):
    raw = story(f"Headline\n\n{lede}\n")
    assert raw.dateline is None and raw.agency is None
    assert raw.paragraphs[0] == lede


@pytest.mark.parametrize(
    ("opening", "byline"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("By Jane Doe and John Roe, Reuters", "Jane Doe and John Roe, Reuters"),
        ("Jane Doe | Agency", "Jane Doe, Agency"),
        ("Written by Jane Doe", "Jane Doe"),
        ("By . Jane Doe .", "Jane Doe"),
        ("By Jane Doe, Staff Writer", "Jane Doe, Staff Writer"),
        ("By now, the streets were empty and quiet.", None),
    ],
)
def test_byline_lines(opening, byline):
    raw = story(f"Headline\n\n{opening}\n\nThe lede is here.\n")
    assert raw.byline == byline
    if byline is None:
        assert raw.paragraphs[0] == opening


@pytest.mark.parametrize(
    ("lede", "byline", "dateline", "agency"),
    [
        (
            "By Jane Doe WASHINGTON (Reuters) - The vote",
            "Jane Doe",
            "WASHINGTON (Reuters)",
            "Reuters",
        ),
        (
            "By Jane Doe and John Roe NEW YORK (Reuters) - The",
            "Jane Doe and John Roe",
            "NEW YORK (Reuters)",
            "Reuters",
        ),
        ("By Jane Doe (Reuters) - The vote", "Jane Doe", None, "Reuters"),
        ("By A B Roe Beijing, Aug 1 (PTI) China said", "A B Roe", "Beijing, Aug 1 (PTI)", "PTI"),
    ],
)
def test_bylines_run_on_to_the_dateline(lede, byline, dateline, agency):
    raw = story(f"Headline\n\n{lede} so.\n")
    assert (raw.byline, raw.dateline, raw.agency) == (byline, dateline, agency)
    assert not raw.paragraphs[0].startswith(("By", "("))


def test_correction_and_editors_notes_are_kept_apart_from_the_lede():
    raw = story(
        "Headline\n\n(In Dec. 25 story, in second paragraph, corrects name of the office.) "
        "(Eds: Updating with fresh quotes) By Jane Doe (Reuters) - A man said so.\n"
    )
    assert raw.corrections == (
        "In Dec. 25 story, in second paragraph, corrects name of the office.",
    )
    assert raw.byline == "Jane Doe" and raw.agency == "Reuters"
    assert raw.paragraphs == ("A man said so.",)
    assert "(Eds: Updating with fresh quotes)" in raw.removed


def test_time_stamps_above_the_lede_are_taken_off_and_may_date_the_story():
    raw = story(
        "Headline\n\nUpdated: 10:32 IST\nPublished: Aug 1, 2017, 09:00 IST\n\n"
        "The lede. Updated: nothing is taken from here.\n"
    )
    assert raw.paragraphs == ("The lede. Updated: nothing is taken from here.",)
    assert raw.removed == ("Updated: 10:32 IST", "Published: Aug 1, 2017, 09:00 IST")
    assert raw.published == "2017-08-01" and raw.updated is None


def test_whole_junk_lines_anywhere():
    raw = story(
        "Headline\n\nFirst paragraph.\n\nAdvertisement\n\nSecond paragraph.\n\n"
        "Also Read: Another story entirely\n\nRelated: More news\n\n"
        "Featured image via Jane Doe/Getty Images\n\n(HT Photo)\n\nThird paragraph.\n\n"
        "Follow @someone for more\n\nENDS\n"
    )
    assert raw.paragraphs == ("First paragraph.", "Second paragraph.", "Third paragraph.")
    assert len(raw.removed) == 7


def test_a_hard_wrapped_line_that_reads_like_junk_is_the_rest_of_a_sentence():
    raw = story(
        "HEADLINE\n\n    The firm said the copies infringe upon the\n"
        "copyrights and trademarks.\n    It said so again and at length.\n"
    )
    assert "copyrights and trademarks." in raw.body_text
    assert raw.removed == ()


def test_junk_run_on_to_the_last_paragraph_when_line_breaks_were_lost():
    raw = story(
        "Headline\n\nThe actor spoke at length.She will next be seen in a film."
        "Follow @somebody for more\n"
    )
    assert raw.paragraphs == ("The actor spoke at length.She will next be seen in a film.",)
    assert raw.removed == ("Follow @somebody for more",)
    raw = story(
        "Headline\n\nThe rain stopped.(With agency inputs) ALSO READ: One headline | Two more"
        "ALSO READ: Another headline\n"
    )
    assert raw.paragraphs == ("The rain stopped.",)
    assert len(raw.removed) == 3


def test_a_link_glued_into_the_text_goes_up_to_the_glue_and_no_further():
    raw = story(
        "Headline\n\nThe team won.READ | Captain hails a great winThe coach said it was "
        "a fine day. Fans agreed.\n"
    )
    assert raw.paragraphs == ("The team won. The coach said it was a fine day. Fans agreed.",)
    assert raw.removed == ("READ | Captain hails a great win",)


def test_a_related_link_followed_by_more_story_is_left_alone():
    text = "The team won. READ | Captain hails a win. The coach said it was a fine day."
    raw = story(f"Headline\n\n{text}\n")
    assert raw.paragraphs == (text,)


def test_wire_credits_and_correction_footnotes_become_metadata():
    raw = story("Headline\n\nPrices rose. (Reporting by Jane Doe; Editing by John Roe)\n")
    assert raw.credits == ("Reporting by Jane Doe; Editing by John Roe",)
    assert raw.paragraphs == ("Prices rose.",)
    raw = story(
        "Headline\n\nThe beach is 12 miles away. This article was amended on 3 August 2017. "
        "An earlier version said 20 miles.\n"
    )
    assert raw.corrections == (
        "This article was amended on 3 August 2017. An earlier version said 20 miles.",
    )
    assert raw.paragraphs == ("The beach is 12 miles away.",)


def test_embedded_posts_and_pictures_leave_the_words_around_them():
    raw = story(
        "Headline\n\nShe posted a photo. Happy day pic.twitter.com/AbC123xyz? Jane Doe (@jane) "
        "July 29, 2017The fans loved it. A post shared by Jane Doe (@jane.doe) on Jul 29, 2017 "
        "at 12:15pm PDT Then she left.\n"
    )
    assert raw.paragraphs == ("She posted a photo. Happy day The fans loved it. Then she left.",)
    assert len(raw.removed) == 2


def test_sentences_that_mention_junk_words_stay():
    text = (
        "Readers who read more than one paper, and advertisement firms that follow @ signs, "
        "were asked to click here and there. Photographs: none."
    )
    raw = story(f"Headline\n\n{text}\n\nThe end.\n")
    assert raw.paragraphs == (text, "The end.")
    assert raw.removed == ()


@pytest.mark.parametrize(
    ("title", "clean"),
    [
        ("Storm hits coast - BBC News", "Storm hits coast"),
        ("Markets slide | Reuters", "Markets slide"),
        ("A long night – The Guardian", "A long night"),
        ("Trump on Twitter (Dec 28) - Global Warming", None),
        ("Reuters", None),
    ],
)
def test_site_suffixes_come_off_headlines(title, clean):
    raw = story(f"{title}\n\nText.\n")
    if clean is None:
        assert raw.title == title and raw.original_title is None
    else:
        assert raw.title == clean and raw.original_title == title


def test_headline_suffixes_are_configurable():
    suffixes = compile_suffixes(["Daily Planet"])
    assert strip_suffix("Hero saves city - Daily Planet", suffixes) == (
        "Hero saves city",
        "Hero saves city - Daily Planet",
    )
    assert strip_suffix("Markets slide | Reuters", suffixes) == ("Markets slide | Reuters", None)


def test_mojibake_is_repaired_and_quotes_kept():
    raw = story('Itâ€™s the cafÃ©\n\nâ€œQuotedâ€\x9d and "straight" stay.\n')
    assert raw.title == "It’s the café"
    assert raw.paragraphs == ('“Quoted” and "straight" stay.',)
    assert any("mojibake" in w for w in raw.warnings)


def test_nothing_but_the_removed_items_leaves_the_text():
    text = (
        "Headline\n\nBy Jane Doe WASHINGTON (Reuters) - The vote passed.\n\nAdvertisement\n\n"
        "The second paragraph stands.(With agency inputs)\n"
    )
    raw = story(text)
    kept = " ".join([raw.title, *kept_words(raw), *raw.removed])
    assert sorted(re.findall(r"\w+", text)) == sorted(re.findall(r"\w+", kept + " By"))


LEDE = (
    "The council voted on Tuesday to close the old harbour bridge for six months of repairs, "
    "officials said after a long meeting."
)


@pytest.mark.parametrize(
    "opening",
    [f"WASHINGTON (Reuters) - {LEDE}", f"Washington DC: {LEDE}", f"(AFP) - {LEDE}", LEDE * 4],
)
def test_a_file_that_opens_with_its_lede_gets_the_ledes_first_words_as_headline(opening):
    """Wire copy scraped without its title: a first line of 20 words or more that opens with
    a dateline, or is longer than any headline, is the lede; no word of it is lost."""
    raw = story(f"{opening}\n\nThe work starts in May, a spokesman said.\n")
    assert raw.title == " ".join(LEDE.split()[:12])
    assert raw.paragraphs[0] == opening[opening.index(LEDE) :]
    assert raw.paragraphs[1].startswith("The work starts in May")
    assert any("no headline" in warning for warning in raw.warnings)


@pytest.mark.parametrize(
    "headline",
    [
        "Kabul: the city that fell",  # a dateline's shape, a headline's length
        "WASHINGTON (Reuters) - Senate passes the budget",
        "Senate passes a budget that keeps the government open through the end of the year "
        "after a long night of votes on amendments",  # long, but no dateline
    ],
)
def test_a_headline_that_looks_like_a_dateline_stays_the_headline(headline):
    raw = story(f"{headline}\n\n{LEDE}\n")
    assert raw.title == headline and raw.paragraphs == (LEDE,)
    assert not raw.warnings
