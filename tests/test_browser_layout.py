"""The reader's layout in Chromium: a compact masthead on a phone, a dark-mode button that
says its state, lines of reading length on a wide screen, counts that read right.

Each page is laid out in one font family forced on every element (as in
test_layout_fonts.py), so the figures are the same on every machine that has the
family (`make test` installs fonts-dejavu-core and fonts-liberation); DejaVu is the
widest of Debian's common fonts, so it is the hard case for a phone.
"""

import re
import runpy
import shutil
from pathlib import Path

import jinja2
import pytest
from test_browser import axe_violations
from test_layout_fonts import installed_families

from helpers import ingest, pelican, write_site
from pelican.plugins.gazette.outputs.wording import counted
from site_builder import (
    REPO,
    SITEURL,
    STORIES,
    _lede,
    free_port,
    html_pages,
    serve,
    small_site,
    story,
)

STORY = "2021/08/09/us-signals-no-change-in-airstrikes-as-taliban-advance/"
PHONES = [(375, 812), (320, 640)]


@pytest.fixture(scope="module")
def site():
    with serve(small_site(), SITEURL) as url:
        yield url


def forced(tab, family: str) -> None:
    if family not in installed_families():
        pytest.skip(f"font family {family!r} missing (apt-get install fonts-dejavu-core)")
    tab.add_style_tag(content=f'*, *::before, *::after {{ font-family: "{family}" !important; }}')


@pytest.fixture
def tab(browser):
    # bypass_csp: the forcing style is an inline <style> added by the test, not the page.
    context = browser.new_context(color_scheme="light", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def box(tab, selector: str) -> dict:
    return tab.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height}; }",
    )


@pytest.mark.parametrize("family", ["DejaVu Sans", "DejaVu Serif"])
@pytest.mark.parametrize(("width", "height"), PHONES)
def test_phone_masthead_is_compact_and_the_first_story_is_near_the_top(
    tab, site, family, width, height
):
    tab.set_viewport_size({"width": width, "height": height})
    tab.goto(f"{site}/")
    forced(tab, family)
    masthead = box(tab, ".masthead")
    name, toggle, search = (
        box(tab, ".site-name"),
        box(tab, ".theme-toggle"),
        box(tab, ".site-search"),
    )
    # The button shares the site name's row; the search box is the row directly below.
    assert toggle["top"] < name["bottom"] and toggle["bottom"] > name["top"], (name, toggle)
    assert 0 <= search["top"] - max(name["bottom"], toggle["bottom"]) <= 12, (name, search)
    # The sections are one row: every link's top is the same.
    tops = tab.eval_on_selector_all(".sections-nav a", "ls => ls.map(a => a.offsetTop)")
    assert len(set(tops)) == 1, f"the sections wrap onto {len(set(tops))} rows"
    # The masthead took 250 px of 812; now under a fifth of a phone's height, and the first
    # headline starts in the top 40% (330 px), under the edition's own heading.
    assert masthead["height"] <= 0.2 * 812, f"masthead {masthead['height']:.0f}px at {width}px"
    top = box(tab, "main .card .headline")["top"]
    assert top <= 330, f"the first headline starts {top:.0f}px down at {width}px"


@pytest.mark.parametrize("family", ["DejaVu Sans", "Liberation Sans"])
def test_sections_scroll_inside_their_row_never_the_page(tab, site, family):
    tab.set_viewport_size({"width": 320, "height": 640})
    tab.goto(f"{site}/section/world/")
    forced(tab, family)
    # Sections wide enough that the row must scroll, whatever the font.
    tab.eval_on_selector(
        ".sections-nav .menu",
        "ul => { for (const n of ['Entertainment', 'Technology', 'Politics'])"
        " ul.insertAdjacentHTML('beforeend', `<li><a href='#'>${n}</a></li>`); }",
    )
    page_overflow = tab.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert page_overflow <= 0, f"the page scrolls sideways by {page_overflow}px"
    row = tab.eval_on_selector(
        ".sections-nav .menu", "u => [u.scrollWidth, u.clientWidth, getComputedStyle(u).overflowX]"
    )
    assert row[0] > row[1] and row[2] == "auto", row
    # The keyboard reaches the last section: focus scrolls it into view, with its outline.
    last = tab.locator(".sections-nav a").last
    last.focus()
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Tab")
    link = box(tab, ".sections-nav li:last-child a")
    nav = box(tab, ".sections-nav .menu")
    assert nav["left"] <= link["left"] and link["right"] <= nav["right"] + 0.5, (nav, link)
    outline = last.evaluate(
        "a => [getComputedStyle(a).outlineStyle, getComputedStyle(a).outlineWidth]"
    )
    assert outline[0] != "none" and outline[1] != "0px", outline
    # The outline (3px, offset 2px) is not cut off by the scrolling row.
    assert link["top"] - 5 >= nav["top"] and link["bottom"] + 5 <= nav["bottom"], (nav, link)


def test_own_section_is_scrolled_into_view_on_a_phone(browser, site):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = context.new_page()
    tab.goto(f"{site}/section/world/")
    tab.eval_on_selector(
        ".sections-nav .menu",
        "ul => { for (const n of ['Entertainment', 'Technology', 'Politics', 'Science'])"
        " ul.insertAdjacentHTML('afterbegin', `<li><a href='#'>${n}</a></li>`); }",
    )
    tab.evaluate("document.dispatchEvent(new Event('DOMContentLoaded'))")
    link = box(tab, '.sections-nav [aria-current="page"]')
    nav = box(tab, ".sections-nav .menu")
    assert nav["left"] <= link["left"] and link["right"] <= nav["right"], (nav, link)
    context.close()


def toggle_state(tab) -> tuple[str, str, bool]:
    """(aria-pressed, visible text, pressed as the accessibility tree has it)."""
    toggle = tab.locator(".theme-toggle")
    pressed = tab.get_by_role("button", name="Dark mode", exact=True, pressed=True).count() == 1
    return toggle.get_attribute("aria-pressed"), " ".join(toggle.inner_text().split()), pressed


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_dark_mode_button_says_its_state_from_the_system_and_after_a_click(browser, site, scheme):
    context = browser.new_context(color_scheme=scheme)
    tab = context.new_page()
    tab.goto(f"{site}/")
    background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    dark = scheme == "dark"
    on, off = ("true", "Dark mode on", True), ("false", "Dark mode off", False)
    assert toggle_state(tab) == (on if dark else off)
    tab.locator(".theme-toggle").click()
    assert toggle_state(tab) == (off if dark else on)
    assert tab.evaluate("getComputedStyle(document.body).backgroundColor") != background
    # The choice holds on the next page, and its button says so.
    tab.goto(f"{site}/{STORY}")
    assert toggle_state(tab) == (off if dark else on)
    context.close()


def test_dark_mode_button_follows_a_system_change_until_chosen(browser, site):
    context = browser.new_context(color_scheme="light")
    tab = context.new_page()
    tab.goto(f"{site}/")
    assert toggle_state(tab)[:2] == ("false", "Dark mode off")
    tab.emulate_media(color_scheme="dark")
    from playwright.sync_api import expect  # here: the browser fixture skips without it

    # expect() polls through a locator: a string predicate would be eval'd in the page, which
    # the site's CSP refuses whenever the first check fails and it has to poll again.
    expect(tab.locator(".theme-toggle")).to_have_attribute("aria-pressed", "true")
    assert toggle_state(tab)[:2] == ("true", "Dark mode on")
    context.close()


# Ordinary English prose (the test's own), whose average character width stands for a
# story's: the small site's filler words are not English, so their own widths would mislead.
ENGLISH = (
    "The council met on Tuesday evening to agree the budget for next year, and after a long "
    "debate about roads, schools and the new library, most members voted for the plan."
)
CHARS_PER_LINE = """(e, sample) => {
  // Characters of English a full line of e holds: its content width over the average
  // width of a character of the sample, set in e's own font.
  const style = getComputedStyle(e);
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const width = e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return width / (ctx.measureText(sample).width / sample.length);
}"""

MEASURED = {
    "section list summary": ("section/world/", "main > .card .summary"),
    "topic list summary": ("topic/afghanistan/", "main > .card .summary"),
    "story text": (STORY, ".story-body p"),
    "front page summary": ("", ".edition-section .card .summary"),
    "lead summary": ("", ".lead .summary"),
}


@pytest.mark.parametrize("family", ["DejaVu Sans", "Liberation Sans", "DejaVu Serif"])
@pytest.mark.parametrize("name", MEASURED)
def test_reading_measure_at_1280_px(tab, site, family, name):
    path, selector = MEASURED[name]
    tab.set_viewport_size({"width": 1280, "height": 800})
    tab.goto(f"{site}/{path}")
    forced(tab, family)
    chars = tab.eval_on_selector(selector, CHARS_PER_LINE, ENGLISH)
    assert 58 <= chars <= 75, f"{name}: {chars:.0f} characters a line in {family}"


# Counts: "1 story", "2 stories", "0 stories", from the theme's one `counted` macro.
NOUNS = r"(stor(?:y|ies)|articles?|words?|editions?)"
COUNT = re.compile(rf"(?<![\d,.])(\d[\d,]*) {NOUNS}\b")


def wrongly_counted(text: str) -> list[str]:
    wrong = []
    for match in COUNT.finditer(text):
        n, noun = int(match[1].replace(",", "")), match[2]
        singular = noun in ("story", "article", "word", "edition")
        if singular != (n == 1):
            wrong.append(match[0])
    return wrong


@pytest.fixture(scope="module")
def one_story_front(tmp_path_factory) -> tuple[Path, str]:
    """(output, URL) of a site whose latest edition and a section have one story each,
    beside twos."""
    root, siteurl = tmp_path_factory.mktemp("counts"), f"http://127.0.0.1:{free_port()}"
    files = {
        "world/a.txt": story("2021-08-09", "World", "Talks resume", _lede("Doha", 40), "Talks"),
        "world/b.txt": story("2021-08-08", "World", "Talks stall", _lede("Kabul", 50), "Talks"),
        "sport/c.txt": story("2021-08-08", "Sport", "Games close", _lede("Tokyo", 60), "Games"),
    }
    conf = write_site(root, files, SITEURL=siteurl)
    ingest(conf)
    done = pelican(conf, root / "out", "--fatal", "errors")
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "out", siteurl


@pytest.mark.parametrize("which", ["small site", "one-story front page"])
def test_every_count_on_the_site_reads_right(request, which):
    out = small_site() if which == "small site" else request.getfixturevalue("one_story_front")[0]
    found = {p.relative_to(out).as_posix(): wrongly_counted(p.read_text()) for p in html_pages(out)}
    assert not any(found.values()), {page: wrong for page, wrong in found.items() if wrong}


def test_counts_as_a_reader_sees_them(browser, one_story_front):
    context = browser.new_context()
    tab = context.new_page()
    with serve(*one_story_front) as siteurl:
        tab.goto(f"{siteurl}/")
        description = tab.get_attribute('meta[name="description"]', "content")
        assert ": 1 story on " in description, description
        tab.goto(f"{siteurl}/archive/")
        text = tab.inner_text("main")
        assert "1 story;" in text and "2 stories;" in text, text
        tab.goto(f"{siteurl}/section/")
        text = tab.inner_text("main")
        assert "1 story;" in text and "2 stories;" in text, text
    context.close()


def render_counted(filters: dict) -> list[str]:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO / "theme" / "templates"))
    env.filters.update(filters)
    template = env.from_string(
        '{% from "_macros.html" import counted %}'
        "{% for n in [0, 1, 2, 2126] %}{% for noun in nouns %}"
        "{{ counted(n, noun) }}|{% endfor %}{% endfor %}"
    )
    return template.render(nouns=["story", "article", "word", "edition"]).split("|")[:-1]


def test_counts_with_the_plugin_filter_in_every_form():
    assert render_counted({"counted": counted}) == [
        "0 stories", "0 articles", "0 words", "0 editions",
        "1 story", "1 article", "1 word", "1 edition",
        "2 stories", "2 articles", "2 words", "2 editions",
        "2,126 stories", "2,126 articles", "2,126 words", "2,126 editions",
    ]  # fmt: skip


def test_counts_without_the_plugin_in_every_form():
    assert render_counted({}) == [
        "0 stories", "0 articles", "0 words", "0 editions",
        "1 story", "1 article", "1 word", "1 edition",
        "2 stories", "2 articles", "2 words", "2 editions",
        "2126 stories", "2126 articles", "2126 words", "2126 editions",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("noun", "plural"),
    [("story", "stories"), ("day", "days"), ("box", "boxes"), ("match", "matches"),
     ("person", "people"), ("topic", "topics")],
)  # fmt: skip
def test_plural_of_english_nouns(noun, plural):
    assert counted(1, noun) == f"1 {noun}"
    assert counted(0, noun) == counted(0, noun, plural) == f"0 {plural}"


# A development build (pelicanconf.py as it is, `make html`) served anywhere but its SITEURL.


@pytest.fixture(scope="module")
def dev_build(tmp_path_factory) -> tuple[Path, str]:
    """(output, SITEURL) of the small site's stories built with pelicanconf.py's own URLs."""
    dev = runpy.run_path(str(REPO / "pelicanconf.py"))
    root = tmp_path_factory.mktemp("dev")
    conf = write_site(root, STORIES, RELATIVE_URLS=dev["RELATIVE_URLS"])
    for page in (REPO / "content" / "pages").glob("*.md"):  # About and the 404 page
        shutil.copy(page, root / "content" / "pages" / page.name)
    ingest(conf)
    done = pelican(conf, root / "out", "--fatal", "errors")
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "out", dev["SITEURL"]


DEV_PAGES = ["", "section/world/", STORY, "topic/", "archive/", "search/"]


def test_a_development_build_looks_right_wherever_it_is_served(browser, dev_build):
    out, siteurl = dev_build
    port = free_port()
    assert str(port) not in siteurl
    context = browser.new_context()
    tab = context.new_page()
    problems, requests = [], []
    # A stylesheet or script the Content-Security-Policy refuses is a console error.
    tab.on(
        "console", lambda m: m.type == "error" and "Refused" in m.text and problems.append(m.text)
    )
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    tab.on("request", lambda r: requests.append(r.url))
    with serve(out, f"http://127.0.0.1:{port}") as base:
        for path in DEV_PAGES:
            tab.goto(f"{base}/{path}")
            styled = tab.eval_on_selector(".masthead", "e => getComputedStyle(e).borderBottomStyle")
            assert styled == "double", f"/{path} is unstyled"
            assert tab.locator(".theme-toggle").is_visible(), f"/{path}: no script ran"
        # The search page's script finds its index from the page's own address.
        with tab.expect_response(lambda r: "/search/data/" in r.url and r.ok):
            tab.goto(f"{base}/search/?q=kabul")
        tab.goto(f"{base}/")
        tab.locator(".lead .headline a").click()
        assert tab.url == f"{base}/{STORY}"
    context.close()
    assert not problems, problems
    elsewhere = [url for url in requests if not url.startswith(f"{base}/")]
    assert not elsewhere, elsewhere


def test_a_development_build_keeps_absolute_urls_where_they_must_be(dev_build):
    out, siteurl = dev_build
    feed = (out / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    links = re.findall(r'<link [^>]*href="([^"]+)"', feed)
    assert links and all(link.startswith(f"{siteurl}/") for link in links), links[:5]
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert all(loc.startswith(f"{siteurl}/") for loc in re.findall(r"<loc>([^<]+)", sitemap))
    # The 404 page is shown at any depth: its links lead from the root.
    missing = (out / "404.html").read_text(encoding="utf-8")
    assert 'href="/archive/"' in missing and 'href="/theme/css/gazette.css"' in missing


@pytest.mark.parametrize(
    ("path", "scheme"), [("", "light"), ("", "dark"), ("section/world/", "light"), (STORY, "dark")]
)
def test_the_phone_layout_passes_axe(browser, site, path, scheme):
    # axe is injected as an inline script: the test tool, not the page, needs CSP bypassed.
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, color_scheme=scheme, bypass_csp=True
    )
    found = axe_violations(context.new_page(), f"{site}/{path}")
    context.close()
    assert not found, found
