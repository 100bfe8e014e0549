"""The digest on Pelican's signals: story order, editions, URLs worked out once.

- ``digest(generator)`` runs on ``article_generator_finalized``: it orders the
  stories, groups them into editions (digest/editions.py), sets
  ``older_story``/``newer_story``/``more_on_topic``/``edition``/``schema`` on
  every story, and puts the ``Digest`` in the template context as ``gazette``.
- ``write_editions(generator, writer)`` runs on ``article_writer_finalized``
  and writes one page per edition at a URL made only from its date, so a new
  story never moves an old edition.
"""

from pelican.contents import Article

from ..digest import structured
from ..digest.editions import Digest, group_editions, link_neighbours, more_on_topic, topic_index
from ..settings import value


def digest(generator) -> None:
    settings = generator.settings
    articles = generator.articles
    order_newest_first(generator)
    link_neighbours(articles)
    more_on_topic(articles, generator.tags, value(settings, "GAZETTE_MORE_ON_TOPIC"))
    editions = group_editions(articles, settings)
    minimum = value(settings, "GAZETTE_TOPIC_INDEX_MIN_STORIES")
    for article in articles:
        article.schema = structured.news_article(article, settings)
    generator.context["gazette"] = Digest(
        editions=editions,
        sections=[(cat, len(stories), stories[0]) for cat, stories in generator.categories],
        # Pelican formats a section's URL on every use; the masthead shows them all on every page.
        menu=[(cat, cat.url) for cat, _ in generator.categories],
        topics=topic_index(generator.tags, minimum),
        topic_index_min=minimum,
        recent_count=value(settings, "GAZETTE_RECENT_EDITIONS"),
        modified=max((a.modified for a in articles), default=None),
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
    if hasattr(content, "override_url") or hasattr(content, "override_save_as"):
        return  # set by the story's own metadata
    fields = content.url_format  # the one copy
    content.override_url = str(content.settings["ARTICLE_URL"]).format(**fields)
    content.override_save_as = str(content.settings["ARTICLE_SAVE_AS"]).format(**fields)


def fix_page_urls(generator) -> None:
    """``fix_urls`` for the pages, on ``page_generator_finalized``.

    Every page's colophon links every page, so each page URL is used thousands of times.
    """
    fix_urls(generator.pages + generator.hidden_pages)


def order_newest_first(generator) -> None:
    """Newest first, ties by slug: the same order on every machine.

    Pelican keeps the file system's order for stories of equal date; sorting
    the shared lists in place fixes it for every page, paginated ones included.
    """
    lists = [generator.articles, generator.dates]
    lists += [stories for _, stories in generator.categories]
    lists += list(generator.tags.values())
    for stories in lists:
        stories.sort(key=lambda a: a.slug)
        stories.sort(key=lambda a: a.date, reverse=True)


def write_editions(generator, writer) -> None:
    gazette = generator.context.get("gazette")
    if gazette is None:
        return
    template = generator.get_template("edition")
    for item in gazette.editions:
        writer.write_file(
            item.save_as,
            template,
            generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"],
            edition=item,
            url=item.url,
            template_name="edition",
        )
