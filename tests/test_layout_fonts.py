"""No page scrolls sideways on a 320 px phone, whichever of Debian's common fonts it gets.

The theme names no web font: what a reader sees is laid out in the machine's own fonts,
and a machine with only DejaVu (wider than most) lays out the same page wider than one
with Liberation (Arial's and Times' metrics). Each family is forced on every element in
turn, so the answer is the same on every machine that has the fonts (`make test` installs
fonts-dejavu-core and fonts-liberation); a missing family skips and says which.
"""

import functools
import shutil
import subprocess

import pytest

from site_builder import SITEURL, serve, small_site

FAMILIES = ["DejaVu Sans", "DejaVu Serif", "Liberation Sans", "Liberation Serif"]
PAGES = {
    "front page": "",
    "edition": "2021/08/09/",
    "older edition": "2021/08/08/",
    "story": "2021/08/09/us-signals-no-change-in-airstrikes-as-taliban-advance/",
    "section": "section/world/",  # its own section marked in the masthead's row
    "search page": "search/?q=kabul",  # no search box in its masthead
}
WIDTH = 320


@functools.cache
def installed_families() -> frozenset[str]:
    if not shutil.which("fc-list"):
        return frozenset()
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return frozenset(name.strip() for line in listed.splitlines() for name in line.split(","))


@pytest.fixture(scope="module")
def site():
    with serve(small_site(), SITEURL) as url:
        yield url


@pytest.fixture(scope="module", params=FAMILIES)
def family_page(request, browser, site):
    family = request.param
    if family not in installed_families():
        fonts = "apt-get install fonts-dejavu-core fonts-liberation"
        pytest.skip(f"font family {family!r} missing ({fonts}): skipping its layout tests")
    # The forcing style is an inline <style>: the test, not the page, needs CSP bypassed.
    context = browser.new_context(viewport={"width": WIDTH, "height": 640}, bypass_csp=True)
    tab = context.new_page()
    yield family, tab
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_scroll_at_320_px_in_each_font(family_page, site, name):
    family, tab = family_page
    tab.goto(f"{site}/{PAGES[name]}")
    tab.add_style_tag(content=f'*, *::before, *::after {{ font-family: "{family}" !important; }}')
    used = tab.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family in used
    overflow = tab.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = tab.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
            .slice(0, 3).map(e => `<${e.localName} class="${e.className}">`)"""
    )
    assert overflow <= 0, f"the {name} scrolls sideways by {overflow}px in {family}: {wide}"
