"""A small site whose stories moved: headlines corrected (so slugs changed), a date
corrected, an old slug taken by another story, a renamed story deleted. Ingested three
times, as an editor would, then built once (strictly, as `make publish` builds).
"""

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from helpers import gazette, ingest, write_site
from site_builder import free_port


def story(day: str, section: str, title: str, place: str) -> str:
    return (
        f"Date: {day}\nSection: {section}\n\n{title}\n\n"
        f"{place.upper()}: Officials in {place} spoke on {day} about {title.lower()}.\n\n"
        f"Residents of {place} said more news was expected.\n"
    )


FIRST = {
    "world/kunduz.txt": story("2021-08-08", "World", "Taliban take Kunduz", "Kunduz"),
    "sport/final.txt": story("2021-08-08", "Sport", "Olympic Games close", "Tokyo"),
    "world/herat.txt": story("2021-08-07", "World", "Fighting near Herat", "Herat"),
    "world/doha.txt": story("2021-08-01", "World", "Peace talks stall in Doha", "Doha"),
}
# The second ingest: three headlines corrected and a date corrected.
SECOND = {
    "world/kunduz.txt": story("2021-08-08", "World", "Taliban capture Kunduz", "Kunduz"),
    "sport/final.txt": story("2021-08-08", "Sport", "Olympic Games close in Tokyo", "Tokyo"),
    "world/herat.txt": story("2021-08-07", "World", "Fighting reaches Herat", "Herat"),
    "world/doha.txt": story("2021-08-02", "World", "Peace talks stall in Doha", "Doha"),
}
# The third: Kunduz's headline corrected again, a new story with the final's first
# headline (so its first URL), and Herat's story deleted.
THIRD = {
    "world/kunduz.txt": story("2021-08-08", "World", "Taliban capture Kunduz city", "Kunduz"),
    "business/games.txt": story("2021-08-08", "Business", "Olympic Games close", "Osaka"),
}
GONE = "world/herat.txt"

KUNDUZ = "2021/08/08/taliban-capture-kunduz-city/"
KUNDUZ_EARLIER = ["2021/08/08/taliban-take-kunduz/", "2021/08/08/taliban-capture-kunduz/"]
DOHA, DOHA_EARLIER = (
    "2021/08/02/peace-talks-stall-in-doha/",
    "2021/08/01/peace-talks-stall-in-doha/",
)
FINAL, FINAL_FIRST = "2021/08/08/olympic-games-close-in-tokyo/", "2021/08/08/olympic-games-close/"
HERAT = ["2021/08/07/fighting-near-herat/", "2021/08/07/fighting-reaches-herat/"]


def edit(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / "seeds" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@functools.cache
def renamed_site() -> tuple[Path, Path, str]:
    """(settings file, output folder, SITEURL) of the site, built on first use."""
    root = Path(tempfile.mkdtemp(prefix="gazette-renamed-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    siteurl = f"http://127.0.0.1:{free_port()}"
    conf = write_site(root, FIRST, SITEURL=siteurl, GAZETTE_STRICT=True)
    said = [ingest(conf, "2021-08-09T06:00:00+00:00").stderr]
    edit(root, SECOND)
    said.append(ingest(conf, "2021-08-10T06:00:00+00:00").stderr)
    edit(root, THIRD)
    (root / "seeds" / GONE).unlink()
    said.append(ingest(conf, "2021-08-11T06:00:00+00:00").stderr)
    (root / "ingests.log").write_text("\n".join(said))  # what each ingest said
    out = root / "out"
    done = gazette(conf, "build", "--strict", "--output", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return conf, out, siteurl
