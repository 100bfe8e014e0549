"""A first build's social cards drawn from the catalog (glue/cards.py ``draw_early``).

The catalog's stories foretell each card (headline, section, the date as Pelican's
DEFAULT_DATE_FORMAT shows it); a second process draws them into the cache while
Pelican makes its articles. ``write`` then links into the output the ones the build
wants, draws what the catalog did not foretell, and the cache keeps no card no story
uses. The output is the same as if every card were drawn at ``write``.
"""

import re
import sys
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from pelican.plugins.gazette.glue import cards as card_glue
from pelican.plugins.gazette.machinery import parallel
from pelican.plugins.gazette.outputs import cards

SITE = "The Gazette Digest"
pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="background work is forked on Linux only"
)


def stories(count: int) -> list:
    return [
        SimpleNamespace(
            title=f"Ferry timetable {n} changes for the winter",
            section="Local",
            date=datetime(2024, 5, 2, 9, n % 60, tzinfo=UTC),
            image=None,
        )
        for n in range(count)
    ]


def settings_for(tmp_path) -> dict:
    return {
        "PATH": str(tmp_path / "content"),
        "OUTPUT_PATH": str(tmp_path / "out"),
        "GAZETTE_CACHE_PATH": ".cache",
        "GAZETTE_PARSE_WORKERS": 2,
        "DEFAULT_DATE_FORMAT": "%-d %B %Y",
        "DATE_FORMATS": {},
        "TIMEZONE": "UTC",
        "SITENAME": SITE,
    }


def wanted_cards(told: list) -> dict:
    texts = [cards.CardText(s.title, s.section, "2 May 2024", SITE) for s in told]
    return {cards.key(text): text for text in texts}


def test_the_catalogs_cards_are_drawn_early_and_the_output_has_exactly_the_wanted(tmp_path, caplog):
    told = stories(parallel.MIN_ITEMS + 30)
    settings = settings_for(tmp_path)
    card_glue.draw_early(
        SimpleNamespace(settings=settings, catalog=SimpleNamespace(stories=lambda: told))
    )
    # the build wants all but the last ten, and five the catalog did not foretell
    unforetold = [
        SimpleNamespace(title=f"Late edit {n}", section="Local", date=None, image=None)
        for n in range(5)
    ]
    wanted = wanted_cards(told[:-10] + unforetold)
    cache, output = card_glue.cache_folder(settings), tmp_path / "out"
    with caplog.at_level("INFO"):
        card_glue.write(wanted, cache, str(output), settings)
        parallel.wait_for_background()
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    said = re.search(
        r"(\d+) from the cache, (\d+) drawn \(\d+ in the background, (\d+) of", caplog.text
    )
    cached, drawn, early = map(int, said.groups())
    assert cached + early == len(told) - 10  # drawn already, or being drawn, since the catalog
    assert drawn - early == len(unforetold)  # at ``write``
    names = {card_glue.file_name(key) for key in wanted}
    assert {p.name for p in (output / "cards").iterdir()} == names
    assert {p.name for p in tmp_path.joinpath("content", ".cache", "cards").iterdir()} == names
    for key, text in list(wanted.items())[:: len(wanted) // 6]:
        assert (output / "cards" / card_glue.file_name(key)).read_bytes() == cards.draw(text)


def test_a_date_format_per_language_draws_nothing_early(tmp_path):
    """Pelican applies DATE_FORMATS by each article's language: the catalog cannot foretell
    those dates, so its cards wait for the articles."""
    settings = {**settings_for(tmp_path), "DATE_FORMATS": {"fr": "%d/%m/%Y"}}
    told = stories(parallel.MIN_ITEMS + 30)
    card_glue.draw_early(
        SimpleNamespace(settings=settings, catalog=SimpleNamespace(stories=lambda: told))
    )
    parallel.wait_for_background()
    assert not tmp_path.joinpath("content", ".cache", "cards").exists()
