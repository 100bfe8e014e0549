"""Pages of the last build, reused when nothing they show has changed.

Story pages are most of a site's pages and most of its build time (rendering,
and creating thousands of files), yet adding one story changes only its own
page, its neighbours' and those that list it under "more on this topic";
likewise only its topics and its section get new list pages. With
``GAZETTE_PAGE_CACHE`` on (the dev server turns it on; publish builds leave
it off, so production output never depends on it), ``CachingWriter`` gives
each story page, each topic's and section's set of (paginated) pages (and
each of those pages its own), each day's edition page and each page of its
sections' day lists a key, and records the keys and the files it wrote in
GAZETTE_CACHE_PATH/pages.json. The feed writer does the same for feeds with
``KeyedFiles`` and feeds.json (feedwriter.py). Pages whose key is the one
recorded last time are not rendered: their files in the previous output
(``GAZETTE_PREVIOUS_OUTPUT``, default the output folder itself) are
hard-linked into the new output, or left there when it is the same folder or
with ``GAZETTE_CHANGES_ONLY`` (the dev server: the new output then holds only
what changed and lists what was kept, for sitebuild.merge).

A key hashes everything the pages show: the story (its whole Story, metadata
and URL) and the stories it links to (neighbours, more on this topic), or a
list's name, URL and stories in order; and the site around them: every theme
template, the plugin's code, the settings, the sections and the hand-written
pages. Same key, same bytes: the build is deterministic. Hard links are safe
because no build writes into an existing file: a changed page goes to a fresh
staging folder as a new file.
"""

import contextlib
import hashlib
import io
import json
import logging
import os
import shutil
from importlib import metadata
from pathlib import Path

from pelican import signals

from ..machinery import keptfiles
from ..settings import value
from . import splitrender
from .internals import RecordingWriter

log = logging.getLogger(__name__)

# The plugin package: every module of it goes into each page key.
PLUGIN = Path(__file__).resolve().parent.parent
MANIFEST = "pages.json"
FEED_MANIFEST = "feeds.json"  # the feed writer's, beside it (feedwriter.py)
# Settings that say where or how this build runs, not what it makes.
_PLACES = {
    "OUTPUT_PATH",
    "PATH",
    "CACHE_PATH",
    "WRITE_SELECTED",
    "GAZETTE_PAGE_CACHE",
    "GAZETTE_PREVIOUS_OUTPUT",
    "GAZETTE_INGEST",
}


def get_writer(pelican):
    """The ``get_writer`` signal: our writer when the page cache is on; else the one that
    renders pages in two processes where it pays (splitrender.py)."""
    if value(pelican.settings, "GAZETTE_PAGE_CACHE"):
        return CachingWriter
    return splitrender.SplitWriter


class CachingWriter(RecordingWriter):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.pages = keyed_files(settings, MANIFEST, output_path)
        self._site_key = None
        self._paged: dict[str, tuple] = {}  # file -> (its page key, kept) of one list's pages
        signals.finalized.connect(self.finish)  # weakly: gone with this build's writer

    def write_file(self, name, template, context, *args, **kwargs):
        key = self._key(name, context, kwargs)
        if key is None:
            return super().write_file(name, template, context, *args, **kwargs)
        kind = "story" if "article" in kwargs else "edition" if "edition" in kwargs else "list"
        if not self.pages.reuse(name, key, kind):
            self.recording, self._paged = [], {}
            if kind == "list":  # a topic's or section's pages: each page by its own key too
                template = _PagedTemplate(template, self, name, kwargs)
            try:
                super().write_file(name, template, context, *args, **kwargs)
                self.pages.wrote(name, key, self.recording, self._paged)
            finally:
                self.recording, self._paged = None, {}
        return None

    def _open_w(self, filename, encoding, override=False):
        if self._paged.get(os.path.abspath(filename), (None, False))[1]:  # kept: not written
            self.recording.append(filename)
            return contextlib.nullcontext(io.StringIO())
        return super()._open_w(filename, encoding, override)

    def _key(self, name, context, kwargs) -> str | None:
        """The key of a story page, a day's edition or one page of a section's day list, or
        of a topic's or section's (paginated) pages; None for any other page, which is
        always rendered."""
        article = kwargs.get("article")
        template = kwargs.get("template_name")
        if self._site_key is None:
            self._site_key = site_key(self.settings, context)
        if article is not None and article.metadata.get("story") is not None:  # a raw story
            return page_key(self._site_key, article)
        if template == "edition" and kwargs.get("edition") is not None:
            return edition_key(self._site_key, kwargs["edition"])
        if template == "edition_section" and kwargs.get("day_page") is not None:
            return day_page_key(self._site_key, name, kwargs)
        if template in ("tag", "category") and "articles" in kwargs:
            term = kwargs.get(template)
            stories = [story_key(a) for a in kwargs["articles"]]
            parts = [self._site_key, template, name, repr((str(term), term.url)), *stories]
            return hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return None

    def finish(self, pelican) -> None:
        self.pages.save()
        counts = self.pages.counts
        log.info(
            "gazette: page cache: %d story pages reused, %d rendered; "
            "%d topics and sections reused, %d rendered; %d editions reused, %d rendered",
            *counts["story"],
            *counts["list"],
            *counts["edition"],
        )


class _PagedTemplate:
    """A list's template, for the pages of one term: a page whose key (its stories, its
    number and neighbours, the term's count) is the one its file had last time is kept,
    not rendered: one edited story renders only the page of each list that shows it."""

    def __init__(self, template, writer: CachingWriter, name: str, kwargs: dict):
        self.template, self.writer, self.name = template, writer, name
        term = kwargs.get(kwargs.get("template_name"))
        feeds = [(f.url, f.type, f.title) for f in getattr(term, "feeds", None) or ()]
        self.shown = [name, str(term), term.url, repr(feeds), len(kwargs["articles"])]

    def render(self, localcontext) -> str:
        page = localcontext.get("articles_page")
        if page is None:
            return self.template.render(localcontext)
        linked = [localcontext.get(f"articles_{side}_page") for side in ("previous", "next")]
        shown = [*self.shown, page.number, page.paginator.num_pages, page.url]
        shown += [other.url if other else None for other in linked]
        parts = [self.writer._site_key, repr(shown), *map(story_key, page.object_list)]
        key = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        path = os.path.abspath(os.path.join(self.writer.output_path, localcontext["output_file"]))
        kept = self.writer.pages.reuse_file(self.name, path, key)
        self.writer._paged[path] = (key, kept)
        return "" if kept else self.template.render(localcontext)


def keyed_files(settings: dict, manifest: str, output_path: str) -> "KeyedFiles":
    """The keyed files of the last build recorded in ``manifest`` (in GAZETTE_CACHE_PATH)."""
    cache = os.path.join(settings["PATH"], value(settings, "GAZETTE_CACHE_PATH"))
    previous = value(settings, "GAZETTE_PREVIOUS_OUTPUT") or output_path
    changes_only = bool(value(settings, "GAZETTE_CHANGES_ONLY"))
    return KeyedFiles(os.path.join(cache, manifest), previous, output_path, changes_only)


class KeyedFiles:
    """The files each keyed write (pages, or a feed's files) made in the last build: its
    key, and each file's size and time then, so a file another build has since replaced
    (``make publish`` into the same folder) is never taken for it."""

    def __init__(self, manifest: str, previous: str, output: str, changes_only: bool = False):
        self.manifest, self.output = manifest, os.path.abspath(output)
        self.previous = os.path.abspath(previous)
        self.changes_only = changes_only  # unchanged files stay in previous (sitebuild.merge)
        self.kept: list[str] = []
        self.pages: dict[str, list] = {}  # this build's: name -> [key, [[file, size, ns]...]]
        self._last_files: dict[str, dict] = {}  # name -> {file: its entry last time}
        kinds = ("story", "list", "edition", "feed")
        self.counts = {kind: [0, 0] for kind in kinds}  # reused, rendered
        try:
            with open(manifest, encoding="utf-8") as stored:
                self.last = json.load(stored)
            if not isinstance(self.last, dict):
                raise ValueError("not a page manifest")
        except (OSError, ValueError):
            self.last = {}

    def reuse(self, name: str, key: str, kind: str = "story") -> bool:
        """Put the last build's files for ``name`` in the output if its key is ``key``."""
        last = self.last.get(name)
        found = isinstance(last, list) and len(last) == 2 and last[0] == key
        if found and self._bring(last[1]):
            self.pages[name] = last
            self.counts[kind][0] += 1
            return True
        self.counts[kind][1] += 1
        return False

    def files_of(self, name: str) -> list[str]:
        """This build's files for ``name`` (reused or written), relative to the output."""
        return [file for file, *_ in self.pages.get(name, (None, []))[1]]

    def reuse_file(self, name: str, path: str, key: str) -> bool:
        """Put the last build's file at ``path`` (one of ``name``'s) in the output if its own
        key (``wrote``'s ``paged``) is ``key``."""
        files = self._last_files.get(name)
        if files is None:  # by file name, once a list: a section may have a thousand pages
            last = self.last.get(name)
            ok = isinstance(last, list) and len(last) == 2 and isinstance(last[1], list)
            listed = [f for f in last[1] if isinstance(f, list) and f] if ok else []
            files = self._last_files[name] = {str(f[0]): f for f in listed}
        found = files.get(os.path.relpath(path, self.output))
        return found is not None and len(found) == 4 and found[3] == key and self._bring([found])

    def wrote(self, name: str, key: str, paths: list[str], paged: dict | None = None) -> None:
        """``paths`` written for ``name`` (or kept: their stamp is the previous output's);
        ``paged``: each file's own key, for a list's pages."""
        files = []
        for path in paths:
            path = os.path.abspath(path)
            page_key, kept = (paged or {}).get(path, (None, False))
            name_of = os.path.relpath(path, self.output)
            where = self.previous if kept else self.output
            files.append([name_of, *stamp(os.path.join(where, name_of))])
            if page_key is not None:
                files[-1].append(page_key)
        self.pages[name] = [key, files]

    def _bring(self, files: list) -> bool:
        """Link (else copy) every file; none at all unless every one is as it was."""
        try:
            if not files or any(stamp(os.path.join(self.previous, f)) != s[:2] for f, *s in files):
                return False  # gone, or written since by a build without the cache
        except (TypeError, ValueError):
            return False  # a damaged manifest entry
        if self.previous == self.output:
            return True
        if self.changes_only:
            self.kept.extend(name for name, *_ in files)
            return True
        brought = []
        try:
            for name, *_ in files:
                source, target = os.path.join(self.previous, name), os.path.join(self.output, name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                try:
                    os.link(source, target)
                except OSError:  # another file system, or links not allowed: copy, with its time
                    shutil.copy2(source, target)
                brought.append(target)
        except OSError:
            for target in brought:  # the pages are rendered instead: no half-linked set
                with contextlib.suppress(OSError):
                    os.remove(target)
            return False
        return True

    def save(self) -> None:
        if self.changes_only:  # what sitebuild.merge must not delete from the previous output
            keptfiles.write_list(self.output, os.path.basename(self.manifest), self.kept)
        save_manifest(self.manifest, self.pages, "page cache")


def save_manifest(path: str, manifest, what: str) -> None:
    """Write a cache's manifest whole or not at all; a failure is only logged: a full disk
    costs the next build's speed, never this one."""
    temporary = path + ".tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as stored:
            # dumps, not dump: only a whole-string encode runs at C speed (5x, 21,000 pages)
            stored.write(json.dumps(manifest, sort_keys=True))
        os.replace(temporary, path)
    except OSError as error:
        log.warning("gazette: %s: cannot save %s: %s", what, path, error)
        with contextlib.suppress(OSError):
            os.remove(temporary)


def stamp(path: str) -> list:
    """A file's size and modification time, or [] when it is not there."""
    try:
        found = os.stat(path)
    except OSError:
        return []
    return [found.st_size, found.st_mtime_ns]


def site_key(settings: dict, context: dict) -> str:
    """What every page shows beyond its own stories: theme, code, settings, navigation."""
    digest = hashlib.sha256()
    theme = Path(settings["THEME"]) / "templates"
    for path in sorted([*theme.rglob("*"), *PLUGIN.rglob("*.py")]):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in ("pelican", "jinja2", "markupsafe"):  # they render the pages too
        digest.update(f"{package} {metadata.version(package)}".encode())
    for name in sorted(settings):
        if name not in _PLACES:
            digest.update(setting_bytes(name, settings[name]))
    gazette = context.get("gazette")  # the masthead's order, when the digest made one
    menu = gazette.menu if gazette else [(c, c.url) for c, _ in context.get("categories", [])]
    sections = [(str(c), url) for c, url in menu]
    pages = [(p.title, p.url) for p in context.get("pages", [])]
    digest.update(repr((sections, pages)).encode())
    return digest.hexdigest()


def page_key(site: str, article) -> str:
    linked = [article.newer_story, article.older_story, *article.more_on_topic]
    parts = [site, story_key(article), *(story_key(s) if s else "-" for s in linked)]
    # A topic shows as a link once it has a page: that changes with other stories.
    parts.append(repr([getattr(t, "has_page", True) for t in getattr(article, "tags", ())]))
    parts.append(cluster_key(article))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cluster_key(article) -> str:
    """What a page shows of a story's clusters: other coverage, versions, the version shown
    in its place (they change with other stories)."""
    shown = getattr(article, "near_duplicate_of", None)
    linked = [*getattr(article, "more_coverage", ()), *getattr(article, "versions", ())]
    return repr([story_key(shown) if shown else "-", *(story_key(a) for a in linked)])


def edition_key(site: str, edition) -> str:
    """A day's edition page: its stories by section, and the editions it links to."""
    sections = [
        (str(s.section), s.section.url, s.section.slug, s.url, len(s.top))
        + tuple(story_key(a) for a in s.stories)
        + tuple(cluster_key(a) for a in s.top)
        for s in edition.sections
    ]
    linked = [(e.url, e.title) if e else None for e in (edition.older, edition.newer)]
    shown = [edition.day, edition.title, edition.url, edition.count, story_key(edition.lead)]
    shown.append(cluster_key(edition.lead))
    parts = [site, repr(shown), repr(sections), repr(linked)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def day_page_key(site: str, name: str, kwargs: dict) -> str:
    """One page of a section's list of a day's stories (its edition's title and URL, the
    section, the pages before and after it) and the stories on it."""
    edition, part, page = kwargs["edition"], kwargs["day_section"], kwargs["day_page"]
    linked = [other.url if other else None for other in (page.previous, page.next)]
    shown = [name, edition.title, edition.url, str(part.section), part.count, len(part.pages)]
    shown += [page.number, page.url, *linked]
    parts = [site, repr(shown), *(story_key(a) for a in page.stories)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def story_key(article) -> str:
    """A hash of the story and of its article's metadata, worked out once per build.

    Each value's repr, joined by NUL (which no repr holds): a repr of the list of reprs
    escaped them all again, and was half the time (20 µs of 30 a story)."""
    key = getattr(article, "_gazette_key", None)
    if key is None:
        metadata = article.metadata
        shown = []
        for name in sorted(metadata):
            shown += (name, repr(metadata[name]))
        shown += (repr(article.url), repr(article.locale_date))
        key = hashlib.sha256("\0".join(shown).encode()).hexdigest()
        article._gazette_key = key
    return key


def setting_bytes(name: str, setting) -> bytes:
    """A setting as bytes when it is plain data; its name alone otherwise (functions,
    compiled patterns and the like print their memory address): after editing a function
    in the settings (a Jinja filter, say), delete GAZETTE_CACHE_PATH/pages.json.
    PLUGINS by plugin: Pelican renames each it loaded to where it found it, and a process's
    first build finds ``gazette`` in PLUGIN_PATHS, the next in its namespace
    (``pelican.plugins.gazette``), which made the dev server's first rebuild render
    every page again."""
    if name == "PLUGINS" and isinstance(setting, list | tuple):
        setting = [p.removeprefix("pelican.plugins.") if isinstance(p, str) else p for p in setting]
    try:
        return json.dumps([name, setting], sort_keys=True).encode()
    except (TypeError, ValueError):
        return name.encode()
