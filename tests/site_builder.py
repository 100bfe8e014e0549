"""A small digest site, built once per test session in a temporary folder.

Several days, sections and topics, a byline, a headline with markup
characters, a revised story and a section long enough to paginate: every
page type of the theme, in a build of a few seconds.
"""

import atexit
import contextlib
import functools
import http.server
import shutil
import socket
import tempfile
import threading
from pathlib import Path

from helpers import REPO, SAMPLE, ingest, pelican, write_site


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Links are absolute: the browser tests serve the site at exactly this address.
SITEURL = f"http://127.0.0.1:{free_port()}"
PER_PAGE = 3


def story(day: str, section: str, title: str, body: str, topics: str, byline: str = "") -> str:
    head = f"Date: {day}\nSection: {section}\nTopics: {topics}\n"
    if byline:
        head += f"Byline: {byline}\n"
    return f"{head}\n{title}\n\n{body}\n"


def _lede(place: str, n: int) -> str:
    # Words of each story's own (distinct bodies: the same filler would make the stories
    # near-duplicates of one another, digest/clusters.py).
    stem = "".join(c for c in place.lower() if c.isalpha())
    words = " ".join(f"filler{i}{stem}" for i in range(n))
    return f"{place}: Talks in {place} went on late into the night. {words}.\n\nA second paragraph."


STORIES = {
    "world/lead.txt": story(
        "2021-08-09",
        "World",
        "US signals no change in airstrikes as Taliban advance",
        _lede("Washington DC", 600),
        "Afghanistan, Pentagon, Taliban",
        "Jane Doe",
    ),
    "world/kabul.txt": story(
        "2021-08-09",
        "World",
        "Kabul prepares for a long week",
        _lede("Kabul", 80),
        "Afghanistan, Kabul",
    ),
    "business/att.txt": story(
        "2021-08-09",
        "Business",
        "AT&T <T.N> shares rise on 5G hopes",
        _lede("New York", 50),
        "AT&T, Telecoms",
    ),
    "world/kunduz.txt": story(
        "2021-08-08",
        "World",
        "Taliban capture Kunduz",
        _lede("Kunduz", 120),
        "Afghanistan, Taliban",
    ),
    "sport/final.txt": story(
        "2021-08-08",
        "Sport",
        "Olympic Games close in Tokyo",
        _lede("Tokyo", 90),
        "Olympic Games, Tokyo",
    ),
    "world/herat.txt": story(
        "2021-08-07",
        "World",
        "Fighting reaches Herat",
        _lede("Herat", 70),
        "Afghanistan, Herat",
    ),
    "world/talks.txt": story(
        "2021-08-01",
        "World",
        "Peace talks stall in Doha",
        _lede("Doha", 60),
        "Afghanistan, Doha",
    ),
}
REVISED = "world/kunduz.txt"
REVISED_AT = "2021-08-11T12:00:00+00:00"


@functools.cache
def small_site() -> Path:
    """The output folder of the small site (built on first use)."""
    root = Path(tempfile.mkdtemp(prefix="gazette-theme-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    conf = write_site(root, STORIES, DEFAULT_PAGINATION=PER_PAGE, SITEURL=SITEURL)
    for page in (REPO / "content" / "pages").glob("*.md"):
        shutil.copy(page, root / "content" / "pages" / page.name)
    ingest(conf, "2021-08-10T06:00:00+00:00")
    revised = root / "seeds" / REVISED
    revised.write_text(revised.read_text() + "\nA correction was added.\n")
    ingest(conf, REVISED_AT)
    done = pelican(conf, root / "out", "--fatal", "errors")
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "out"


def html_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html"))


def url_of(out: Path, path: Path) -> str:
    """The public URL of an output file."""
    rel = path.relative_to(out).as_posix()
    return f"{SITEURL}/{rel.removesuffix('index.html')}"


@functools.cache
def bbc_site(per_section: int = 8) -> tuple[Path, str]:
    """(output folder, SITEURL) of the sample story plus part of the BBC corpus.

    Sections come from the corpus folders; a Date: header spreads the stories
    over a week so the site has several editions. The raw files live only in
    the temporary folder: no corpus text enters the repository.
    """
    from corpora import bbc_files

    files = {"world/sample.txt": "Date: 2005-03-07\n\n" + SAMPLE.read_text(encoding="utf-8")}
    by_folder: dict[str, list[Path]] = {}
    for path in bbc_files():
        by_folder.setdefault(path.parent.name, []).append(path)
    for folder, paths in by_folder.items():
        for n, path in enumerate(paths[:per_section]):
            header = f"Date: 2005-03-{1 + n % 7:02d}\n\n".encode()
            files[f"{folder}/{path.name}"] = header + path.read_bytes()
    root = Path(tempfile.mkdtemp(prefix="gazette-bbc-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    siteurl = f"http://127.0.0.1:{free_port()}"
    conf = write_site(root, files, SITEURL=siteurl, DEFAULT_PAGINATION=5)
    ingest(conf, "2005-03-08T06:00:00+00:00")
    done = pelican(conf, root / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "out", siteurl


@contextlib.contextmanager
def serve(out: Path, siteurl: str):
    """Serve ``out`` on 127.0.0.1 at the port of ``siteurl`` while the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(siteurl.rsplit(":", 1)[1])), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield siteurl
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
