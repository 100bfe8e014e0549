"""The digest on Pelican's signals: story order, editions, URLs worked out once.

- ``digest(generator)`` runs on ``article_generator_finalized``: it orders the
  stories, groups them into editions (digest/editions.py), sets
  ``older_story``/``newer_story``/``more_on_topic``/``edition`` on every story,
  and puts the ``Digest`` in the template context as ``gazette``.
- ``attach_schema(generator, content)`` runs on ``article_generator_write_article``:
  a story's ``schema`` (its structured data) is made as
  its page is written and dropped after, not held for every story at once (1.5 KB
  a story: 30 MB at 20,000 stories, all through the feeds and the pages).
- ``write_editions(generator, writer)`` runs on ``article_writer_finalized``
  and writes one page per edition at a URL made only from its date, so a new
  story never moves an old edition.
"""

import logging
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from zoneinfo import ZoneInfo

from pelican.contents import Article
from pelican.utils import path_to_url

from ..digest import structured
from ..digest.editions import (
    Digest,
    Rules,
    TopicMemo,
    group_editions,
    link_neighbours,
    more_on_topic,
    topic_index,
)
from ..digest.ranking import section_order
from ..machinery import reuse
from ..settings import value

log = logging.getLogger(__name__)
# Say so when at least this share of the stories (and this many) fell on one day only
# because the ledger's first-seen time dated them.
SAME_DAY_SHARE, SAME_DAY_MIN = 0.5, 20
# What the last build's digest made, for the next in a warm build process (reuse.enabled).
_memo = {"topics": TopicMemo()}
# The stories ``attach_schema`` gives structured data (by id: the site's, not hidden ones
# nor translations), the settings it is made with, and the story whose page is written.
_pages: dict = {"stories": frozenset(), "settings": {}, "last": None}


def _forget() -> None:
    _memo["topics"] = TopicMemo()


reuse.on_forget(_forget)


def digest(generator) -> None:
    settings = generator.settings
    articles = generator.articles
    order_newest_first(generator)
    attach_clusters(articles, getattr(generator.readers.readers.get("txt"), "grouping", None))
    link_neighbours(articles)
    keep_topics_with_pages(generator, value(settings, "GAZETTE_TOPIC_MIN_STORIES"))
    memo = _memo["topics"] if reuse.enabled() else None
    more_on_topic(articles, generator.tags, value(settings, "GAZETTE_MORE_ON_TOPIC"), memo)
    tz = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    editions = group_editions(articles, tz, rules(settings))
    warn_if_undated(articles, tz)
    minimum = value(settings, "GAZETTE_TOPIC_INDEX_MIN_STORIES")
    _pages.update(stories=frozenset(map(id, articles)), settings=settings, last=None)
    stories_in = dict(generator.categories)
    sections = section_order(stories_in, value(settings, "GAZETTE_SECTIONS"), by_volume=False)
    generator.context["gazette"] = Digest(
        editions=editions,
        sections=[(cat, len(stories_in[cat]), stories_in[cat][0]) for cat in sections],
        # Pelican formats a section's URL on every use; the masthead shows them all on every page.
        menu=[(cat, cat.url) for cat in sections],
        topics=topic_index(generator.tags, minimum),
        topic_index_min=minimum,
        recent_count=value(settings, "GAZETTE_RECENT_EDITIONS"),
        modified=max((a.modified for a in articles), default=None),
    )


def attach_schema(_generator, content) -> None:
    """The story's ``schema`` as its page is about to be written; the last page's story
    (written by now) lets go of its own."""
    last, _pages["last"] = _pages["last"], None
    if last is not None:
        del last.schema
    if id(content) in _pages["stories"]:
        content.schema = schema_of(content, _pages["settings"])
        _pages["last"] = content


def schema_of(article, settings: dict) -> dict:
    """The story's structured data; a kept story's from the last build when its picture is
    the same (the rest is the story's own, and the settings: a change drops what is kept)."""
    image = getattr(article, "social_image", None)
    kept = reuse.recall("schema", article)
    if kept is not None and kept[0] == image:
        return kept[1]
    schema = structured.news_article(article, settings)
    reuse.remember("schema", article, (image, schema))
    return schema


def attach_clusters(articles, grouping) -> None:
    """Each story's place in its clusters (digest/clusters.py), as the ranking and the
    theme read it: ``cluster``, ``coverage`` (how many stories cover its event),
    ``more_coverage`` and ``versions`` (Articles), ``near_duplicate_of`` (the Article shown
    in its place). Set on every build: a warm build keeps Articles, not their clusters."""
    by_key = {_key(a): a for a in articles}
    for article in articles:
        key = _key(article)
        cluster = grouping.cluster_of.get(key) if grouping and key else None
        article.cluster = cluster
        article.coverage = grouping.size(cluster) if cluster else 1
        if cluster is None:
            article.more_coverage, article.versions, article.near_duplicate_of = [], [], None
            continue
        article.more_coverage = [by_key[i] for i in grouping.more_coverage(key) if i in by_key]
        article.versions = [by_key[i] for i in grouping.versions.get(key, ()) if i in by_key]
        article.near_duplicate_of = by_key.get(grouping.duplicate_of.get(key))


def _key(article) -> str | None:
    """The id the clustering knows a story by (clusters.of_stories)."""
    story = getattr(article, "story", None)
    return (story.id or story.source) if story is not None else None


def rules(settings: dict) -> Rules:
    return Rules(
        url=value(settings, "GAZETTE_EDITION_URL"),
        save_as=value(settings, "GAZETTE_EDITION_SAVE_AS"),
        top_stories=int(value(settings, "GAZETTE_EDITION_TOP_STORIES")),
        sections=tuple(value(settings, "GAZETTE_SECTIONS")),
        page_size=int(value(settings, "GAZETTE_DAY_PAGE_SIZE")),
    )


def keep_topics_with_pages(generator, minimum: int) -> None:
    """Topics of fewer than ``minimum`` stories get no page and no feeds (Pelican writes a
    page for each of ``generator.tags``); each Tag says whether it has one (``has_page``),
    so a story shows the others as plain labels."""
    for article in generator.articles:  # every build anew: a warm build keeps its Tags
        for tag in getattr(article, "tags", ()):
            tag.has_page = False
    for tag, stories in list(generator.tags.items()):
        tag.has_page = len(stories) >= minimum
        if not tag.has_page:
            del generator.tags[tag]


def warn_if_undated(articles, tz) -> None:
    """Once per build: most stories on one day only because nothing but the ledger's
    first-seen time dated them (a folder of undated files, ingested at once)."""
    days = Counter(
        a.date.astimezone(tz).date()
        for a in articles
        if getattr(getattr(a, "story", None), "date_source", None) == "ledger"
    )
    if not days:
        return
    day, count = days.most_common(1)[0]
    if count >= SAME_DAY_MIN and count >= SAME_DAY_SHARE * len(articles):
        log.warning(
            "gazette: %d of %d stories fall on %s only because that is when they were "
            "first ingested: nothing in them gave a date. Give each a Date: header line "
            "or a dated file name (2024-03-01-title.txt) to spread them over their days",
            count,
            len(articles),
            day.isoformat(),
        )


def fix_urls(articles) -> None:
    """Work out each story's URL and file name once.

    Pelican recomputes ``url`` and ``save_as`` from the settings on every use
    (~0.1 ms each, with a copy of the metadata), and each page uses dozens of
    story URLs. Its ``override_url``/``override_save_as`` hold the values once
    the story's slug and date are final, which they are once all are read.
    """
    for article in articles:
        article.override_url = article.url
        article.override_save_as = article.save_as


def fix_story_urls(content) -> None:
    """A story's URL and file name, worked out once as it is made (``content_object_init``).

    Pelican formats them anew on every use, from a copy of the metadata (~0.1 ms
    each): a story's is used on dozens of pages, and by Pelican's own checks. The
    slug and date are final when the story is made (the catalog decided them).
    """
    if not isinstance(content, Article) or not content.in_default_lang:
        return
    if content.status == "draft" or _drafted_for_its_date(content):
        return  # at DRAFT_URL, which Pelican formats: never where it will be published
    if hasattr(content, "override_url") or hasattr(content, "override_save_as"):
        return  # set by the story's own metadata
    fields = _URLFields(content)
    url, save_as = str(content.settings["ARTICLE_URL"]), str(content.settings["ARTICLE_SAVE_AS"])
    content.override_url = url.format_map(fields)
    if save_as.startswith(url):  # "…{slug}/index.html": the URL's fields, formatted once
        content.override_save_as = content.override_url + save_as[len(url) :].format_map(fields)
    else:
        content.override_save_as = save_as.format_map(fields)


def _drafted_for_its_date(content) -> bool:
    """Whether Pelican's Article makes this one a draft once this signal is sent: dated
    after now, with WITH_FUTURE_DATES off (Article.__init__, after Content's)."""
    if content.settings.get("WITH_FUTURE_DATES", True) or not hasattr(content, "date"):
        return False
    date = content.date
    return date > (datetime.now() if date.tzinfo is None else datetime.now(UTC))


class _URLFields:
    """The fields of Pelican's ``Content.url_format``, each made only when a URL setting
    names it (``str.format_map``): that property copies the metadata and works out the
    source's relative path and the author's and section's slugs, 40 µs a story, for URLs
    that use the date and slug."""

    def __init__(self, content):
        self.content = content

    def __getitem__(self, name: str):
        content = self.content
        if name == "path":
            metadata = content.metadata
            path = metadata["path"] if "path" in metadata else content.get_relative_source_path()
            return path_to_url(path)
        if name == "slug":
            return getattr(content, "slug", "")
        if name == "lang":
            return getattr(content, "lang", "en")
        if name == "date":  # Pelican's has the time now for a content with none
            return content.date if hasattr(content, "date") else content.url_format["date"]
        if name in ("author", "category"):
            return getattr(content, name).slug if hasattr(content, name) else ""
        return content.metadata[name]


def fix_page_urls(generator) -> None:
    """``fix_urls`` for the pages, on ``page_generator_finalized``.

    Every page's colophon links every page, so each page URL is used thousands of times.
    """
    fix_urls(generator.pages + generator.hidden_pages)


def order_newest_first(generator) -> None:
    """Newest first, ties by slug: the same order on every machine.

    Pelican keeps the file system's order for stories of equal date; sorting
    the shared lists in place fixes it for every page, paginated ones included.
    The site's list is sorted; every other list (a section's, a topic's: made in
    the site's order, so ties fall the same way) by its stories' places in it.
    ``dates`` (the archives') is oldest first when NEWEST_FIRST_ARCHIVES is False.
    """
    articles = generator.articles
    _newest_first(articles)
    place = {id(article): n for n, article in enumerate(articles)}
    lists = [generator.dates, *(stories for _, stories in generator.categories)]
    lists += list(generator.tags.values())
    for stories in lists:
        if all(id(story) in place for story in stories):
            stories.sort(key=lambda story: place[id(story)])
        else:  # a story the site's list lacks: sorted by its own fields
            _newest_first(stories)
    if not generator.settings.get("NEWEST_FIRST_ARCHIVES", True):
        generator.dates.reverse()  # the archives oldest first, as the site asks


def _newest_first(stories: list) -> None:
    stories.sort(key=lambda a: a.slug)
    stories.sort(key=lambda a: a.date, reverse=True)


def write_editions(generator, writer) -> None:
    """Each day's edition, and its sections' full day lists where the edition shows only
    their top stories."""
    gazette = generator.context.get("gazette")
    if gazette is None:
        return
    write = partial(_write, generator, writer)
    for item in gazette.editions:
        write(item.save_as, item.url, "edition", edition=item)
        for part in item.sections:
            if part.more <= 0:
                continue  # the edition shows all of them: no list page
            for page in part.pages:
                write(
                    page.save_as,
                    page.url,
                    "edition_section",
                    edition=item,
                    day_section=part,
                    day_page=page,
                )


def _write(generator, writer, save_as: str, url: str, template_name: str, **context) -> None:
    writer.write_file(
        save_as,
        generator.get_template(template_name),
        generator.context,
        relative_urls=generator.settings["RELATIVE_URLS"],
        url=url,
        template_name=template_name,
        **context,
    )
