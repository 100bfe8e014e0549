"""Social card files: drawn into the cards cache, linked from there into the output.

No Pelican here (glue/cards.py decides which cards a build wants): a process that
only draws cards (parallel.share_in_background) imports this module, Pillow and
outputs/cards.py, not Pelican and Jinja (30 MB less in that process).
"""

import contextlib
import os
import shutil
import tempfile

from ..outputs import cards

NAME_CHARS = 24  # of the key's hex digits: the file's name


def file_name(key: str) -> str:
    return f"{key[:NAME_CHARS]}.png"


def draw(todo: list, cache: str | None, folder: str | None) -> None:
    """Draw each (key, text) into the cache and link it into ``folder`` (None: leave it in
    the cache); with no cache, into ``folder``."""
    for key, text in todo:
        name = file_name(key)
        if cache is None:
            store(os.path.join(folder, name), cards.draw(text))
            continue
        store(os.path.join(cache, name), cards.draw(text))
        if folder is not None:
            link(os.path.join(cache, name), os.path.join(folder, name))


def draw_one(cache: str | None, folder: str | None, item) -> None:
    """``draw`` of one (key, text): what a process sharing the cards does with each."""
    draw([item], cache, folder)


def store(path: str, png: bytes) -> None:
    """Write ``png`` at ``path`` whole or not at all (a build killed midway, two builds
    at once: never a half-written card in the cache)."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(png)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def link(source: str, target: str) -> None:
    """Hard-link the cached card into the output (no build writes into an existing file,
    so the two never differ), else copy it."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(target)  # an earlier build's, when building into the same folder
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, target)
