"""Writes a redirect page (outputs/redirects.py) at each earlier URL of a story, on
``all_generators_finalized``: the ledger has every slug and date a story's URL was made
of, and ARTICLE_URL and ARTICLE_SAVE_AS make the earlier URLs and files from them."""

import logging
import os

from ..ingest import ledger
from ..machinery import reuse
from ..outputs.redirects import Moved, choose, page
from ..settings import value

log = logging.getLogger(__name__)


def write_all(generators) -> None:
    articles = next((g for g in generators if hasattr(g, "articles")), None)
    if articles is None or not value(articles.settings, "GAZETTE_REDIRECTS"):
        return
    settings = articles.settings
    path = os.path.join(settings["PATH"], value(settings, "GAZETTE_LEDGER"))
    try:
        entries = _entries(path)
    except ledger.LedgerError as err:  # the catalog has said so already, louder
        log.warning("gazette: redirects: none written: %s", err)
        return
    finally:
        if not reuse.enabled():  # what the ledger module keeps of it (10 MB at 20,000)
            ledger.forget()
    moved = earlier_urls(articles.articles, entries, settings)
    chosen = choose(moved, taken(generators)) if moved else []  # most builds: nothing moved
    site, out = settings["SITEURL"], settings["OUTPUT_PATH"]
    lang = settings.get("DEFAULT_LANG") or "en"
    for each in chosen:
        target = os.path.join(out, each.save_as)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as written:
            written.write(page(each, site, settings["SITENAME"], lang))
    if chosen:
        log.info("gazette: redirects: %d earlier story URLs lead to their stories", len(chosen))
    unrecorded(articles.articles, entries)


def unrecorded(articles, entries) -> None:
    """Say so when stories are at a URL the ledger has not recorded: a headline (or
    date) changed since ``gazette ingest``. Their old URLs still redirect, but should
    the URL change again before an ingest, a link to this one would break."""
    changed = 0
    for article in articles:
        story = getattr(article, "story", None)
        entry = entries.get(story.source) if story is not None else None
        if entry is not None and entry.addresses and _elsewhere(entry.addresses[-1], article):
            changed += 1
    if changed:
        log.warning(
            "gazette: redirects: %d %s at a URL the ledger has not recorded (a headline "
            "or date changed since `gazette ingest`): run `gazette ingest` so that a link "
            "to it keeps working after the next change",
            changed,
            "story is" if changed == 1 else "stories are",
        )


def _entries(path: str):
    """The ledger's entries; in the dev server's warm builds, those of the last build
    while the file is the same (20,000 lines take about 0.1 s to read)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return {}
    key = (path, info.st_ino, info.st_size, info.st_mtime_ns)
    memo = reuse.carried("ledger entries")
    entries = memo.take(key)
    if entries is None:
        entries = ledger.load(path)
        memo.put(key, entries)
    return entries


def earlier_urls(articles, entries, settings) -> list[Moved]:
    """Every URL a story had before the one it has now, from its ledger entry."""
    url, save_as = str(settings["ARTICLE_URL"]), str(settings["ARTICLE_SAVE_AS"])
    moved = []
    for article in articles:
        story = getattr(article, "story", None)
        entry = entries.get(story.source) if story is not None else None
        if entry is None or not any(_elsewhere(a, article) for a in entry.addresses):
            continue  # most stories: never moved (no URLs made, no copy of the metadata)
        fields = article.url_format  # a copy: the story's own category, language, ...
        for address in entry.addresses:
            fields.update(slug=address.slug, date=address.date)
            where = save_as.format(**fields)
            if where != article.save_as:
                moved.append(
                    Moved(
                        where,
                        url.format(**fields),
                        address.since,
                        story.source,
                        article.url,
                        story.title,
                    )
                )
    return moved


def _elsewhere(address, article) -> bool:
    """Whether ``address`` may make another URL than the story's now: another slug, or a
    date that prints otherwise (another instant, or the same one at another UTC offset),
    compared without printing either (twice a story, every build)."""
    when, then = article.date, address.date
    return address.slug != article.slug or then != when or then.utcoffset() != when.utcoffset()


def taken(generators) -> set[str]:
    """The files this build writes for pages of its own: a redirect never replaces one."""
    files = set()
    for generator in generators:
        for name in ("articles", "translations", "pages", "hidden_pages", "hidden_translations"):
            files.update(c.save_as for c in getattr(generator, name, ()) or ())
    gazette = next((g.context.get("gazette") for g in generators if hasattr(g, "context")), None)
    for edition in gazette.editions if gazette is not None else ():
        files.add(edition.save_as)
        files.update(page.save_as for part in edition.sections for page in part.pages)
    return files
