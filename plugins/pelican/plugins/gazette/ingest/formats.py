"""Which files are raw articles, and which parser reads each: one ``parse`` per format.

Like Pelican's readers: each format has a function of the same contract,
bytes in, a ``RawStory`` or a ``Rejection`` out, never an exception. The
catalog, the parse cache's workers and the Pelican reader all go through
``parse_file``, so every path sees the same formats.
"""

import re
from pathlib import PurePosixPath

from . import raw

# File name suffixes of raw articles (lower case, as written: "upper.TXT" is not one).
RAW_SUFFIXES = (".txt",)


def is_raw(name: str) -> bool:
    """Whether a file of this name is a raw article."""
    return name.endswith(RAW_SUFFIXES)


def parse_file(data: bytes, source: str, junk: re.Pattern):
    """The parse of the raw file ``source`` by its format."""
    suffix = PurePosixPath(source).suffix
    if suffix == ".txt":
        return raw.parse(data, source, junk)
    return raw.Rejection(source, f"not a raw article format ({suffix or 'no suffix'})")
