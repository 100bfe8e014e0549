"""Turn the bytes of a raw file into clean, normalised text.

Pure functions, no Pelican import. A file that is not text at all raises
``NotText`` with a reason a publisher can act on.
"""

import html
import re
import unicodedata

import ftfy

FALLBACK_ENCODINGS = ("cp1252", "latin-1")

# C0/C1 controls except tab and newline, plus characters that are invisible
# or reorder text (zero-width space, bidi embeddings/overrides/isolates, BOM).
# Joiners (U+200C/U+200D) and the directional marks (U+200E/U+200F) stay:
# Persian, Indic scripts and emoji sequences need them.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff\ufffe]"
)
# Character references left in scraped text ("&#163;8m", "AT&amp;T"); only the
# complete form with a semicolon, so "R&D" or "AT&T" stay as written.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Share of replacement/control characters above which decoded bytes are
# judged to be binary rather than text in a legacy encoding.
_MAX_CONTROL_SHARE = 0.02


class NotText(ValueError):
    """The bytes cannot be read as an article; the message says why."""


# What a file of another kind starts with (its "magic number"), for a rejection that says
# what the file is: a PDF or a Word document saved as .txt or .html is not an article.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a Word, OpenDocument or EPUB file is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
)
# Byte order marks of the encodings a BOM names (UTF-32's before UTF-16's, which they start with).
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


def other_kind(data: bytes) -> str | None:
    """What the file is when its first bytes say it is no text ("a PDF document"), else None."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def decode_wide(data: bytes) -> tuple[str, list[str]] | None:
    """UTF-16 or UTF-32 text (what Windows Notepad saves as "Unicode"), by its byte order
    mark or, without one, by every other byte being NUL as in mostly Latin text; None when
    the bytes are not that."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), []  # as the file says: no warning
            except UnicodeDecodeError:
                return None
    half = len(data) // 2
    if len(data) % 2 or half < 8 or b"\x00" not in data:  # (the search for a NUL: C speed)
        return None
    for codec, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if zeros.count(0) >= 0.9 * half:
            try:
                return data.decode(codec), [f"no byte order mark; decoded as {codec.upper()}"]
            except UnicodeDecodeError:
                return None
    return None


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode ``data`` as UTF-8 (UTF-16 or UTF-32 when they say so), falling back to cp1252
    then latin-1.

    Returns the text and a list of warnings (empty for clean UTF-8).
    """
    kind = other_kind(data)
    if kind:
        raise NotText(f"binary file ({kind}, not text)")
    wide = decode_wide(data)
    if wide is not None:
        return wide
    if b"\x00" in data:
        raise NotText("binary file (contains NUL bytes)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as err:
        where = f"byte {err.start}"
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _reject_binary(text)
        return text, [f"not valid UTF-8 (at {where}); decoded as {encoding}"]
    raise NotText("undecodable bytes")  # pragma: no cover - latin-1 decodes anything


def _reject_binary(text: str) -> None:
    controls = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r") or "\x7f" <= ch <= "\x9f")
    if text and controls / len(text) > _MAX_CONTROL_SHARE:
        raise NotText("binary file (too many control characters to be text)")


def normalise(text: str) -> str:
    """Unify line ends, decode character references, drop invisible/control
    characters, normalise to NFC."""
    text = _REFERENCE.sub(lambda m: html.unescape(m[0]), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", "    ")
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)


# Characters that UTF-8 read as cp1252 or latin-1 leaves ("Itâ€™s the cafÃ©"): only text
# with one of them goes through ftfy (most text has none; ftfy reads every character).
_MOJIBAKE_SIGN = re.compile("[ÂÃâÅÆÐÑÎÏ][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ¡-¿]")
_FTFY = ftfy.TextFixerConfig(
    uncurl_quotes=False,  # the writer's quotes stay as written
    unescape_html=False,  # normalise decodes complete character references itself
    fix_line_breaks=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    normalization="NFC",
    explain=False,
)


def repair(text: str) -> tuple[str, bool]:
    """Text with mojibake from double-encoded UTF-8 repaired (ftfy), and whether it was."""
    if not _MOJIBAKE_SIGN.search(text):
        return text, False
    fixed = ftfy.fix_text(text, _FTFY)
    return fixed, fixed != text


def read_text(data: bytes) -> tuple[str, list[str]]:
    """Decode, repair and normalise; the one entry point the parser uses."""
    text, warnings = decode(data)
    text, repaired = repair(text)
    if repaired:
        warnings.append("mojibake (UTF-8 read as cp1252 or latin-1) repaired")
    return normalise(text), warnings
