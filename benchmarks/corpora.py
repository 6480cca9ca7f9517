"""The labelled event-clustering corpora of the shared data folder, read at benchmark time.

The texts are third-party news for evaluation only: they are read from the shared folder on
each run and never written anywhere else.

The folder is the ``--data`` argument, else ``$NEWSWEAVE_SHARED_DATA``, else
``<repo>/../shared/data``.

- GVA (``gva-violent-corpus``): gun-violence news 2013-2016; gold = the first GVA incident
  id; in publication order (date, then article id).
- ECB+ (``ecbplus-doc-events``), train and dev splits: gold = the seminal-event cluster.
  The documents have no dates, so they come in a fixed random order (seeded shuffle).
"""

from __future__ import annotations

import gzip
import json
import os
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ENV_VAR = "NEWSWEAVE_SHARED_DATA"
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
GVA_FILE = Path("gva-violent-corpus") / "articles.jsonl.gz"
ECBPLUS_FILE = Path("ecbplus-doc-events") / "documents.jsonl"
ECBPLUS_SPLITS = frozenset({"train", "dev"})
ECBPLUS_SEED = 2014


class DataNotFoundError(FileNotFoundError):
    """The shared data folder, or a corpus file in it, is not where it should be."""


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    """One article and its gold event label. ``published`` is None where undated."""

    id: str
    title: str
    text: str
    published: date | None
    gold: str


@dataclass(frozen=True, slots=True)
class Corpus:
    """A labelled corpus in the order a system should read it."""

    name: str
    articles: list[LabelledArticle]
    order: str  # how ``articles`` is ordered, for the report


def data_folder(given: Path | None = None) -> Path:
    """The shared data folder: ``given``, else ``$NEWSWEAVE_SHARED_DATA``, else the default."""
    from_env = os.environ.get(ENV_VAR)
    folder = given or (Path(from_env) if from_env else DEFAULT_DATA)
    if not folder.is_dir():
        raise DataNotFoundError(
            f"shared data folder not found: {folder}\n"
            f"Pass --data PATH or set {ENV_VAR} to the folder holding "
            f"{GVA_FILE.parent} and {ECBPLUS_FILE.parent}."
        )
    return folder


def _corpus_file(folder: Path, relative: Path) -> Path:
    path = folder / relative
    if not path.is_file():
        raise DataNotFoundError(f"corpus file not found: {path}")
    return path


def _gva_article(record: dict[str, Any]) -> LabelledArticle:
    return LabelledArticle(
        id=record["id"],
        title=record["title"] or "",
        text=record["text"] or "",
        published=date.fromisoformat(record["dct"]),
        gold=str(record["incident_ids"][0]),  # 20 articles name 2 incidents: keep the first
    )


def load_gva(folder: Path) -> Corpus:
    """GVA 2013-2016, sorted by date then id."""
    with gzip.open(_corpus_file(folder, GVA_FILE), "rt", encoding="utf-8") as lines:
        articles = [_gva_article(json.loads(line)) for line in lines if line.strip()]
    articles.sort(key=lambda article: (article.published, article.id))
    return Corpus("GVA", articles, "by date, then id")


def _body(title: str, text: str) -> str:
    """The ECB+ text without its first line when that line is the title again."""
    first, _, rest = text.partition("\n")
    return rest if first.strip() == title.strip() else text


def _ecbplus_article(record: dict[str, Any]) -> LabelledArticle:
    title = record["title"] or ""
    return LabelledArticle(
        id=record["doc_id"],
        title=title,
        text=_body(title, record["text"] or ""),
        published=None,
        gold=record["event_cluster"],
    )


def load_ecbplus(folder: Path, seed: int = ECBPLUS_SEED) -> Corpus:
    """ECB+ train and dev documents, sorted by id and then shuffled with ``seed``."""
    with _corpus_file(folder, ECBPLUS_FILE).open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    articles = sorted(
        (_ecbplus_article(r) for r in records if r["split_cv2015"] in ECBPLUS_SPLITS),
        key=lambda article: article.id,
    )
    random.Random(seed).shuffle(articles)
    return Corpus("ECB+", articles, f"random, seed {seed}")
