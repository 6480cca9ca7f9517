"""Matrix products of spaCy's networks through numpy's BLAS, and one BLAS thread per worker.

thinc's CPU ops multiply with the BLIS bundled in the ``blis`` wheel, which on this project's
machines (AMD EPYC, AVX-512) runs 2–3 times slower than the OpenBLAS numpy ships, on every
shape the model uses (tokens × 288 → 288 in tok2vec and the entity recogniser's own
tok2vec, tokens × 64 → 1024 in the parser). :func:`use_numpy_blas` points the networks'
ops at numpy instead. Sums of floats then round a little differently; the tags, parses and
entities were compared on generated and real articles (see the test).

OpenBLAS starts a thread per core; two annotating processes on two cores would then run
four, which spin against each other. :func:`one_blas_thread` keeps a worker to one.
"""

from __future__ import annotations

import ctypes
import sys
from functools import lru_cache
from typing import Any

from spacy.language import Language
from thinc.api import NumpyOps

_SET_THREADS = (  # OpenBLAS's setter, as numpy's wheels and plain builds name it
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def use_numpy_blas(nlp: Language) -> None:
    """Make every network of ``nlp`` multiply with numpy (its BLAS), not BLIS."""
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model: Any = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            node.ops = ops


def one_blas_thread() -> bool:
    """Keep numpy's OpenBLAS to one thread in this process; False where it can't be told."""
    setter = _openblas_setter()
    if setter is None:
        return False
    setter(1)
    return True


@lru_cache(maxsize=1)
def _openblas_setter() -> Any:
    """OpenBLAS's ``set_num_threads`` from the library numpy loaded (Linux), or None."""
    if not sys.platform.startswith("linux"):
        return None
    import numpy  # noqa: F401  (loads the library before the maps are read)

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _SET_THREADS:
            if hasattr(library, name):
                return getattr(library, name)
    return None
