"""Articles a clustering run could not read in full: each is told once, the run goes on.

Clustering reads every article in several steps (sketching, centroids, similarities). An
error in one of them for one article costs that article what the step would have given it
(its named days, its terms) and is told to ``on_failure`` with the article's id and the
reason, once per run however many steps failed; it never stops the run for the others.
"""

from __future__ import annotations

from collections.abc import Callable

OnFailure = Callable[[str, str], None]  # article id, reason
REASON_CHARS = 300  # a reason is cut to this length


class FailureLog:
    """Tells ``on_failure`` of each article that could not be handled, once per article."""

    def __init__(self, on_failure: OnFailure | None = None) -> None:
        self.on_failure = on_failure
        self.told: set[str] = set()

    def __call__(self, article_id: str, error: BaseException) -> None:
        self.tell(article_id, describe(error))

    def tell(self, article_id: str, reason: str) -> None:
        if article_id in self.told:
            return
        self.told.add(article_id)
        if self.on_failure is not None:
            self.on_failure(article_id, reason[:REASON_CHARS])


def describe(error: BaseException) -> str:
    """An error in one line: its type and message, cut to ``REASON_CHARS``.

    >>> describe(OverflowError("date value\\nout of range"))
    'OverflowError: date value out of range'
    """
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= REASON_CHARS else text[: REASON_CHARS - 1] + "…"
