"""The catalog's site-wide decisions on enriched outcomes: one spelling per topic, then
unique slugs.

One file alone cannot make them, yet one changed file seldom changes them: a warm
build keeps its ``Decisions`` (catalog.py carries it from build to build) and counts
only the topics of the stories that changed, and an outcome that nothing changed comes
out as the very object it was (the build then knows its page's story is the same
without comparing it field by field). Cold, the same code decides everything from
nothing: the result never depends on what was kept. Pure; outcomes are catalog.py's.
"""

import hashlib
from collections import Counter
from dataclasses import replace

from . import topics


class Decisions:
    """The site-wide decisions of the last catalog, and what they were made of."""

    def __init__(self):
        self.topics_of: dict[str, tuple] = {}  # source -> the topics counted for it
        self.counts: dict[str, Counter] = {}  # topic key -> how many stories use each spelling
        self.spelling: dict[str, str] = {}  # topic key -> the spelling most stories use
        self.key_of: dict[str, str] = {}  # spelling -> topic key (topics.topic_key)
        self.spelled: dict[str, tuple] = {}  # source -> (outcome in, outcome out)
        self.renamed: dict[str, tuple] = {}  # source -> (outcome in, outcome with a new slug)
        self.sound = True  # False while deciding: a failure part way leaves nothing to trust

    def decide(self, outcomes: list) -> list:
        """The outcomes (in the catalog's order) with their topics spelled one way across
        the site and their slugs unique."""
        if not self.sound:
            self.__init__()
        self.sound = False
        changed = self._count([o.story for o in outcomes if o.story])
        outcomes = self._spell(outcomes, changed)
        outcomes = self._unique_slugs(outcomes)
        self.sound = True
        return outcomes

    def _count(self, stories) -> set[str]:
        """Count the topics of the stories that are new, changed or gone since the last
        decisions; the topic keys whose spelling changed."""
        now = {story.source: story.topics for story in stories}
        touched = set()
        for source, before in self.topics_of.items():
            after = now.get(source)
            if after is not before and after != before:
                self._add(before, -1, touched)
        for source, after in now.items():
            before = self.topics_of.get(source)
            if after is not before and after != before:
                self._add(after, 1, touched)
        self.topics_of = now
        changed = set()
        for key in touched:
            counts = self.counts.get(key)
            if not counts:
                self.counts.pop(key, None)
                self.spelling.pop(key, None)
                continue
            chosen = most_used(counts)
            if self.spelling.get(key) != chosen:
                self.spelling[key] = chosen
                changed.add(key)
        return changed

    def _add(self, names, step: int, touched: set) -> None:
        for name in names:
            key = self.key_of.get(name)
            if key is None:
                key = self.key_of[name] = topics.topic_key(name)
            counts = self.counts.setdefault(key, Counter())
            counts[name] += step
            if counts[name] <= 0:
                del counts[name]
            touched.add(key)

    def _spell(self, outcomes: list, changed: set) -> list:
        """One spelling per topic across the site, the spelling most stories use."""
        result, spelled = [], {}
        for outcome in outcomes:
            story = outcome.story
            if story is None:
                result.append(outcome)
                continue
            last = self.spelled.get(outcome.source)
            if last is None or last[0] is not outcome or self._touches(story, changed):
                names = tuple(dict.fromkeys(self.spelling[self.key_of[t]] for t in story.topics))
                made = outcome
                if names != story.topics:
                    made = replace(outcome, story=replace(story, topics=names))
                last = (outcome, made)
            spelled[outcome.source] = last
            result.append(last[1])
        self.spelled = spelled
        return result

    def _touches(self, story, changed: set) -> bool:
        return bool(changed) and any(self.key_of[t] in changed for t in story.topics)

    def _unique_slugs(self, outcomes: list) -> list:
        """The earliest story keeps a shared slug; the others add a stable suffix."""
        first: dict[str, int] = {}  # slug -> the first story's index, in the catalog's order
        shared: dict[str, list[int]] = {}  # slug -> every story's index, when more than one
        for index, outcome in enumerate(outcomes):
            if outcome.story:
                slug = outcome.story.slug or "story"
                if slug in first:
                    shared.setdefault(slug, [first[slug]]).append(index)
                else:
                    first[slug] = index
        taken = set(first)
        renamed = {}
        for slug, index in first.items():  # in that order: it decides a suffix taken twice
            indexes = shared.get(slug)
            if indexes is None:
                if outcomes[index].story.slug:
                    continue  # the common case: a slug of its own, kept
                indexes = [index]
            indexes.sort(key=lambda i: _age(outcomes[i].story))
            for n, index in enumerate(indexes):
                outcome = outcomes[index]
                story = outcome.story
                new = slug if n == 0 and story.slug else _suffixed(slug, story.source, taken)
                if new != story.slug:
                    last = self.renamed.get(outcome.source)
                    if last is None or last[0] is not outcome or last[1].story.slug != new:
                        last = (outcome, replace(outcome, story=replace(story, slug=new)))
                    renamed[outcome.source] = last
                    outcomes[index] = last[1]
        self.renamed = renamed
        return outcomes


def most_used(counts: Counter) -> str:
    """The spelling most stories use; of those used as often, the first in code point order
    (as topics.canonical_spellings decides)."""
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _age(story):
    return (story.date is None, story.date.timestamp() if story.date else 0, story.source)


def _suffixed(slug: str, source: str, taken: set) -> str:
    digest = hashlib.blake2b(source.encode(), digest_size=8).hexdigest()
    for width in range(4, 17):
        candidate = f"{slug}-{digest[:width]}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise AssertionError("unreachable: 16 hex digits of a distinct source collide")
