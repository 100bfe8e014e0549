"""Social cards (outputs/cards.py, glue/cards.py) and the structured data that names them.

The drawing is tested on its own, without a site: a PNG of the size Open Graph asks for,
the same bytes from any process, text that never leaves its box, hostile headlines, lines
composed from cached glyphs that are Pillow's own text pixel for pixel, and a PNG writer
whose files decode to exactly the image drawn.
Then a tiny site: every story page's og:image is a card in the output (or the story's own
image), the JSON-LD has its author and image, a rebuild draws nothing, and two builds
are byte for byte the same.
"""

import dataclasses
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageDraw

from corpora import BBC
from helpers import REPO, ingest, pelican, write_site
from pelican.plugins.gazette.digest.structured import byline_names
from pelican.plugins.gazette.machinery import cardfiles
from pelican.plugins.gazette.outputs import cards
from pelican.plugins.gazette.outputs.png import palette_png

CardText = cards.CardText
SITE = "The Gazette Digest"
NORMAL = CardText("Bank holds interest rates as inflation eases", "Business", "2 May 2024", SITE)
HOSTILE = {
    "very long": "An extraordinarily long headline that keeps going, " * 12,
    "one long word": "Donaudampfschifffahrtsgesellschaftskapitän" * 6,
    "a URL": "https://example.com/" + "a-very-long-path/" * 20,
    "emoji": "Markets 🚀📈 rally as traders cheer 🎉",
    "right to left": "ראש הממשלה נפגש עם נשיא צרפת",
    "Arabic": "الرئيس يزور القاهرة اليوم",
    "Chinese": "北京举行新闻发布会",
    "Cyrillic and Greek": "Путин встретился с премьер-министром Греции Μητσοτάκης",
    "controls and odd spaces": "Line\x00one\u200b\u2028two\tthree\r\n\u00a0four",
    "combining marks": "Cafe\u0301 owners in Zu\u0308rich",
    "lone surrogate": "Broken \udc80 text",
    "empty": "",
    "only spaces": " \n\t ",
}


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        chunks.append(data[at + 4 : at + 8])
        at += 12 + length
    return chunks


def test_a_card_is_a_1200_by_630_png_with_no_metadata():
    data = cards.draw(NORMAL)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert image.info == {}
    # No time, text, DPI or colour profile chunks: nothing that differs between machines.
    assert png_chunks(data) == [b"IHDR", b"PLTE"] + [b"IDAT"] * (len(png_chunks(data)) - 3) + [
        b"IEND"
    ]
    assert len(data) < 100_000


def test_the_same_text_gives_the_same_bytes_in_another_process():
    here = hashlib.sha256(cards.draw(NORMAL)).hexdigest()
    script = (
        "import hashlib; from pelican.plugins.gazette.outputs import cards; "
        f"print(hashlib.sha256(cards.draw(cards.CardText(*{dataclasses.astuple(NORMAL)!r})))"
        ".hexdigest(), cards.key(cards.CardText(*"
        f"{dataclasses.astuple(NORMAL)!r})))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [here, cards.key(NORMAL)]
    assert cards.draw(NORMAL) == cards.draw(NORMAL)


def test_a_card_is_drawn_into_the_cache_and_linked_into_the_output(tmp_path):
    text = cards.CardText("Harbour reopens", "World", "1 August 2021", "The Gazette")
    key = cards.key(text)
    cache, output, alone = tmp_path / "cache", tmp_path / "out", tmp_path / "alone"
    for folder in (cache, output, alone):
        folder.mkdir()
    cardfiles.draw_one(str(cache), str(output), (key, text))
    cardfiles.draw_one(None, str(alone), (key, text))
    name = cardfiles.file_name(key)
    assert (output / name).read_bytes() == cards.draw(text) == (alone / name).read_bytes()
    assert (output / name).samefile(cache / name)
    assert sorted(p.name for p in cache.iterdir()) == [name]  # no temporary file left


def test_the_card_drawing_imports_nothing_of_pelican_but_the_plugin_s_pure_layers():
    # The cards' background interpreter may then skip Pelican's __init__ (20 MB).
    code = (
        "import importlib.util, sys; "
        "sys.modules['pelican'] = importlib.util.module_from_spec("
        "importlib.util.find_spec('pelican')); "
        "import pelican.plugins.gazette.machinery.cardfiles; "
        "print(' '.join(m for m in sys.modules if m.startswith('pelican')))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    pure = ("machinery", "outputs")
    for module in found.stdout.split():
        parts = module.split(".")
        assert parts[:3] == ["pelican", "plugins", "gazette"][: len(parts)], module
        assert len(parts) <= 3 or parts[3] in pure, module


def test_the_key_names_everything_drawn():
    keys = {
        cards.key(NORMAL),
        cards.key(CardText(NORMAL.headline + "!", NORMAL.section, NORMAL.date, SITE)),
        cards.key(CardText(NORMAL.headline, "Sport", NORMAL.date, SITE)),
        cards.key(CardText(NORMAL.headline, NORMAL.section, "3 May 2024", SITE)),
        cards.key(CardText(NORMAL.headline, NORMAL.section, NORMAL.date, "Another Site")),
        # fields do not run into one another
        cards.key(CardText(NORMAL.headline + "Business", "", NORMAL.date, SITE)),
    }
    assert len(keys) == 6
    assert re.fullmatch("[0-9a-f]{64}", cards.key(NORMAL))


def test_the_cards_colours_are_the_themes():
    css = (REPO / "theme" / "static" / "css" / "gazette.css").read_text()
    light = re.search(r":root\s*\{(.*?)\}", css, re.DOTALL)[1]
    declared = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-f]{6})", light))
    for name in ("paper", "ink", "muted", "accent", "rule"):
        assert getattr(cards, name.upper()) == declared[name], name
    image = Image.open(io.BytesIO(cards.draw(NORMAL))).convert("RGB")
    assert image.getpixel((600, 400)) == (0xFD, 0xFD, 0xFB)  # the paper, exactly
    assert image.getpixel((600, 5)) == (0x8B, 0x1E, 0x1E)  # the accent band


def ink_outside_margins(data: bytes) -> list[str]:
    """Where the card has anything but paper in its margins (below the accent band)."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    paper = (0xFD, 0xFD, 0xFB)
    inset = cards.MARGIN - 6  # glyphs may overhang their advance a little
    strips = {
        "left": (0, 13, inset, cards.HEIGHT),
        "right": (cards.WIDTH - inset, 13, cards.WIDTH, cards.HEIGHT),
        "top": (0, 13, cards.WIDTH, inset),
        "bottom": (0, cards.HEIGHT - cards.MARGIN // 2, cards.WIDTH, cards.HEIGHT),
    }
    return [
        side
        for side, box in strips.items()
        if image.crop(box).getcolors() != [(image.crop(box).width * image.crop(box).height, paper)]
    ]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_headlines_draw_and_stay_in_their_box(name):
    text = CardText(HOSTILE[name], HOSTILE[name][:60], HOSTILE[name][:30], SITE)
    data = cards.draw(text)
    assert Image.open(io.BytesIO(data)).size == (1200, 630)
    assert ink_outside_margins(data) == [], name
    shown = cards.plan(text)
    font = cards._font(cards.HEADLINE_FONT, shown.headline_size)
    width = cards.WIDTH - 2 * cards.MARGIN
    assert all(font.getlength(line) <= width for line in shown.headline), shown
    bottom = shown.top + (len(shown.headline) - 1) * round(shown.headline_size * 1.15)
    assert bottom + sum(font.getmetrics()) <= cards.FOOTER - 24  # above the rule
    assert shown.headline or name in ("empty", "only spaces")  # the site's name at least


def test_a_long_headline_shrinks_then_ends_in_an_ellipsis():
    short = cards.plan(NORMAL)
    assert short.headline_size == max(cards.HEADLINE_SIZES)
    assert " ".join(short.headline) == NORMAL.headline
    long = cards.plan(CardText(HOSTILE["very long"], "World", "1 May 2024", SITE))
    assert long.headline_size == min(cards.HEADLINE_SIZES)
    assert long.headline[-1].endswith("…")
    words = cards.plan(CardText(HOSTILE["one long word"], "World", "1 May 2024", SITE))
    assert len(words.headline) > 1  # cut where it must, never wider than the card


def test_glyphs_the_fonts_lack_are_written_in_latin_or_left_out():
    mixed = cards.plan(CardText("Tokyo 東京 stocks 🚀 rally in Zürich", "Wörld", "", SITE))
    assert " ".join(mixed.headline) == "Tokyo Dong Jing stocks rally in Zürich"
    assert mixed.section == "WÖRLD"
    cyrillic = cards.plan(CardText(HOSTILE["Cyrillic and Greek"], "Мир", "", SITE))
    assert " ".join(cyrillic.headline) == HOSTILE["Cyrillic and Greek"]  # the fonts have them
    for script in ("right to left", "Arabic", "Chinese"):  # mostly undrawable: the site instead
        shown = cards.plan(CardText(HOSTILE[script], HOSTILE[script], "", SITE))
        assert shown.headline == (SITE,) and shown.site == "" and shown.section == "", script
    emoji = cards.plan(CardText("🎉🎉🎉", "", "", SITE))
    assert emoji.headline == (SITE,)


# Drawn fast, drawn the same: the glyph cache and the PNG writer -------------------------

# Kerned pairs (AV, To, Wa, LT), accents, other scripts the fonts have, overhanging glyphs.
OWN_LINES = [
    "AVAST To Wa LT Ty Yo P. F, V; “Quoted” — ‘AWAY’ fjord",
    "Café owners in Zürich fête São Paulo’s señora, Ærøskøbing",
    "Путин встретился с премьер-министром Греции Μητσοτάκης",
    "iiii jjjj ffff 0123456789 %&@#()[]{}?!/\\|",
]


def sample_lines() -> list[str]:
    """Our own lines, then the BBC corpus's headlines when it is here."""
    lines = list(OWN_LINES)
    if BBC.is_dir():
        files = sorted(BBC.glob("*/*.txt"))[::9]
        lines += [path.read_bytes().decode("latin-1").split("\n", 1)[0] for path in files]
    return lines


def fonts() -> list:
    sizes = [(cards.HEADLINE_FONT, size) for size in cards.HEADLINE_SIZES]
    sizes += [(cards.HEADLINE_FONT, cards.SITE_SIZE), (cards.LABEL_FONT, cards.LABEL_SIZE)]
    return [cards._font(path, size) for path, size in sizes]


def test_lines_composed_from_cached_glyphs_are_pillows_own_text():
    """Every pixel of a line as Pillow's ``draw.text`` gives it, kerning, overlaps and
    all: the cache changes the cost, never the card."""
    for font in fonts():
        for line in sample_lines():
            line = cards._legible(line, font)
            pad = font.size
            size = (round(font.getlength(line)) + 2 * pad, 2 * font.size + 2 * pad)
            pillows = Image.new("L", size, 0)
            ImageDraw.Draw(pillows).text((pad, pad), line, font=font, fill=255)
            mask, (left, top) = cards._run(font, line)
            ours = Image.new("L", size, 0)
            ours.paste(mask, (pad + left, pad + top))
            assert ours.tobytes() == pillows.tobytes(), (font.size, line)
            assert cards._length(font, line) == font.getlength(line), (font.size, line)


def decoded(data: bytes) -> Image.Image:
    Image.open(io.BytesIO(data)).verify()  # the chunks' CRCs
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_card_decodes_to_exactly_the_image_drawn_as_pillow_would_have_written_it():
    texts = [CardText(line, "Business", "2 May 2024", SITE) for line in sample_lines()[:80]]
    texts += [CardText(h, h[:60], h[:30], SITE) for h in HOSTILE.values()]
    for text in texts:
        canvas = cards._paint(cards.plan(text))
        ours = decoded(canvas.png())
        assert (ours.mode, ours.size) == ("P", (cards.WIDTH, cards.HEIGHT))
        assert ours.tobytes() == canvas.image.tobytes(), text  # every row, blank or not
        pillows = canvas.image.copy()
        pillows.putpalette(cards._palette())
        written = io.BytesIO()
        pillows.save(written, "PNG")
        assert ours.convert("RGB").tobytes() == decoded(written.getvalue()).convert("RGB").tobytes()


def test_the_png_writer_splices_any_rows_into_a_valid_stream():
    """Spans at the edges, overlapping, touching, out of range, none at all: the
    zlib stream inflates (its Adler-32 checked) to the image's own rows."""
    image = Image.new("L", (37, 50), 0)
    draw = ImageDraw.Draw(image)
    for y, value in ((0, 3), (7, 250), (8, 1), (20, 9), (31, 2), (49, 7)):
        draw.line((y % 5, y, 36, y), fill=value)
    drawn = [(0, 1), (7, 9), (8, 12), (20, 21), (21, 22), (30, 35), (45, 60)]
    greys = bytes(value for value in range(256) for _ in "RGB")
    for spans in (drawn, drawn[::-1], [(-5, 50)], []):
        subject = image if spans else Image.new("L", image.size, 0)
        data = palette_png(subject, greys, spans)
        raw = zlib.decompress(png_idat(data))
        rows = subject.tobytes()
        assert raw == b"".join(b"\0" + rows[y * 37 : y * 37 + 37] for y in range(50))
        assert decoded(data).tobytes() == rows


def png_idat(data: bytes) -> bytes:
    at, idat = 8, b""
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        if data[at + 4 : at + 8] == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    return idat


def test_a_byline_names_its_people_and_not_their_desk():
    assert byline_names("Jane Doe and John Roe, Reuters") == ["Jane Doe", "John Roe"]
    assert byline_names("By Jane Doe, Political Editor") == ["Jane Doe"]
    assert byline_names("Mary-Ann O'Neill & Ali bin Said") == ["Mary-Ann O'Neill", "Ali bin Said"]
    assert byline_names("View all posts by Daniel Roe") == ["Daniel Roe"]
    assert byline_names("Art Roe says") == ["Art Roe"]
    assert byline_names("L-MAG – Das Magazin für Lesben") == []
    assert byline_names("Reuters Staff") == []
    assert byline_names("BBC News") == []
    assert byline_names("Ada Quill, The Example Courier", {"The Example Courier"}) == ["Ada Quill"]


# A tiny site -------------------------------------------------------------------------------

STORIES = {
    "world/talks.txt": (
        "Date: 2024-05-02\nSection: World\nTopics: Diplomacy, Geneva\n"
        "Byline: Jane Doe and John Roe, Reuters\n\nTalks resume in Geneva after a long pause\n\n"
        "GENEVA (Reuters) - Negotiators met again on Thursday, delegates said.\n\n"
        "A second paragraph of the talks story.\n"
    ),
    "business/rates.txt": (
        "Date: 2024-05-02\nSection: Business\nTopics: Rates, Banks\n\n"
        "Central bank holds its rate for a third month\n\n"
        "The central bank left its main rate unchanged, citing slowing prices.\n\n"
        "Economists had expected the decision.\n"
    ),
    "world/long.txt": (
        "Date: 2024-05-01\nSection: World\nTopics: Weather\n\n"
        + "A headline so long it has to wrap over many lines and then some more "
        "words about floods, storms and the long clean-up that follows them everywhere\n\n"
        "Floods hit the coast overnight, officials said on Wednesday morning.\n"
    ),
}


def build_site(root: Path, out: str = "out", **settings) -> Path:
    """Build the tiny site (and the saved page with its own image) into root/out."""
    if not (root / "conf.py").exists():
        files = dict(STORIES)
        files["culture/2024-03-05-library.html"] = (
            REPO / "tests" / "fixtures" / "html" / "article.html"
        ).read_bytes()
        conf = write_site(root, files, SITEURL="https://news.example", **settings)
        ingest(conf, "2024-05-03T06:00:00+00:00")
    done = pelican(root / "conf.py", root / out, "--fatal", "errors")
    assert done.returncode == 0, done.stdout + done.stderr
    return root / out


def story_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("20*/*/*/*/index.html"))


def head(path: Path) -> dict:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    tags = page.find_all("meta", content=True)
    meta = {m.get("property") or m.get("name"): m["content"] for m in tags}
    script = page.find("script", type="application/ld+json")
    meta["schema"] = json.loads(script.string) if script else None
    return meta


def check_news_article(data: dict) -> None:
    """The shape Google's article rich results read: absolute URLs, typed authors."""
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert isinstance(data["headline"], str) and data["headline"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", data["datePublished"])
    authors = data["author"] if isinstance(data["author"], list) else [data["author"]]
    assert authors
    for author in authors:
        assert author["@type"] in ("Person", "Organization") and author["name"].strip()
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"]
    assert isinstance(data["image"], list) and data["image"]
    for image in data["image"]:
        url = image["url"] if isinstance(image, dict) else image
        assert url.startswith(("https://", "http://")), url
        if isinstance(image, dict):
            assert image["@type"] == "ImageObject" and image["width"] and image["height"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("cards-site")
    return root, build_site(root)


def local(out: Path, url: str) -> Path:
    assert url.startswith("https://news.example/"), url
    return out / url.removeprefix("https://news.example/")


def test_every_story_page_shares_a_card_in_the_output(site):
    _, out = site
    pages = story_pages(out)
    assert len(pages) == 4
    drawn = 0
    for page in pages:
        meta = head(page)
        check_news_article(meta["schema"])
        assert meta["twitter:card"] == "summary_large_image"
        assert meta["twitter:image"] == meta["og:image"]
        if meta["og:image"].startswith("https://cdn.example.com/"):  # the saved page's own
            assert meta["schema"]["image"] == [meta["og:image"]]
            assert "og:image:width" not in meta  # not fetched, so not known
            continue
        card = local(out, meta["og:image"])
        image = Image.open(card)
        assert (image.format, image.size) == ("PNG", (1200, 630)), page
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        assert meta["og:image:type"] == "image/png"
        assert meta["og:image:alt"] == meta["og:title"]
        assert meta["schema"]["image"][0]["url"] == meta["og:image"]
        drawn += 1
    assert drawn == 3


def test_the_front_and_section_pages_share_the_sites_card(site):
    _, out = site
    for name in ("index.html", "section/world/index.html", "topic/index.html"):
        meta = head(out / name)
        assert meta["twitter:card"] == "summary_large_image", name
        assert Image.open(local(out, meta["og:image"])).size == (1200, 630)
        assert meta["og:image:alt"].startswith("The Gazette Digest")


def test_news_article_authors_are_the_byline_else_the_source(site):
    _, out = site
    schema = {head(p)["schema"]["headline"]: head(p)["schema"] for p in story_pages(out)}
    talks = schema["Talks resume in Geneva after a long pause"]
    assert talks["author"] == [
        {"@type": "Person", "name": "Jane Doe"},
        {"@type": "Person", "name": "John Roe"},
    ]
    rates = schema["Central bank holds its rate for a third month"]
    assert rates["author"]["@type"] == "Organization"
    assert rates["author"]["name"] == "The Gazette Digest"  # no byline, no source: the site
    library = schema["Harbour Town opens its new tidal library"]
    people = library["author"] if isinstance(library["author"], list) else [library["author"]]
    assert {"@type": "Person", "name": "Ada Quill"} in people
    assert all(a["name"] != "The Example Courier" for a in people if a["@type"] == "Person")


def test_a_rebuild_draws_no_card_and_two_builds_are_the_same(site):
    root, out = site
    cache = root / ".cache" / "gazette" / "cards"
    before = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")}
    assert len(before) == 4  # three stories and the site
    again = build_site(root, "again")
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")} == before  # none redrawn
    shutil.rmtree(root / ".cache")
    cold = build_site(root, "cold")  # every card drawn anew
    for other in (again, cold):
        for path in [*out.joinpath("cards").iterdir(), *story_pages(out), out / "index.html"]:
            twin = other / path.relative_to(out)
            assert twin.read_bytes() == path.read_bytes(), path.relative_to(out)


def test_cards_can_be_turned_off(tmp_path):
    out = build_site(tmp_path, GAZETTE_SOCIAL_CARDS=False)
    assert not (out / "cards").exists()
    for page in story_pages(out):
        meta = head(page)
        if "og:image" in meta:  # only the saved page's own image
            assert meta["og:image"].startswith("https://cdn.example.com/")
        else:
            assert meta["twitter:card"] == "summary"
            assert "image" not in meta["schema"]
    assert head(out / "index.html")["twitter:card"] == "summary"


def test_a_first_builds_many_cards_are_each_drawn_once_beside_the_build(tmp_path, caplog):
    """More cards than one process should draw alone: a child and the build share them
    (machinery/parallel.share_in_background); every card ends in the cache and the
    output, with the bytes ``draw`` makes."""
    from pelican.plugins.gazette.glue import cards as card_glue
    from pelican.plugins.gazette.machinery import parallel

    texts = [
        CardText(f"Council vote {n} on the harbour plan", "Local", "2 May 2024", SITE)
        for n in range(parallel.MIN_ITEMS + 40)
    ]
    wanted = {cards.key(text): text for text in texts}
    cache, output = tmp_path / "cache", tmp_path / "out"
    settings = {"OUTPUT_PATH": str(output), "GAZETTE_PARSE_WORKERS": 2}
    with caplog.at_level("INFO"):
        card_glue.write(wanted, str(cache), str(output), settings)
        parallel.wait_for_background()
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    for key, text in list(wanted.items())[:: len(wanted) // 7]:
        expected = cards.draw(text)
        assert (cache / card_glue.file_name(key)).read_bytes() == expected
        assert (output / "cards" / card_glue.file_name(key)).read_bytes() == expected
    assert len(list((output / "cards").iterdir())) == len(wanted)
    assert f"0 from the cache, {len(wanted)} drawn" in caplog.text
