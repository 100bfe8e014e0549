"""Parts of pages that many pages share, rendered once per build.

Every page carries the same masthead and colophon, and a story's card is on
its section's page and each of its topics' pages. Templates mark such a
part with a call block keyed by everything it depends on that can differ
between pages of one build::

    {% call shared("masthead", SITEURL, own_section) %} ...markup... {% endcall %}

The first page renders the block; the others reuse its HTML. SITEURL is in
every key: with RELATIVE_URLS it differs with each page's depth. The markup
stays in the templates; this only remembers it. The memory is per generator
(``generator_init``), so one build never sees another's HTML.
"""

from markupsafe import Markup


class SharedHtml:
    """The ``shared`` Jinja global: a call block's HTML by its key."""

    def __init__(self):
        self.parts: dict[tuple, Markup] = {}

    def __call__(self, *key, caller):
        html = self.parts.get(key)
        if html is None:
            html = self.parts[key] = Markup(caller())
        return html


def install(generator) -> None:
    generator.env.globals["shared"] = SharedHtml()
