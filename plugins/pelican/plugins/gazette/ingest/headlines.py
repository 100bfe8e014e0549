"""Site names that pages and scrapers append to headlines: ``… - BBC News``, ``… | Reuters``.

Only a known site name after a separator is taken off (``Trump on Twitter (Dec 28) -
Global Warming`` keeps its tail); the headline as written is kept as ``original_title``.
"""

import re

# Defaults for a GAZETTE_HEADLINE_SUFFIXES setting: site names (matched case-insensitively,
# after " - ", " | ", " – ", " — " or " :: " at the end of a headline).
DEFAULT_HEADLINE_SUFFIXES = (
    "BBC News",
    "BBC Sport",
    "BBC",
    "Reuters",
    "Reuters.com",
    "The Guardian",
    "Guardian",
    "theguardian.com",
    "The Observer",
    "The New York Times",
    "NYTimes.com",
    "The Washington Post",
    "Washington Post",
    "The Wall Street Journal",
    "WSJ",
    "Financial Times",
    "FT.com",
    "CNN",
    "CNN.com",
    "CNN Politics",
    "CNBC",
    "Fox News",
    "NBC News",
    "CBS News",
    "ABC News",
    "NPR",
    "Al Jazeera",
    "Al Jazeera English",
    "AP News",
    "Associated Press",
    "Bloomberg",
    "Politico",
    "POLITICO",
    "The Independent",
    "The Telegraph",
    "Daily Mail Online",
    "Mail Online",
    "Sky News",
    "The Times",
    "The Economist",
    "USA Today",
    "Los Angeles Times",
    "The Atlantic",
    "Vox",
    "Axios",
    "The Hill",
    "HuffPost",
    "Huffington Post",
    "Breitbart",
    "Euronews",
    "DW",
    "France 24",
    "Hindustan Times",
    "India Today",
    "The Times of India",
    "Times of India",
    "NDTV",
    "The Hindu",
    "Indian Express",
    "The Indian Express",
    "Firstpost",
    "Scroll.in",
)
_SEPARATOR = r"\s+(?:[-|–—:]|::)\s+"


def compile_suffixes(names=DEFAULT_HEADLINE_SUFFIXES) -> re.Pattern:
    """One regex for a site-name suffix (and nothing else) at the end of a headline."""
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"{_SEPARATOR}(?:{alternatives})\s*$", re.IGNORECASE)


SUFFIXES = compile_suffixes()


def strip_suffix(title: str, suffixes: re.Pattern = SUFFIXES) -> tuple[str, str | None]:
    """(headline, the original when a site name was taken off, else None)."""
    match = suffixes.search(title)
    if not match or match.start() == 0:
        return title, None
    return title[: match.start()].rstrip(), title
