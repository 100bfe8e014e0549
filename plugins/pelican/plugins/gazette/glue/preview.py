"""A saved story's own page at once: the dev server's first look, before its rebuild.

A warm rebuild of a large site takes seconds, because every story is decided
site-wide; whoever saved a story wants to see it now. The warm build process
keeps what its last good build made story pages with (the story template and its
globals, the site's context). A preview makes the saved file's story on its
own (ingest/catalog.py ``alone``), as an Article, and renders its page the way
the generator writes one. What needs the whole site (related stories, its
edition and card, a slug another story has) is the last build's for a story at
its place, and none for a new one, until the rebuild that the dev server starts at once
replaces the preview.
"""

from pelican.contents import Article
from pelican.utils import get_relative_path, path_to_url

from ..digest import structured
from ..ingest import catalog, ledger
from ..ingest.catalog import PUBLISHED
from ..machinery import reuse
from ..settings import resolve
from .htmlcache import SharedHtml
from .reader import RawArticleReader

# What the whole site decides of a story's page (glue/digest.py, cards.py): a story at the
# place it had in the last build keeps its last ones in the preview (an edit seldom changes
# them), so the page does not change shape when its rebuild replaces it.
SITE_WIDE = (
    "newer_story",
    "older_story",
    "more_on_topic",
    "edition",
    "cluster",
    "coverage",
    "more_coverage",
    "versions",
    "near_duplicate_of",
    "social_image",
)

_this_build: dict = {}  # this build's site, once its pages are written
_last: dict = {}  # the last good build's


def note_generator(generator, writer=None) -> None:
    """``article_writer_finalized``: in the warm build process only, what a story's page
    is made with: the story template, the site's context, the settings; not the generator
    (its reader holds the clusters' grouping of every story)."""
    if reuse.enabled():
        template = generator.get_template("article")
        _this_build.update(template=template, context=generator.context)
        _this_build.update(settings=generator.settings, articles=generator.articles)


def begin() -> None:
    """A build starts: the last one's site is let go."""
    _last.clear()
    _this_build.clear()


def after_build(ok: bool) -> None:
    """A build ended: its site is the one previews use, when it succeeded (not the parts
    its pages shared: every card, held by the template's globals; htmlcache.py)."""
    if ok and _this_build:
        _last.update(_this_build)
        shared = _last["template"].globals.get("shared")
        if isinstance(shared, SharedHtml):
            shared.parts.clear()
    _this_build.clear()


def pages(paths) -> dict[str, str]:
    """The page (output path -> HTML) of each raw file in ``paths`` (absolute) that
    publishes a story on its own, at a place no other story of the last build has:
    nothing before a good build, or when the ledger cannot be read (the build says why)."""
    if not _last:
        return {}
    settings = _last["settings"]
    config = resolve(settings)
    now = ledger.ingest_time()
    reader = RawArticleReader(settings)
    placed = {article.save_as: article for article in _last["articles"]}
    made = {}
    for path in paths:
        try:
            outcome = catalog.alone(config, catalog.relative(path, config.path), now)
        except ledger.LedgerError:
            return {}
        if outcome.status != PUBLISHED:
            continue
        context = dict(_last["context"])  # the page's own: Pelican's writer copies it too
        story = outcome.story
        article = Article(story.body_html, reader.metadata(story), settings, path, context)
        there = placed.get(article.save_as)  # the story at that place in the last build
        own = article.template == "article" and (there is None or there.source_path == path)
        if article.status == "published" and own:
            for name in SITE_WIDE if there is not None else ():
                if hasattr(there, name):
                    setattr(article, name, getattr(there, name))
            made[article.save_as] = _render(article, context, settings)
    return made


def _render(article, context: dict, settings: dict) -> str:
    """The story's page as ``ArticlesGenerator.generate_articles`` has Pelican's writer
    render it (relative links from its own folder when RELATIVE_URLS is on)."""
    name = article.save_as
    context["localsiteurl"] = context.get("localsiteurl")
    if settings["RELATIVE_URLS"]:
        context["SITEURL"] = context["localsiteurl"] = path_to_url(get_relative_path(name))
    article.schema = structured.news_article(article, settings)  # as the digest's
    context.update(output_file=name, article=article, category=article.category, blog=True)
    return _last["template"].render(context)
