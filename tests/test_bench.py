"""The benchmark's story generator (bench/generate.py): seeded, well-formed, parsed as meant."""

import sys
from pathlib import Path

from pelican.plugins.gazette import settings
from pelican.plugins.gazette.ingest.raw import RawStory, parse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate  # noqa: E402


def test_generated_stories_are_seeded_and_parse_as_meant(tmp_path):
    stories = list(generate.stories(20, seed=3))
    assert stories == list(generate.stories(20, seed=3))
    assert stories != list(generate.stories(20, seed=4))
    assert len({s.slug for s in stories}) == 20
    junk = settings.resolve().junk
    for story in stories:
        words = sum(len(p.split()) for p in story.paragraphs)
        assert 300 <= words <= 1000 and len(story.paragraphs) >= 6
        raw = parse(generate.raw_text(story).encode(), "x.txt", junk)
        assert isinstance(raw, RawStory), raw
        assert raw.title == story.title and raw.place == story.place
        assert raw.headers["section"] == story.section
        assert raw.byline == (story.byline.removeprefix("By ") if story.byline else None)
        markdown = generate.markdown_text(story)
        assert f"Title: {story.title}\n" in markdown and f"Slug: {story.slug}\n" in markdown


def test_write_corpus_writes_both_sites(tmp_path):
    info = generate.write_corpus(str(tmp_path), 5, seed=1)
    assert info["stories"] == 5
    assert len(list((tmp_path / "gazette" / "seeds").glob("*.txt"))) == 5
    assert len(list((tmp_path / "pelican" / "content").glob("*.md"))) == 5


def test_news_topics_keep_coming_like_real_news():
    stories = list(generate.stories(2000, seed=5, topics="news"))
    assert stories == list(generate.stories(2000, seed=5, topics="news"))
    distinct = {subject for story in stories for subject in story.subjects}
    assert 3.0 <= len(distinct) / len(stories) <= 3.8  # BBC News: about 3.4
    counts = {}
    for story in stories:
        assert 3 <= len(story.subjects) <= 6
        for subject in story.subjects:
            counts[subject] = counts.get(subject, 0) + 1
    assert max(counts.values()) >= 20  # a head of recurring names
    assert sum(count == 1 for count in counts.values()) > len(counts) / 2  # a long tail
    # the pool corpus is what it was: the same stories as before the news corpus existed
    pool = list(generate.stories(3, seed=7))
    assert pool == list(generate.stories(3, seed=7, topics="pool"))


def test_hugo_markdown_carries_the_same_metadata():
    story = next(generate.stories(1, seed=2, topics="news"))
    text = generate.hugo_text(story)
    head, body = text.split("\n---\n", 1)
    assert head.startswith("---\n")
    assert json_line(head, "title") == story.title
    assert json_line(head, "tags") == list(story.subjects)
    assert story.paragraphs[-1] in body


def json_line(head: str, key: str):
    import json

    line = next(line for line in head.splitlines() if line.startswith(f"{key}: "))
    return json.loads(line.removeprefix(f"{key}: "))


def test_tree_memory_counts_every_process_of_the_tree():
    import tree

    # a parent holding ~40 MB that forks a child touching ~40 MB of its own
    code = (
        "import os, time\n"
        "a = b'x' * (40 << 20)\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    b = b'y' * (40 << 20); time.sleep(1); os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
    )
    timeline = []
    usage = tree.measure([sys.executable, "-c", code], timeline=timeline)
    assert usage.rss_mb > 115  # both processes' memory (about 50 + 90 MB), not the largest's
    assert 80 <= usage.pss_mb < usage.rss_mb - 20  # the parent's 40 MB, shared, once
    # the timeline has each sample's processes: two while the child lives, the peak among them
    assert max(len(each) for _, _, each in timeline) == 2
    assert max(total for _, total, _ in timeline) / 1024 == usage.pss_mb
    times = [seconds for seconds, _, _ in timeline]
    assert times == sorted(times)


def test_lower_bound_writes_the_listed_files(tmp_path):
    import json

    import lowerbound

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("story")
    manifest = tmp_path / "files.json"
    manifest.write_text(json.dumps([["x/index.html", 10], ["feed.xml", 3]]))
    lowerbound.main(str(tmp_path / "src"), str(manifest), str(tmp_path / "out"))
    assert (tmp_path / "out" / "x" / "index.html").stat().st_size == 10
    assert (tmp_path / "out" / "feed.xml").read_bytes() == b"xxx"
