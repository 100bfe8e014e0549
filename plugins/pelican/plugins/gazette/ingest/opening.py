"""The lines and notes that open a story before its lede.

- time stamps above the lede: ``Updated: 10:32 IST``, ``Published: 9 Aug 2021``,
  ``Last updated …``: taken off (they may give the date: ``stamp_date``);
- bylines in their many forms: ``By Jane Doe``, ``By Jane Doe and John Roe, Reuters``,
  ``Jane Doe | Agency``, ``Written by Jane Doe``, ``By . Jane Doe .``,
  ``By Jane Doe, Staff Writer``, and on one line with the dateline:
  ``By Jane Doe WASHINGTON (Reuters) - …`` (``By now, …`` is a sentence);
- correction notes: ``(In Dec. 25 story, … corrects …)``, kept apart as ``corrections``;
- editors' notes to the desk: ``(Eds: Updating with fresh quotes)``, taken off.

Pure functions of text; each says exactly what it took off.
"""

import re
from datetime import datetime

from .agencies import AGENCY_TAG
from .places import is_place

# "Updated: 10:32 IST", "Published: Aug 1, 2017, 10:32 IST", "Last updated on 9 August 2021".
_STAMP = re.compile(
    r"(?P<kind>last\s+updated|updated|first\s+published|published|posted)(?:\s+(?:on|at))?"
    r"\s*:?\s*(?P<when>[\w ,.:/+-]{0,60}?)\s*",
    re.IGNORECASE,
)
_STAMP_DATE_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%Y-%m-%d",
    "%d/%m/%Y",
)
_DATE_IN_STAMP = re.compile(
    r"\d{4}-\d\d-\d\d|\d{1,2} [A-Z][a-z]{2,8},? \d{4}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}"
    r"|\d\d?/\d\d?/\d{4}"
)

# Name-shaped words of a byline: "Jane Doe", "K J M Varma", "Mary-Ann O'Neill", "Ali bin Said".
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|de|da|di|van|von|der|al|bin|la|le|du|dos|del)"
_NAME = rf"[A-Z][\w'’.-]*(?:[ \t]+{_NAME_WORD}){{0,5}}"
_NAMES = rf"{_NAME}(?:[ \t]*(?:,|and|&)[ \t]*{_NAME})*"
_ROLE = r"[ \t]*,[ \t]*[\w&'’. -]{2,40}"
_BY = r"(?:(?:written|reported|words|story)[ \t]+)?[Bb][Yy]\b[ \t.:]*"
# "By Jane Doe", "Written by Jane Doe, Staff Writer", "By . Jane Doe ."
_BYLINE = re.compile(rf"(?i:{_BY})(?P<names>{_NAMES})(?P<role>{_ROLE})?[ \t.]*")
# "Jane Doe | Agency"
_PIPE_BYLINE = re.compile(rf"(?P<names>{_NAMES})[ \t]*\|[ \t]*(?P<role>[\w&'’. -]{{2,40}})")
_NOT_NAMES = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march"
    r"|april|may|june|july|august|september|october|november|december|then|now|the|this"
    r"|that|far|contrast|comparison|law|all|default|design|noon|midnight|night|day|dawn)\b",
    re.IGNORECASE,
)
MAX_BYLINE_CHARS = 100

# "(In Dec. 25 story, … corrects …)", "(This version of the Dec 6 story corrects …)",
# "(Refiles Nov. 30 story to …)", "(The Dec. 1 story was refiled to correct …)".
_CORRECTION = re.compile(
    r"\((?P<note>(?=[^()]{0,400}\b(?:story|item|version|article|report|paragraph|headline)\b)"
    r"(?=[^()]{0,400}\b(?:correct\w*|refile\w*|clarif\w*|fix\w*|amend\w*|updat\w*)\b)[^()]{5,400})\)"
)
# "(Eds: Updating with fresh quotes)", "(Editors' note: …)"
_EDITORS_NOTE = re.compile(r"\((?:eds?|editors?['’]?(?:\s+note)?)\s*:[^()]{1,300}\)", re.IGNORECASE)


def is_stamp(line: str) -> bool:
    """``line`` is a publishing time stamp: a kind word, then a time or a date."""
    match = _STAMP.fullmatch(line.strip())
    return bool(match) and any(ch.isdigit() for ch in match["when"])


def stamp_date(line: str) -> tuple[str, str] | None:
    """("published" or "updated", ISO date) of a stamp line that gives a whole date."""
    match = _STAMP.fullmatch(line.strip())
    if not match:
        return None
    found = _DATE_IN_STAMP.search(match["when"])
    if not found:
        return None
    value = found[0].replace(",", "").replace(".", "")
    for fmt in _STAMP_DATE_FORMATS:
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        kind = (
            "published"
            if "publish" in match["kind"].lower() or "posted" in match["kind"].lower()
            else "updated"
        )
        return kind, day.isoformat()
    return None


def as_byline(line: str) -> str | None:
    """The byline that ``line`` is on its own, or None when it is text."""
    line = line.strip()
    if len(line) > MAX_BYLINE_CHARS:
        return None
    match = _BYLINE.fullmatch(line)
    if match:
        if line.endswith(("!", "?")) or _NOT_NAMES.match(match["names"]):
            return None
        if line.endswith(".") and not _dotted_byline(line):
            return None  # a sentence that opens with "By", not a byline
        return _join(match["names"], match["role"])
    match = _PIPE_BYLINE.fullmatch(line)
    if match and 2 <= len(match["names"].split()) <= 4 and not _NOT_NAMES.match(match["names"]):
        return _join(match["names"], match["role"])
    return None


def _dotted_byline(line: str) -> bool:
    """ "By . Jane Doe ." (a scraped separator) or a last initial ("By Jane Q.")."""
    return bool(re.match(r"(?i:by)[ \t]*\.", line) or re.search(r"\b[A-Z]\.$", line))


def _join(names: str, role: str | None) -> str:
    names = re.sub(r"(?<!\b[A-Z])[ .]+$", "", " ".join(names.split()).lstrip(" ."))
    role = " ".join((role or "").split()).strip(" ,.|")
    return f"{names}, {role}" if role else names


def lede_notes(lede: str) -> tuple[str, list[str], list[str], str | None]:
    """(lede, corrections, editors' notes, byline) with the notes that open ``lede`` taken off.

    A byline here is one run on to the dateline: ``By Jane Doe WASHINGTON (Reuters) - …``
    or ``By K J M Varma Beijing, Aug 1 (PTI) …``; the dateline stays for split_dateline.
    """
    corrections, notes, byline = [], [], None
    while True:
        text = lede.lstrip()
        match = _CORRECTION.match(text)
        if match:
            corrections.append(" ".join(match["note"].split()))
            lede = text[match.end() :]
            continue
        match = _EDITORS_NOTE.match(text)
        if match:
            notes.append(match[0])
            lede = text[match.end() :]
            continue
        break
    if byline is None:
        found = _run_on_byline(lede.lstrip())
        if found:
            byline, lede = found
    return lede.lstrip(), corrections, notes, byline


_RUN_ON = re.compile(r"(?i:by)[ \t]+(?P<head>[^()\n]{3,120}?)[ \t]*(?=\()")
_DATE_TAIL = re.compile(
    r",?[ \t]+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[ \t]+\d{1,2}$",
    re.IGNORECASE,
)


def _run_on_byline(text: str) -> tuple[str, str] | None:
    """ "By Jane Doe WASHINGTON (Reuters) - …" -> ("Jane Doe", "WASHINGTON (Reuters) - …")."""
    match = _RUN_ON.match(text)
    if not match or not AGENCY_TAG.match(text, match.end()):
        return None
    head = match["head"]
    date = _DATE_TAIL.search(head)
    words_part = head[: date.start()] if date else head
    words = words_part.split()
    cut = _place_start(words)
    names = " ".join(words[:cut])
    if not names or not re.fullmatch(_NAMES, names) or _NOT_NAMES.match(names):
        return None
    place_start = text.index(words[cut], match.start("head")) if cut < len(words) else match.end()
    if cut == len(words) and date:
        return None  # a date with no place: not a form we know
    return names, text[place_start:]


def _place_start(words: list[str]) -> int:
    """Where the place opens in "Name Name PLACE": the capitals, or else a known place
    leaving at least two name words; len(words) when there is no place."""
    i = len(words)
    while i > 0 and _caps(words[i - 1]):
        i -= 1
    if i < len(words) and i > 0:
        return i
    for cut in range(max(1, len(words) - 3), len(words)):
        tail = " ".join(words[cut:]).rstrip(",")
        if cut >= 2 and is_place(tail):
            return cut
    return len(words)


def _caps(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)
