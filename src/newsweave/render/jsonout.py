"""JSON output that every command shares: valid JSON whatever the inputs held."""

from __future__ import annotations

import json
import re
from typing import Any

# What json.dumps leaves raw with ensure_ascii=False but a terminal or an encoder chokes on:
# DEL and C1 controls, lone surrogates (unencodable as UTF-8), line separators and bidi
# overrides. They only occur inside JSON strings, where a \uXXXX escape is the same text.
_RAW = re.compile("[\x7f-\x9f\ud800-\udfff\u2028-\u202e\u2066-\u2069]")


def dumps(data: Any) -> str:
    """Pretty JSON, UTF-8 kept readable."""
    return _escaped(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def dumps_line(data: Any) -> str:
    """One JSON Lines record (no newline at the end)."""
    return _escaped(json.dumps(data, ensure_ascii=False, default=str))


def _escaped(text: str) -> str:
    return _RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
