"""Every use of Pelican's private internals, in one place, each with its reason.

Everything else in Gazette uses Pelican's public signals, settings and
objects. If a Pelican release changes one of these, this module is the one
to mend (README: "Pelican internals Gazette relies on"). Checked on Pelican 4.12.
"""

from pelican.contents import Content
from pelican.log import LimitFilter
from pelican.writers import Writer


def raw_body(article) -> str:
    """An Article's body as its reader gave it (``Content._content``). The public
    ``content`` rewrites intra-site links on every call; a raw story has none, and
    the search index reads every story's body once."""
    return article._content


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


def take_articles_from(generator, kept, keep) -> None:
    """Have the articles generator ask ``kept(path, default)`` for an Article before it
    reads a file, and hand each new one to ``keep(path, article)``: the hooks of Pelican's
    FileStampDataCacher, which the warm build answers from memory (glue/warm.py)."""
    generator.get_cached_data = kept
    generator.cache_data = keep


class RecordingWriter(Writer):
    """A Writer that notes every file one ``write_file`` call opens. Pelican opens the
    files of a paginated page in the private ``_open_w``; the page cache must know them
    all to reuse them."""

    recording: list | None = None

    def _open_w(self, filename, encoding, override=False):
        if self.recording is not None:
            self.recording.append(filename)
        return super()._open_w(filename, encoding, override)
