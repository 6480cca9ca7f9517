"""Shared fixtures: a fresh store per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsweave import Newsweave


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store.db")


@pytest.fixture
def news(db: str) -> Iterator[Newsweave]:
    with Newsweave(db) as opened:
        yield opened
