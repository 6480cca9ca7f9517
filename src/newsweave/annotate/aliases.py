"""The user's alias file: extra names for actors, and merges, read at start.

A small TOML file; each key is an actor's canonical name and its list the other names
that stand for it. Listing another actor's name merges the two::

    # aliases.toml
    "Vladimir Putin" = ["V. Putin", "Vladimir Vladimirovich Putin"]
    "Islamic State" = ["Daesh"]
    "Marek Dovlan" = ["Dovlan regime"]

newsweave reads ``aliases.toml`` beside the store (``news.db`` -> ``news.aliases.toml``)
or the file named by ``--aliases`` / ``$NEWSWEAVE_ALIASES``. The names are also looked
for in article text, so a listed alias is found even where the model would miss it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from newsweave.annotate.names import fold
from newsweave.settings import user_file

ENV_VAR = "NEWSWEAVE_ALIASES"


class AliasFileError(ValueError):
    """The alias file cannot be read; the message names the file and the reason."""


@dataclass(frozen=True, slots=True)
class Aliases:
    """Folded alias -> canonical name, and the phrases to look for in text."""

    canonical: dict[str, str] = field(default_factory=dict)
    phrases: dict[str, str] = field(default_factory=dict)  # alias as written -> canonical


def alias_path(db: str | Path, given: str | Path | None = None) -> Path | None:
    """The alias file in force: ``given``, else the environment, else beside the store."""
    return user_file(db, given, ENV_VAR, ".aliases.toml")


def load_aliases(path: Path | None) -> Aliases:
    """Read the alias file; no file means no aliases."""
    if path is None:
        return Aliases()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AliasFileError(f"{path}: cannot read alias file ({exc})") from exc
    canonical: dict[str, str] = {}
    phrases: dict[str, str] = {}
    for name, others in data.items():
        if not isinstance(others, list) or not all(isinstance(o, str) for o in others):
            raise AliasFileError(f"{path}: {name!r} must list its aliases as strings")
        for alias in [name, *others]:
            canonical[fold(alias)] = name
            phrases[alias] = name
    return Aliases(canonical, phrases)
