"""Find the dateline at the start of a story's first paragraph.

Forms publishers use:

- ``Washington DC: The United States …`` (place, colon);
- ``SALVADOR, Feb 26 - Showers …`` (wire: place, date, dash);
- ``WASHINGTON (AP) — …`` and ``LONDON (Reuters) - …`` (place, agency, dash).

The colon form is also how ordinary sentences and titles look
(``He said: …``, ``Star Wars: Battlefront …``), so it is accepted only when
the words before the colon name a known place or are written in capitals.
"""

import re
from typing import NamedTuple

from .places import NOT_DATELINES, is_place

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WORD = r"[^\W\d_][\w.'’&}/-]*"
_PLACE = rf"{_WORD}(?:\ {_WORD}){{0,4}}"
_WIRE = re.compile(
    rf"""(?P<dateline>
        (?P<place>{_PLACE}(?:\ ?,\ {_PLACE}){{0,2}}?)
        (?P<date>,?\ (?:{_MONTH}\ +\d{{1,2}}|\d{{1,2}}\ {_MONTH}))?
        (?:\ ?(?P<agency>\([^()]{{1,30}}\)))?
    )
    \ *(?:--?|—|–)(?:\s+|(?=\S)|$)(?P<rest>.*)""",
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)
_COLON = re.compile(r"(?P<place>[^\W\d_][^:\d]{0,45}?):\s+(?P<rest>[\"'“‘(\w].*)", re.DOTALL)
_QUALIFIER = re.compile(r"[A-Z]{1,3}|[A-Z][a-z]{1,4}\.|[A-Z]\.(?:[A-Z]\.)+")
_CAPS_WORD = re.compile(r"[A-Z][A-Z.'’-]*")


class Dateline(NamedTuple):
    dateline: str  # as written, without the separator
    place: str  # the place alone: no date, no agency
    rest: str  # the paragraph after the separator; empty when the dateline stands alone


def split_dateline(paragraph: str) -> Dateline | None:
    """Return the dateline of ``paragraph``, or None when it has none."""
    text = paragraph.lstrip()
    return _wire_dateline(text) or _colon_dateline(text)


def _wire_dateline(text: str) -> Dateline | None:
    match = _WIRE.match(text)
    if not match:
        return None
    place = match["place"]
    has_stamp = match["date"] or match["agency"]
    if not has_stamp and not _all_caps(place):
        return None
    if not has_stamp and not _plausible_place(place, allow_unknown=True):
        return None
    return Dateline(match["dateline"].strip(), place, match["rest"])


def _colon_dateline(text: str) -> Dateline | None:
    match = _COLON.match(text)
    if not match:
        return None
    place = match["place"].strip()
    if place.split()[0].lower() in NOT_DATELINES:
        return None
    if not _plausible_place(place, allow_unknown=_all_caps(place)):
        return None
    return Dateline(place, place, match["rest"])


def _all_caps(place: str) -> bool:
    words = place.replace(",", " ").split()
    return bool(words) and all(_CAPS_WORD.fullmatch(w) for w in words) and len(place) >= 3


def _plausible_place(place: str, allow_unknown: bool) -> bool:
    """Capitalised words, not a label; a known place unless ``allow_unknown``."""
    parts = [p.strip() for p in place.split(",")]
    words = " ".join(parts).split()
    if not words or not all(w[0].isupper() for w in words if w.lower() not in _PARTICLES):
        return False
    if words[0].lower() in _PARTICLES:
        return False
    return allow_unknown or _known_place(parts)


# Lower-case words allowed inside place names ("Rio de Janeiro", "Bay of Plenty").
_PARTICLES = frozenset({"de", "do", "da", "del", "la", "le", "of", "on", "upon", "al", "el"})


def _known_place(parts: list[str]) -> bool:
    """The leading words are a gazetteer name; any words after it qualify it."""
    head, *qualifiers = parts
    words = head.split()
    for cut in range(len(words), 0, -1):
        if is_place(" ".join(words[:cut])):
            tail = words[cut:] + [q for q in qualifiers if q]
            return all(_QUALIFIER.fullmatch(t) or is_place(t) for t in tail)
    return False
