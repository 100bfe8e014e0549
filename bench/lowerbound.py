"""The plain-Python lower bound of a build: read the sources, write the same files.

    python bench/lowerbound.py SOURCES MANIFEST OUTPUT

Reads every file under SOURCES (the raw stories), then writes every file that
MANIFEST lists (JSON: [[relative path, size], ...], a tool's output) into
OUTPUT with that many bytes. No parsing, no templates: what any static site
generator must at least do for that output, in Python. run.py times it in a
fresh process like the builds.
"""

import json
import os
import sys


def read_sources(folder: str) -> int:
    total = 0
    for place, _, names in os.walk(folder):
        for name in names:
            with open(os.path.join(place, name), "rb") as source:
                total += len(source.read())
    return total


def write_files(manifest: list, output: str) -> None:
    made = set()
    for path, size in manifest:
        target = os.path.join(output, path)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(target, "wb") as out:
            out.write(b"x" * size)


def main(sources: str, manifest: str, output: str) -> int:
    read_sources(sources)
    with open(manifest, encoding="utf-8") as listed:
        write_files(json.load(listed), output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
