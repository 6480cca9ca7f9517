"""A document's text, joined once: spaCy's ``Doc.text`` joins every token's text anew on
each read (~0.2 ms for a 500-word article), and every extractor reads it."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc


@lru_cache(maxsize=1)
def text_of(doc: Doc) -> str:
    """``doc.text``, worked out once per document (the last one asked about is kept)."""
    return str(doc.text)
