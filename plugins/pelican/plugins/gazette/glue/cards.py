"""Social card images on Pelican's signals: every story page shares with a picture.

``attach(generator)`` runs on ``article_generator_finalized``, before the digest
makes the structured data: each story gets ``social_image``, its own image (a
saved page's og:image) or else its card (outputs/cards.py) at
``cards/<key>.png``, and the context gets ``site_card`` for every other page.
A card's file name is the hash of what draws it, so the same story gives the
same card, and a card is drawn once: into GAZETTE_CACHE_PATH/cards/, from where
every build links (else copies) it into the output, or, in a changes-only build
(GAZETTE_CHANGES_ONLY, the dev server), leaves the previous output's link to it
in place and lists it as kept. With many to draw (a first build) they are drawn
by a second process, which the build joins once its pages are written: from the
catalog's stories on (``draw_early``, before Pelican has made its articles), and
for any the catalog did not foretell, beside the pages.
GAZETTE_SOCIAL_CARDS = False draws none (stories' own images are still shared).
"""

import contextlib
import logging
import os
import stat
import sys
import time
from dataclasses import dataclass, field
from functools import partial

from pelican.utils import set_date_tzinfo, strftime

from ..machinery import cardfiles, keptfiles, parallel, reuse
from ..outputs import cards
from ..settings import value

log = logging.getLogger(__name__)

FOLDER = "cards"  # in the output and in the cache
file_name = cardfiles.file_name
_early: set[str] = set()  # the keys of this build's cards drawn from the catalog


@dataclass(frozen=True)
class SocialImage:
    """What the head tags and the structured data say of a page's picture."""

    url: str
    alt: str = ""
    width: int | None = None  # known for cards; a story's own image is not fetched
    height: int | None = None
    type: str | None = None
    key: str | None = field(default=None, compare=False, repr=False)  # a card's: cards.key


def attach(generator) -> None:
    """``article_generator_finalized``: every story's ``social_image`` and the context's
    ``site_card``, and the cards they name written into the output."""
    settings = generator.settings
    on = bool(value(settings, "GAZETTE_SOCIAL_CARDS"))
    site, name = settings.get("SITEURL", ""), settings.get("SITENAME", "")
    wanted: dict[str, cards.CardText] = {}

    def card(text: cards.CardText, alt: str) -> SocialImage:
        key = cards.key(text)
        wanted[key] = text
        url = f"{site}/{FOLDER}/{file_name(key)}"
        return SocialImage(url, alt, cards.WIDTH, cards.HEIGHT, "image/png", key)

    for article in generator.articles:
        kept = reuse.recall("card", article)  # a kept story's: the same (settings too)
        if kept is not None:
            article.social_image, card_key, text = kept
            if card_key is not None:
                wanted[card_key] = text
            continue
        story, text = article.story, None
        if story.image:
            article.social_image = SocialImage(story.image)
        else:
            text = cards.CardText(story.title, str(article.category), article.locale_date, name)
            article.social_image = card(text, story.title) if on else None
        image = article.social_image
        card_key = image.key if image is not None else None
        reuse.remember("card", article, (image, card_key, text if card_key else None))
    subtitle = settings.get("SITESUBTITLE") or ""
    site_text = cards.CardText(subtitle, "", "", name)
    alt = f"{name}: {subtitle}" if subtitle else name
    generator.context["site_card"] = card(site_text, alt) if on else None
    if on:
        write(wanted, cache_folder(settings), generator.output_path, settings)


def draw_early(reader) -> None:
    """On the catalog (glue/reader.py ``on_stories``, before its clusters): a first
    build's cards drawn from its stories at once, into the cache, while Pelican makes its
    articles (a core would be idle for that time: 10 s at 20,000 stories). ``write`` then
    links those it wants into the output once they are drawn, and draws what the catalog
    did not foretell (a card's date is the one Pelican's DEFAULT_DATE_FORMAT shows)."""
    _early.clear()
    settings = reader.settings
    cache = cache_folder(settings)
    fmt = settings.get("DEFAULT_DATE_FORMAT")
    if not value(settings, "GAZETTE_SOCIAL_CARDS") or cache is None or not isinstance(fmt, str):
        return
    if settings.get("DATE_FORMATS"):  # each story's language's format: Pelican's to apply
        return
    stories = reader.catalog.stories()
    if _count_cached(cache) + parallel.MIN_ITEMS > len(stories):
        return  # a rebuild: too few can be missing to be worth working out which (0.3 s)
    zone, name = settings.get("TIMEZONE", "UTC"), settings.get("SITENAME", "")
    texts = {}
    for story in stories:
        if not story.image and story.date is not None:
            shown = sys.intern(strftime(set_date_tzinfo(story.date, zone), fmt))  # one a day
            text = cards.CardText(story.title, str(story.section), shown, name)
            texts[cards.key(text)] = text
    todo = [(key, text) for key, text in texts.items() if _cached(cache, key) is None]
    if len(todo) < parallel.MIN_ITEMS:
        return
    os.makedirs(cache, exist_ok=True)
    workers = int(value(settings, "GAZETTE_PARSE_WORKERS"))
    draw_one = partial(cardfiles.draw_one, cache, None)
    if parallel.share_in_background(draw_one, todo, _DRAWING, workers, pure=True):
        _early.update(key for key, _ in todo)


_DRAWING = "drawing the social cards"


def cache_folder(settings: dict) -> str | None:
    cache = value(settings, "GAZETTE_CACHE_PATH")
    return os.path.join(settings.get("PATH", "."), cache, FOLDER) if cache else None


def write(wanted: dict, cache: str | None, output: str, settings: dict) -> None:
    """Every wanted card into the output: the cached ones linked at once, the others
    drawn first, beside the pages when there are many (shared with the build's process)."""
    started = time.perf_counter()
    folder = os.path.join(output, FOLDER)
    os.makedirs(folder, exist_ok=True)
    found = {k: _cached(cache, k) for k in wanted} if cache is not None else {}
    used = {file_name(key) for key in wanted}
    missing = [k for k in wanted if found.get(k) is None]
    previous = _previous_folder(settings)
    kept = []  # cards left in the previous output (changes only)
    if cache is not None:
        os.makedirs(cache, exist_ok=True)
        for key in sorted(wanted.keys() - set(missing)):
            cached, name = os.path.join(cache, file_name(key)), file_name(key)
            if previous is not None and _same_file(os.path.join(previous, name), found[key]):
                kept.append(f"{FOLDER}/{name}")
            else:
                cardfiles.link(cached, os.path.join(folder, name))
        _prune(cache, used)
    if previous is not None:  # what sitebuild.merge must not delete from the previous output
        keptfiles.write_list(output, "cards.json", kept)
    drawing = [(key, wanted[key]) for key in missing if key in _early]
    todo = [(key, wanted[key]) for key in missing if key not in _early]
    if _early:  # drawn (or being drawn) into the cache since the catalog: linked at the end
        parallel.after_background(partial(_link_drawn, cache, folder, drawing, used))
    _early.clear()
    workers = int(value(settings, "GAZETTE_PARSE_WORKERS"))
    beside = len(todo) >= parallel.MIN_ITEMS
    # a child draws from the front while the build renders its pages; the build then
    # draws from the back until none is left (the cards are a first build's longest part)
    draw_one = partial(cardfiles.draw_one, cache, folder)
    shared = beside and parallel.share_in_background(draw_one, todo, _DRAWING, workers, pure=True)
    if not shared:
        cardfiles.draw(todo, cache, folder)
    log.info(
        "gazette: social cards: %d from the cache, %d drawn (%d in the background, "
        "%d of them from the catalog); %.2f s in the build's process",
        len(wanted) - len(missing),
        len(missing),
        len(drawing) + (len(todo) if shared else 0),
        len(drawing),
        time.perf_counter() - started,
    )


def _count_cached(cache: str) -> int:
    """How many cards the cache holds (the last build's: it prunes the others)."""
    try:
        with os.scandir(cache) as entries:
            return sum(1 for _ in entries)
    except OSError:  # no cache yet
        return 0


def _link_drawn(cache: str, folder: str, drawing: list, used: set[str]) -> None:
    """The cards drawn from the catalog, into the output, once all are drawn (one a failed
    child left undrawn is drawn here); those no story wanted leave the cache."""
    for key, text in drawing:
        if _cached(cache, key) is None:
            cardfiles.draw([(key, text)], cache, None)
        cardfiles.link(os.path.join(cache, file_name(key)), os.path.join(folder, file_name(key)))
    _prune(cache, used)


def _previous_folder(settings: dict) -> str | None:
    """The previous output's cards folder, in a changes-only build (else None)."""
    if not (value(settings, "GAZETTE_PAGE_CACHE") and value(settings, "GAZETTE_CHANGES_ONLY")):
        return None
    previous = value(settings, "GAZETTE_PREVIOUS_OUTPUT") or settings["OUTPUT_PATH"]
    return os.path.join(previous, FOLDER)


def _same_file(path: str, other: os.stat_result) -> bool:
    """Whether ``path`` is a hard link to the file ``other`` is of (the very same bytes)."""
    try:
        return os.path.samestat(os.stat(path), other)
    except OSError:  # not there
        return False


def _cached(cache: str, key: str) -> os.stat_result | None:
    """The cached card's file status (stat once: 20,000 cards a build); None if none."""
    try:
        found = os.stat(os.path.join(cache, file_name(key)))
    except OSError:
        return None
    return found if stat.S_ISREG(found.st_mode) else None


def _prune(cache: str, used: set[str]) -> None:
    """Cards no story of this build uses (an edited headline's old card) leave the cache."""
    for name in os.listdir(cache):
        if name.endswith(".png") and name not in used:
            with contextlib.suppress(OSError):
                os.remove(os.path.join(cache, name))
