"""Daily editions, the front page, section and topic indexes, and story navigation.

Everything the digest pages show about *other* stories is computed here once
per build and handed to the templates, so that no template loops over all
stories: the build stays linear in the number of stories.

- ``digest(generator)`` runs on ``article_generator_finalized``: it orders the
  stories, groups them into editions (one per day, by section, with a lead
  story), sets ``older_story``/``newer_story``/``more_on_topic``/``edition``/
  ``schema`` on every story, and puts the ``Digest`` in the template context as
  ``gazette``.
- ``write_editions(generator, writer)`` runs on ``article_writer_finalized``
  and writes one page per edition at a URL made only from its date, so a new
  story never moves an old edition.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pelican.contents import Article

from . import structured
from .settings import value


@dataclass
class Edition:
    day: date
    title: str  # the long date, worked out once: each edition's title shows on many pages
    url: str
    save_as: str
    lead: object  # the Article that opens the edition
    sections: list  # [(Category, [Article]...)], the lead left out
    count: int
    modified: datetime
    older: "Edition | None" = None
    newer: "Edition | None" = None


@dataclass
class Digest:
    editions: list[Edition]  # newest first
    sections: list = field(default_factory=list)  # [(Category, count, newest Article)]
    menu: list = field(default_factory=list)  # [(Category, url)]: the masthead's sections
    topics: list = field(default_factory=list)  # [(letter, [(Tag, count)])]
    topic_index_min: int = 1
    recent_count: int = 7  # earlier editions linked from the front page
    modified: datetime | None = None  # newest change to any story

    @property
    def front(self) -> Edition | None:
        return self.editions[0] if self.editions else None

    @property
    def recent(self) -> list[Edition]:
        return self.editions[1 : 1 + self.recent_count]

    @property
    def months(self) -> list:
        """[("August 2021", [Edition...])], newest first: the archive page."""
        months: dict[str, list] = {}
        for item in self.editions:
            months.setdefault(f"{item.day:%B %Y}", []).append(item)
        return list(months.items())


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


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


def link_neighbours(articles) -> None:
    """``older_story`` and ``newer_story`` of each story, in site order."""
    for index, article in enumerate(articles):
        article.newer_story = articles[index - 1] if index > 0 else None
        article.older_story = articles[index + 1] if index + 1 < len(articles) else None


def more_on_topic(articles, tags, limit: int) -> None:
    """Stories sharing topics, nearest in time first; linear in the stories.

    Only the ``limit`` neighbours on either side in each topic's (date-ordered)
    list are candidates, so a topic of thousands of stories costs no more than
    a small one. Candidates found under more topics rank higher.
    """
    places: dict[int, list] = {}  # story -> [(a topic's stories, its index there)]
    for stories in tags.values():
        for index, story in enumerate(stories):
            places.setdefault(id(story), []).append((stories, index))
    # Times as whole microseconds and slugs by id: the ranking below compares them 200,000
    # times at 5,000 stories (datetime arithmetic was most of the digest's time).
    known = {id(s): s for stories in tags.values() for s in stories}
    known.update((id(a), a) for a in articles)
    when = {key: _microseconds(s.date) for key, s in known.items()}
    slug = {key: s.slug for key, s in known.items()}
    for article in articles:
        shared: dict[int, int] = {}
        for stories, index in places.get(id(article), ()):
            for other in stories[max(0, index - limit) : index + limit + 1]:
                shared[id(other)] = shared.get(id(other), 0) + 1
        shared.pop(id(article), None)
        at = when[id(article)]
        ranked = sorted(shared, key=lambda k: (-shared[k], abs(when[k] - at), slug[k]))
        article.more_on_topic = [known[k] for k in ranked[:limit]]


def _microseconds(moment: datetime) -> int:
    """A time as whole microseconds since 1970 (UTC when aware), exactly."""
    return calendar.timegm(moment.utctimetuple()) * 1_000_000 + moment.microsecond


def group_editions(articles, settings) -> list[Edition]:
    """One edition per local day that has stories, newest first, linked both ways."""
    tz = ZoneInfo(settings.get("TIMEZONE", "UTC"))
    days: dict[date, list] = {}
    for article in articles:  # newest first, so each day's list is too
        days.setdefault(article.date.astimezone(tz).date(), []).append(article)
    url = value(settings, "GAZETTE_EDITION_URL")
    save_as = value(settings, "GAZETTE_EDITION_SAVE_AS")
    editions = [edition(day, stories, url, save_as) for day, stories in days.items()]
    for newer, older in zip(editions, editions[1:], strict=False):
        newer.older, older.newer = older, newer
    for item in editions:
        for article in [item.lead] + [a for _, stories in item.sections for a in stories]:
            article.edition = item
    return editions


def edition(day: date, stories: list, url: str, save_as: str) -> Edition:
    """The day's stories by section (sections A–Z), led by its longest story."""
    lead = max(stories, key=lambda a: getattr(a, "word_count", 0))
    sections: dict = {}
    for article in stories:
        if article is not lead:
            sections.setdefault(article.category, []).append(article)
    return Edition(
        day=day,
        title=long_date(day),
        url=url.format(date=day),
        save_as=save_as.format(date=day),
        lead=lead,
        sections=sorted(sections.items(), key=lambda item: item[0].name.casefold()),
        count=len(stories),
        modified=max(a.modified for a in stories),
    )


def topic_index(tags, minimum: int = 1) -> list:
    """[(letter, [(Tag, count)])], A–Z; topics not starting with a letter under "#"."""
    letters: dict[str, list] = {}
    listed = [tag for tag, stories in tags.items() if len(stories) >= minimum]
    for tag in sorted(listed, key=lambda t: t.name.casefold()):
        first = tag.name[:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append((tag, len(tags[tag])))
    return sorted(letters.items(), key=lambda item: (item[0] != "#", item[0]))


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
