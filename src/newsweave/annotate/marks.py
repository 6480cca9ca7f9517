"""Pairing quotation marks in an article's text, paragraph by paragraph: which spans are
quoted words. The rules are in :mod:`newsweave.annotate.quotes`' docstring ("Direct quotes:
pairing the marks"); ``quote_segments`` is the entry point."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARKS = frozenset("“”„‘’‚«»‹›\"'")
# what closes each opening mark; a curly double quote and a straight one close each other
# too, as hasty typing mixes them (“I heard it," he said. "He wants more.”)
_CLOSERS = {
    "“": '”"', "„": "“”", "‘": "’", "‚": "‘’", "«": "»", "»": "«", "‹": "›", "›": "‹",
    '"': '"”', "'": "'", "”": "”",
}  # fmt: skip
_SINGLES = frozenset("‘’‚'")
MAX_OPEN = 32  # quotes open at once in a paragraph; more openers are not taken as quotes
_OPEN_PUNCT = frozenset("([{—–-/")
_CLOSE_PUNCT = frozenset(".,;:!?)]}—–-/…")
_ELISION = re.compile(r"(\d\d|n['’]|em\b|til\b|tis\b|twas\b|cause\b|bout\b|s-)", re.IGNORECASE)


@dataclass(slots=True)
class Segment:
    """A closed quote: content spans (one per paragraph) and the outer mark positions."""

    pieces: list[tuple[int, int]]
    open_at: int
    close_at: int


@dataclass(slots=True)
class _Open:
    """A quote mark waiting for its closer."""

    mark: str
    content_start: int
    open_at: int
    pieces: list[tuple[int, int]] = field(default_factory=list)  # earlier paragraphs
    inner: list[Segment] = field(default_factory=list)  # quotes closed inside it


_DOUBLED = re.compile(r"''|``")


def _doubled_marks_as_one(text: str) -> str:
    """Two apostrophes (or backticks) used as a double quotation mark, as some wires and
    archives print them (''Like this,'' she said), become one mark and a space, so that
    offsets stay the same: the space goes after an opener and before a closer."""

    def one(match: re.Match[str]) -> str:
        after = text[match.end() : match.end() + 1]
        return ' "' if after.isalnum() or match.group() == "``" else '" '

    return _DOUBLED.sub(one, text) if "''" in text or "``" in text else text


def paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text)]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class _Scanner:
    """Pairs quote marks paragraph by paragraph; see the module docstring."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[Segment] = []
        self.stack: list[_Open] = []
        self.para = (0, 0)
        self._last_closer: dict[str, int] = {}  # per mark, in this paragraph

    def run(self) -> list[Segment]:
        paras = paragraphs(self.text)
        for n, para in enumerate(paras):
            self.para = para
            self._last_closer = {}
            first = para[0]
            if self.stack:  # continued from the previous paragraph: skip the repeated mark
                first = self._first_char(para) + 1
                self.stack[0].content_start = first
            for i in range(first, para[1]):
                if self.text[i] in MARKS:
                    self._mark(i)
            self._end_paragraph(paras[n + 1] if n + 1 < len(paras) else None)
        return sorted(self.found, key=lambda seg: seg.open_at)

    def _first_char(self, para: tuple[int, int]) -> int:
        start, _ = trim(self.text, *para)
        return start

    def _around(self, i: int) -> tuple[str, str]:
        start, end = self.para
        prev = self.text[i - 1] if i > start else " "
        nxt = self.text[i + 1] if i + 1 < end else " "
        return prev, nxt

    def _flanking(self, i: int) -> tuple[bool, bool]:
        prev, nxt = self._around(i)
        left = not nxt.isspace() and (prev.isspace() or prev in _OPEN_PUNCT or prev in MARKS)
        right = not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_PUNCT or nxt in MARKS)
        return left, right

    def _mark(self, i: int) -> None:
        char = self.text[i]
        left, right = self._flanking(i)
        prev, nxt = self._around(i)
        if char in _SINGLES and prev.isalnum() and nxt.isalnum():
            return  # apostrophe inside a word
        target = self._closable(char)
        if target is not None and self._closes(i, char, left, right):
            self._close(target, i)
        elif len(self.stack) < MAX_OPEN and self._opens(i, char, left, right):
            self.stack.append(_Open(char, i + 1, i))

    def _closable(self, char: str) -> int | None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if char in _CLOSERS[self.stack[depth].mark]:
                return depth
        return None

    def _closes(self, i: int, char: str, left: bool, right: bool) -> bool:
        if char in "”»«›‹":
            return True
        if char == '"':
            return right or not left
        if not right:
            return False
        return char == "“" or not self._possessive(i, char)

    def _possessive(self, i: int, char: str) -> bool:
        """``soldiers’ families``: an apostrophe if a later mark can close the quote."""
        prev, nxt = self._around(i)
        follow = self.text[i + 2 : i + 3]
        if prev not in "sSzZ" or nxt != " " or not follow.isalpha():
            return False
        return self._closer_from(i + 1, char)

    def _closer_from(self, start: int, char: str) -> bool:
        """Whether a mark at ``start`` or later in the paragraph can close a single quote
        (the last such mark is found once per paragraph: linear, not quadratic)."""
        if char not in self._last_closer:
            first, end = self.para
            closers = (j for j in range(end - 1, first - 1, -1) if self._single_closer(j, char))
            self._last_closer[char] = next(closers, -1)
        return self._last_closer[char] >= start

    def _single_closer(self, j: int, char: str) -> bool:
        if self.text[j] != char:
            return False
        prev, nxt = self._around(j)
        return self._flanking(j)[1] and not (prev.isalnum() and nxt.isalnum())

    def _opens(self, i: int, char: str, left: bool, right: bool) -> bool:
        if char in "“„«":
            return True
        if char in "»›‚":
            return left
        if char == "”":
            return left and not right
        if char in "‘'":
            return left and not _ELISION.match(self.text, i + 1) and self._clear_single(i, char)
        return char == '"' and left

    def _clear_single(self, i: int, char: str) -> bool:
        """A straight ' opens only with a closer later in the paragraph."""
        if char == "‘":
            return True
        return self._closer_from(i + 2, char)

    def _close(self, depth: int, i: int) -> None:
        while len(self.stack) > depth + 1:  # unclosed marks inside: drop them
            self._discard()
        item = self.stack.pop()
        start, end = trim(self.text, item.content_start, i)
        if end <= start and not item.pieces:
            return
        pieces = [*item.pieces, (start, end)] if end > start else item.pieces
        segment = Segment(pieces, item.open_at, i)
        (self.stack[-1].inner if self.stack else self.found).append(segment)

    def _discard(self) -> None:
        item = self.stack.pop()
        (self.stack[-1].inner if self.stack else self.found).extend(item.inner)

    def _end_paragraph(self, following: tuple[int, int] | None) -> None:
        if not self.stack:
            return
        bottom = self.stack[0]
        if following is not None and self._continues(bottom, following):
            while len(self.stack) > 1:
                self._discard()
            start, end = trim(self.text, bottom.content_start, self.para[1])
            if end > start:
                bottom.pieces.append((start, end))
            return
        while self.stack:
            self._discard()

    def _continues(self, item: _Open, following: tuple[int, int]) -> bool:
        first = self._first_char(following)
        if first >= following[1]:
            return False
        mark = self.text[first]
        return mark == item.mark or (item.mark == "«" and mark == "»")


def quote_segments(text: str) -> list[Segment]:
    """The closed quotes of ``text`` in order of their opening marks (doubled apostrophes
    read as one mark)."""
    return _Scanner(_doubled_marks_as_one(text)).run()
