"""Work the tests hand to the card process (parallel.in_background, pure): a module that
imports nothing itself, so what the process holds is what drawing a card takes."""

import sys

HEAVY = ("multiprocessing", "concurrent.futures", "subprocess", "importlib.metadata", "jinja2")


def draw_and_list_heavy_modules(path: str) -> None:
    from pelican.plugins.gazette.machinery import cardfiles
    from pelican.plugins.gazette.outputs import cards

    png = cards.draw(cards.CardText("Floods close the coast road", "World", "1 June 2024", "Site"))
    cardfiles.store(path + ".png", png)
    with open(path, "w") as out:
        out.write(" ".join(name for name in HEAVY if name in sys.modules) or "none")
