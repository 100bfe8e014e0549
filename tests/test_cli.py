"""The gazette command, run as a publisher runs it."""

import json

from helpers import SAMPLE, gazette, gazette_command, ingest, pelican, write_site

FIELDS = {
    "source",
    "status",
    "title",
    "slug",
    "id",
    "date",
    "modified",
    "section",
    "topics",
    "byline",
    "dateline",
    "place",
    "summary",
    "body_text",
    "removed",
    "word_count",
    "reading_time_minutes",
    "format",
    "agency",
    "credits",
    "corrections",
    "original_title",
    "canonical_url",
    "publisher",
    "image",
    "lang",
}


def test_inspect_json_shows_every_field(tmp_path):
    conf = write_site(tmp_path, {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes()})
    ingest(conf)
    done = gazette(conf, "inspect", "--json", "seeds")
    assert done.returncode == 0, done.stderr
    [record] = [json.loads(line) for line in done.stdout.splitlines()]
    assert set(record) >= FIELDS
    assert record["status"] == "ok"
    assert record["title"] == "US signals no change in airstrikes as Afghan Taliban advance"
    assert record["dateline"] == "Washington DC" and record["place"] == "Washington DC"
    assert record["removed"] == ["Next Story", "Share it"]
    assert record["date"] == "2021-08-10T06:00:00+00:00" == record["modified"]
    assert record["id"].startswith("tag:gazette.example,2021-08-10:story/")
    assert record["summary"].startswith("The United States showed no sign Monday")
    assert record["body_text"].startswith("The United States showed")
    assert "\n\nA Pentagon spokesman" in record["body_text"]
    assert "Next Story" not in record["body_text"]
    assert record["format"] == "text" and record["canonical_url"] is None
    assert "1 raw files: 1 published" in done.stderr


def test_inspect_readable_and_single_file(tmp_path):
    conf = write_site(tmp_path, {"a.txt": "Headline\n\nKABUL: Text here.\n"})
    done = gazette(conf, "inspect", "seeds/a.txt")
    assert done.returncode == 0, done.stderr
    assert "== seeds/a.txt: ok" in done.stdout
    assert "dateline              KABUL" in done.stdout


def test_check_reports_rejections_duplicates_and_collisions(tmp_path):
    conf = write_site(
        tmp_path,
        {
            "a.txt": "Storm hits\n\nOne.\n",
            "b.txt": "Storm hits\n\nTwo.\n",
            "c.txt": "Storm hits\n\nOne.\n",
            "empty.txt": "",
        },
    )
    done = gazette(conf, "check", "seeds")
    assert done.returncode == 1
    assert "rejected  seeds/empty.txt: empty file" in done.stdout
    assert "duplicate seeds/c.txt: duplicate of seeds/a.txt" in done.stdout
    assert "slug      'storm-hits' is shared by 2 stories: seeds/a.txt, seeds/b.txt" in done.stdout
    assert done.stdout.rstrip().endswith(
        "gazette check: 2 ok, 1 rejected, 1 duplicates, of 4 raw files"
    )


def test_check_of_the_whole_content_folder_passes_over_gazettes_cache(tmp_path):
    """pelican-quickstart's articles are the whole content folder, Gazette's cache included:
    ``check .`` walks as the build does, and the cards a build drew there are not listed."""
    site = tmp_path / "site"
    conf = write_site(site, {"a.txt": "Fine\n\nText of the story.\n"}, ARTICLE_PATHS=[""])
    assert pelican(conf, tmp_path / "out").returncode == 0
    assert list((site / ".cache" / "gazette" / "cards").glob("*.png"))
    done = gazette(conf, "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr
    assert ".cache" not in done.stdout


def test_check_passes_on_clean_input(tmp_path):
    conf = write_site(tmp_path, {"a.txt": "Fine\n\nText.\n"})
    assert gazette(conf, "check", "seeds").returncode == 0


def test_ingest_records_new_stories_once_and_never_rewrites(tmp_path):
    conf = write_site(tmp_path, {"a.txt": "A\n\nText.\n"})
    ledger = tmp_path / "seeds" / "ledger.jsonl"
    ingest(conf, "2021-08-10T06:00:00+00:00")
    first = ledger.read_text()
    assert "0 new, 0 revised, 1 already known" in ingest(conf, "2021-08-11T06:00:00+00:00").stderr
    assert ledger.read_text() == first  # nothing new: nothing written
    (tmp_path / "seeds" / "a.txt").write_text("A corrected\n\nText.\n")
    (tmp_path / "seeds" / "b.txt").write_text("B\n\nText.\n")
    done = ingest(conf, "2021-08-12T06:00:00+00:00")
    assert "1 new, 1 revised" in done.stderr
    assert ledger.read_text().startswith(first)  # appended, not rewritten


def test_damaged_ledger_stops_with_a_clear_error(tmp_path):
    conf = write_site(tmp_path, {"a.txt": "A\n\nText.\n"})
    (tmp_path / "seeds" / "ledger.jsonl").write_text("garbage\n")
    done = gazette(conf, "ingest")
    assert done.returncode == 2
    assert "the ledger is damaged" in done.stderr and "line 1" in done.stderr
    assert (tmp_path / "seeds" / "ledger.jsonl").read_text() == "garbage\n"


def test_ingest_without_a_ledger_warns_before_dating_everything(tmp_path):
    conf = write_site(tmp_path, {"a.txt": "A\n\nText.\n", "b.txt": "B\n\nText.\n"})
    done = ingest(conf)
    assert "warning: there is no ledger at seeds/ledger.jsonl" in done.stderr
    assert "restore it from version control" in done.stderr
    again = ingest(conf)
    assert "warning" not in again.stderr


def test_ingest_honours_source_date_epoch(tmp_path):
    import os
    import subprocess

    conf = write_site(tmp_path, {"a.txt": "A\n\nText.\n"})
    command = gazette_command(conf, "ingest")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1628496000"}  # 2021-08-09T08:00:00Z
    subprocess.run(command, check=True, env=env, cwd=tmp_path, capture_output=True)
    ledger = (tmp_path / "seeds" / "ledger.jsonl").read_text()
    assert '"first_seen": "2021-08-09T08:00:00+00:00"' in ledger
