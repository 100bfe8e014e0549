"""News agencies as datelines name them: ``WASHINGTON (Reuters) -``, ``New Delhi, Aug 1 (PTI)``.

The agency in a dateline is the story's source: it goes to ``RawStory.agency``,
never stays in the lede or the summary and is never a topic.
"""

import re

# Defaults for a GAZETTE_AGENCIES setting: the tags wire copy puts in parentheses.
DEFAULT_AGENCIES = (
    "Reuters",
    "Reuters Health",
    "Reuters Breakingviews",
    "AP",
    "Associated Press",
    "AFP",
    "PTI",
    "IANS",
    "ANI",
    "UNI",
    "CNN",
    "Xinhua",
    "Bloomberg",
    "dpa",
    "Kyodo",
    "Yonhap",
    "TASS",
    "Interfax",
    "RIA",
    "Anadolu",
    "EFE",
    "ANSA",
    "AAP",
    "CP",
    "UPI",
    "KUNA",
    "WAM",
    "SPA",
    "IRNA",
    "Bernama",
    "APP",
    "IFR",
    "LPC",
    "LPC/IFR",
    "Thomson Reuters Foundation",
    "BBC",
)
AGENCY_NAMES = frozenset(a.lower() for a in DEFAULT_AGENCIES)


def is_agency(name: str) -> bool:
    """``name`` (without the parentheses) is a known agency tag."""
    return " ".join(name.split()).lower() in AGENCY_NAMES


# A tag in parentheses that names a known agency, as found in text.
AGENCY_TAG = re.compile(
    r"\((?P<agency>"
    + "|".join(sorted(map(re.escape, DEFAULT_AGENCIES), key=len, reverse=True))
    + r")\)",
    re.IGNORECASE,
)
