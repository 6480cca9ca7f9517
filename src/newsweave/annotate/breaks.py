"""Where text breaks, told to spaCy: quotation marks glued to words, and sentence starts at
paragraph breaks.

Text typed in haste glues a quotation mark to the words around it ("Ryan said,“Look",
"“…,”Clinton said"); spaCy's tokenizer keeps such a run as one token, and the quote loses its
cue. :func:`split_glued_quotes` adds infixes that split them.

Sentence starts at paragraph breaks are set before spaCy's parser runs (it keeps them).

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
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token
from spacy.util import compile_infix_regex

NAME = "paragraph_breaks"
SHORT_LINE = 50  # characters; a line this short that ends without a period is a heading
_SENTENCE_ENDS = frozenset(".!?…:;\"”’')]")
_GLUED_QUOTES = (
    r'(?<=[\w,.!?])[“”"](?=\w)',  # said,“Look  ·  ”Clinton
    r'(?<=\w)[,.!?](?=[“”"])',  # said,“  ·  is,”
)


def split_glued_quotes(nlp: Language) -> None:
    """Make ``nlp``'s tokenizer split quotation marks glued to words and punctuation."""
    infixes = [*(nlp.Defaults.infixes or ()), *_GLUED_QUOTES]
    tokenizer: Tokenizer = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


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
