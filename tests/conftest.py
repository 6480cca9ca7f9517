"""Shared fixtures: a fresh store per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsweave import Newsweave

# A bug reached through the CLI shows its traceback in tests, not the one-line exit 3.
os.environ.setdefault("NEWSWEAVE_DEBUG", "1")


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store.db")


@pytest.fixture
def news(db: str) -> Iterator[Newsweave]:
    with Newsweave(db) as opened:
        yield opened
