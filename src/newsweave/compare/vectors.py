"""The sentence vectors a comparison reads: one per sentence of each article's analysed
document, made by the project's embedder (:mod:`newsweave.annotate.embed`) once and kept in
the store, so an event compared again, or another event with the same article, reads them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsweave.annotate.document import VERSION as DOCUMENT_VERSION
from newsweave.annotate.embed import EMBEDDING_DIMENSIONS, EMBEDDING_MODEL, Vectors, load_embedder
from newsweave.compare.model import Coverage
from newsweave.store import SQLiteStore

# what a stored vector is: the model's, of the sentences this analysis version splits
STORED_AS = f"{EMBEDDING_MODEL} sentences {DOCUMENT_VERSION}"


def embedded(item: Coverage) -> Vectors:
    """The vectors of the article's sentences (made now when it has none yet)."""
    found: Vectors | None = item.vectors
    if found is None:
        text = item.article.text
        found = load_embedder().embed([text[s.start : s.end] for s in item.sentences])
        item.vectors = found
    return found


def attach_vectors(store: SQLiteStore, coverage: Sequence[Coverage], keep: bool) -> None:
    """Give each article its stored vectors; those without are made now, and kept with
    ``keep`` (inside the caller's write transaction)."""
    stored = store.vectors.get([item.article.id for item in coverage], STORED_AS)
    made: list[tuple[str, bytes]] = []
    for item in coverage:
        found = _decoded(stored.get(item.article.id), len(item.sentences))
        if found is not None:
            item.vectors = found
            continue
        made.append((item.article.id, embedded(item).astype(np.float16).tobytes()))
    if keep and made:
        store.vectors.save(made, STORED_AS)


def _decoded(data: bytes | None, sentences: int) -> Vectors | None:
    """Stored bytes as vectors; None when absent or not one per sentence."""
    if data is None:
        return None
    found = np.frombuffer(data, dtype=np.float16).astype(np.float32)
    if found.size != sentences * EMBEDDING_DIMENSIONS:
        return None
    return found.reshape(sentences, EMBEDDING_DIMENSIONS)
