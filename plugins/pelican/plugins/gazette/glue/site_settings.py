"""Settings Gazette needs from any Pelican site, filled in on ``initialized``.

A stock site (pelican-quickstart's settings) lacks some of them, and has
Pelican's own feeds on, which would write files Gazette writes too.
- Gazette's own ``GAZETTE_*`` defaults (settings.py).
- ``CATEGORIES_URL``, ``TAGS_URL``, ``ARCHIVES_URL``, ``AUTHORS_URL``: Pelican has
  no default for them; each comes from its ``*_SAVE_AS`` (Pelican's default:
  ``categories.html`` and so on), without a trailing ``index.html``.
- Pelican's feeds: left at Pelican's defaults they are turned off (Gazette
  writes feeds/all.atom.xml and the rest); set by the user to anything else,
  the build stops with a message that names the setting.
- ``ARTICLE_EXCLUDES``, ``PAGE_EXCLUDES``, ``STATIC_EXCLUDES``: Gazette's cache folder
  (GAZETTE_CACHE_PATH, relative to PATH) is none of Pelican's content: with
  ``STATIC_PATHS = [""]`` Pelican would publish it.
- Pelican's period archives (``DAY_ARCHIVE_SAVE_AS`` and the others) at the daily
  editions' files (GAZETTE_EDITION_SAVE_AS) stop the build with a message naming both:
  Pelican would fail on the second write of each day's page.
- ``JINJA_FILTERS``: ``counted`` (outputs/wording.py), which words every count the
  theme prints; a filter of the site's own by that name wins.
"""

import logging
import os
from datetime import datetime

from pelican.settings import DEFAULT_CONFIG

from ..outputs.wording import counted
from ..settings import apply_defaults, value

log = logging.getLogger(__name__)

PELICAN_FEEDS = (
    "FEED_ATOM",
    "FEED_RSS",
    "FEED_ALL_ATOM",
    "FEED_ALL_RSS",
    "CATEGORY_FEED_ATOM",
    "CATEGORY_FEED_RSS",
    "TAG_FEED_ATOM",
    "TAG_FEED_RSS",
    "AUTHOR_FEED_ATOM",
    "AUTHOR_FEED_RSS",
    "TRANSLATION_FEED_ATOM",
    "TRANSLATION_FEED_RSS",
)
DIRECT_PAGES = ("CATEGORIES", "TAGS", "ARCHIVES", "AUTHORS")


class SettingsClash(Exception):
    """A setting of the site's that Gazette cannot work with; the message names it."""


def prepare(pelican) -> None:
    """``initialized``: fill in what Gazette needs; stop on a clash."""
    settings = pelican.settings
    exclude_cache(settings)  # first: the catalog's walk (in apply_defaults) reads the excludes
    apply_defaults(pelican)
    fill_index_urls(settings)
    turn_off_pelican_feeds(settings)
    check_period_archives(settings)
    settings["JINJA_FILTERS"] = {"counted": counted, **(settings.get("JINJA_FILTERS") or {})}


def fill_index_urls(settings: dict) -> None:
    for name in DIRECT_PAGES:
        if settings.get(f"{name}_URL") is None:
            save_as = settings.get(f"{name}_SAVE_AS") or f"{name.lower()}.html"
            settings[f"{name}_URL"] = save_as.removesuffix("index.html")


def exclude_cache(settings: dict) -> None:
    """Gazette's cache folder, when it is inside PATH, in each of Pelican's excludes."""
    path = settings.get("PATH") or "."
    cache = value(settings, "GAZETTE_CACHE_PATH")
    if not cache or not isinstance(cache, str) or not isinstance(path, str):
        return  # none, or a wrong type that apply_defaults names
    folder = os.path.relpath(os.path.join(path, cache), path).replace(os.sep, "/")
    if folder == ".." or folder.startswith("../"):
        return
    for name in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES"):
        excludes = list(settings.get(name) or [])
        if folder not in excludes:
            settings[name] = [*excludes, folder]


PERIOD_ARCHIVES = ("YEAR_ARCHIVE_SAVE_AS", "MONTH_ARCHIVE_SAVE_AS", "DAY_ARCHIVE_SAVE_AS")


def check_period_archives(settings: dict) -> None:
    """SettingsClash when a period archive of Pelican's is written where the day's edition
    is: both are made from a date only, so one day shows it."""
    day = datetime(2001, 2, 3)
    edition = _formatted(value(settings, "GAZETTE_EDITION_SAVE_AS"), day)
    for name in PERIOD_ARCHIVES:
        if edition and _formatted(settings.get(name), day) == edition:
            raise SettingsClash(
                f"{name} = {settings[name]!r} is where gazette writes each day's edition "
                "(GAZETTE_EDITION_SAVE_AS): the edition is the day's page; set "
                f"{name} = '' or move one of them"
            )


def _formatted(save_as, day) -> str | None:
    """A date's file name, normalised; None for none or one made from more than a date."""
    if not save_as or not isinstance(save_as, str):
        return None
    try:
        return os.path.normpath(save_as.format(date=day))
    except (KeyError, IndexError, ValueError, AttributeError):
        return None


def turn_off_pelican_feeds(settings: dict) -> None:
    clashes = []
    for name in PELICAN_FEEDS:
        current = settings.get(name)
        if current is None:
            continue
        if current == DEFAULT_CONFIG.get(name):
            settings[name] = None  # Pelican's default: Gazette writes the feeds instead
        else:
            clashes.append(f"{name} = {current!r}")
    if clashes:
        raise SettingsClash(
            "gazette writes the site's feeds (feeds/all.atom.xml, feeds/section/…, "
            "feeds/topic/…); Pelican's own feeds would write beside or over them. Set "
            "these to None in your settings: " + ", ".join(clashes)
        )
