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
    topics = partial(write_topic_pages, generator)
    internals.write_lists_with(generator, topics, partial(write_section_pages, generator))


def write_topic_pages(generator, write) -> None:
    _write_lists(generator, write, "tag", generator.tags.items())


def write_section_pages(generator, write) -> None:
    _write_lists(generator, write, "category", generator.categories)


def _write_lists(generator, write, template_name: str, lists) -> None:
    """Each (term, its stories) on its pages, with the template's own name for the term."""
    template = generator.get_template(template_name)
    for term, stories in lists:
        write(
            term.save_as,
            template,
            generator.context,
            url=term.url,
            articles=stories,
            dates=stories,
            template_name=template_name,
            blog=True,
            page_name=term.page_name,
            all_articles=generator.articles,
            **{template_name: term},  # tag=… or category=…, as Pelican passes it
        )
