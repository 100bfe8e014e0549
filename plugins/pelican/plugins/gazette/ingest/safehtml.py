"""An extracted article tree as blocks of plain text and escaped, allow-listed HTML.

Pure functions, no Pelican import. The input is an lxml element: trafilatura's
extracted body (its TEI-like vocabulary: ``p``, ``head``, ``list``/``item``,
``quote``, ``ref``, ``hi``, ``lb``, ``table``/``row``/``cell``, ``graphic``) or
ordinary HTML (readability's output, a kept site-rule region). Nothing is copied
as markup: each block's HTML is built here from escaped text and a short list of
tags, and the only attribute ever written is a link's ``href`` that passed
``safe_href``. Scripts, styles, event handlers, embeds and images never reach
the output (a page's image URL is kept apart, in ``RawStory.image``).
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

# Block elements: the vocabulary of both trees, by the HTML element written.
_PARAGRAPH = {"p", "div", "section", "article", "main", "center", "font", "span", "dd", "dt"}
_HEADING = {"head", "h1", "h2", "h3", "h4", "h5", "h6"}
_LIST = {"list", "ul", "ol", "dl"}
_ITEM = {"item", "li"}
_QUOTE = {"quote", "blockquote"}
_TABLE = {"table"}
_ROW = {"row", "tr"}
_CELL = {"cell", "td", "th"}
_FIGURE = {"figure"}
_CAPTION = {"figcaption", "caption"}
# Inline markup kept as <strong>/<em>; trafilatura writes <hi rend="#b"> and so on.
_STRONG = {"b", "strong"}
_EMPHASIS = {"i", "em", "cite"}
_LINK = {"ref", "a"}
_BREAK = {"lb", "br"}
# Never read, text included.
_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "applet",
    "video",
    "audio",
    "source",
    "track",
    "canvas",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "option",
    "title",
    "meta",
    "link",
    "base",
    "graphic",
    "img",
    "picture",
    "map",
    "frame",
    "frameset",
    "nav",
    "aside",
    "footer",
}
_SAFE_SCHEMES = {"http", "https", "mailto"}
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "h", "li", "quote", "row", "caption"
    text: str  # plain text: one paragraph of RawStory.paragraphs
    html: str  # the block as safe HTML
    group: int = 0  # blocks of one list, quote or table share a group number


def safe_href(value: str | None, base: str | None = None) -> str | None:
    """The link target when it is http(s), mailto or relative; None for anything else
    (``javascript:``, ``data:``, ``vbscript:``, obfuscated schemes, control characters)."""
    if not value:
        return None
    value = _CONTROL.sub("", value).strip()
    if not value or len(value) > 2000:
        return None
    squeezed = re.sub(r"\s", "", value).lower()
    scheme = urlsplit(squeezed).scheme if ":" in squeezed.split("/", 1)[0] else ""
    if scheme and scheme not in _SAFE_SCHEMES:
        return None
    if squeezed.startswith("#"):
        return None  # a place in the original page, not in ours
    if squeezed.startswith("//"):
        return "https:" + value if base is None else urljoin(base, value)
    if base and not scheme:
        joined = urljoin(base, value)
        if urlsplit(joined).scheme in _SAFE_SCHEMES:
            return joined
    return value


def _tag(element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments, processing instructions
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


class _Inline:
    """Collects one block's text and its escaped HTML."""

    def __init__(self, base: str | None):
        self.base = base
        self.text: list[str] = []
        self.html: list[str] = []

    def add_text(self, text: str | None) -> None:
        if text:
            text = _clean(text)
            self.text.append(text)
            self.html.append(html.escape(_SPACE.sub(" ", text), quote=False))

    def walk(self, element, depth: int = 0) -> None:
        """The inline content of ``element`` (its text, children and their tails)."""
        self.add_text(element.text)
        for child in element:
            self.inline(child, depth + 1)
            self.add_text(child.tail)

    def inline(self, element, depth: int) -> None:
        tag = _tag(element)
        if not tag or tag in _DROP or depth > 60:
            return
        if tag in _BREAK:
            self.text.append("\n")
            self.html.append("<br>")
            return
        if tag in _LINK:
            href = safe_href(element.get("target") or element.get("href"), self.base)
            if href and urlsplit(href).scheme:  # relative to a page we do not know: text only
                self.html.append(f'<a href="{html.escape(href, quote=True)}" rel="nofollow">')
                self.walk(element, depth)
                self.html.append("</a>")
                return
        rend = (element.get("rend") or "").lower()
        wrap = None
        if tag in _STRONG or (tag == "hi" and "#b" in rend):
            wrap = "strong"
        elif tag in _EMPHASIS or (tag == "hi" and ("#i" in rend or "#u" in rend)):
            wrap = "em"
        if wrap:
            self.html.append(f"<{wrap}>")
            self.walk(element, depth)
            self.html.append(f"</{wrap}>")
        else:
            self.walk(element, depth)

    def result(self) -> tuple[str, str]:
        text = "".join(self.text)
        lines = [" ".join(line.split()) for line in text.split("\n")]
        text = "\n".join(line for line in lines if line)
        body = "".join(self.html).strip()
        body = re.sub(r"^(?:<br>\s*)+|(?:\s*<br>)+$", "", body)
        return text, body


def blocks_of(root, base: str | None = None, max_blocks: int = 5000) -> list[Block]:
    """The blocks of an extracted tree, in document order."""
    out: list[Block] = []
    state = {"group": 0}

    def emit(kind: str, element, group: int = 0) -> None:
        inline = _Inline(base)
        inline.walk(element)
        text, body = inline.result()
        if text.strip() and len(out) < max_blocks:
            out.append(Block(kind, text, body, group))

    def next_group() -> int:
        state["group"] += 1
        return state["group"]

    def visit(element, depth: int, context: str = "", group: int = 0) -> None:
        tag = _tag(element)
        if not tag or tag in _DROP or depth > 200 or len(out) >= max_blocks:
            return
        if tag in _HEADING and context == "":
            emit("h", element)
        elif tag in _LIST:
            g = group or next_group()
            loose = _Inline(base)
            loose.add_text(element.text)
            for child in element:
                if _tag(child) in _ITEM or _tag(child) in {"dt", "dd"}:
                    if _has_blocks(child):
                        visit_children(child, depth, "li", g)
                    else:
                        emit("li", child, g)
                else:
                    visit(child, depth + 1, "li", g)
        elif tag in _QUOTE and context == "":
            g = next_group()
            if _has_blocks(element):
                visit_children(element, depth, "quote", g)
            else:
                emit("quote", element, g)
        elif tag in _TABLE and context == "":
            g = next_group()
            for row in element.iter():
                if _tag(row) in _ROW:
                    cells = [c for c in row if _tag(c) in _CELL]
                    _emit_row(out, cells or [row], g, base)
        elif tag in _FIGURE:
            for child in element.iter():
                if _tag(child) in _CAPTION:
                    emit("caption", child)
        elif tag in _CAPTION:
            emit("caption", element)
        elif tag in _ITEM:
            emit("li", element, group or next_group())
        elif _has_blocks(element):
            visit_children(element, depth, context, group)
        elif (
            tag in _PARAGRAPH or tag in _HEADING or tag in _QUOTE or tag in _TABLE or tag == "body"
        ):
            emit(_context_kind(context, tag), element, group)
        else:
            emit(_context_kind(context, "p"), element, group)

    def visit_children(element, depth: int, context: str, group: int) -> None:
        loose = _Inline(base)
        loose.add_text(element.text)
        pending = [loose]
        for child in element:
            if _tag(child) in _BLOCK_TAGS:
                _flush(pending[-1], context, group)
                visit(child, depth + 1, context, group)
                pending.append(_Inline(base))
                pending[-1].add_text(child.tail)
            else:
                pending[-1].inline(child, depth + 1)
                pending[-1].add_text(child.tail)
        _flush(pending[-1], context, group)

    def _flush(inline: _Inline, context: str, group: int) -> None:
        text, body = inline.result()
        if text.strip() and len(out) < max_blocks:
            out.append(Block(_context_kind(context, "p"), text, body, group))
        inline.text.clear()
        inline.html.clear()

    for child in [root] if _tag(root) not in {"body", "doc", "html"} else list(root):
        visit(child, 0)
    if _tag(root) in {"body", "doc", "html"} and root.text and root.text.strip():
        inline = _Inline(base)
        inline.add_text(root.text)
        text, body = inline.result()
        out.insert(0, Block("p", text, body))
    return out


_BLOCK_TAGS = (
    _PARAGRAPH
    | _HEADING
    | _LIST
    | _ITEM
    | _QUOTE
    | _TABLE
    | _ROW
    | _FIGURE
    | _CAPTION
    | {"body", "pre", "code", "hr", "header"}
) - {"span", "font"}


def _has_blocks(element) -> bool:
    return any(_tag(child) in _BLOCK_TAGS for child in element)


def _context_kind(context: str, tag: str) -> str:
    if context in {"li", "quote"}:
        return context
    return "h" if tag in _HEADING else "p"


def _emit_row(out: list[Block], cells, group: int, base) -> None:
    texts, bodies = [], []
    for cell in cells:
        inline = _Inline(base)
        inline.walk(cell)
        text, body = inline.result()
        texts.append(text.replace("\n", " "))
        bodies.append(f"<td>{body}</td>")
    if any(t.strip() for t in texts):
        out.append(Block("row", " | ".join(t for t in texts if t), "".join(bodies), group))


def render(blocks: list[Block]) -> str:
    """Safe HTML for ``blocks``: lists, quotes and tables regrouped around their items."""
    parts: list[str] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind in {"li", "quote", "row"}:
            end = index
            while (
                end < len(blocks)
                and blocks[end].kind == block.kind
                and blocks[end].group == block.group
            ):
                end += 1
            run = blocks[index:end]
            if block.kind == "li":
                parts.append("<ul>\n" + "\n".join(f"<li>{b.html}</li>" for b in run) + "\n</ul>")
            elif block.kind == "quote":
                inner = "\n".join(f"<p>{b.html}</p>" for b in run)
                parts.append(f"<blockquote>\n{inner}\n</blockquote>")
            else:
                rows = "\n".join(f"<tr>{b.html}</tr>" for b in run)
                parts.append(f"<table>\n<tbody>\n{rows}\n</tbody>\n</table>")
            index = end
            continue
        if block.kind == "h":
            parts.append(f"<h2>{block.html}</h2>")
        elif block.kind == "caption":
            parts.append(f"<figure>\n<figcaption>{block.html}</figcaption>\n</figure>")
        else:
            parts.append(f"<p>{block.html}</p>")
        index += 1
    return "\n".join(parts)


def text_block(text: str, kind: str = "p") -> Block:
    """A block from plain text (a JSON-LD articleBody paragraph)."""
    text = _clean(text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    body = "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))
    return Block(kind, text, body)
