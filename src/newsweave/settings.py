"""Where the user's own files are found: given on the command line, else named by an
environment variable, else beside the store (``news.db`` → ``news.aliases.toml``)."""

from __future__ import annotations

import os
from pathlib import Path


def user_file(db: str | Path, given: str | Path | None, env_var: str, suffix: str) -> Path | None:
    """The file in force: ``given``, else ``$env_var``, else ``<store><suffix>`` when it
    exists; None when there is none."""
    if given:
        return Path(given)
    if os.environ.get(env_var):
        return Path(os.environ[env_var])
    beside = Path(db).with_suffix(suffix)
    return beside if beside.is_file() else None
