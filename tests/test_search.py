"""Search (issue 5): the /search/ page and search.js over the site's static index.

The index files themselves are tested with searchindex.py; here the search
page's HTML is read, and search.js is driven in the system's headless Chromium
(skipped with the reason when Chromium or the playwright package is missing),
the site served on 127.0.0.1.
"""

import json
import random
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_searchindex import Reader

from helpers import REPO, ingest, pelican, write_site
from pelican.plugins.gazette.outputs.searchindex import MIN_LENGTH, STOPWORDS, terms_of
from site_builder import SITEURL, STORIES, free_port, serve, small_site

PHRASE = "talks in tokyo"  # every lede is "Talks in <place> …": this one is in one story
TOKYO = "Olympic Games close in Tokyo"
TOKYO_URL = f"{SITEURL}/2021/08/08/olympic-games-close-in-tokyo/"


@pytest.fixture(scope="module")
def out() -> Path:
    return small_site()


# The page's HTML -------------------------------------------------------------------------


def test_search_page_is_progressive_and_needs_no_csp_exception(out):
    page = BeautifulSoup((out / "search/index.html").read_text(encoding="utf-8"), "html.parser")
    scripts = page.find_all("script")
    assert all(s.get("src", "").startswith(f"{SITEURL}/") for s in scripts)  # no inline code
    assert all(not s.string for s in scripts)
    assert f"{SITEURL}/theme/js/search.js" in [s["src"] for s in scripts]
    assert "pagefind" not in str(page)
    csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "script-src 'self';" in csp and "wasm" not in csp
    form = page.select_one("form[role=search]")
    assert form["action"] == f"{SITEURL}/search/" and form["method"] == "get"
    box = form.find("input", attrs={"name": "q"})
    assert box["type"] == "search" and form.find("label", attrs={"for": box["id"]})
    root = page.select_one("#search")
    assert root["data-index"] == f"{SITEURL}/search/data/"
    assert root["data-site"] == f"{SITEURL}/"
    assert page.select_one(".search-status")["role"] == "status"  # a polite live region
    assert page.select_one(".search-ui").has_attr("hidden")  # shown by search.js
    assert not page.select_one(".search-nojs").has_attr("hidden")
    assert page.select_one(".search-missing").has_attr("hidden")
    links = [a["href"] for a in page.select(".search-fallback a")]
    assert f"{SITEURL}/section/world/" in links and f"{SITEURL}/topic/" in links
    assert not page.select("search.site-search")  # one search box on the search page


def test_every_other_page_has_the_search_form_in_its_header(out):
    for path in sorted(out.rglob("*.html")):
        if path.parts[-2:] == ("search", "index.html"):
            continue
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        form = page.select_one("body > header search form")
        assert form and form["action"] == f"{SITEURL}/search/", path
        assert form.find("input", attrs={"name": "q"}), path


def test_the_theme_stylesheet_stays_small():
    assert (REPO / "theme/static/css/gazette.css").stat().st_size < 20_000


# The search page in a browser ----------------------------------------------------------


@pytest.fixture(scope="module")
def site(browser, out):
    with serve(out, SITEURL) as url:
        yield url


def watched(context, site: str):
    """A new tab of the context that records requests and console errors."""
    tab = context.new_page()
    tab.requests, tab.problems = [], []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
    return tab


def checked_tab(browser, site):
    """A watched tab; after the test, no request left the site and the console had no error."""
    context = browser.new_context()
    tab = watched(context, site)
    yield tab
    context.close()
    assert not [u for u in tab.requests if not u.startswith(f"{site}/")], "requests left 127.0.0.1"
    assert not tab.problems, tab.problems  # CSP refusals and script errors are console errors


@pytest.fixture
def page(browser, site):
    yield from checked_tab(browser, site)


def expect(locator):
    """Playwright's retrying assertions (imported late: without playwright the tests skip)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def status(tab, text: str) -> None:
    """Wait until the live region says exactly ``text``."""
    expect(tab.locator(".search-status")).to_have_text(text)


def headlines(tab) -> list[str]:
    return tab.locator(".search-result h2 a").all_inner_texts()


def test_the_masthead_query_is_searched_and_a_typed_phrase_finds_its_story(page, site):
    page.goto(f"{site}/")
    page.locator("#site-search-q").fill("kunduz")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url(f"{site}/search/?q=kunduz")
    status(page, "1 result for kunduz")
    assert headlines(page)[0] == "Taliban capture Kunduz"
    box = page.get_by_role("searchbox", name="Search stories")
    assert box.input_value() == "kunduz"
    box.fill(PHRASE)
    page.wait_for_url(f"{site}/search/?q=talks+in+tokyo")  # shareable
    status(page, f"1 result for {PHRASE}")
    assert headlines(page) == [TOKYO]
    card = page.locator(".search-result")
    assert card.locator(".search-tags li").all_inner_texts() == [
        "Section: Sport",
        "Place: Tokyo",
        "Date: 8 August 2021",
    ]
    assert card.locator("time").get_attribute("datetime").startswith("2021-08-08")
    assert card.locator("mark").all_inner_texts() == ["Talks", "Tokyo"]  # not "in": a stop word
    card.get_by_role("link", name=TOKYO).click()
    page.wait_for_url(TOKYO_URL)
    assert page.locator("h1").inner_text() == TOKYO


def test_the_last_word_is_a_prefix_and_finds_longer_words(page, site):
    page.goto(f"{site}/search/")
    box = page.locator("#search-q")
    expect(box).to_be_focused()  # no query: ready to type
    box.press_sequentially("kund")
    status(page, "1 result for kund")
    assert headlines(page) == ["Taliban capture Kunduz"]
    assert page.locator(".search-result mark").all_inner_texts() == ["Kunduz"]
    box.fill("kund talks")  # only the last word is a prefix
    status(page, "No results for kund talks")
    assert headlines(page) == []
    box.fill("")
    page.wait_for_url(f"{site}/search/")
    status(page, "")


def test_a_query_on_load_leaves_focus_alone_and_ignores_stop_words(page, site):
    page.goto(f"{site}/search/?q=the+talks")
    status(page, f"{len(STORIES)} results for the talks")
    expect(page.locator("#search-q")).not_to_be_focused()


def test_text_is_text_never_markup(page, site):
    page.goto(f"{site}/search/?q=5g")
    status(page, "1 result for 5g")
    assert headlines(page) == ["AT&T <T.N> shares rise on 5G hopes"]
    assert page.locator(".search-result t\\.n, .search-result h2 a > *").count() == 0
    assert page.locator(".search-result .search-tags li").all_inner_texts()[:2] == [
        "Section: Business",
        "Place: New York",
    ]


def test_newest_first_orders_results_by_date(page, site):
    page.goto(f"{site}/search/?q=talks&order=newest")
    status(page, f"{len(STORIES)} results for talks")
    assert page.locator("#search-order").input_value() == "newest"
    dates = [
        datetime.strptime(tag.removeprefix("Date: "), "%d %B %Y")
        for tag in page.locator(".search-tags li").all_inner_texts()
        if tag.startswith("Date: ")
    ]
    assert len(dates) == len(STORIES) and dates == sorted(dates, reverse=True)
    assert len(set(dates)) > 1  # the small site spans several days
    page.locator("#search-order").select_option("")
    page.wait_for_url(f"{site}/search/?q=talks")
    assert headlines(page)[0] == "Peace talks stall in Doha"  # the word is in its headline
    page.locator("#search-order").select_option("newest")
    page.wait_for_url(f"{site}/search/?q=talks&order=newest")


def test_a_section_filter_narrows_the_results_and_is_kept_in_the_address(page, site):
    page.goto(f"{site}/search/?q=talks")
    status(page, f"{len(STORIES)} results for talks")
    page.locator("summary", has_text="Section").click()
    expect(page.get_by_label("Business (1)")).to_be_visible()
    page.get_by_label("World (5)").check()
    status(page, "5 results for talks")
    page.wait_for_url(f"{site}/search/?q=talks&section=World")
    assert page.get_by_label("Business (1)").is_visible()  # still there, to widen the search
    page.locator("summary", has_text="Place").click()
    expect(page.get_by_label("Kabul (1)")).to_be_visible()
    assert not page.get_by_label("Tokyo (1)").count()  # places only of World's stories
    places = page.locator("details[data-group=place]")
    places.get_by_label("Kabul (1)").check()  # AND across groups
    status(page, "1 result for talks")
    page.wait_for_url(f"{site}/search/?q=talks&section=World&place=Kabul")
    page.reload()
    status(page, "1 result for talks")
    assert headlines(page) == ["Kabul prepares for a long week"]
    assert page.get_by_label("World (1)").is_checked()  # its group open, to show why
    assert places.get_by_label("Kabul (1)").is_checked()


def test_filters_or_within_a_group_and_keep_keyboard_focus(page, site):
    page.goto(f"{site}/search/?q=talks&topic=Tokyo")
    status(page, "1 result for talks")
    herat = page.get_by_label("Herat (1)")
    herat.focus()
    page.keyboard.press("Space")
    status(page, "2 results for talks")
    assert page.evaluate("[document.activeElement.name, document.activeElement.value]") == [
        "topic",
        "Herat",
    ]
    assert sorted(headlines(page)) == ["Fighting reaches Herat", TOKYO]
    assert page.evaluate("location.search") == "?q=talks&topic=Tokyo&topic=Herat"


def data_requests(tab, site) -> list[str]:
    """The index files a tab fetched, in order, without their ?v= key."""
    prefix = f"{site}/search/data/"
    return [u.removeprefix(prefix).split("?")[0] for u in tab.requests if u.startswith(prefix)]


def test_the_first_search_fetches_the_manifest_once_uncached_and_few_files(page, site):
    page.goto(f"{site}/search/?q=talks")
    status(page, f"{len(STORIES)} results for talks")
    data = data_requests(page, site)
    assert data[0] == "manifest.json" and len(data) == len(set(data))
    assert {name[0] for name in data[1:]} == {"t", "d"}  # a term chunk, cards: no filter
    assert len([name for name in data if name[0] == "t"]) == 1
    key = json.loads((small_site() / "search/data/manifest.json").read_bytes())["key"]
    assert all(
        u.endswith(f"?v={key}") for u in page.requests if "/data/" in u and "/manifest" not in u
    )
    page.locator("#search-q").fill("kabul")
    status(page, "1 result for kabul")
    again = data_requests(page, site)
    assert len(again) == len(set(again))  # what came before comes from memory


def test_filters_are_fetched_only_when_their_group_is_opened(page, site):
    page.goto(f"{site}/search/?q=talks")
    status(page, f"{len(STORIES)} results for talks")
    page.locator("#search-q").fill("taliban")
    status(page, "2 results for taliban")
    assert not [name for name in data_requests(page, site) if name.startswith("f-")]
    page.locator("summary", has_text="Section").click()
    expect(page.get_by_label("World (2)")).to_be_visible()
    assert [n for n in data_requests(page, site) if n.startswith("f-")] == ["f-section.json"]
    page.locator("summary", has_text="Topic").click()
    expect(page.get_by_label("Taliban (2)")).to_be_visible()
    fetched = [n for n in data_requests(page, site) if n.startswith("f-")]
    assert fetched == ["f-section.json", "f-topic.json"]  # each once, place never


def test_arrow_keys_move_between_the_box_and_the_results(page, site):
    page.goto(f"{site}/search/")
    box = page.locator("#search-q")
    box.press_sequentially("taliban")
    status(page, "2 results for taliban")
    box.press("ArrowDown")
    links = page.locator(".search-result h2 a")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()


def test_query_words_are_the_index_terms(page, site):
    """search.js's termsOf gives what searchindex.terms_of gives, on awkward text."""
    texts = [
        "Talks in TOKYO: buses, crisis, status, glass; this is us",
        "Café naïve Ærøskøbing São Paulo Düsseldorf Straße",
        "ΟΔΥΣΣΕΑΣ Σίσυφος",  # Greek capitals and the final sigma
        "ﬁnance ½ ² Ⅻ 𝐁𝐨𝐥𝐝 ｆｕｌｌ",  # compatibility forms
        "İstanbul and ǅemal",
        "snake_case x1 a 5g 2021-08-08 ٣٤",
        "日本語 ok 𠀀 𠀀𠀀 éé",  # an astral letter is one letter
    ]
    page.goto(f"{site}/search/")
    got = page.evaluate(
        """async ([url, texts, minLength, stopwords]) => {
            const { termsOf } = await import(url);
            return texts.map((text) => termsOf(text, minLength, new Set(stopwords)));
        }""",
        [f"{site}/theme/js/search.js", texts, MIN_LENGTH, sorted(STOPWORDS)],
    )
    assert got == [terms_of(text) for text in texts]


def test_without_javascript_the_page_says_how_to_browse(browser, site):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{site}/search/?q=kunduz")
    assert tab.locator(".search-nojs").is_visible()
    assert not tab.locator(".search-missing").is_visible()
    assert not tab.locator(".search-ui").is_visible()
    assert tab.get_by_role("link", name="World").last.is_visible()
    context.close()


def test_without_an_index_the_page_says_search_is_off(browser, site):
    context = browser.new_context()
    tab = watched(context, site)
    tab.route("**/search/data/manifest.json", lambda route: route.fulfill(status=404))
    tab.goto(f"{site}/search/?q=kunduz")
    tab.locator(".search-missing").wait_for()
    assert not tab.locator(".search-nojs").is_visible()
    assert not tab.locator(".search-ui").is_visible()
    assert not tab.locator("form[role=search]").is_visible()  # no box that cannot search
    assert tab.get_by_role("link", name="World").last.is_visible()
    context.close()
    assert all("404" in problem for problem in tab.problems), tab.problems  # the manifest only


def test_search_results_fit_320_px(page, site):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{site}/search/?q=talks")
    status(page, f"{len(STORIES)} results for talks")
    page.evaluate("document.querySelectorAll('.search-filters details').forEach(d => d.open = 1)")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the search page scrolls sideways by {overflow}px at 320px"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_results_pass_axe(browser, site, scheme):
    from test_browser import AXE, AXE_TAGS

    if not AXE.is_file():
        pytest.skip("node_modules/axe-core missing (npm install axe-core): skipping axe")
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)  # axe is injected
    tab = context.new_page()
    tab.goto(f"{site}/search/?q=talks+tokyo&section=Sport")
    status(tab, "1 result for talks tokyo")
    tab.evaluate("document.querySelectorAll('.search-filters details').forEach(d => d.open = 1)")
    tab.locator(".search-result mark").first.wait_for()
    tab.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
    found = tab.evaluate("options => axe.run(document, options)", options)
    context.close()
    assert any(rule["id"] == "color-contrast" for rule in found["passes"])
    assert not found["violations"], json.dumps(found["violations"], indent=1)[:3000]


# The index of many small chunks, served in place of the small site's ---------------------

VOCABULARY = (
    "harbour harbours harbourmaster hard hardware harp harpist zebra zeal alpha alpine alps"
    " pier piers crisis bus buses status café naïve 2021 5g 﨎﨎 𠀀𠀀"  # FA0E: BMP, past the
).split()  # surrogates in UTF-16, yet before U+20000 in code point order


def chunked_index(chunk_bytes: int) -> dict[str, bytes]:
    """An index of random stories whose term chunks are tiny: prefixes span many chunks."""
    from pelican.plugins.gazette.outputs import searchindex

    randomly = random.Random(7)
    index = searchindex.SearchIndex()
    for n in range(60):
        text = " ".join([*randomly.choices(VOCABULARY, k=5), f"filler{n}"])
        index.add(
            searchindex.Record(
                url=f"story/{n}/",
                title=f"Story {n}",
                date="2021-08-01T00:00:00+00:00",
                date_text="1 August 2021",
                section="World",
                place="",
                topics=(),
                summary=text,
                text=text,
            )
        )
    saved = searchindex.CHUNK_BYTES, searchindex.WORDS_BYTES
    searchindex.CHUNK_BYTES = searchindex.WORDS_BYTES = chunk_bytes
    try:
        return index.files()
    finally:
        searchindex.CHUNK_BYTES, searchindex.WORDS_BYTES = saved


def reference_search(files: dict[str, bytes], query: str) -> list[int]:
    """The spec's search, done plainly in Python (test_searchindex.Reader): ids, best first."""
    return [doc for doc, _ in Reader(files).search(query)]


QUERIES = [
    "har", "harb", "harbour", "harbours", "hard", "alp", "pier har", "zebra alpha", "bus",
    "buses status", "crisis", "cafe", "naive harp", "5g", "20", "﨎﨎", "𠀀𠀀", "𠀀", "aaa", "zzz",
    "h", "ha", "z", "the", "harbor", "zebar", "hardwre", "pier hrap", "harbourmastr", "alpine",
    "crisi", "statsu bus",
]  # fmt: skip


@pytest.mark.parametrize("chunk_bytes", [0, 120])
def test_search_finds_what_the_spec_finds_across_chunks(page, site, chunk_bytes):
    files = chunked_index(chunk_bytes)
    assert len(json.loads(files["manifest.json"])["terms"]) > 10

    def serve_file(route):
        name = route.request.url.rsplit("/", 1)[1].split("?")[0]
        if name not in files:
            return route.fulfill(status=404)
        route.fulfill(body=files[name], content_type="application/json")

    page.route(f"{site}/search/data/*", serve_file)
    page.goto(f"{site}/search/")
    for query in QUERIES:
        expected = reference_search(files, query)
        page.locator("#search-q").fill(query)
        n = len(expected)
        status(page, f"{n or 'No'} result{'' if n == 1 else 's'} for {query}")
        assert headlines(page) == [f"Story {doc}" for doc in expected[:10]], query


# A larger site: paging and the topic list --------------------------------------------------

HARBOURS = 24


def served_site(root, stories: dict[str, str], siteurl: str):
    """The stories ingested, built strictly and served at siteurl, for a module's tests."""
    conf = write_site(root, stories, SITEURL=siteurl)
    ingest(conf, "2021-07-30T06:00:00+00:00")
    done = pelican(conf, root / "out", "--fatal", "errors")
    assert done.returncode == 0, done.stdout + done.stderr
    with serve(root / "out", siteurl) as url:
        yield url


@pytest.fixture(scope="module")
def harbour_site(browser, tmp_path_factory):
    """Stories that all mention harbours, each with its own topic, and no place."""
    root = tmp_path_factory.mktemp("harbours")
    siteurl = f"http://127.0.0.1:{free_port()}"
    stories = {
        f"world/h{n:02d}.txt": (
            f"Date: 2021-07-{n:02d}\nSection: World\nTopics: Harbours, Port {n:02d}\n\n"
            f"Harbour {n:02d} reopens\n\nThe harbour number {n} reopened today.\n"
        )
        for n in range(1, HARBOURS + 1)
    }
    yield from served_site(root, stories, siteurl)


def test_results_come_ten_at_a_time(browser, harbour_site):
    context = browser.new_context()
    tab = watched(context, harbour_site)
    tab.goto(f"{harbour_site}/search/?q=harbours&order=newest")
    status(tab, f"{HARBOURS} results for harbours")
    assert headlines(tab)[:2] == ["Harbour 24 reopens", "Harbour 23 reopens"]
    assert len(headlines(tab)) == 10
    assert tab.locator(".search-tags li").all_inner_texts()[:2] == [
        "Section: World",
        "Date: 24 July 2021",
    ]  # no place: no place tag
    more = tab.get_by_role("button", name="Load more results")
    more.click()
    tab.locator(".search-result").nth(19).wait_for()
    assert tab.evaluate("document.activeElement.textContent") == "Harbour 14 reopens"
    more.click()
    tab.locator(".search-result").nth(HARBOURS - 1).wait_for()
    assert headlines(tab)[-1] == "Harbour 01 reopens" and not more.is_visible()
    context.close()
    assert not tab.problems, tab.problems


def test_the_topic_filter_lists_the_most_frequent_first(browser, harbour_site):
    context = browser.new_context()
    tab = watched(context, harbour_site)
    tab.goto(f"{harbour_site}/search/?q=harbour")
    status(tab, f"{HARBOURS} results for harbour")
    tab.locator("summary", has_text="Topic").click()
    topics = tab.locator("details[data-group=topic] label")
    expect(topics).to_have_count(15)
    assert topics.first.inner_text() == f"Harbours ({HARBOURS})"
    toggle = tab.locator("details[data-group=topic] button")
    assert toggle.inner_text() == "Show all topics"
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    expect(topics).to_have_count(HARBOURS + 1)
    assert toggle.get_attribute("aria-expanded") == "true"
    assert toggle.inner_text() == "Show fewer topics"
    assert not tab.locator("details[data-group=place]").is_visible()  # no places: no group
    context.close()
    assert not tab.problems, tab.problems


# Search that forgives: prefixes, misspellings, one letter (issue 18) ------------------------

FORGIVING = {
    "food/champ.txt": ("Food", "Irish champ recipe wins fans", "A champ of potato and scallions."),
    **{
        f"sport/champion{n}.txt": (
            "Sport",
            title,
            f"The champion kept the title. The championship ends in round {n}.",
        )
        for n, title in enumerate(
            ["Champion keeps her title", "Champions meet in final", "Championship goes to Leeds"]
        )
    },
    "food/champagne.txt": ("Food", "Champagne sales rise", "Champagne sold well in Reims."),
    **{
        f"politics/government{n}.txt": (
            "Politics",
            title,
            "The government said the plan would be published.",
        )
        for n, title in enumerate(
            ["Government unveils housing plan", "Ministers defend the plan", "Budget plan delayed"]
        )
    },
    "politics/garden.txt": ("Politics", "Garden party for volunteers", "Gardens open to guests."),
}


@pytest.fixture(scope="module")
def forgiving_site(browser, tmp_path_factory):
    root = tmp_path_factory.mktemp("forgiving")
    siteurl = f"http://127.0.0.1:{free_port()}"
    stories = {
        name: f"Date: 2021-07-{1 + n:02d}\nSection: {section}\n\n{title}\n\n{body}\n"
        for n, (name, (section, title, body)) in enumerate(FORGIVING.items())
    }
    yield from served_site(root, stories, siteurl)


@pytest.fixture
def forgiving(browser, forgiving_site):
    yield from checked_tab(browser, forgiving_site)


CHAMPIONS = ["Champion keeps her title", "Champions meet in final", "Championship goes to Leeds"]
GOVERNMENT = ["Government unveils housing plan", "Ministers defend the plan", "Budget plan delayed"]


def test_a_prefix_as_typed_ranks_the_most_common_completion_first(forgiving, forgiving_site):
    forgiving.goto(f"{forgiving_site}/search/")
    forgiving.locator("#search-q").press_sequentially("champ")
    status(forgiving, "5 results for champ")
    found = headlines(forgiving)
    assert sorted(found[:3]) == CHAMPIONS  # "champion": three stories, "champ" and the rest one
    assert found.index("Irish champ recipe wins fans") > 2
    assert "champion" in forgiving.locator(".search-result mark").all_inner_texts()


def test_a_misspelt_word_finds_its_stories_and_did_you_mean_runs_the_correction(
    forgiving, forgiving_site
):
    forgiving.goto(f"{forgiving_site}/search/?q=goverment")
    status(forgiving, "3 results for goverment")
    assert sorted(headlines(forgiving)) == sorted(GOVERNMENT)
    suggestion = forgiving.locator(".search-suggest")
    assert suggestion.get_attribute("aria-live") == "polite"
    expect(suggestion).to_have_text("Did you mean government?")
    suggestion.get_by_role("link", name="government").click()
    status(forgiving, "3 results for government")
    forgiving.wait_for_url(f"{forgiving_site}/search/?q=government")
    expect(forgiving.locator("#search-q")).to_have_value("government")
    expect(suggestion).to_have_text("")
    forgiving.locator("#search-q").fill("housing plan goverment")  # any word, not only the last
    status(forgiving, "1 result for housing plan goverment")
    expect(suggestion).to_have_text("Did you mean housing plan government?")


def test_one_letter_finds_the_frequent_words_it_begins(forgiving, forgiving_site):
    forgiving.goto(f"{forgiving_site}/search/")
    forgiving.locator("#search-q").press_sequentially("g")
    status(forgiving, "5 results for g")  # government, garden, goes
    assert {*GOVERNMENT, "Garden party for volunteers"} <= set(headlines(forgiving))
    words = forgiving.locator(".search-suggest a")
    expect(words.first).to_have_text("government")
    assert "garden" in words.all_inner_texts()
    words.first.click()
    status(forgiving, "3 results for government")
