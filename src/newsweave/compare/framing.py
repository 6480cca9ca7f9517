"""The words each outlet uses for each actor of an event.

A descriptor is what stands right before a mention in its sentence ("strongman Marek
Dovlan", "rebel leader Anton Reszko", "the Russian president" is a role mention of its
own), a judging noun right after it ("the Dovlan regime"), or an apposition after a comma
("Ruth Calloway, the union's general secretary,"). Descriptors only one outlet uses for an
actor are flagged, and so are those in the editable list of loaded terms.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from newsweave.annotate.names import TITLES, country_of
from newsweave.compare.model import Coverage, Framing
from newsweave.text import LETTERS, STOP_WORDS, straight

ENV_VAR = "NEWSWEAVE_LOADED_TERMS"
MAX_WORDS = 3
# no descriptor: the project's stop words, a name's "Dr" and a linking "meanwhile"
_STOP = STOP_WORDS | {"dr", "meanwhile"}
_AFTER = frozenset({"regime", "government", "administration", "camp", "loyalists", "junta"})
# descriptor words are the project's words less numbers ("pro-government", "union's")
_WORD = re.compile(LETTERS)
TITLE_WORDS = frozenset(word for title in TITLES for word in title.split())
_APPOSITION = re.compile(r"\A,\s+(?:the|a|an)\s+([^,;:()]{3,60}?)\s*,")
_VERBS_IN_APPOSITION = re.compile(r"\b(?:is|was|are|were|has|had|will|would)\b")


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


def descriptors_before(text: str, start: int) -> str | None:
    """The descriptor words right before a mention, in its sentence."""
    before = straight(text[max(0, start - 60) : start])
    cut = max(before.rfind(mark) for mark in '.!?;:\n"“”«»()')
    if cut >= 0:
        before = before[cut + 1 :]
    before = before[before.rfind(",") + 1 :]  # "…, Marek Dovlan": a list, not a descriptor
    found = _WORD.findall(before)
    at_start = bool(found) and before.lstrip().startswith(found[0]) and (cut >= 0 or start < 60)
    kept: list[str] = []
    for index in range(len(found) - 1, max(-1, len(found) - 1 - MAX_WORDS), -1):
        word = found[index]
        if index == 0 and at_start:
            word = word.lower()  # "Rebel warlord Anton Reszko": a sentence's first word
        if not _descriptive(word):
            break
        kept.insert(0, word.lower())
    return " ".join(kept) or None


def _descriptive(word: str) -> bool:
    """A word that may describe a person: no stop word, verb form or other name."""
    lower = word.lower()
    if lower in _STOP or (lower.endswith(("ing", "ed")) and lower not in TITLES):
        return False
    return word[0].islower() or lower in TITLE_WORDS or country_of(word) is not None


def descriptor_after(text: str, end: int) -> str | None:
    """A judging noun right after ("the Dovlan regime") or an apposition."""
    rest = straight(text[end : end + 80])
    following = _WORD.match(rest.lstrip())
    if following and following.group().lower() in _AFTER and rest[:1] == " ":
        return following.group().lower()
    apposition = _APPOSITION.match(rest)
    if apposition is None or _VERBS_IN_APPOSITION.search(apposition.group(1)):
        return None
    return apposition.group(1).strip().lower()


def framing(
    coverage: Sequence[Coverage],
    actor_of: dict[str, str] | None = None,
    loaded: Iterable[str] = (),
) -> list[Framing]:
    """Per actor (person, organisation or group): each outlet's descriptors, flagged."""
    names = actor_of or {}
    loaded_set = frozenset(t.lower() for t in loaded)
    found: dict[str, dict[str, list[str]]] = {}
    for item in coverage:
        text = item.article.text
        for mention in item.annotations.mentions:
            if mention.kind == "place":
                continue
            actor = names.get(mention.name, mention.name)
            words = [descriptors_before(text, mention.start), descriptor_after(text, mention.end)]
            for outlet in item.outlets:
                bucket = found.setdefault(actor, {}).setdefault(outlet, [])
                for descriptor in words:
                    if descriptor and descriptor not in bucket and not _is_name(descriptor, actor):
                        bucket.append(descriptor)
    return [_flag(actor, by_outlet, loaded_set) for actor, by_outlet in found.items()
            if any(by_outlet.values())]  # fmt: skip


def _is_name(descriptor: str, actor: str) -> bool:
    return all(word in actor.lower().split() for word in descriptor.split())


def _flag(actor: str, by_outlet: dict[str, list[str]], loaded: frozenset[str]) -> Framing:
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
    return Framing(actor, described, unique, flagged)


def _contains(descriptor: str, term: str) -> bool:
    return re.search(r"\b" + re.escape(term) + r"\b", descriptor) is not None
