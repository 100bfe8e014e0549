"""Author pages written in linear time pass the templates what Pelican's own would."""

import random
from types import SimpleNamespace

from pelican.generators import ArticlesGenerator

from pelican.plugins.gazette.glue import listpages


def _site(save_as: str):
    rng = random.Random(3)
    stories = [SimpleNamespace(title=f"story {i}", date=i) for i in range(60)]
    dates = sorted(stories, key=lambda story: story.date, reverse=True)
    authors = []
    for number in range(6):  # each author's stories in an order of their own
        author = SimpleNamespace(
            name=f"a{number}", save_as=save_as.format(number), url=f"a{number}/", page_name="p"
        )
        authors.append((author, rng.sample(stories, 12)))
    return SimpleNamespace(
        settings={"AUTHOR_SAVE_AS": save_as},
        authors=authors,
        dates=dates,
        articles=stories,
        context={"site": "ctx"},
        get_template=lambda name: f"template:{name}",
    )


def _calls(write_pages, site):
    calls = []
    write_pages(site, lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


def test_author_pages_get_what_pelicans_own_writer_gives_them():
    site = _site("author/{}/index.html")
    ours = _calls(listpages.write_author_pages, site)
    theirs = _calls(ArticlesGenerator.generate_authors, site)
    assert len(ours) == 6 and ours == theirs


def test_no_author_pages_means_no_scan_and_no_write():
    assert _calls(listpages.write_author_pages, _site("")) == []
