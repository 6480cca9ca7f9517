"""The two reference baselines for online event clustering.

- ``every_article_alone``: each article its own event (full precision, the floor to beat).
- ``online_tfidf``: one pass in the given order; each article joins the cluster whose
  TF-IDF centroid is most similar by cosine, if that similarity reaches the threshold and
  the cluster's newest article is within the time window; otherwise it starts a cluster.

The TF-IDF weights are fitted on the whole corpus first (document frequencies over all of
it), as the published baseline did: sublinear term frequency, English stop words, terms in
at least 2 documents and at most half of them, smoothed idf, unit-length vectors.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from corpora import LabelledArticle
from newsweave.evaluate import bcubed

Vector = dict[str, float]  # term -> weight; absent terms weigh 0

TOKEN = re.compile(r"\b\w\w+\b")
_STOP_WORD_TEXT = """
    a about above across after afterwards again against all almost alone along already also
    although always am among an and another any anyone anything are around as at be became
    because become been before behind being below beside besides between both but by can
    cannot could did do does doing done down during each either else enough etc even ever
    every few for former from further had has have having he her here hers herself him
    himself his how however i ie if in indeed into is it its itself just last least less
    many may me meanwhile might mine more moreover most mostly much must my myself neither
    never nevertheless next no nobody none nor not nothing now of off often on once one only
    onto or other others otherwise our ours ourselves out over own per perhaps rather same
    several she should since so some somehow someone something sometimes still such than
    that the their theirs them themselves then there thereby therefore these they this those
    though through throughout thus to together too toward towards under until up upon us
    very via was we well were what whatever when whenever where whether which while who
    whoever whole whom whose why will with within without would yet you your yours yourself
    yourselves
"""
STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())


def every_article_alone(articles: Sequence[LabelledArticle]) -> list[str]:
    """Each article in a cluster of its own."""
    return [f"c{index}" for index in range(len(articles))]


def tokens(text: str) -> list[str]:
    """Lower-cased words of two or more letters or digits, stop words left out."""
    return [word for word in TOKEN.findall(text.lower()) if word not in STOP_WORDS]


def tfidf_vectors(texts: Sequence[str], min_df: int = 2, max_df: float = 0.5) -> list[Vector]:
    """Unit-length TF-IDF vectors: weight (1 + ln tf) * (1 + ln((1 + n) / (1 + df)))."""
    counts = [Counter(tokens(text)) for text in texts]
    df = Counter(term for count in counts for term in count)
    n = len(texts)
    idf = {
        term: 1.0 + math.log((1 + n) / (1 + documents))
        for term, documents in df.items()
        if min_df <= documents <= max_df * n
    }
    return [
        _unit({t: (1 + math.log(k)) * idf[t] for t, k in c.items() if t in idf}) for c in counts
    ]


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(weight * weight for weight in vector.values()))
    return {term: weight / norm for term, weight in vector.items()} if norm else {}


def _dot(small: Vector, large: Vector) -> float:
    return sum(weight * large.get(term, 0.0) for term, weight in small.items())


@dataclass
class _Cluster:
    """A running cluster: the sum of its members' vectors, its squared length, newest date."""

    label: str
    total: Vector = field(default_factory=dict)
    length_sq: float = 0.0
    newest: date | None = None

    def add(self, vector: Vector, dot: float, day: date | None) -> None:
        """Add a member whose dot product with ``total`` is ``dot``."""
        for term, weight in vector.items():
            self.total[term] = self.total.get(term, 0.0) + weight
        self.length_sq += 2 * dot + _dot(vector, vector)
        if day is not None and (self.newest is None or day > self.newest):
            self.newest = day


def _within(cluster: _Cluster, day: date | None, window: timedelta | None) -> bool:
    if window is None or day is None or cluster.newest is None:
        return True
    return day - cluster.newest <= window


def cluster_vectors(
    vectors: Sequence[Vector],
    days: Sequence[date | None],
    threshold: float,
    window_days: int | None = 7,
) -> list[str]:
    """Online centroid clustering of unit vectors, in the given (publication) order.

    A cluster stays open while its newest article is at most ``window_days`` older than the
    article being placed (always, for undated articles or ``window_days=None``); a closed
    cluster is never reopened, so the input should come in date order.
    """
    window = None if window_days is None else timedelta(days=window_days)
    open_clusters: list[_Cluster] = []
    labels: list[str] = []
    for index, (vector, day) in enumerate(zip(vectors, days, strict=True)):
        open_clusters = [c for c in open_clusters if _within(c, day, window)]
        best, best_dot, best_cosine = None, 0.0, threshold
        for cluster in open_clusters:
            dot = _dot(vector, cluster.total)
            cosine = dot / math.sqrt(cluster.length_sq) if cluster.length_sq else 0.0
            if cosine >= best_cosine:
                best, best_dot, best_cosine = cluster, dot, cosine
        if best is None:
            best = _Cluster(f"c{index}")
            open_clusters.append(best)
        best.add(vector, best_dot, day)
        labels.append(best.label)
    return labels


def document_text(article: LabelledArticle) -> str:
    return f"{article.title}\n{article.text}"


def online_tfidf(
    articles: Sequence[LabelledArticle], threshold: float, window_days: int | None = 7
) -> list[str]:
    """The online TF-IDF centroid baseline (window ignored for undated articles)."""
    vectors = tfidf_vectors([document_text(article) for article in articles])
    return cluster_vectors(vectors, [a.published for a in articles], threshold, window_days)


@dataclass(frozen=True)
class Tuning:
    """The threshold with the best B-cubed F1, and the F1 of every threshold tried."""

    threshold: float
    f1: float
    curve: dict[float, float]


def tune_threshold(
    articles: Sequence[LabelledArticle], grid: Iterable[float], window_days: int | None = 7
) -> Tuning:
    """The ``online_tfidf`` threshold from ``grid`` with the best B-cubed F1 on ``articles``.

    Tuned and scored on the same data, as the reference figures were: an upper bound for
    this baseline, not a held-out estimate. Ties go to the smaller threshold.
    """
    vectors = tfidf_vectors([document_text(article) for article in articles])
    days, gold = [a.published for a in articles], [a.gold for a in articles]
    curve = {
        threshold: bcubed(cluster_vectors(vectors, days, threshold, window_days), gold).f1
        for threshold in sorted(grid)
    }
    best = max(curve, key=lambda threshold: (curve[threshold], -threshold))
    return Tuning(best, curve[best], curve)
