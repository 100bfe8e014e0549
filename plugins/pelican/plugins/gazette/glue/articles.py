"""Hand-written articles (Markdown, reST, Pelican's HTML) as digest stories.

Raw files come with a Story from the catalog. Every other article Pelican
reads gets one here, from its own metadata (title, date, modified, summary,
category, tags, author) and its rendered body, so editions, sections, feeds,
search and sitemaps treat both alike and nothing assumes a raw file. Its
permanent id is a tag: URI from its source path and date (the ledger only
records raw files): a corrected title or slug does not re-flood subscribers.
"""

import math
import os

from ..ingest import ledger
from ..ingest.story import Story, slugify, summarise
from ..settings import value
from . import internals


def complete(generator) -> None:
    """``article_generator_finalized``, before the digest: a Story for every article
    that has none, and the attributes the theme and the feeds read."""
    settings = generator.settings
    for article in generator.articles:
        if getattr(article, "story", None) is None:
            _attach(article, story_of(article, settings))
        if not hasattr(article, "tags"):  # Pelican sets it only from a Tags line
            article.tags = []


def story_of(article, settings: dict) -> Story:
    """The Story of an article that did not come from a raw file."""
    # As read, links unresolved: this runs before the static files and pages are known.
    text = _plain(internals.raw_body(article))
    paragraphs = tuple(p for p in (" ".join(b.split()) for b in text.split("\n\n")) if p)
    summary = internals.unlinked_summary(article)
    summary = " ".join(_plain(summary).split()) if summary else ""
    limit = value(settings, "GAZETTE_SUMMARY_MAX_CHARS")
    words = len(text.split())
    source = os.path.relpath(article.source_path, settings.get("PATH", ".")).replace(os.sep, "/")
    author = getattr(article, "author", None)
    title = " ".join(_plain(article.title).split())
    return Story(
        source=source,
        title=title,
        slug=article.slug or slugify(title, value(settings, "GAZETTE_SLUG_MAX_CHARS")),
        id=ledger.tag_id(value(settings, "GAZETTE_TAG_AUTHORITY"), source, article.date),
        date=article.date,
        modified=getattr(article, "modified", None) or article.date,
        date_source="metadata",
        section=str(article.category),
        topics=tuple(str(tag) for tag in getattr(article, "tags", ())),
        summary=summarise(summary or (paragraphs[0] if paragraphs else title), limit),
        paragraphs=(),  # the body is the article's own HTML
        byline=str(author) if author else None,
        word_count=words,
        reading_time_minutes=max(1, math.ceil(words / value(settings, "GAZETTE_WORDS_PER_MINUTE"))),
        kind="markup",
    )


def _attach(article, story: Story) -> None:
    article.story = story
    article.story_id = story.id
    article.modified = story.modified
    article.byline = story.byline
    article.dateline = None
    article.place = None
    article.word_count = story.word_count
    article.reading_time = story.reading_time_minutes


def _plain(html: str) -> str:
    """The text of an HTML fragment, blocks apart by blank lines."""
    from bs4 import BeautifulSoup  # only sites with hand-written articles pay its import

    soup = BeautifulSoup(html or "", "lxml")
    for block in soup.find_all(["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"]):
        block.insert_after("\n\n")
    return soup.get_text()


def is_raw_story(article) -> bool:
    """Whether the article came from a raw file (its Story is in the reader's metadata)."""
    return article.metadata.get("story") is not None
