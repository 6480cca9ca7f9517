"""The words each outlet uses for each actor of an event.

Descriptors are read by annotation from the parse (:mod:`newsweave.annotate.descriptors`):
titles and descriptions before a name ("strongman Marek Dovlan"), appositions ("Ruth
Calloway, the union's general secretary,"), judging nouns ("the Dovlan regime") and what a
copula calls it. Those in the outlet's own voice make its framing: descriptors only one
outlet uses for an actor are flagged, and so are those in the editable list of loaded
terms. Those inside quotation marks are what the outlet chose to quote, kept apart.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from newsweave.compare.model import Coverage, Framing

ENV_VAR = "NEWSWEAVE_LOADED_TERMS"


class LoadedTermsError(ValueError):
    """The loaded-terms list cannot be read; the message names the file and why."""


def loaded_terms(path: str | Path | None = None) -> frozenset[str]:
    """The loaded-terms list: ``path``, else ``$NEWSWEAVE_LOADED_TERMS``, else the default."""
    chosen = path or os.environ.get(ENV_VAR)
    if chosen:
        try:
            text = Path(chosen).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise LoadedTermsError(
                f"{chosen}: cannot read the loaded-terms list ({error})"
            ) from error
    else:
        text = (resources.files("newsweave.compare") / "loaded_terms.txt").read_text("utf-8")
    lines = (line.strip().lower() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def framing(
    coverage: Sequence[Coverage],
    actor_of: dict[str, str] | None = None,
    loaded: Iterable[str] = (),
) -> list[Framing]:
    """Per actor (person, organisation or group): the descriptors each outlet uses in its
    own voice, flagged, and those it quotes others using."""
    names = actor_of or {}
    loaded_set = frozenset(t.lower() for t in loaded)
    own: dict[str, dict[str, list[str]]] = {}
    quoted: dict[str, dict[str, list[str]]] = {}
    for item in coverage:
        for mention in item.annotations.mentions:
            descriptor = mention.descriptor
            actor = names.get(mention.name, mention.name)
            if descriptor is None or mention.kind == "place" or _is_name(descriptor, actor):
                continue
            voice = quoted if mention.descriptor_quoted else own
            for outlet in item.outlets:
                bucket = voice.setdefault(actor, {}).setdefault(outlet, [])
                if descriptor not in bucket:
                    bucket.append(descriptor)
    return [
        _flag(actor, own.get(actor, {}), loaded_set, quoted.get(actor, {}))
        for actor in sorted(own.keys() | quoted.keys(), key=list(own | quoted).index)
    ]


def _is_name(descriptor: str, actor: str) -> bool:
    return all(word in actor.lower().split() for word in descriptor.split())


def _flag(
    actor: str,
    by_outlet: dict[str, list[str]],
    loaded: frozenset[str],
    quoted: dict[str, list[str]],
) -> Framing:
    described = {outlet: words for outlet, words in by_outlet.items() if words}
    unique: dict[str, list[str]] = {}
    flagged: dict[str, list[str]] = {}
    for outlet, words in described.items():
        others = {w for o, ws in described.items() if o != outlet for w in ws}
        if len(described) > 1:
            only = [w for w in words if w not in others]
            if only:
                unique[outlet] = only
        hits = [w for w in words if any(_contains(w, term) for term in loaded)]
        if hits:
            flagged[outlet] = hits
    return Framing(actor, described, unique, flagged, quoted)


def _contains(descriptor: str, term: str) -> bool:
    return re.search(r"\b" + re.escape(term) + r"\b", descriptor) is not None
