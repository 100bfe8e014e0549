"""Where sentences end, for summaries: ``U.S.``, ``Rep.``, ``Gen.``, ``Jan.``, ``Inc.`` do not.

A full stop ends a sentence when the next word opens one (a capital, a quote, a
digit) and the word before it is not an abbreviation that usually goes on:
titles before names (``Mr.``, ``Gen.``), months before days (``Jan. 19``),
company forms (``Inc.``), initials (``J.`` in ``John J. Smith``), dotted
acronyms (``U.S.``) before a capitalised word.
"""

import re

# Abbreviations after which the text goes on (lower case, without the final dot).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sen rep gov gen lt col maj capt cmdr adm sgt cpl pvt rev fr st sr jr
    messrs mme mlle hon pres supt insp det atty gov gens reps sens ald amb
    jan feb mar apr jun jul aug sep sept oct nov dec
    inc corp co ltd plc llc bros vs approx est dept univ assn ave blvd mt ft
    fla ala ariz ark calif colo conn del ga ill ind kan kans ky la md mass mich minn miss mo
    mont neb nebr nev okla ore pa tenn tex vt va wash wis wyo
    e.g i.e u.s u.k u.n e.u u.s.a d.c n.j n.y n.c n.h n.m n.d s.c s.d r.i w.va
    """.split()
)
# Dotted acronyms that often do end a sentence ("… in the U.S. The …") are judged by
# what follows: a capitalised common word opening a sentence ("The", "But", "He").
_SENTENCE_OPENERS = frozenset(
    """
    the a an but and he she it they we i his her its their this that these those there
    in on at for if when while after before as so yet however meanwhile still also
    """.split()
)
# A stop, closing quotes or brackets, then white space; or a stop glued to the next
# sentence where scraping lost the space ("… the media.The union …").
_END = re.compile(r"[.!?][\"'”’)]*(?=\s)|(?<=[a-z]{2})[.!?](?=[A-Z][a-z])")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each real sentence end in ``text``."""
    ends = []
    for match in _END.finditer(text):
        stop = text[match.start()]
        if stop == "." and not _ends_here(text, match.start(), match.end()):
            continue
        if stop != "." and text[match.end() :].lstrip()[:1].islower():
            continue  # not a question: a quote mark scraping turned into "?" (said his ?job? and …)
        ends.append(match.end())
    return ends


def _ends_here(text: str, dot: int, after: int) -> bool:
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(\"'“‘":
        start -= 1
    word = text[start:dot]
    if after < len(text) and not text[after].isspace():
        return True  # glued: "media.The"
    if not word or text[after - 1] != ".":
        return True  # the dot is followed by a closing quote or bracket: "… said." ends
    key = word.lower()
    if word in ("No", "Nos") and text[after:].lstrip()[:1].isdigit():
        return False  # "No. 1"
    if len(word) == 1 and word.isupper():
        return False  # an initial: "John J. Smith"
    if key in ABBREVIATIONS or key.rstrip(".") in ABBREVIATIONS:
        if "." in key:  # a dotted acronym: ends only before a common sentence opener
            following = text[after:].lstrip(" \"'“‘(")
            first = re.match(r"[A-Za-z]+", following)
            return bool(first) and first[0].lower() in _SENTENCE_OPENERS and first[0] != "I"
        return False
    return True
