"""newsweave: follow the news like an analyst.

>>> import newsweave
>>> newsweave.__version__
'0.1.0'

The public names are loaded on first use, so ``import newsweave`` (and ``newsweave --help``)
loads no NLP model and no web framework.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsweave.annotation import ActorDetail, ActorSummary, QuoteRecord
    from newsweave.api import ArticleDetail, Newsweave, OutletSummary, demo_corpus_path, open
    from newsweave.compare.model import Comparison
    from newsweave.ingest.options import FetchPolicy, ReadOptions
    from newsweave.ingest.pipeline import ingest
    from newsweave.model import (
        Article,
        CopyLink,
        Event,
        IngestReport,
        Problem,
        Published,
        Sighting,
        Storyline,
    )
    from newsweave.store import ArticleQuery, open_store

__version__ = "0.1.0"

# Each public name and the module that defines it.
_HOMES = {
    "ActorDetail": "newsweave.annotation",
    "ActorSummary": "newsweave.annotation",
    "Article": "newsweave.model",
    "ArticleDetail": "newsweave.api",
    "ArticleQuery": "newsweave.store",
    "Comparison": "newsweave.compare.model",
    "CopyLink": "newsweave.model",
    "Event": "newsweave.model",
    "FetchPolicy": "newsweave.ingest.options",
    "IngestReport": "newsweave.model",
    "Newsweave": "newsweave.api",
    "OutletSummary": "newsweave.api",
    "Problem": "newsweave.model",
    "Published": "newsweave.model",
    "QuoteRecord": "newsweave.annotation",
    "ReadOptions": "newsweave.ingest.options",
    "Sighting": "newsweave.model",
    "Storyline": "newsweave.model",
    "demo_corpus_path": "newsweave.api",
    "ingest": "newsweave.ingest.pipeline",
    "open": "newsweave.api",
    "open_store": "newsweave.store",
}

__all__ = [
    "ActorDetail",
    "ActorSummary",
    "Article",
    "ArticleDetail",
    "ArticleQuery",
    "Comparison",
    "CopyLink",
    "Event",
    "FetchPolicy",
    "IngestReport",
    "Newsweave",
    "OutletSummary",
    "Problem",
    "Published",
    "QuoteRecord",
    "ReadOptions",
    "Sighting",
    "Storyline",
    "__version__",
    "demo_corpus_path",
    "ingest",
    "open",
    "open_store",
]

# ``ingest`` names both the subpackage and the function. The subpackage is light: loading it
# now means no later import of one of its modules can bind the name to it; the name is then
# dropped, so that it resolves to the function.
import_module("newsweave.ingest")
del globals()["ingest"]


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use (then kept here)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'newsweave' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
