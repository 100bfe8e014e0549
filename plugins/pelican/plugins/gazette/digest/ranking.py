"""The order of a day's stories: documented signals, strongest first. Pure.

A story's rank within its day (and so the edition's lead, and the order in
each section) comes from, in this order:

1. an editor's ``Lead:`` header (yes: it opens the edition);
2. an editor's ``Priority:`` header (an integer, higher first; default 0);
3. a score: how many stories cover the same event (its cluster, digest/clusters.py)
   counts most, ``2 × log2(stories)``; then recency within the day (0 at midnight,
   1 at the day's end); then, weakly, length (at most 0.3, for 1,000 words or more);
4. ties: the newer story, then the slug: a stable order, so rebuilds are identical.

The functions read ``lead``, ``priority``, ``coverage``, ``date``, ``word_count``
and ``slug`` from any object (Pelican Articles in a build), each with a default.
"""

import math
from datetime import datetime, timedelta


def score(story, day_start: datetime) -> float:
    """The third signal: coverage, then recency within the day, then length."""
    coverage = max(1, int(getattr(story, "coverage", 1) or 1))
    elapsed = (story.date - day_start) / timedelta(days=1)
    recency = min(1.0, max(0.0, elapsed))
    words = max(1, int(getattr(story, "word_count", 0) or 0))
    length = 0.3 * min(1.0, math.log10(words) / 3)
    return 2 * math.log2(coverage) + recency + length


def rank_key(story, day_start: datetime) -> tuple:
    """Sorts a day's stories strongest first."""
    return (
        not bool(getattr(story, "lead", False)),
        -int(getattr(story, "priority", 0) or 0),
        -round(score(story, day_start), 9),  # rounded: the same order on every machine
        -story.date.timestamp(),
        story.slug,
    )


def rank(stories: list, day_start: datetime) -> list:
    """The day's stories, strongest first."""
    return sorted(stories, key=lambda s: rank_key(s, day_start))


def section_order(sections: dict, configured=(), by_volume: bool = True) -> list:
    """Section keys in the configured order (GAZETTE_SECTIONS, by name), then the rest
    by their number of stories, most first (an edition), or A–Z (the masthead: its
    order does not jump as a day's stories come in); ties by name."""
    position = {name.casefold(): n for n, name in enumerate(configured)}
    return sorted(
        sections,
        key=lambda s: (
            position.get(str(s).casefold(), len(position)),
            -len(sections[s]) if by_volume else 0,
            str(s).casefold(),
        ),
    )
