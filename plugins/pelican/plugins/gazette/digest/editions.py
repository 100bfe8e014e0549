"""Daily editions, the front page's digest, topic indexes and story navigation. Pure.

Everything the digest pages show about *other* stories is computed here once
per build and handed to the templates, so that no template loops over all
stories: the build stays linear in the number of stories. The functions take
any objects with a story's attributes (``date``, ``modified``, ``slug``,
``category``, ``tags``…): Pelican's Articles in a build, plain objects in
tests. glue/digest.py runs them on Pelican's signals.
"""

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo

from .ranking import rank, section_order


@dataclass(frozen=True)
class Rules:
    """How editions are made (from the GAZETTE_* settings; see settings.py)."""

    url: str = "{date:%Y}/{date:%m}/{date:%d}/"  # an edition's URL, from its date only
    save_as: str = "{date:%Y}/{date:%m}/{date:%d}/index.html"
    top_stories: int = 6  # shown per section on an edition; the rest on its day list
    sections: tuple[str, ...] = ()  # section order by name; the others by volume
    page_size: int = 50  # stories per page of a day's section list


@dataclass
class DayPage:
    """One page of a day's full list of a section's stories."""

    url: str
    save_as: str
    number: int
    stories: list
    previous: "DayPage | None" = None
    next: "DayPage | None" = None


@dataclass
class DaySection:
    """A section on one day's edition: its top stories, and all of them on its list pages."""

    section: object  # the Category
    stories: list  # every story of the section that day, ranked, the edition's lead left out
    top: list  # the first ``Rules.top_stories`` of them: what the edition shows
    pages: list  # [DayPage]: the day's full list, paginated

    @property
    def count(self) -> int:
        return len(self.stories)

    @property
    def more(self) -> int:
        """Stories on the day's list beyond those the edition shows."""
        return len(self.stories) - len(self.top)

    @property
    def url(self) -> str:
        return self.pages[0].url


@dataclass
class Edition:
    day: date
    title: str  # the long date, worked out once: each edition's title shows on many pages
    url: str
    save_as: str
    lead: object  # the Article that opens the edition: the day's strongest (ranking.py)
    sections: list  # [DaySection], in section order
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


def link_neighbours(articles) -> None:
    """``older_story`` and ``newer_story`` of each story, in site order."""
    for index, article in enumerate(articles):
        article.newer_story = articles[index - 1] if index > 0 else None
        article.older_story = articles[index + 1] if index + 1 < len(articles) else None


class TopicMemo:
    """What ``more_on_topic`` made last time, for a caller that builds again (the dev
    server): each topic's list of stories, and each story's result. A story whose place in
    every topic's list has the same neighbours (the same objects) has the same result."""

    def __init__(self) -> None:
        self.limit: int | None = None
        self.lists: dict = {}  # topic -> tuple of its stories, last time
        self.results: dict[int, tuple] = {}  # id(story) -> (story, its more_on_topic)


def more_on_topic(articles, tags, limit: int, memo: TopicMemo | None = None) -> None:
    """Stories sharing topics, nearest in time first; linear in the stories.

    Only the ``limit`` neighbours on either side in each topic's (date-ordered)
    list are candidates, so a topic of thousands of stories costs no more than
    a small one. Candidates found under more topics rank higher. With ``memo``,
    only the stories near a change in some topic's list are ranked again.
    """
    # Each story's times as whole microseconds and its slug, once: the ranking compares
    # them 200,000 times at 5,000 stories (datetime arithmetic was most of the digest's
    # time); the topics' lists as ids, whose windows a Counter counts at C speed.
    places: dict[int, list] = {}  # story -> [(a topic's stories' ids, its index there)]
    known: dict[int, tuple] = {}  # id -> (story, microseconds, slug)
    for stories in tags.values():
        ids = [id(story) for story in stories]
        for index, key in enumerate(ids):
            found = places.get(key)
            if found is None:
                story = stories[index]
                places[key] = found = []
                known[key] = (story, _microseconds(story.date), story.slug)
            found.append((ids, index))
    unsettled = _unsettled(tags, limit, memo) if memo is not None else None
    last = memo.results if memo is not None else {}
    results: dict[int, tuple] = {}
    for article in articles:
        key = id(article)
        found = last.get(key)
        if unsettled is not None and key not in unsettled and found and found[0] is article:
            article.more_on_topic = found[1]
            results[key] = found
            continue
        shared: Counter = Counter()  # in the order first seen: ties stay in that order
        for ids, index in places.get(key, ()):
            shared.update(ids[max(0, index - limit) : index + limit + 1])
        del shared[key]
        at = known[key][1] if shared else 0
        ranked = sorted(shared, key=lambda k: (-shared[k], abs(known[k][1] - at), known[k][2]))
        article.more_on_topic = [known[k][0] for k in ranked[:limit]]
        results[key] = (article, article.more_on_topic)
    if memo is not None:
        memo.limit, memo.results = limit, results
        memo.lists = {tag: tuple(stories) for tag, stories in tags.items()}


def _unsettled(tags, limit: int, memo: TopicMemo) -> set[int]:
    """The ids of the stories whose candidates may differ from ``memo``'s last time: those
    within ``limit`` of where a topic's list changed (all of a new or dropped topic's)."""
    if memo.limit != limit:
        memo.results = {}
        return set()  # nothing to reuse
    unsettled: set[int] = set()
    for tag, old in memo.lists.items():
        if tag not in tags:
            unsettled.update(map(id, old))
    for tag, stories in tags.items():
        old = memo.lists.get(tag)
        if old is None:
            unsettled.update(map(id, stories))
            continue
        same = min(len(old), len(stories))
        head = next((i for i in range(same) if old[i] is not stories[i]), same)
        tail = next(
            (i for i in range(same - head) if old[-1 - i] is not stories[-1 - i]), same - head
        )
        if head == len(stories) == len(old):
            continue
        changed = stories[max(0, head - limit) : len(stories) - tail + limit]
        unsettled.update(map(id, changed))
    return unsettled


def _microseconds(moment: datetime) -> int:
    """A time as whole microseconds since 1970 (UTC when aware), exactly."""
    return calendar.timegm(moment.utctimetuple()) * 1_000_000 + moment.microsecond


def group_editions(articles, tz: tzinfo, rules: Rules = Rules()) -> list[Edition]:
    """One edition per local day that has stories, newest first, linked both ways."""
    days: dict[date, list] = {}
    for article in articles:  # newest first, so each day's list is too
        days.setdefault(article.date.astimezone(tz).date(), []).append(article)
    editions = [edition(day, stories, tz, rules) for day, stories in days.items()]
    for newer, older in zip(editions, editions[1:], strict=False):
        newer.older, older.newer = older, newer
    for item, stories in zip(editions, days.values(), strict=True):
        for article in stories:  # near-duplicates too: their page links the edition
            article.edition = item
    return editions


def edition(day: date, stories: list, tz: tzinfo, rules: Rules = Rules()) -> Edition:
    """The day's stories by section, led by its strongest story (ranking.py)."""
    # A near-duplicate is listed among its shown version's versions, not on its own.
    shown = [a for a in stories if getattr(a, "near_duplicate_of", None) is None] or stories
    ranked = rank(shown, datetime.combine(day, time(), tz))
    lead = ranked[0]
    by_section: dict = {}
    for article in ranked[1:]:
        by_section.setdefault(article.category, []).append(article)
    url = rules.url.format(date=day)
    on_edition = {getattr(lead, "cluster", None)} - {None}  # events that have their card
    sections = [
        day_section(section, by_section[section], url, rules, on_edition)
        for section in section_order(by_section, rules.sections)
    ]
    return Edition(
        day=day,
        title=long_date(day),
        url=url,
        save_as=rules.save_as.format(date=day),
        lead=lead,
        sections=sections,
        count=len(shown),
        modified=max(a.modified for a in stories),
    )


def day_section(
    section, stories: list, edition_url: str, rules: Rules, on_edition: set | None = None
) -> DaySection:
    """A section's stories of one day: the top ones, and list pages of them all, at
    ``{edition}/{section slug}/`` then ``…/page/2/``: URLs made from the day and the
    section only, so they never move. An event gets one card on the edition: a story
    whose cluster has one already (``on_edition``, updated here) is in that card's
    "More coverage" and in the day's list, not among the top stories."""
    base = f"{edition_url}{section.slug}/"
    size = max(1, rules.page_size)
    pages = []
    for number, start in enumerate(range(0, len(stories), size), 1):
        url = base if number == 1 else f"{base}page/{number}/"
        pages.append(DayPage(url, url + "index.html", number, stories[start : start + size]))
    for previous, following in zip(pages, pages[1:], strict=False):
        previous.next, following.previous = following, previous
    on_edition = set() if on_edition is None else on_edition
    top = []
    for story in stories:
        if len(top) >= max(0, rules.top_stories):
            break
        cluster = getattr(story, "cluster", None)
        if cluster is not None and cluster in on_edition:
            continue
        top.append(story)
        if cluster is not None:
            on_edition.add(cluster)
    return DaySection(section, stories, top, pages)


def topic_index(tags, minimum: int = 1) -> list:
    """[(letter, [(Tag, count)])], A–Z; topics not starting with a letter under "#"."""
    letters: dict[str, list] = {}
    listed = [tag for tag, stories in tags.items() if len(stories) >= minimum]
    for tag in sorted(listed, key=lambda t: t.name.casefold()):
        first = tag.name[:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append((tag, len(tags[tag])))
    return sorted(letters.items(), key=lambda item: (item[0] != "#", item[0]))
