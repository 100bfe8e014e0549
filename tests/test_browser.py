"""The built site in a real browser and real validators.

Headless Chromium (the system's, driven by Playwright: never a downloaded
browser), axe-core and the Nu HTML Checker (vnu.jar, run with Java), both
from npm's node_modules/. Each test skips with the reason when its tool is
missing; `make test-setup` (see the Makefile) installs them.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from site_builder import REPO, SITEURL, bbc_site, serve, small_site

NODE_MODULES = Path(os.environ.get("GAZETTE_NODE_MODULES", REPO / "node_modules"))
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

STORY = "2021/08/09/us-signals-no-change-in-airstrikes-as-taliban-advance/"
AXE_PAGES = ["", "2021/08/08/", "section/world/", "topic/afghanistan/", STORY]


@pytest.fixture(scope="module")
def site():
    out = small_site()
    with serve(out, SITEURL) as url:
        yield url


@pytest.fixture
def page(browser, site):
    context = browser.new_context(color_scheme="light")
    requests = []
    tab = context.new_page()
    tab.on("request", lambda request: requests.append(request.url))
    tab.requests = requests
    yield tab
    context.close()
    outside = [u for u in requests if not u.startswith(f"{site}/")]
    assert not outside, f"requests outside the site: {outside}"


def test_front_page_shows_the_lead_story(page, site):
    page.goto(f"{site}/")
    lead = page.locator(".lead h2 a")
    assert lead.is_visible()
    assert lead.inner_text() == "US signals no change in airstrikes as Taliban advance"


def test_click_through_section_story_topic_and_editions(page, site):
    page.goto(f"{site}/")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="World").click()
    assert page.url == f"{site}/section/world/"
    page.locator(".card .headline a").first.click()
    assert page.url == f"{site}/2021/08/09/kabul-prepares-for-a-long-week/"
    page.locator(".chips").get_by_role("link", name="Afghanistan").click()
    assert page.url == f"{site}/topic/afghanistan/"
    page.get_by_role("link", name="Taliban capture Kunduz").click()
    page.get_by_role("link", name="edition of Sunday 8 August 2021").click()
    assert page.url == f"{site}/2021/08/08/"
    page.get_by_role("navigation", name="Editions", exact=True).get_by_role(
        "link", name="Previous"
    ).click()
    assert page.url == f"{site}/2021/08/07/"
    assert "Saturday 7 August 2021" in page.locator("h1").inner_text()


def test_dark_mode_toggle_persists_across_pages(page, site):
    page.goto(f"{site}/")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    toggle = page.locator(".theme-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != light and toggle.get_attribute("aria-pressed") == "true"
    page.get_by_role("link", name="Archive", exact=True).first.click()
    page.wait_for_url(f"{site}/archive/")  # and its load: the theme script is a file
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark
    assert page.locator(".theme-toggle").get_attribute("aria-pressed") == "true"


def test_reading_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{site}/{STORY}")
    assert tab.locator(".story-body p").count() == 2
    assert not tab.locator(".theme-toggle").is_visible()  # no dead button
    context.close()


@pytest.mark.parametrize("path", AXE_PAGES + ["topic/", "archive/", "about/", "404.html"])
def test_no_horizontal_scroll_at_320_px(page, site, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{site}/{path}")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"


def axe_violations(page, url: str) -> list[str]:
    if not AXE.is_file():
        pytest.skip("node_modules/axe-core missing (npm install axe-core): skipping axe")
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
    result = page.evaluate("options => axe.run(document, options)", options)
    assert any(rule["id"] == "color-contrast" for rule in result["passes"]), url
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(browser, site, scheme):
    # axe is injected as an inline script: the test tool, not the page, needs CSP bypassed.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    tab = context.new_page()
    found = {path: axe_violations(tab, f"{site}/{path}") for path in AXE_PAGES}
    context.close()
    assert not any(found.values()), json.dumps(found, indent=1)


def vnu_errors(paths: list[Path]) -> str:
    if not (VNU.is_file() and shutil.which("java")):
        pytest.skip("vnu.jar (npm install vnu-jar) or java missing: skipping the Nu HTML Checker")
    command = ["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True)
    return "" if done.returncode == 0 else done.stderr + done.stdout


def test_nu_html_checker_finds_no_errors_on_the_site():
    out = small_site()
    assert vnu_errors(sorted(out.rglob("*.html"))) == ""


@pytest.mark.corpus
def test_bbc_site_validates_and_passes_axe(browser):
    out, siteurl = bbc_site()
    stories = sorted(out.glob("2005/*/*/*/index.html"))
    sample = [out / "index.html", out / "2005/03/03/index.html", out / "topic/index.html"]
    sample += [out / "section/business/index.html", out / "section/tech/page/2/index.html"]
    sample += stories[:: max(1, len(stories) // 8)]
    assert all(path.is_file() for path in sample)
    assert vnu_errors(sample) == ""
    context = browser.new_context(bypass_csp=True)  # for the injected axe script
    tab = context.new_page()
    with serve(out, siteurl):
        found = {
            str(p.relative_to(out)): axe_violations(tab, f"{siteurl}/{p.relative_to(out).parent}/")
            for p in sample[:4] + stories[:2]
        }
    context.close()
    assert not any(found.values()), json.dumps(found, indent=1)
