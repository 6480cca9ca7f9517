"""Sentence starts at paragraph breaks, set before spaCy's parser runs (it keeps them).

The parser alone often runs a sentence on across a line break: a quote that closes its
paragraph then hangs from the verb of the next one, and "Several leaders have denounced
him" speaks the quote before it. A token after a line break starts a sentence when the
break is a blank line, when the line before ends like a sentence (".", "?", a closing
quotation mark …), or when the line before is short and the next one opens with no
lowercase letter (a heading, a byline, a dateline). A hard-wrapped line (long, cut in the
middle of a sentence) is left to the parser.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

NAME = "paragraph_breaks"
SHORT_LINE = 50  # characters; a line this short that ends without a period is a heading
_SENTENCE_ENDS = frozenset('.!?…:;"”’\')]')


@Language.component(NAME)
def paragraph_breaks(doc: Doc) -> Doc:
    """Mark the first token after each paragraph break as a sentence start."""
    line_start = 0
    for token in doc[1:]:
        before = doc[token.i - 1]
        if "\n" not in before.text_with_ws or token.is_space:
            continue
        if _is_break(doc, before, token, line_start):
            token.is_sent_start = True
        line_start = token.idx
    return doc


def _is_break(doc: Doc, before: Token, token: Token, line_start: int) -> bool:
    if before.is_space and before.text.count("\n") + before.whitespace_.count("\n") > 1:
        return True
    last = before if not before.is_space else doc[before.i - 1] if before.i else before
    if last.text[-1:] in _SENTENCE_ENDS:
        return True
    short = token.idx - line_start <= SHORT_LINE
    return short and not token.text[:1].islower()
