"""A fuzz build: a few hundred raw files made of mutated real articles and random bytes.

The files are made at test time in a temporary folder (seeded, so every run makes the same
ones): real articles from ../shared/corpora when it is there (else this repository's own
sample and the hostile corpus), mutated, and plain random bytes. The build must finish, and
its report must account for every file under the content folder.
"""

import json
import random
import time

from corpora import BBC
from helpers import SAMPLE, ingest, pelican, write_site
from hostile import hostile_files
from pelican.plugins.gazette import settings
from pelican.plugins.gazette.ingest import catalog

FILES = 300
HEADERS = [
    b"Date: 0001-01-01T00:00:00+14:00\n",
    b"Date: 9999-12-31T23:59:59-12:00\n",
    b"Date: 2021-02-30\n",
    b"Date: \xff\xfe\n",
    b"Topics: ???\n",
    b"Topics: \xf0\x9f\x98\x80, !!!, , ,\n",
    b"Topics: " + b"a," * 500 + b"\n",
    b"Section: \xf0\x9f\x93\xb0\n",
    b"Section: ../../etc\n",
    b"Section:\n",
    b"Byline: " + b"x" * 5000 + b"\n",
    b"Source: <script>alert(1)</script>\n",
    b"Date: 2021-08-09\nDate: 2021-08-10\n",
]
NAMES = [
    "a",
    "Ünï côdé",
    "名前",
    "x" * 120,
    "dots.in.name",
    "-dash",
    "2021-08-09-dated",
    "2099-99-99",
]


def bases() -> list[bytes]:
    found = sorted(BBC.glob("*/*.txt"))[::7][:80] if BBC.is_dir() else []
    texts = [path.read_bytes() for path in found]
    return texts + [SAMPLE.read_bytes(), *hostile_files().values()]


def mutate(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data[:200_000])
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(9)
        spot = rng.randrange(len(data) + 1)
        if kind == 0 and data:  # flipped bytes
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:  # random bytes inserted
            data[spot:spot] = rng.randbytes(rng.randint(1, 200))
        elif kind == 2:  # cut short
            del data[spot:]
        elif kind == 3:  # hostile header lines in front
            data[0:0] = b"".join(rng.sample(HEADERS, rng.randint(1, 3)))
        elif kind == 4:  # control characters, NUL, lone CR
            data[spot:spot] = rng.choice([b"\x00", b"\r", b"\x1b[31m", b"\x0c", b"\xef\xbb\xbf"])
        elif kind == 5:  # a paragraph repeated many times
            data[spot:spot] = b"\n\n" + bytes(data[spot : spot + 80]) * rng.randint(50, 500)
        elif kind == 6:  # another encoding
            data = bytearray(
                bytes(data).decode("utf-8", "replace").encode(rng.choice(ENCODINGS), "replace")
            )
        elif kind == 7:  # one long run of one word
            data[spot:spot] = b"The " * rng.randint(1000, 50_000)
        else:  # line ends of another system
            data = bytearray(bytes(data).replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n\n"])))
    return bytes(data)


ENCODINGS = ["utf-16", "cp1252", "latin-1", "utf-8"]


def corpus(rng: random.Random) -> dict[str, bytes]:
    texts = bases()
    files = {}
    while len(files) < FILES:
        n = len(files)
        folder = rng.choice(["", "", "world/", "Ünï/", "deep/er/", "sport/"])
        name = f"{folder}{n:03}-{rng.choice(NAMES)}.txt"
        if n % 5 == 0:  # random bytes, of any length
            files[name] = rng.randbytes(rng.choice([0, 1, 7, 100, 5000, 100_000]))
        else:
            files[name] = mutate(rng, rng.choice(texts))
    return files


def test_a_fuzz_build_finishes_and_accounts_for_every_file(tmp_path):
    rng = random.Random(14)
    files = corpus(rng)
    conf = write_site(tmp_path, files)
    ingest(conf)
    started = time.monotonic()
    done = pelican(conf, tmp_path / "out", "--fatal", "errors")
    took = time.monotonic() - started
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    accounted = {f["source"] for f in report["files"]} | {
        f["source"] for f in report["ignored_files"]
    }
    written = {f"seeds/{name}" for name in files} | {"seeds/ledger.jsonl"}
    assert written == accounted
    assert (
        report["raw_files"]
        == len(files)
        == sum(report[k] for k in ("published", "duplicate", "rejected"))
    )
    for item in report["files"]:
        assert item["outcome"] != "rejected" or item["reason"], item
    # A third of the files are random bytes; most mutated articles still publish.
    assert report["published"] > FILES // 4
    counts = {k: v for k, v in report.items() if isinstance(v, int)}
    print(f"fuzz build: {len(files)} files, {counts}, {took:.1f} s")


def test_no_fuzz_file_takes_long(tmp_path):
    """Each file's whole way (read, parse, topics, story), alone: the slowest one."""
    rng = random.Random(14)
    files = corpus(rng)
    write_site(tmp_path, files)
    config = settings.resolve({"PATH": str(tmp_path), "GAZETTE_CACHE_PATH": ""})
    slowest = (0.0, "")
    for name in files:
        started = time.perf_counter()
        built = catalog.build(
            config, files=[(f"seeds/{name}", "seeds")], entries={}, require_ledger=False
        )
        took = time.perf_counter() - started
        assert len(built.outcomes) == 1
        slowest = max(slowest, (took, name))
    print(f"slowest fuzz file: {slowest[1]!r} in {slowest[0]:.2f} s")
    assert slowest[0] < 5, slowest
