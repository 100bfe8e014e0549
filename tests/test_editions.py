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
