"""Story, list and edition pages rendered by two processes at once.

Once the articles generator has built the site's context, each page is a
pure function of it: Pelican's ``write_file`` renders a template with the
context and writes the file(s). ``SplitWriter`` forks the build at its
first ``write_file`` call; both processes then run the very same code in
the very same order, and each renders and writes only every other call
(the parent the even ones, the child the odd ones): the same files, the
same bytes, each written once, in half the time on two cores. The child
ends when the articles generator has written everything
(``article_writer_finalized``: the editions and the search page are written
there too, on their receivers connected before this one); the parent waits
for it there, and then writes everything that follows (hand-written pages)
alone. A child that failed fails the build (parallel.py's background work).

``SplitWriter`` writes every build without the page cache (whose record of
what each build wrote lives in one process); it splits one of at least
``GAZETTE_SPLIT_RENDER_MIN_STORIES`` stories, on two or more cores, that started
no background work (parallel.in_background: a first build's cards). Split or
not, a story's page body leaves Pelican's memo once its page is written; and, in a
process that builds once, a raw story's body goes too (the feeds and the search index
read it before the pages are written, list pages show its summary).
"""

import logging

from pelican import signals
from pelican.writers import Writer

from ..machinery import parallel, reuse
from ..settings import value
from . import internals
from .articles import is_raw_story

log = logging.getLogger(__name__)


def wanted(settings: dict) -> bool:
    """Whether a build with these settings may split (it does so from enough stories)."""
    if value(settings, "GAZETTE_PAGE_CACHE") or not value(
        settings, "GAZETTE_SPLIT_RENDER_MIN_STORIES"
    ):
        return False
    return parallel.worker_count(int(value(settings, "GAZETTE_PARSE_WORKERS"))) >= 2


class SplitWriter(Writer):
    share: int | None = None  # 0: the parent's calls, 1: the child's; None: every call
    calls = 0
    started = False

    def write_file(self, name, template, context, *args, **kwargs):
        if not self.started:
            self.started = True
            self._start(context)
        if self.share is not None:
            mine = self.calls % 2 == self.share
            self.calls += 1
            if not mine:
                return None  # the other process writes it
        written = super().write_file(name, template, context, *args, **kwargs)
        article = kwargs.get("article")
        if article is not None:  # its story page is written: no other needs its body
            internals.forget_content(article)
            if not reuse.enabled() and is_raw_story(article):
                internals.drop_body(article)
        return written

    def _start(self, context) -> None:
        parallel.return_free_memory()  # what reading and the digest left: before the peak
        least = int(value(self.settings, "GAZETTE_SPLIT_RENDER_MIN_STORIES"))
        articles = len(context.get("articles") or ())
        if not wanted(self.settings) or articles < least or not self._cores_free():
            return
        child = parallel.fork_sibling("rendering half of the pages")
        if child is None:
            return  # no safe fork here: one process writes everything
        self.share = 1 if child else 0
        if not child:
            log.info("gazette: pages rendered in two processes (every other page each)")
        signals.article_writer_finalized.connect(self._finished)

    def _cores_free(self) -> bool:
        """Whether the pages may take two cores: not in a build that started background
        work (a first build's social cards). While it runs, a second page process would
        only take turns with it on that core; once it is done, both page processes would
        still copy most of the build's memory as they touch it (the tree's peak 480 →
        655 MB at 20,000 stories), for 10–15 s saved. Memory first, and the same choice
        however busy the machine is."""
        cores = parallel.worker_count(int(value(self.settings, "GAZETTE_PARSE_WORKERS")))
        if cores >= 2 and not parallel.started_in_background():
            return True
        log.info("gazette: pages rendered in one process: background work has a core")
        return False

    def _finished(self, generator, writer=None) -> None:
        signals.article_writer_finalized.disconnect(self._finished)
        if self.share == 1:
            parallel.end_sibling()  # never returns
        self.share = None
        parallel.wait_for_sibling()
