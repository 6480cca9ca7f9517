"""Language identification (py3langid, offline, numpy only)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_SAMPLE_CHARS = 1000
_MIN_LETTERS = 20
_LETTER = re.compile(r"[^\W\d_]")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(title: str, text: str) -> str | None:
    """ISO 639-1 code of the text's language, or ``None`` when too little text or too unsure."""
    sample = f"{title}\n{text[:_SAMPLE_CHARS]}"
    if len(_LETTER.findall(sample, 0, 200)) < _MIN_LETTERS:
        return None
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= 0.5 else None
