"""Site junk at the end of scraped or wired articles.

A pipeline of small steps in the spirit of Planet Venus's filters: each
pattern names one kind of trailing line that is not part of the story.
Patterns match whole lines (case-insensitive) and only at the end of the
file, so a sentence that merely contains "read more" is never touched.
"""

import re

# Defaults for the GAZETTE_JUNK_PATTERNS setting: regular expressions that
# must match a whole trailing line.
DEFAULT_JUNK_PATTERNS = (
    r"next story",
    r"previous story",
    r"share (it|this( story| article)?)",
    r"share on \w+",
    r"reuter",
    r"read more(\s*[:»›>|-].{0,150})?",
    r"(also|must) read\s*[:»›>|-].{0,150}",
    r"(follow|like) us on \w+( and \w+)*",
    r"subscribe( now| today| here| to (our|the) newsletter)?",
    r"click here\b.{0,80}",
    r"advertisement",
    r"(related|top) (stories|news|articles)",
    r"comments? \(\d+\)",
    r"print( this)?( story| article)?",
    r"email( this)?( story| article)?",
)


def compile_patterns(patterns) -> re.Pattern:
    """One regex that matches a whole junk line."""
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"\s*(?:{joined})\s*[.:!]?\s*", re.IGNORECASE)


# A wire sign-off run on to the last line of text: "... 55.8 (33.7). REUTER".
_SIGNOFF = re.compile(r"(?<=[.!?)\"'”])\s+(reuters?)\s*$", re.IGNORECASE)


def strip_trailing_junk(lines: list[str], junk: re.Pattern) -> tuple[list[str], list[str]]:
    """Split ``lines`` into (kept, removed) where removed is trailing junk.

    Blank lines between junk lines go with the junk; the removed list holds
    the junk lines as written (stripped), in file order.
    """
    end = len(lines)
    removed = []
    while end > 0:
        line = lines[end - 1]
        if not line.strip():
            end -= 1
        elif junk.fullmatch(line):
            removed.append(line.strip())
            end -= 1
        else:
            break
    removed.reverse()
    kept = lines[:end]
    signoff = _SIGNOFF.search(kept[-1]) if kept else None
    if signoff:
        kept[-1] = kept[-1][: signoff.start()]
        removed.insert(0, signoff[1])
    return kept, removed
