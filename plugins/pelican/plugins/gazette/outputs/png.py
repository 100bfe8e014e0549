"""A palette PNG of an image that is mostly its first colour: the social cards' writer.

Why not Pillow's own ``save``: a card is 1200×630 bytes of which most rows are all
paper (index 0), and zlib spends about a nanosecond a byte even on zeros, so Pillow's
writer took 1.1 ms a card at level 1, half of a card's time. Here a run of blank rows
is compressed once per process and spliced in, and only the rows that were drawn on
go through zlib: 0.3 ms a card (bench/cards.py). The file is an ordinary PNG: 8-bit
palette, no filter, one IDAT, no metadata.

Splicing is sound because each piece is flushed with ``Z_FULL_FLUSH``: it ends on a
byte boundary and nothing after it refers back past it, so the deflate stream stays
valid whatever sits before each piece. The zlib header, the Adler-32 of the whole and
the chunks' CRCs are computed here.
"""

import zlib
from functools import cache

SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KB window, "fastest" (what level 1 writes)
ADLER_MOD = 65521


def palette_png(image, palette: bytes, drawn: list[tuple[int, int]], level: int) -> bytes:
    """``image`` (mode "L", its values palette indices) as a PNG. ``drawn``: the
    ``(top, bottom)`` row spans that may hold anything but 0; every other row must
    be all 0. ``palette``: RGB triplets, one for each index used."""
    width, height = image.size
    deflate = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw: the header is ours
    pieces, adler = [ZLIB_HEADER], 1
    for top, bottom, blank in _spans(drawn, height):
        if blank:
            size = (bottom - top) * (width + 1)
            pieces.append(_blank(size, level))
            adler = _adler_of_zeros(adler, size)
            continue
        rows = image.crop((0, top, width, bottom)).tobytes()
        raw = b"".join(b"\0" + rows[at : at + width] for at in range(0, len(rows), width))
        adler = zlib.adler32(raw, adler)
        pieces += (deflate.compress(raw), deflate.flush(zlib.Z_FULL_FLUSH))
    pieces += (deflate.flush(), adler.to_bytes(4, "big"))  # an empty last block ends it
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes((8, 3, 0, 0, 0))
    return b"".join(
        (
            SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", palette),
            _chunk(b"IDAT", b"".join(pieces)),
            _chunk(b"IEND", b""),
        )
    )


def _spans(drawn: list[tuple[int, int]], height: int):
    """``(top, bottom, blank)`` from row 0 to ``height``: the drawn spans merged, and
    the blank ones between them."""
    merged: list[list[int]] = []
    for top, bottom in sorted(drawn):
        top, bottom = max(top, 0), min(bottom, height)
        if merged and top <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], bottom)
        elif top < bottom:
            merged.append([top, bottom])
    at = 0
    for top, bottom in merged:
        if top > at:
            yield at, top, True
        yield top, bottom, False
        at = bottom
    if at < height:
        yield at, height, True


@cache
def _blank(size: int, level: int) -> bytes:
    """``size`` zero bytes (blank rows and their filter bytes), deflated on their own."""
    deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
    return deflate.compress(bytes(size)) + deflate.flush(zlib.Z_FULL_FLUSH)


def _adler_of_zeros(adler: int, size: int) -> int:
    """Adler-32 after ``size`` more zero bytes: its first sum stays, the second grows
    by the first for each byte."""
    first, second = adler & 0xFFFF, adler >> 16
    return ((second + size * first) % ADLER_MOD) << 16 | first


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return len(data).to_bytes(4, "big") + kind + data + crc.to_bytes(4, "big")
