"""Counts as English says them: "1 story", "2 stories", "0 stories", "2,126 stories".

The one place the site's counts are worded: the plugin registers ``counted`` as a Jinja
filter (glue/site_settings.py) and the theme's ``counted`` macro (_macros.html) calls it.
"""

# Plurals the rules below get wrong; none of the theme's nouns is one yet.
IRREGULAR = {"person": "people", "child": "children", "medium": "media"}


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` (thousands grouped) and ``noun``, singular only for exactly one."""
    return f"{n:,} {noun if n == 1 else plural or plural_of(noun)}"


def plural_of(noun: str) -> str:
    if noun in IRREGULAR:
        return IRREGULAR[noun]
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"  # story, library; not day, survey
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"
