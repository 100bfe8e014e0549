"""Story lists that answer ``in`` at once, for Pelican's tag and category pages.

Pelican's ArticlesGenerator writes each tag, category and author page after
``dates = [a for a in self.dates if a in articles]``: a scan of the page's
story list for every story of the site, so the time grows with the square of
the site (tens of seconds at 20,000 stories, for a few hundred topics). On
``article_generator_finalized`` those lists become ``StoryList``s, whose
membership test is a set lookup; order and contents are unchanged.
"""


class StoryList(list):
    """A list whose ``in`` looks up identities (Pelican's contents compare by identity)."""

    __slots__ = ("_ids", "_size")

    def __contains__(self, item) -> bool:
        if getattr(self, "_size", -1) != len(self):  # built on first use, again if it grew
            self._ids = {id(each) for each in self}
            self._size = len(self)
        return id(item) in self._ids


def speed_up(generator) -> None:
    for tag, stories in generator.tags.items():
        generator.tags[tag] = StoryList(stories)
    for listing in (generator.categories, generator.authors):
        listing[:] = [(key, StoryList(stories)) for key, stories in listing]
    generator._update_context(("tags", "categories", "authors"))  # the context's copies too
