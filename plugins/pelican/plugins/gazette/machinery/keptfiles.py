"""The files a changes-only build (GAZETTE_CHANGES_ONLY) leaves in the previous output.

Each part of the build that leaves some there (the page cache, the social cards, the
search index) lists them in a file of the staged output named ``PREFIX`` + a name of its
own; the publish (commands/sitebuild.py ``merge``) takes the lists out and keeps those
files. No Pelican here: the publish's waiting process imports none (sitebuild.py).
"""

import json
import os

PREFIX = ".gazette-kept-"


def write_list(output: str, name: str, paths) -> None:
    """List ``paths`` (relative to the site) as left in place, the same bytes every build."""
    os.makedirs(output, exist_ok=True)
    with open(os.path.join(output, PREFIX + name), "w", encoding="utf-8") as listed:
        listed.write(json.dumps(sorted(paths)))


def take_lists(changes: str) -> set[str]:
    """The files the build left in place (paths relative to the site), its lists removed."""
    kept = set()
    for name in os.listdir(changes):
        if name.startswith(PREFIX):
            path = os.path.join(changes, name)
            with open(path, encoding="utf-8") as listed:
                kept.update(os.path.normpath(f) for f in json.load(listed))
            os.remove(path)
    return kept
