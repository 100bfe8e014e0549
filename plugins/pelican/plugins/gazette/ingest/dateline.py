"""Find the dateline at the start of a story's first paragraph.

Forms publishers use:

- ``Washington DC: The United States …`` (place, colon);
- ``SALVADOR, Feb 26 - Showers …`` (wire: place, date, dash);
- ``WASHINGTON (AP) — …`` and ``LONDON (Reuters) - …`` (place, agency, dash);
- ``New Delhi, Aug 1 (PTI) The …`` (place, date, a known agency, no dash);
- ``(Reuters) - …`` and ``(IANS) …`` (a known agency alone: no place, ``dateline`` None);
- ``Woodcliff Lake, N.J.: …``, ``London, March 9: …`` (colon forms, with qualifiers and dates).

The agency is returned apart (``Dateline.agency``) so that it becomes the
story's source and never stays in the lede.

The colon form is also how ordinary sentences and titles look
(``He said: …``, ``Star Wars: Battlefront …``), so it is accepted only when
the words before the colon name a known place or are written in capitals.
"""

import re
from typing import NamedTuple

from .agencies import is_agency
from .places import NOT_DATELINES, is_place, is_qualifier

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = rf",?\ (?:{_MONTH}\ +\d{{1,2}}|\d{{1,2}}\ {_MONTH})"
_WORD = r"[^\W\d_][\w.'’&}/-]*"
_PLACE = rf"{_WORD}(?:\ {_WORD}){{0,4}}"
_WIRE_HEAD = rf"""(?P<dateline>
        (?P<place>{_PLACE}(?:\ ?,\ {_PLACE}){{0,2}}?)
        (?P<date>{_DATE})?
        (?:\ ?(?P<agency>\([^()]{{1,30}}\)))?
    )"""
_WIRE = re.compile(
    rf"{_WIRE_HEAD}\ *(?P<dash>--?|—|–)(?:\s+|(?=\S)|$)(?P<rest>.*)",
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)
# No dash: "New Delhi, Aug 1 (PTI) The …" (accepted only with a known agency).
_WIRE_NO_DASH = re.compile(
    rf"{_WIRE_HEAD}(?P<dash>)\s+(?=[\"“‘'(\w$£€<])(?P<rest>.*)",
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)
_COLON = re.compile(
    rf"(?P<place>[^\W\d_][^:\d]{{0,45}}?)(?P<date>{_DATE})?:\s+(?P<rest>[^\s:].*)",
    re.DOTALL | re.IGNORECASE,
)
# A known agency alone opening the lede: "(Reuters) - …", "(IANS) …".
_BARE_AGENCY = re.compile(
    r"\((?P<agency>[^()]{1,30})\)\ *(?:(?:--?|—|–)\s*|\s+|$)(?P<rest>.*)", re.DOTALL
)
_QUALIFIER = re.compile(r"[A-Z]{1,3}|[A-Z][a-z]{1,4}\.|[A-Z]\.(?:[A-Z]\.)+")
_CAPS_WORD = re.compile(r"[A-Z][A-Z.'’-]*")


class Dateline(NamedTuple):
    dateline: str  # as written, without the separator
    place: str  # the place alone: no date, no agency
    rest: str  # the paragraph after the separator; empty when the dateline stands alone
    agency: str | None = None  # "Reuters", "PTI": the tag in parentheses, without them


def split_dateline(paragraph: str) -> Dateline | None:
    """Return the dateline of ``paragraph``, or None when it has none."""
    text = paragraph.lstrip()
    return _bare_agency(text) or _wire_dateline(text) or _colon_dateline(text)


def _bare_agency(text: str) -> Dateline | None:
    match = _BARE_AGENCY.match(text)
    if not match or not is_agency(match["agency"]):
        return None
    return Dateline("", "", match["rest"], match["agency"].strip())


def _wire_dateline(text: str) -> Dateline | None:
    match = _WIRE.match(text) or _WIRE_NO_DASH.match(text)
    if not match:
        return None
    place = match["place"]
    agency = match["agency"][1:-1].strip() if match["agency"] else None
    # No dash: only a known agency tag ends a dateline ("New Delhi, Aug 1 (PTI) The …").
    if not match["dash"] and not _undashed(place, match["date"], agency):
        return None
    has_stamp = match["date"] or agency
    if not has_stamp and not _all_caps(place):
        return None
    if not has_stamp and not _plausible_place(place, allow_unknown=True):
        return None
    if agency and not is_agency(agency) and not _plausible_place(place, allow_unknown=True):
        return None
    return Dateline(match["dateline"].strip(), place, match["rest"], agency)


def _undashed(place: str, date: str | None, agency: str | None) -> bool:
    """ "New Delhi, Aug 1 (PTI) The …": a known agency, and a date or a known place (so
    that "The Aam Aadmi Party (AAP) said …" stays a sentence)."""
    if not (agency and is_agency(agency)):
        return False
    if date:
        return _plausible_place(place, allow_unknown=True)
    return _plausible_place(place, allow_unknown=_all_caps(place) or _qualified(place))


def _colon_dateline(text: str) -> Dateline | None:
    match = _COLON.match(text)
    if not match:
        return None
    place = match["place"].strip().rstrip(",").strip()
    if not place or place.split()[0].lower() in NOT_DATELINES:
        return None
    if not _plausible_place(place, allow_unknown=_all_caps(place) or _qualified(place)):
        return None
    dateline = place + (match["date"] or "")
    return Dateline(dateline, place, match["rest"])


def _qualified(place: str) -> bool:
    """ "Woodcliff Lake, N.J.", "KREFELD, West Germany": a short name of capitalised words
    qualified by a state (AP style or in full) or a country is a place, known or not."""
    head, _, qualifier = place.rpartition(",")
    return bool(head.strip()) and len(head.split()) <= 4 and is_qualifier(qualifier.strip())


def _all_caps(place: str) -> bool:
    words = place.replace(",", " ").split()
    return bool(words) and all(_CAPS_WORD.fullmatch(w) for w in words) and len(place) >= 3


def _plausible_place(place: str, allow_unknown: bool) -> bool:
    """Capitalised words, not a label; a known place unless ``allow_unknown``."""
    parts = [p.strip() for p in place.split(",")]
    words = " ".join(parts).split()
    if not words or not all(w[0].isupper() for w in words if w.lower() not in _PARTICLES):
        return False
    if words[0] in _PARTICLES:
        return False
    return allow_unknown or _known_place(parts)


# Lower-case words allowed inside place names ("Rio de Janeiro", "Bay of Plenty").
_PARTICLES = frozenset(
    {"de", "do", "da", "del", "la", "le", "of", "on", "upon", "al", "el", "am", "an", "der", "sur"}
)


def _known_place(parts: list[str]) -> bool:
    """The leading words are a gazetteer name; any words after it qualify it."""
    head, *qualifiers = parts
    words = head.split()
    for cut in range(len(words), 0, -1):
        if is_place(" ".join(words[:cut])):
            tail = words[cut:] + [q for q in qualifiers if q]
            return all(_QUALIFIER.fullmatch(t) or is_place(t) or is_qualifier(t) for t in tail)
    return False
