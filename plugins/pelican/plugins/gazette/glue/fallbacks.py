"""Templates a theme without Gazette's own still renders with (``generator_init``).

Gazette writes pages no other theme has a template for: a day's edition, a
day's full list of a section, the search page. When the site's theme lacks
one, Gazette's plain fallback (glue/templates/, extending the theme's own
``base.html``) is used, and the build says so once, naming the templates.
"""

import os

from jinja2 import ChoiceLoader, FileSystemLoader

FALLBACKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
GAZETTE_TEMPLATES = ("edition", "edition_section", "search")
_warned: set[str] = set()


def install(generator) -> None:
    theme = os.path.join(generator.theme, "templates")
    missing = [n for n in GAZETTE_TEMPLATES if not os.path.exists(os.path.join(theme, n + ".html"))]
    if not missing:
        return
    generator.env.loader = ChoiceLoader([generator.env.loader, FileSystemLoader(FALLBACKS)])
    key = f"{generator.theme}:{','.join(missing)}"
    if key not in _warned:
        _warned.add(key)
        names = ", ".join(f"{n}.html" for n in missing)
        theme_name = os.path.basename(os.path.normpath(generator.theme))
        # Printed, as Pelican's "Done:" line is: shown at the default log level, but not a
        # warning (the site is built as it should be; --fatal warnings must not stop it).
        print(
            f"gazette: the theme {theme_name} has no {names}: using Gazette's plain "
            "fallback (the Gazette theme has the full pages)",
            flush=True,
        )
