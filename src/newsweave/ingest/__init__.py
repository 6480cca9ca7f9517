"""Ingestion: one module per input kind, plus normalisation and dedup."""

from newsweave.ingest.options import FetchPolicy, ReadOptions, Source
from newsweave.ingest.pipeline import Ingestor, ProgressHooks, ingest
from newsweave.ingest.sources import discover, read_source

__all__ = [
    "FetchPolicy",
    "Ingestor",
    "ProgressHooks",
    "ReadOptions",
    "Source",
    "discover",
    "ingest",
    "read_source",
]
