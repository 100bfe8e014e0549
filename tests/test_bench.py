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
