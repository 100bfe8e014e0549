"""Clusters in a built site: a re-sent story shown once with its versions, two stories of
one event as one card with "More coverage", and the ids in inspect and the build report."""

import json

from bs4 import BeautifulSoup

from helpers import gazette, ingest, pelican, write_site

LEDE = (
    "PORTSMOUTH (Reuters) - The Portsmouth city council approved the Solent harbour bridge "
    "on Tuesday after harbourmaster Ada Kettering warned councillors that the old ferry "
    "could not carry the growing traffic across the Camber channel."
)
BODY = (
    "Construction of the bridge is expected to start next spring and cost 40 million "
    "pounds, the council said in a statement.\n\n"
    "Opponents said the bridge would spoil the view of the Spinnaker Tower and harm "
    "fishing in the Camber."
)
FIRST = (
    "Date: 2024-03-05T08:00:00+00:00\n\nPortsmouth council approves Solent bridge\n\n"
    f"{LEDE}\n\n{BODY}\n"
)
UPDATE = (
    "Date: 2024-03-05T13:00:00+00:00\n\nUPDATE 1-Portsmouth council approves Solent bridge\n\n"
    f"{LEDE}\n\n{BODY}\n\nThe vote was 31 to 12, a council spokesman added.\n"
)
OTHER = (
    "Date: 2024-03-05T15:00:00+00:00\nSource: Solent Evening News\n\n"
    "Kettering hails Solent harbour bridge vote in Portsmouth\n\n"
    "Portsmouth harbourmaster Ada Kettering welcomed the council vote approving the Solent "
    "harbour bridge across the Camber channel, saying the ferry could not carry the traffic.\n\n"
    "She said the Spinnaker Tower would still be seen from the water.\n"
)
FILLER = {
    f"filler-{n}.txt": f"Date: 2024-03-0{n}\n\nLibrary {n} extends its opening hours\n\n"
    f"The public library number {n} in a northern town will open on Sundays from May, "
    f"its trustees said, after readers number {n * 7} signed a petition.\n"
    for n in range(1, 5)
}
FILES = {"bridge.txt": FIRST, "bridge-update.txt": UPDATE, "kettering.txt": OTHER, **FILLER}


def site(tmp_path):
    conf = write_site(tmp_path, FILES, SITEURL="https://clusters.example")
    ingest(conf)
    done = pelican(conf, tmp_path / "out", "--fatal", "errors")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return conf, tmp_path / "out"


def test_versions_and_coverage_on_the_pages_in_inspect_and_in_the_report(tmp_path):
    conf, out = site(tmp_path)
    report = {f["source"]: f for f in json.loads((out / "build-report.json").read_text())["files"]}
    first, update, other = (
        report[f"seeds/{n}"] for n in ("bridge.txt", "bridge-update.txt", "kettering.txt")
    )
    assert first["cluster"] == update["cluster"] == other["cluster"]
    assert report["seeds/filler-1.txt"]["cluster"] != first["cluster"]
    # The newest full version is shown; the first is one of its versions.
    inspected = [
        json.loads(line) for line in gazette(conf, "inspect", "--json", "seeds").stdout.splitlines()
    ]
    by_source = {r["source"]: r for r in inspected}
    assert (
        by_source["seeds/bridge.txt"]["near_duplicate_of"]
        == by_source["seeds/bridge-update.txt"]["id"]
    )
    assert "near_duplicate_of" not in by_source["seeds/kettering.txt"]
    assert {r["cluster"] for r in inspected if "cluster" in r} >= {first["cluster"]}
    assert by_source["seeds/bridge.txt"]["cluster"] == first["cluster"]

    edition = BeautifulSoup((out / "2024" / "03" / "05" / "index.html").read_text(), "html.parser")
    cards = [a.get_text() for a in edition.select("article.card .headline a")]
    assert sum("Solent" in c for c in cards) == 1  # one card for the event
    more = edition.select(".more-coverage li")
    assert len(more) == 1  # the event's other shown story; the old version is not listed
    sources = {"Reuters", "Solent Evening News"}
    assert more[0].select_one(".source").get_text() in sources

    shown = out / update["url"].removeprefix("https://clusters.example/") / "index.html"
    page = BeautifulSoup(shown.read_text(), "html.parser")
    assert "Other versions" in page.get_text() and "More coverage" in page.get_text()
    old = out / first["url"].removeprefix("https://clusters.example/") / "index.html"
    note = BeautifulSoup(old.read_text(), "html.parser").select_one(".version-note a")
    assert note["href"] == update["url"]
