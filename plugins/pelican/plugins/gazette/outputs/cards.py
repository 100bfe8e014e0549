"""Social card images: a story's headline, section, date and site name as a PNG.

Pure: text in, PNG bytes out (no Pelican). 1200×630, the size Open Graph and
Twitter's ``summary_large_image`` recommend (1.91:1). The same text gives the
same bytes on any machine: the fonts ship with the plugin (fonts/, Liberation
2.1.5, SIL Open Font License; the system's fonts are never read), text is laid
out by Pillow's own basic engine (Raqm, when present, depends on system
libraries), and the PNG carries no metadata (no time, no DPI, no text chunks).
Drawing is cheap because the headlines share their letters: each glyph is rasterised
once per process and placed where Pillow's layout puts it, and the PNG writer
(png.py) compresses only the rows with something on them.

Characters the fonts lack, and right-to-left scripts (the basic engine neither
reorders nor joins them), are written in Latin letters (unidecode); emoji and
other symbols without a Latin form are left out. When most of a headline is
like that, the card shows the site name instead of a garbled headline (the
page's og:image:alt still carries the headline).
"""

import hashlib
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain, repeat
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont, features
from PIL import __version__ as PILLOW_VERSION  # not importlib.metadata: 4.6 MB in the card process
from unidecode import unidecode

from .png import palette_png

# Bump when the drawing changes: it is part of every card's key.
VERSION = 2
WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FONTS = Path(__file__).resolve().parent / "fonts"
HEADLINE_FONT = FONTS / "LiberationSerif-Bold.ttf"  # the theme's headings: a Times-like serif
LABEL_FONT = FONTS / "LiberationSans-Regular.ttf"
# The theme's light colours (theme/static/css/gazette.css :root; tests/test_cards.py checks).
PAPER, INK, MUTED, ACCENT, RULE = "#fdfdfb", "#1b1b1b", "#4d4d4d", "#8b1e1e", "#d6d3cb"
# Headline sizes tried, largest first, until the headline fits its box.
HEADLINE_SIZES = (76, 68, 60, 54, 48, 44)
LABEL_SIZE = 30
SITE_SIZE = 36
FOOTER = HEIGHT - MARGIN - SITE_SIZE  # the top of the site name's line
# Above this share of letters the fonts cannot draw, the headline is left off the card.
MAX_FOREIGN_SHARE = 0.25
ELLIPSIS = "…"
# More than a card can show at the smallest size; the rest is never looked at.
MAX_CHARS = 400
BLENDS = 16  # shades of each colour, for antialiased text


@dataclass(frozen=True, slots=True)  # slots: 20,000 of them go to the card process
class CardText:
    headline: str
    section: str
    date: str  # as the site shows it: "22 September 2021"
    site: str


class CardError(RuntimeError):
    """Cards cannot be drawn here (a Pillow without FreeType); the message says why."""


def key(text: CardText) -> str:
    """A hash of everything that draws this card: its text, the drawing's version, the
    fonts and Pillow's version. Same key, same bytes."""
    digest = hashlib.sha256(_engine_key().encode())
    for part in (text.headline, text.section, text.date, text.site):
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Layout:
    """What a card shows, where: the text as drawn (made legible, wrapped, cut to fit)."""

    section: str
    headline: tuple[str, ...]  # its lines
    headline_size: int
    site: str
    date: str
    top: int  # of the headline's first line


def plan(text: CardText) -> Layout:
    """The card's layout: every line fits its box, in characters the fonts have."""
    label, site_font = _font(LABEL_FONT, LABEL_SIZE), _font(HEADLINE_FONT, SITE_SIZE)
    width, top = WIDTH - 2 * MARGIN, MARGIN
    section = _fit_line(_legible(text.section.upper(), label), label, width)
    if section:
        top += LABEL_SIZE + 28
    headline = _legible(text.headline, _font(HEADLINE_FONT, HEADLINE_SIZES[0]))
    site = _legible(text.site, site_font)
    if not headline:  # nothing legible to show: the site's name in the headline's place
        headline, site = site, ""
    size, lines = layout(headline, width, FOOTER - 40 - top)
    date = _fit_line(_legible(text.date, label), label, width // 2)
    room = width - (round(_length(label, date)) + 32 if date else 0)
    return Layout(section, tuple(lines), size, _fit_line(site, site_font, room), date, top)


def draw(text: CardText) -> bytes:
    """The card's PNG."""
    return _paint(plan(text)).png()


def _paint(shown: Layout) -> "_Canvas":
    label, site_font = _font(LABEL_FONT, LABEL_SIZE), _font(HEADLINE_FONT, SITE_SIZE)
    canvas = _Canvas()
    canvas.rectangle((0, 0, WIDTH, 12), ACCENT)
    if shown.section:
        canvas.text((MARGIN, MARGIN), shown.section, label, ACCENT, recurs=True)
    font, leading = _font(HEADLINE_FONT, shown.headline_size), _leading(shown.headline_size)
    for n, line in enumerate(shown.headline):
        canvas.text((MARGIN, shown.top + n * leading), line, font, INK)
    canvas.rectangle((MARGIN, FOOTER - 24, WIDTH - MARGIN, FOOTER - 22), RULE)
    if shown.site:
        canvas.text((MARGIN, FOOTER), shown.site, site_font, INK, recurs=True)
    if shown.date:
        right = WIDTH - MARGIN - round(_length(label, shown.date))
        canvas.text((right, FOOTER + 4), shown.date, label, MUTED, recurs=True)
    return canvas


class _Canvas:
    """The card as palette indices: each colour has BLENDS + 1 of them, its blends with
    the paper from none (the paper itself; the first colour's is index 0) to full.
    Antialiased text becomes shades exactly (a quantizer's nearest colour is
    approximate), and a palette PNG is under half the bytes of an RGB one."""

    COLOURS = (INK, MUTED, ACCENT, RULE)

    def __init__(self):
        self.image = Image.new("L", (WIDTH, HEIGHT), 0)
        self.drawn: list[tuple[int, int]] = []  # row spans drawn on; the rest is paper

    def rectangle(self, box, colour: str) -> None:
        ImageDraw.Draw(self.image).rectangle(box, fill=_index(colour, BLENDS))
        self.drawn.append((box[1], box[3] + 1))

    def text(self, xy, text: str, font, colour: str, recurs: bool = False) -> None:
        """``text`` from ``xy`` as ``draw.text`` puts it; ``recurs``: a label, the same
        on many cards, whose composed line is kept."""
        mask, (left, top) = (_label_run if recurs else _run)(font, text)
        if mask is None:
            return
        box = (xy[0] + left, xy[1] + top, xy[0] + left + mask.width, xy[1] + top + mask.height)
        paper = _index(colour, 0)
        if paper:  # this colour's shades count from its own copy of the paper
            self.image.paste(paper, box)
        # Pillow blends the index itself: paper + coverage × BLENDS / 255, rounded.
        self.image.paste(paper + BLENDS, box, mask)
        self.drawn.append((box[1], box[3]))

    def png(self) -> bytes:
        return palette_png(self.image, _palette(), self.drawn)


def _index(colour: str, shade: int) -> int:
    return _Canvas.COLOURS.index(colour) * (BLENDS + 1) + shade


@cache
def _palette() -> bytes:
    paper = ImageColor.getrgb(PAPER)
    colours = []
    for colour in _Canvas.COLOURS:
        ink = ImageColor.getrgb(colour)
        for step in range(BLENDS + 1):
            blend = zip(paper, ink, strict=True)
            colours.append(tuple(p + (i - p) * step // BLENDS for p, i in blend))
    return bytes(channel for colour in colours for channel in colour)


@dataclass(frozen=True)
class _Glyph:
    mask: Image.Image  # its coverage, cropped to its ink
    left: int  # from the pen's pixel to the mask's left edge
    top: int  # from the line's top (Pillow's "la" anchor) to the mask's top edge


def _run(font, text: str) -> tuple[Image.Image | None, tuple[int, int]]:
    """``text``'s coverage on one line and its offset from the line's origin: exactly
    what Pillow's ``draw.text`` gives (tests/test_cards.py compares), from glyphs each
    rasterised once per process (``draw.text`` loads each glyph of a line four times
    and renders it twice). Pillow's basic layout puts each glyph at its pen position
    rounded to a pixel, and blends overlapping glyphs as ``paste`` with a mask does."""
    placed, pen = [], 0  # pen: 1/64 pixel, as FreeType counts
    for n, char in enumerate(text):
        glyph = _glyph(font, char)
        if glyph:
            placed.append((((pen + 32) >> 6) + glyph.left, glyph.top, glyph.mask))
        pen += _advance(font, char, text[n + 1 : n + 2])
    if not placed:
        return None, (0, 0)
    left, top = min(p[0] for p in placed), min(p[1] for p in placed)
    right = max(x + mask.width for x, _, mask in placed)
    bottom = max(y + mask.height for _, y, mask in placed)
    coverage = Image.new("L", (right - left, bottom - top), 0)
    for x, y, mask in placed:
        coverage.paste(255, (x - left, y - top), mask)
    return coverage, (left, top)


# The labels (site, section, date) recur card after card: their runs are kept.
_label_run = lru_cache(maxsize=128)(_run)


@lru_cache(maxsize=1 << 12)
def _glyph(font, char: str) -> _Glyph | None:
    left, top, right, bottom = font.getbbox(char)
    if right <= left or bottom <= top:
        return None
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), char, font=font, fill=255)
    ink = mask.getbbox()
    return _Glyph(mask.crop(ink), left + ink[0], top + ink[1]) if ink else None


def _length(font, text: str) -> float:
    """``font.getlength(text)``, from the cached advances: Pillow's loads every glyph
    of the string anew, and wrapping a headline measures it word by word."""
    return sum(map(_advance, repeat(font), text, chain(text[1:], ("",)))) / 64


@lru_cache(maxsize=1 << 16)  # pairs: bounded, whatever the headlines' alphabets
def _advance(font, char: str, following: str) -> int:
    """How far ``char`` moves the pen, in 1/64 pixel, before ``following``: Pillow's
    basic layout adds the pair's kerning to the first glyph's advance."""
    return round((font.getlength(char + following) - font.getlength(following)) * 64)


def layout(headline: str, width: int, height: int) -> tuple[int, list[str]]:
    """The largest headline size whose wrapped lines fit ``width`` × ``height``, and
    the lines; at the smallest size, the lines that fit, the last ending in "…"."""
    for size in HEADLINE_SIZES:
        lines = wrap(headline, _font(HEADLINE_FONT, size), width)
        if len(lines) <= _max_lines(size, height):
            return size, lines
    size = HEADLINE_SIZES[-1]
    font = _font(HEADLINE_FONT, size)
    lines = wrap(headline, font, width)[: _max_lines(size, height)]
    lines[-1] = _fit_line(lines[-1] + ELLIPSIS, font, width, force_ellipsis=True)
    return size, lines


def wrap(text: str, font, width: int) -> list[str]:
    """Words into lines no wider than ``width``; a word wider than a line is cut."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if _length(font, candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while _length(font, word) > width:  # a long URL or compound: cut where it must
            cut = _longest_prefix(word, font, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _longest_prefix(word: str, font, width: int) -> int:
    """How many of ``word``'s first characters fit ``width`` (at least one), ending
    after a hyphen or a slash when one is there."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if _length(font, word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    breaks = max(word.rfind("-", 0, low), word.rfind("/", 0, low))
    return breaks + 1 if breaks > 0 else low


def _fit_line(text: str, font, width: int, force_ellipsis: bool = False) -> str:
    """``text`` on one line of ``width``: cut at a word (else a character) with "…"."""
    if not force_ellipsis and _length(font, text) <= width:
        return text
    text = text.removesuffix(ELLIPSIS).rstrip()
    while text and _length(font, text + ELLIPSIS) > width:
        shorter = text.rsplit(" ", 1)[0] if " " in text else text[:-1]
        text = shorter.rstrip(" ,;:-–—")
    return text + ELLIPSIS if text else ""


def _leading(size: int) -> int:
    return round(size * 1.15)


def _max_lines(size: int, height: int) -> int:
    """Lines of this size in ``height``: the last one's descenders too."""
    ascent, descent = _font(HEADLINE_FONT, size).getmetrics()
    return max(1, (height - ascent - descent) // _leading(size) + 1)


def _legible(text: str, font) -> str:
    """``text`` as the font can draw it; empty when too much of it had to be made up."""
    drawable, foreign = _drawable(text[:MAX_CHARS], font)
    return drawable if foreign <= MAX_FOREIGN_SHARE else ""


def _drawable(text: str, font) -> tuple[str, float]:
    """``text`` as the font can draw it, and the share of its letters that had to be
    written otherwise (or left out). One line; controls and odd spaces are spaces."""
    text = unicodedata.normalize("NFC", text)
    out, letters, foreign = [], 0, 0
    for char in text:
        kind = unicodedata.category(char)
        if char.isspace() or kind == "Cc" or kind[0] == "Z":
            out.append(" ")
            continue
        if kind[0] == "C":  # soft hyphens, zero-width joiners, private use: nothing to see
            continue
        if char.isalnum():
            letters += 1
        if _has_glyph(font, char) and unicodedata.bidirectional(char) not in ("R", "AL"):
            out.append(char)
            continue
        if char.isalnum():
            foreign += 1
        latin = unidecode(char)
        out.append(latin if all(_has_glyph(font, c) for c in latin) else "")
    return " ".join("".join(out).split()), (foreign / letters if letters else 0.0)


def _has_glyph(font, char: str) -> bool:
    """Whether the font draws ``char`` as itself, not as its missing-glyph box."""
    known = _glyphs(font.path, font.size)
    if char not in known:  # a private-use point stands for one no font has
        known[char] = _mask(font, char) != _mask(font, "\U0010fffd")
    return known[char]


@cache
def _glyphs(path: str, size: int) -> dict[str, bool]:
    return {}


def _mask(font, char: str) -> tuple:
    mask = font.getmask(char, mode="L")
    return mask.size, bytes(mask)


@cache
def _font(path: Path, size: int):
    if not features.check("freetype2"):
        raise CardError("this Pillow has no FreeType support: social cards cannot be drawn")
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


@cache
def _engine_key() -> str:
    # zlib: the PNG is deflated by Python's, and its output may change with its version.
    engine = f"cards {VERSION} Pillow {PILLOW_VERSION} zlib {zlib.ZLIB_RUNTIME_VERSION}"
    digest = hashlib.sha256(engine.encode())
    for path in (HEADLINE_FONT, LABEL_FONT):
        digest.update(path.read_bytes())
    return digest.hexdigest()
