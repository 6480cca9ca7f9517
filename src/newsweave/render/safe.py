"""Text from the inputs made safe for a terminal: shown literally, never as Rich markup and
never as a control sequence. Every renderer puts input text through :func:`line` or
:func:`body` before it goes into a markup string or a table cell.
"""

from __future__ import annotations

import re
import sys

from rich.markup import escape

from newsweave.model import ONE_LINE_LIMIT, one_line

_KEPT = re.compile("([\n\t])")  # what a body keeps of the controls: line breaks, tabs


def line(value: object, limit: int = ONE_LINE_LIMIT) -> str:
    """``value`` as one line of Rich markup showing it literally: controls escaped
    (``\\x1b``, ``\\n``), markup escaped, length capped."""
    return escape(one_line(str(value), limit))


def body(text: str) -> str:
    """A multi-line text (an article body) as Rich markup showing it literally: line
    breaks and tabs kept, every other control escaped, markup escaped, no length cap."""
    pieces = _KEPT.split(text)  # text, kept control, text, …
    return escape("".join(
        piece if index % 2 else one_line(piece, limit=sys.maxsize)
        for index, piece in enumerate(pieces)
    ))  # fmt: skip
