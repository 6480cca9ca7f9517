"""newsweave: follow the news like an analyst.

>>> import newsweave
>>> newsweave.__version__
'0.1.0'
"""

from newsweave.api import ArticleDetail, Newsweave, demo_corpus_path, open
from newsweave.ingest import FetchPolicy, ReadOptions, ingest
from newsweave.model import Article, CopyLink, IngestReport, Problem, Published, Sighting
from newsweave.store import ArticleQuery, open_store

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleDetail",
    "ArticleQuery",
    "CopyLink",
    "FetchPolicy",
    "IngestReport",
    "Newsweave",
    "Problem",
    "Published",
    "ReadOptions",
    "Sighting",
    "__version__",
    "demo_corpus_path",
    "ingest",
    "open",
    "open_store",
]
