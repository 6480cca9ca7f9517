"""JSON output that every command shares."""

from __future__ import annotations

import json
from typing import Any


def dumps(data: Any) -> str:
    """Pretty JSON, UTF-8 kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
