"""Editions at any size, ranked by documented signals (digest/editions.py, ranking.py)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from pelican.plugins.gazette.digest import editions, ranking

DAY = datetime(2024, 3, 1, tzinfo=UTC)


class Section(SimpleNamespace):
    def __str__(self):
        return self.name

    def __hash__(self):
        return hash(self.name)


SECTIONS = {
    n: Section(name=n, slug=n.lower(), url=f"section/{n.lower()}/")
    for n in ("Business", "Sport", "World")
}


def story(n, name="World", hours=1, words=300, **extra):
    when = DAY + timedelta(hours=hours)
    return SimpleNamespace(
        slug=f"story-{n:04d}",
        date=when,
        modified=when,
        category=SECTIONS[name],
        word_count=words,
        **extra,
    )


def test_the_lead_is_the_most_covered_story_not_the_longest():
    long = story(1, words=5000)
    covered = story(2, words=200, coverage=4)
    assert editions.edition(DAY.date(), [long, covered], UTC).lead is covered


def test_an_editors_lead_and_priority_come_first():
    plain = story(1, coverage=8)
    urgent = story(2, priority=2)
    lead = story(3, lead=True)
    ranked = ranking.rank([plain, urgent, lead], DAY)
    assert ranked == [lead, urgent, plain]


def test_recency_within_the_day_beats_length_and_ties_are_stable():
    early_long = story(1, hours=1, words=3000)
    late_short = story(2, hours=20, words=150)
    assert ranking.rank([early_long, late_short], DAY) == [late_short, early_long]
    twins = [story(n, hours=5) for n in (3, 1, 2)]
    assert [s.slug for s in ranking.rank(twins, DAY)] == ["story-0001", "story-0002", "story-0003"]


def test_a_big_day_shows_the_top_stories_and_lists_them_all_on_stable_pages():
    rules = editions.Rules(top_stories=5, page_size=50)
    stories = [story(n, "Business", hours=n % 24) for n in range(120)] + [story(999, "Sport")]
    item = editions.edition(DAY.date(), stories, UTC, rules)
    business = next(p for p in item.sections if p.section.name == "Business")
    assert len(business.top) == 5 and business.count in (119, 120)
    assert business.top == business.stories[:5]
    assert [p.url for p in business.pages] == [
        "2024/03/01/business/",
        "2024/03/01/business/page/2/",
        "2024/03/01/business/page/3/",
    ]
    listed = [s for page in business.pages for s in page.stories]
    assert listed == business.stories  # every story on the day's list, once, in rank order
    assert business.pages[1].previous is business.pages[0]
    assert item.count == 121


def test_sections_follow_the_configured_order_then_volume():
    stories = [story(0, "Sport", lead=True)] + [story(n, "World") for n in range(1, 4)]
    stories += [story(n, "Sport") for n in range(10, 12)] + [story(20, "Business")]
    by_volume = editions.edition(DAY.date(), stories, UTC)
    assert [p.section.name for p in by_volume.sections] == ["World", "Sport", "Business"]
    rules = editions.Rules(sections=("Business", "Sport"))
    configured = editions.edition(DAY.date(), stories, UTC, rules)
    assert [p.section.name for p in configured.sections] == ["Business", "Sport", "World"]


def test_editions_are_per_local_day_and_linked():
    stories = [story(1, hours=30), story(2, hours=2), story(3, hours=3)]
    stories.sort(key=lambda s: s.date, reverse=True)
    made = editions.group_editions(stories, UTC)
    assert [e.url for e in made] == ["2024/03/02/", "2024/03/01/"]
    assert made[0].older is made[1] and made[1].newer is made[0]
    assert all(s.edition in made for s in stories)


def _topic_site(count, seed):
    """``count`` stories over a few days, each under one to three of twelve topics."""
    import random

    rng = random.Random(seed)
    stories = [story(n, hours=rng.randrange(0, 24 * 20)) for n in range(count)]
    topics = {f"topic-{t}": [] for t in range(12)}
    for item in stories:
        for name in rng.sample(sorted(topics), rng.randint(1, 3)):
            topics[name].append(item)
    return stories, topics


def _ordered(stories, topics):
    def order(items):
        return sorted(items, key=lambda s: (-s.date.timestamp(), s.slug))

    return order(stories), {name: order(items) for name, items in topics.items() if items}


def _more(stories, topics, memo=None):
    editions.more_on_topic(stories, topics, 4, memo)
    return {s.slug: [o.slug for o in s.more_on_topic] for s in stories}


def _same(stories, topics, memo) -> int:
    """Rank with ``memo`` and without: the same; how many stories kept last time's list."""
    cold = _more(stories, topics)
    last = {key: found[1] for key, found in memo.results.items()}
    assert _more(stories, topics, memo) == cold
    return sum(s.more_on_topic is last.get(id(s)) for s in stories)


def test_more_on_topic_with_a_memo_is_what_it_is_without_after_each_change():
    """A warm build's memo reranks only stories near a change, with the same result as
    ranking them all: a new story, an edited one (a new object), a topic dropped."""
    stories, topics = _ordered(*_topic_site(300, 1))
    memo = editions.TopicMemo()
    assert _same(stories, topics, memo) == 0
    assert _same(stories, topics, memo) == len(stories)  # nothing changed: every list kept

    new = story(999, hours=100)
    topics["topic-3"].append(new)
    stories, topics = _ordered([*stories, new], topics)
    kept = _same(stories, topics, memo)
    assert len(stories) * 3 // 4 < kept < len(stories)  # one topic of twelve changed at one place

    old = stories[40]
    edited = story(40_000, hours=old.date.hour + 1)
    stories = [edited if s is old else s for s in stories]
    topics = {n: [edited if s is old else s for s in items] for n, items in topics.items()}
    stories, topics = _ordered(stories, topics)
    assert _same(stories, topics, memo) < len(stories)

    del topics["topic-5"]
    assert _same(stories, topics, memo) < len(stories)
    editions.more_on_topic(stories, topics, 3, memo)  # another limit: nothing reused
    fresh = {s.slug: [o.slug for o in s.more_on_topic] for s in stories}
    editions.more_on_topic(stories, topics, 3)
    assert fresh == {s.slug: [o.slug for o in s.more_on_topic] for s in stories}
