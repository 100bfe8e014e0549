"""Synthetic news stories for the benchmark, in Gazette's raw format and as Markdown.

Every word is generated here from small built-in word lists and a seeded random
generator: no third-party text. The same ``seed`` and ``n`` always give the same
files, so Gazette and stock Pelican build identical stories, run after run.

A story has a headline naming one of its subjects, an optional byline, a
``Place:`` dateline, 300–900 words in 6–14 paragraphs, 3–6 subjects drawn
(Zipf-like, so some topics are large) from a pool of a few hundred names, a
section among seven, and a date and time spread over two years.

Two topic distributions (``topics``): ``"pool"``, the subjects drawn from that
fixed pool of a few hundred names (every topic recurs, so a site has a few
hundred topics at any size); and ``"news"``, one like real news, where the
names keep coming: about three in four of a story's subjects are new names
(made of syllables, unlimited), the rest recur, most often the earliest ones.
That gives about 3.4 distinct topics per story over the whole corpus, as the
BBC News corpus has, most of them in one story only.
"""

import json
import os
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

SECTIONS = ("World", "Business", "Politics", "Science", "Sport", "Technology", "Health")
# Real place names (facts, not text) so that datelines are recognised as places.
PLACES = (
    "London Paris Berlin Madrid Rome Vienna Warsaw Prague Budapest Athens Lisbon Dublin Oslo "
    "Stockholm Helsinki Copenhagen Brussels Amsterdam Geneva Moscow Kyiv Istanbul Cairo "
    "Nairobi Lagos Accra Johannesburg Dakar Tunis Tehran Baghdad Beirut Amman Riyadh Doha Dubai "
    "Karachi Lahore Delhi Mumbai Kolkata Dhaka Colombo Kathmandu Bangkok Hanoi Manila Jakarta "
    "Singapore Beijing Shanghai Seoul Tokyo Osaka Sydney Melbourne Auckland Toronto "
    "Vancouver Chicago Boston Houston Miami Denver Seattle Atlanta Lima Santiago Caracas "
    "Havana Quito"
).split()
FIRST = (
    "Amara Bruno Chen Dalia Emil Farah Goran Hana Idris Jonas Keiko Lars Mira Nadia Omar Petra "
    "Quentin Rosa Samir Tomas Ulla Viktor Wen Yara Zoltan Alma Bilal Carmen Dmitri Elif"
).split()
LAST = (
    "Abernathy Brandt Castellano Dubois Eriksen Fontaine Gallardo Haddad Ibsen Jovanovic Kowalski "
    "Lindqvist Moreau Nakamura Okafor Petrov Quiroga Rahman Santos Takahashi Umarov Varga "
    "Whitcombe Xu Yilmaz Zielinski Achterberg Benedetti Carvalho Dragomir"
).split()
ORG_HEAD = (
    "Northbridge Silverline Harbourside Redwood Meridian Crestview Ironvale Bluewater Summit "
    "Larkspur Oakhaven Stonegate Brightmoor Kestrel Halcyon Westmarch"
).split()
ORG_TAIL = ("Energy", "Holdings", "Motors", "Bank", "Pharma", "Telecom", "Airlines", "Foundation")
# Lower-case vocabulary for the running text.
WORDS = (
    "the a of to and in that for on with as by at from about after over under before "
    "government officials said plan budget market shares growth report council minister talks "
    "deal agreement proposal vote election campaign police court judge ruling appeal trial "
    "company profits losses investors prices inflation rates bank central economy jobs workers "
    "strike union wages hospital patients doctors vaccine study researchers data results team "
    "match season coach players league title goal victory defeat storm flooding rain drought "
    "water energy power grid fuel oil gas climate emissions targets city residents housing rents "
    "schools teachers students exams transport rail trains airport flights roads traffic "
    "security border troops ceasefire aid refugees crisis response measures week month year "
    "morning evening new first last local national regional public private major small large "
    "rose fell increased announced confirmed denied warned expected planned agreed rejected "
    "would could might will has have had was were is are been being not also more less most "
    "than which who while when where because although since during against between across"
).split()
# Syllables of made-up names for the "news" distribution: no real name is meant.
SYLLABLES = (
    "ka ro mi ten sa vel dor an li bru tes ga hol mer qui zan pe lo ris fen "
    "ul bar cas nor ve tri mon sel ar dis ko lan"
).split()
TOPIC_DISTRIBUTIONS = ("pool", "news")
NEW_NAME_SHARE = 0.76  # of a story's subjects, in "news": 4.5 a story x 0.76 = 3.4 new
OPENERS = (
    "officials",
    "analysts",
    "critics",
    "supporters",
    "residents",
    "experts",
    "investors",
    "the ministry",
    "the report",
    "the company",
)


@dataclass(frozen=True)
class Story:
    index: int
    title: str
    slug: str
    section: str
    date: datetime
    place: str
    byline: str | None
    subjects: tuple[str, ...]
    paragraphs: tuple[str, ...]


def name_pool(rng: random.Random) -> list[str]:
    """About 300 names: people, places and organisations, in a fixed random order."""
    people = [f"{f} {last}" for f in FIRST for last in LAST]
    rng.shuffle(people)
    orgs = [f"{h} {t}" for h in ORG_HEAD for t in ORG_TAIL]
    rng.shuffle(orgs)
    pool = people[:150] + orgs[:80] + list(PLACES)
    rng.shuffle(pool)
    return pool


def _sentence(rng: random.Random, subjects: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 24))]
    if subjects and rng.random() < 0.6:
        words.insert(rng.randint(1, len(words) - 1), rng.choice(subjects))
    opener = rng.choice(OPENERS)
    return f"{opener[0].upper()}{opener[1:]} {' '.join(words)}."


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _made_up_name(rng: random.Random, taken: set[str]) -> str:
    """A capitalised two-word name nobody has yet (a person's or an organisation's)."""
    while True:
        words = ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))) for _ in range(2)]
        if rng.random() < 0.3:
            words[1] = rng.choice(ORG_TAIL).lower()
        name = " ".join(word.capitalize() for word in words)
        if name not in taken:
            taken.add(name)
            return name


def _news_subjects(rng: random.Random, names: list[str], taken: set[str]) -> list[str]:
    """3-6 subjects: most of them new names, the others earlier ones (early ones most)."""
    subjects = []
    for _ in range(rng.randint(3, 6)):
        if not names or rng.random() < NEW_NAME_SHARE:
            names.append(_made_up_name(rng, taken))
            subjects.append(names[-1])
        else:  # rank ~ u^3: a head of recurring names and a long tail
            subjects.append(names[int(len(names) * rng.random() ** 3)])
    return list(dict.fromkeys(subjects))


def stories(
    n: int, seed: int = 7, start: datetime | None = None, days: int = 730, topics: str = "pool"
):
    """``n`` stories, the same ones for the same seed and topic distribution."""
    if topics not in TOPIC_DISTRIBUTIONS:
        raise ValueError(f"topics: one of {TOPIC_DISTRIBUTIONS}, not {topics!r}")
    rng = random.Random(seed)
    pool = name_pool(rng)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(pool))]  # a few big topics
    names: list[str] = []
    taken = set(pool)
    start = start or datetime(2022, 1, 1, tzinfo=UTC)
    for index in range(n):
        if topics == "news":
            subjects = _news_subjects(rng, names, taken)
        else:
            subjects = list(dict.fromkeys(rng.choices(pool, weights, k=rng.randint(3, 6))))
        target = rng.randint(300, 900)
        paragraphs, count = [], 0
        while count < target or len(paragraphs) < 6:
            para = " ".join(_sentence(rng, subjects) for _ in range(rng.randint(2, 4)))
            paragraphs.append(para)
            count += len(para.split())
        headline_words = [rng.choice(WORDS) for _ in range(rng.randint(4, 8))]
        title = f"{subjects[0]} {' '.join(headline_words)} {rng.choice(subjects)}"
        when = start + timedelta(minutes=rng.randrange(days * 24 * 60))
        byline = f"By {rng.choice(FIRST)} {rng.choice(LAST)}" if rng.random() < 0.5 else None
        yield Story(
            index=index,
            title=title,
            slug=f"{slugify(title)[:60]}-{index}",
            section=rng.choice(SECTIONS),
            date=when,
            place=rng.choice(PLACES),
            byline=byline,
            subjects=tuple(subjects),
            paragraphs=tuple(paragraphs),
        )


def raw_text(story: Story) -> str:
    """The story in Gazette's raw format (header lines, headline, byline, dateline)."""
    lines = [f"Date: {story.date:%Y-%m-%dT%H:%M}", f"Section: {story.section}", "", story.title, ""]
    body = [f"{story.place}: {story.paragraphs[0]}", *story.paragraphs[1:]]
    if story.byline:
        body.insert(0, story.byline)
    return "\n".join(lines) + "\n\n".join(body) + "\n"


def markdown_text(story: Story) -> str:
    """The same story for stock Pelican: Markdown with its metadata."""
    meta = [
        f"Title: {story.title}",
        f"Date: {story.date:%Y-%m-%d %H:%M}",
        f"Category: {story.section}",
        f"Tags: {', '.join(story.subjects)}",
        f"Slug: {story.slug}",
    ]
    if story.byline:
        meta.append(f"Author: {story.byline.removeprefix('By ')}")
    body = [f"**{story.place}:** {story.paragraphs[0]}", *story.paragraphs[1:]]
    return "\n".join(meta) + "\n\n" + "\n\n".join(body) + "\n"


def hugo_text(story: Story) -> str:
    """The same story for Hugo: YAML front matter (JSON strings are valid YAML)."""
    meta = [
        "---",
        f"title: {json.dumps(story.title)}",
        f"date: {story.date:%Y-%m-%dT%H:%M:%SZ}",
        f"slug: {json.dumps(story.slug)}",
        f"categories: [{json.dumps(story.section)}]",
        f"tags: {json.dumps(list(story.subjects))}",
    ]
    if story.byline:
        meta.append(f"author: {json.dumps(story.byline.removeprefix('By '))}")
    body = [f"**{story.place}:** {story.paragraphs[0]}", *story.paragraphs[1:]]
    return "\n".join(meta) + "\n---\n\n" + "\n\n".join(body) + "\n"


def raw_name(story: Story) -> str:
    return f"story-{story.index:06d}.txt"


def write_corpus(root: str, n: int, seed: int = 7, topics: str = "pool") -> dict:
    """``root/gazette/seeds`` (raw files + ledger), ``root/pelican/content`` (Markdown)
    and ``root/hugo/content/stories`` (Markdown with front matter).

    The ledger is left to ``gazette ingest`` (see run.py), so ids and hashes are
    exactly what a publisher's would be.
    """
    seeds = os.path.join(root, "gazette", "seeds")
    content = os.path.join(root, "pelican", "content")
    hugo = os.path.join(root, "hugo", "content", "stories")
    for folder in (seeds, content, hugo):
        os.makedirs(folder, exist_ok=True)
    words, subjects = 0, set()
    for story in stories(n, seed, topics=topics):
        write_story(seeds, content, story, hugo)
        words += sum(len(p.split()) for p in story.paragraphs)
        subjects.update(story.subjects)
    return {"stories": n, "words": words, "topics": len(subjects)}


def write_story(seeds: str, content: str | None, story: Story, hugo: str | None = None) -> None:
    with open(os.path.join(seeds, raw_name(story)), "w", encoding="utf-8") as out:
        out.write(raw_text(story))
    if content:
        with open(os.path.join(content, f"story-{story.index:06d}.md"), "w") as out:
            out.write(markdown_text(story))
    if hugo:
        with open(os.path.join(hugo, f"story-{story.index:06d}.md"), "w") as out:
            out.write(hugo_text(story))
