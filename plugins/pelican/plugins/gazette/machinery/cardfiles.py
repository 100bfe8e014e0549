"""Social cards into files: drawn (outputs/cards.py), stored whole, linked into the output.

No Pelican: a first build's cards are drawn beside its pages by a new interpreter
(parallel.share_in_background) given a function of this module as its work. Started
with a bare ``pelican`` package (its ``__init__`` not run), that interpreter imports
only this, the card drawing and Pillow: 20 MB less than with Pelican, Jinja and
docutils, which ``pelican/__init__.py`` imports (measured at 20,000 stories).
"""

import contextlib
import os
import shutil
import tempfile

from ..outputs import cards

NAME_CHARS = 24  # of the key's hex digits: the file's name


def file_name(key: str) -> str:
    return f"{key[:NAME_CHARS]}.png"


def draw(todo: list, cache: str | None, folder: str) -> None:
    """Draw each (key, text) into the cache and link it into the output (no cache: into
    the output)."""
    for key, text in todo:
        target = os.path.join(folder, file_name(key))
        if cache is None:
            store(target, cards.draw(text))
            continue
        cached = os.path.join(cache, file_name(key))
        store(cached, cards.draw(text))
        link(cached, target)


def draw_one(cache: str | None, folder: str, item) -> None:
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
