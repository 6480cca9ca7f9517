"""Bytes to text, safely: binary and wrongly encoded input are refused with a reason."""

from __future__ import annotations

from lxml import html as lxml_html

from newsweave.model import InputError

_SNIFF_BYTES = 8192
_BLOCK_TAGS = frozenset(
    (
        "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "tr", "pre", "section", "article", "header", "footer",
    )
)  # fmt: skip


def looks_binary(data: bytes) -> bool:
    """True for content with NUL bytes or many control characters near its start."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls / len(head) > 0.05


def decode_text(data: bytes, where: str, encoding: str | None = None) -> str:
    """Decode UTF-8 (or the given encoding); raise :class:`InputError` for binary or bad bytes."""
    if looks_binary(data):
        raise InputError("file", where, "binary content, not text")
    codec = encoding or "utf-8-sig"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        hint = "" if encoding else " (pass --encoding, e.g. --encoding cp1252)"
        raise InputError(
            "file", where, f"not valid {exc.encoding} at byte {exc.start}{hint}"
        ) from exc
    except LookupError as exc:
        raise InputError("file", where, f"unknown encoding {codec!r}") from exc


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, one line per block element."""
    if "<" not in markup:
        return markup
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # lxml raises several unrelated types on odd markup
        return markup
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return str(root.text_content())
