"""Every use of Pelican's private internals, in one place, each with its reason.

Everything else in Gazette uses Pelican's public signals, settings and
objects. If a Pelican release changes one of these, this module is the one
to mend (README: "Pelican internals Gazette relies on"). Checked on Pelican 4.12.
"""

from functools import partial
from itertools import chain

from pelican.contents import Content
from pelican.generators import Generator
from pelican.log import LimitFilter
from pelican.utils import (
    strip_toc_elements_from_html,
    truncate_html_paragraphs,
    truncate_html_words,
)
from pelican.writers import Writer


def raw_body(article) -> str:
    """An Article's body as its reader gave it (``Content._content``). The public
    ``content`` rewrites intra-site links on every call; a raw story has none, and
    the search index reads every story's body once."""
    return article._content


def unlinked_summary(article) -> str:
    """What ``Content.get_summary`` gives, made from the body as read (``raw_body``), with
    no intrasite link resolved: the text of a hand-written article's summary, read
    before the static files and pages are known (its links would be reported missing)."""
    if "summary" in article.metadata:
        return article.metadata["summary"]
    settings, content = article.settings, raw_body(article)
    if settings.get("SUMMARY_MAX_PARAGRAPHS") is not None:
        content = truncate_html_paragraphs(content, settings["SUMMARY_MAX_PARAGRAPHS"])
    if settings["SUMMARY_MAX_LENGTH"] is not None:
        content = truncate_html_words(
            content, settings["SUMMARY_MAX_LENGTH"], settings["SUMMARY_END_SUFFIX"]
        )
    return strip_toc_elements_from_html(content)


def rebind_context(article, context: dict) -> None:
    """Point a kept Article at this build's template context (``Content._context``):
    the warm build reuses last build's Article, which still holds the old one."""
    article._context = context


def prune_content_memo(live_ids: set[int]) -> None:
    """Drop Pelican's memo of page bodies (``memoized`` on ``get_content`` and
    ``get_summary``, a global dict) for every Article but the kept ones: a warm build
    process would otherwise keep every build's Articles alive."""
    for memo in (Content.get_content, Content.get_summary):
        for key in [key for key in memo.cache if id(key[0]) not in live_ids]:
            del memo.cache[key]


def forget_content(article) -> None:
    """Drop Pelican's memo of this Article's page body (``memoized`` ``get_content``, a
    global dict that otherwise holds every story's HTML until the build ends: 40–70 MB at
    20,000 stories). Asked again, Pelican makes the same text anew."""
    Content.get_content.cache.pop((article, article.get_siteurl()), None)


def drop_body(article) -> None:
    """Let an Article's page body itself go (``Content._content``: 90 MB at 20,000
    stories, the most a build holds), for an Article whose page is written and whose
    summary is its metadata, in a process that renders it no more. Asked again, its
    content would be empty."""
    article._content = ""


def reset_log_limits() -> None:
    """Forget which warnings Pelican's LimitFilter has seen (class attributes): each build
    of a warm process reports its own warnings, as a fresh ``pelican`` would."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def write_lists_with(generator, topics, sections, authors) -> None:
    """Have the articles generator write its tag, category and author pages with
    ``topics``, ``sections`` and ``authors`` (replacing ``generate_tags``,
    ``generate_categories`` and ``generate_authors`` on the instance): Pelican's own work
    out each page's ``dates`` by scanning every story, quadratic in the site, and the
    author one does so even when ``AUTHOR_SAVE_AS`` is empty (glue/listpages.py)."""
    generator.generate_tags = topics
    generator.generate_categories = sections
    generator.generate_authors = authors


def never_cached(cacher, read_anew) -> None:
    """Have Pelican's content cache (``CACHE_CONTENT``: a FileStampDataCacher, the
    generator's or its Readers') neither hand back nor keep a file ``read_anew(path)``
    names: it would give the file's last reading while the file's time stamp is the same."""
    get, put = cacher.get_cached_data, cacher.cache_data

    def get_cached_data(path, default=None):
        return default if read_anew(path) else get(path, default)

    def cache_data(path, data):
        if not read_anew(path):
            put(path, data)

    cacher.get_cached_data, cacher.cache_data = get_cached_data, cache_data


def take_articles_from(generator, kept, keep) -> None:
    """Have the articles generator ask ``kept(path, default)`` for an Article before it
    reads a file, and hand each new one to ``keep(path, article)``: the hooks of Pelican's
    FileStampDataCacher, which the warm build answers from memory (glue/warm.py)."""
    generator.get_cached_data = kept
    generator.cache_data = keep


def list_files_with(generator, get_files) -> None:
    """Have the generator list its files with ``get_files(generator, paths, exclude,
    extensions)`` (glue/filelists.py: Pelican 4.12's ``Generator.get_files`` and
    ``_include_path``, its lists kept), unless its class lists them its own way."""
    kind = type(generator)
    if kind.get_files is Generator.get_files and kind._include_path is Generator._include_path:
        generator.get_files = partial(get_files, generator)


def note_sources_with(generator, source_of) -> None:
    """Have the generator record each content's source path and static links
    (``add_source_path``, ``add_static_links``: a relpath and a regex over its body, for
    each of 20,000 stories) from ``source_of(content)``: (location, links) as
    ``get_relative_source_path`` and ``get_static_links`` make them, or the last build's for
    a kept Article (glue/warm.py)."""

    def add_source_path(content, static=False):
        key = "static_content" if static else "generated_content"
        generator.context[key][source_of(content)[0]] = content

    def add_static_links(content):
        generator.context["static_links"] |= source_of(content)[1]

    generator.add_source_path, generator.add_static_links = add_source_path, add_static_links


def refresh_links_where_they_may_change(generator) -> None:
    """Have the articles generator refresh the intrasite links of a content's metadata
    (``refresh_metadata_intersite_links``, before its pages are written) only where a
    link can be: Pelican's link pattern starts with a tag (``<a href=...``), and a raw
    story's summary is escaped text."""
    fields = generator.settings["FORMATTED_FIELDS"]

    def refresh():
        for content in chain(
            generator.articles,
            generator.translations,
            generator.drafts,
            generator.drafts_translations,
            generator.hidden_articles,
            generator.hidden_translations,
        ):
            if hasattr(content, "refresh_metadata_intersite_links") and _may_link(content, fields):
                content.refresh_metadata_intersite_links()

    generator.refresh_metadata_intersite_links = refresh


def _may_link(content, fields) -> bool:
    """Whether ``refresh_metadata_intersite_links`` may change anything of ``content``:
    a formatted field holding a tag, or a ``_summary`` other than its metadata's."""
    metadata = content.metadata
    for key in fields:
        value = metadata.get(key)
        if isinstance(value, str) and "<" in value:
            return True
        if value is not None and not isinstance(value, str):
            return True
    summary = getattr(content, "_summary", None)
    return "summary" in fields and summary is not None and summary is not metadata.get("summary")


class RecordingWriter(Writer):
    """A Writer that notes every file one ``write_file`` call opens. Pelican opens the
    files of a paginated page in the private ``_open_w``; the page cache must know them
    all to reuse them."""

    recording: list | None = None

    def _open_w(self, filename, encoding, override=False):
        if self.recording is not None:
            self.recording.append(filename)
        return super()._open_w(filename, encoding, override)
