"""Topic and section pages, written in time linear in the site.

Pelican's ArticlesGenerator writes each tag and category page after working
out its ``dates`` list as ``[a for a in self.dates if a in articles]``: a
pass over every story of the site for each topic, each step a list scan, so
the time grows with the square of the site (about 20 s of a 20,000-story
build). Gazette keeps every story list newest first (editions.py), the order
of ``dates`` itself, so a page's ``dates`` is its own list. ``install`` runs
on ``article_generator_finalized`` and has the generator write these pages
with the functions below; what they pass the templates is what Pelican
passes.
"""

from functools import partial

from . import internals


def install(generator) -> None:
    internals.write_lists_with(
        generator,
        partial(write_topic_pages, generator),
        partial(write_section_pages, generator),
        partial(write_author_pages, generator),
    )


def write_topic_pages(generator, write) -> None:
    _write_lists(generator, write, "tag", generator.tags.items())


def write_section_pages(generator, write) -> None:
    _write_lists(generator, write, "category", generator.categories)


def write_author_pages(generator, write) -> None:
    """Author pages, when the site has them (``AUTHOR_SAVE_AS``; Gazette's has none, and
    Pelican scans the whole site per author even then). An author's ``dates`` are their
    stories in the order of the site's ``dates``, as Pelican's are, found by position."""
    if not generator.settings.get("AUTHOR_SAVE_AS"):
        return
    position = {id(article): rank for rank, article in enumerate(generator.dates)}
    lists = [
        (author, stories, sorted(stories, key=lambda story: position[id(story)]))
        for author, stories in generator.authors
    ]
    _write_lists(generator, write, "author", lists)


def _write_lists(generator, write, template_name: str, lists) -> None:
    """Each (term, its stories[, its dates]) on its pages, with the template's own name
    for the term; a term's ``dates`` are its stories unless given."""
    template = generator.get_template(template_name)
    oldest_first = not generator.settings.get("NEWEST_FIRST_ARCHIVES", True)  # as ``dates``
    for term, stories, *dates in lists:
        write(
            term.save_as,
            template,
            generator.context,
            url=term.url,
            articles=stories,
            dates=dates[0] if dates else (stories[::-1] if oldest_first else stories),
            template_name=template_name,
            blog=True,
            page_name=term.page_name,
            all_articles=generator.articles,
            **{template_name: term},  # tag=… or category=…, as Pelican passes it
        )
