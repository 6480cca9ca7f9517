"""A fast stand-in for spaCy's ``attribute_ruler``, with the very same effect.

The stock component runs ~180 Matcher patterns over every token (a tag map such as
``TAG == "NN"`` → ``POS NOUN, Number=Sing``, then exceptions on ``LOWER``, ``DEP`` and
``IS_SPACE``) and costs about as much as the parser. Here a one-token pattern's verdict
depends only on the few attributes patterns test, so what all of them set on a token is
worked out once per combination of those values and remembered; the rare patterns of
several tokens ("gon na") are found on columns of the doc (numpy). Values are written
back in one ``Doc.from_array``. As in the stock component, patterns are tested on the
attributes as they were before any applied, and a later pattern wins.

Only the pattern forms the shipped model uses are understood: fixed token sequences testing
``TAG``, ``DEP``, ``LOWER``, ``ORTH``/``TEXT`` or ``IS_SPACE`` by value, ``IN``, ``NOT_IN`` or
``REGEX``, and setting ``POS``, ``MORPH``, ``LEMMA``, ``TAG`` or ``DEP`` (plain token fields).
Anything else raises :class:`UnsupportedPattern`, and the caller keeps the stock component.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import normalize_token_attrs
from spacy.vocab import Vocab

FACTORY = "newsweave_attribute_rules"
WRITE = (POS, MORPH, LEMMA, TAG, DEP)  # the attributes patterns may set
_READ = {"TEXT": ORTH, "ORTH": ORTH, "TAG": TAG, "DEP": DEP, "LOWER": LOWER, "IS_SPACE": IS_SPACE}

Column = npt.NDArray[np.uint64]
Mask = npt.NDArray[np.bool_]
Sets = dict[int, int]  # attribute -> value
Applied = tuple[tuple[int, Sets], ...]  # (rule order, what it sets), in order


class UnsupportedPattern(ValueError):
    """A pattern this component cannot reproduce exactly."""


@dataclass(frozen=True, slots=True)
class Test:
    """One condition on one attribute of a token: equal, in a set, not in it, or a regex."""

    attr: int
    kind: str  # "IN", "NOT_IN" or "REGEX"; equality is "IN" one value
    values: frozenset[int] = frozenset()
    regex: re.Pattern[str] | None = None

    def passes(self, value: int, vocab: Vocab) -> bool:
        if self.regex is not None:
            return bool(self.regex.search(vocab.strings[value]))
        return (value in self.values) == (self.kind == "IN")

    def mask(self, column: Column) -> Mask:
        """Which values pass (tests without a regex)."""
        found = np.zeros(len(column), dtype=bool)
        for value in self.values:
            found |= column == value
        return found if self.kind == "IN" else ~found


Token = tuple[Test, ...]  # the tests one token must pass


@dataclass(frozen=True, slots=True)
class Rule:
    """Token sequences (alternatives), and what is set on the token at ``index`` of a match;
    ``order`` is its place among the patterns."""

    order: int
    sequences: tuple[tuple[Token, ...], ...]
    index: int
    sets: Sets

    @property
    def one_token(self) -> bool:
        return all(len(s) == 1 for s in self.sequences)

    def passes(self, values: Mapping[int, int], vocab: Vocab) -> bool:
        """Whether a token with these attribute values matches (one-token rules)."""
        return any(all(t.passes(values[t.attr], vocab) for t in s[0]) for s in self.sequences)

    def targets(self, columns: Mapping[int, Column], vocab: Vocab) -> Iterator[int]:
        """The tokens this rule sets, over a doc's columns."""
        for sequence in self.sequences:
            shift = self.index if self.index >= 0 else len(sequence) + self.index
            for start in _starts(sequence, columns, vocab):
                yield start + shift


def _starts(sequence: Sequence[Token], columns: Mapping[int, Column], vocab: Vocab) -> list[int]:
    length = len(next(iter(columns.values())))
    room = length - len(sequence) + 1
    found = np.ones(max(0, room), dtype=bool)
    regexes = []
    for offset, tests in enumerate(sequence):
        for test in tests:
            if test.regex is not None:  # slow: tried last, on the starts still found
                regexes.append((offset, test))
            elif found.any():
                found &= test.mask(columns[test.attr][offset : offset + room])
    starts = np.flatnonzero(found).tolist()
    for offset, test in regexes:
        column = columns[test.attr]
        starts = [i for i in starts if test.passes(int(column[i + offset]), vocab)]
    return starts


class Coding:
    """Small codes for the values of one tested attribute: one per value a test names, and
    one per set of regex verdicts for every other value (they all pass the same tests)."""

    def __init__(self, named: Iterable[int], regexes: Sequence[re.Pattern[str]], vocab: Vocab):
        self.regexes = regexes
        self.vocab = vocab
        self.values = sorted(set(named))  # code -> a value it stands for
        self.codes = {value: code for code, value in enumerate(self.values)}
        self.others: dict[tuple[bool, ...], int] = {}  # regex verdicts -> code
        self.bits = (len(self.values) + 2 ** len(regexes)).bit_length()

    def encode(self, column: Column) -> Column:
        unique, inverse = np.unique(column, return_inverse=True)
        codes = self.codes
        found = [codes.get(value, -1) for value in unique.tolist()]
        for i, code in enumerate(found):
            if code < 0:
                found[i] = self._code(int(unique[i]))
        return np.array(found, dtype=np.uint64)[inverse.reshape(-1)]

    def _code(self, value: int) -> int:
        text = self.vocab.strings[value] if self.regexes else ""
        verdicts = tuple(bool(r.search(text)) for r in self.regexes)
        code = self.others.get(verdicts)
        if code is None:
            code = self.others[verdicts] = len(self.values)
            self.values.append(value)
        self.codes[value] = code
        return code


class Outcomes:
    """What the one-token rules set on a token, by the codes of the values they test;
    each combination is worked out once and numbered."""

    def __init__(self, rules: Sequence[Rule], attrs: Sequence[int], vocab: Vocab) -> None:
        self.rules = rules
        self.attrs = tuple(attrs)
        self.vocab = vocab
        self.codings = [Coding(_named(rules, a), _regexes(rules, a), vocab) for a in attrs]
        if sum(c.bits for c in self.codings) > 63:
            raise UnsupportedPattern("too many values tested to combine in one key")
        self.ids: dict[int, int] = {}  # combined codes -> outcome
        self.applied: list[Applied] = []  # outcome -> rules applied
        self._table: tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_]] | None = None

    def ids_of(self, columns: Mapping[int, Column], length: int) -> npt.NDArray[np.intp]:
        """The outcome of each token of a doc."""
        keys = np.zeros(length, dtype=np.uint64)
        for attr, coding in zip(self.attrs, self.codings, strict=True):
            keys = (keys << np.uint64(coding.bits)) | coding.encode(columns[attr])
        unique, inverse = np.unique(keys, return_inverse=True)
        ids = self.ids
        found = [ids.get(key, -1) for key in unique.tolist()]
        for i, outcome in enumerate(found):
            if outcome < 0:
                key = int(unique[i])
                found[i] = ids[key] = self._add(key)
        return np.array(found, dtype=np.intp)[inverse.reshape(-1)]

    def _add(self, key: int) -> int:
        values = {}
        for attr, coding in reversed(list(zip(self.attrs, self.codings, strict=True))):
            key, code = divmod(key, 1 << coding.bits)
            values[attr] = coding.values[code]
        applied = tuple((r.order, r.sets) for r in self.rules if r.passes(values, self.vocab))
        self.applied.append(applied)
        return len(self.applied) - 1

    def table(self) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_]]:
        """Per outcome, per attribute of ``WRITE``: the value set, and whether one is set."""
        if self._table is None or len(self._table[0]) != len(self.applied):
            merged = [_merge(applied) for applied in self.applied]
            values = [[m.get(a, 0) for a in WRITE] for m in merged]
            has = [[a in m for a in WRITE] for m in merged]
            self._table = (np.array(values, dtype=np.uint64), np.array(has, dtype=bool))
        return self._table


def _named(rules: Iterable[Rule], attr: int) -> set[int]:
    """The values of ``attr`` that a test names."""
    return {v for r in rules for s in r.sequences for t in s[0] if t.attr == attr for v in t.values}


def _regexes(rules: Iterable[Rule], attr: int) -> list[re.Pattern[str]]:
    tests = (t for r in rules for s in r.sequences for t in s[0] if t.attr == attr)
    return [t.regex for t in tests if t.regex is not None]


def _merge(applied: Iterable[tuple[int, Sets]]) -> Sets:
    merged: Sets = {}
    for _, sets in sorted(applied, key=lambda hit: hit[0]):
        merged.update(sets)
    return merged


class AttributeRules:
    """The spaCy component: the stock attribute ruler's patterns, to the same effect."""

    def __init__(self, vocab: Vocab, name: str = "attribute_ruler") -> None:
        self.vocab = vocab
        self.name = name
        self.longer: list[Rule] = []  # rules of several tokens
        self.outcomes = Outcomes([], (), vocab)
        self.read: list[int] = []  # the attributes tested

    def add_patterns(self, patterns: Iterable[Mapping[str, Any]]) -> None:
        """Patterns as the stock component lists them (``AttributeRuler.patterns``)."""
        start = len(self.outcomes.rules) + len(self.longer)
        rules = [_rule(self.vocab, start + i, p) for i, p in enumerate(patterns)]
        single = [*self.outcomes.rules, *(r for r in rules if r.one_token)]
        self.longer += [r for r in rules if not r.one_token]
        tested = sorted({t.attr for r in single for s in r.sequences for t in s[0]})
        self.outcomes = Outcomes(single, tested, self.vocab)
        self.read = sorted({*tested, *_tested(self.longer)})

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        columns = _columns(doc, self.read)
        ids = self.outcomes.ids_of(columns, len(doc))
        values, has = self.outcomes.table()
        hit = has[ids]
        written = np.where(hit, values[ids], doc.to_array(list(WRITE)))
        touched: Mask = np.logical_or.reduce(hit, axis=0)
        self._apply_longer(columns, ids, written, touched)
        if touched.any():
            (which,) = np.nonzero(touched)
            doc.from_array([WRITE[i] for i in which.tolist()], cast(Any, written[:, which]))
        return doc

    def _apply_longer(
        self, columns: dict[int, Column], ids: npt.NDArray[np.intp],
        written: npt.NDArray[np.uint64], touched: Mask,
    ) -> None:  # fmt: skip
        """Rules of several tokens, merged in their order with the token's other rules."""
        extra: dict[int, list[tuple[int, Sets]]] = {}
        for rule in self.longer:
            for target in rule.targets(columns, self.vocab):
                extra.setdefault(target, []).append((rule.order, rule.sets))
        for target, hits in extra.items():
            applied = [*self.outcomes.applied[int(ids[target])], *hits]
            for attr, value in _merge(applied).items():
                written[target, WRITE.index(attr)] = value
                touched[WRITE.index(attr)] = True

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def _columns(doc: Doc, read: list[int]) -> dict[int, Column]:
    if not read:
        return {}
    array = doc.to_array(list[int | str](read)).reshape(len(doc), len(read))
    return {attr: np.ascontiguousarray(array[:, i]) for i, attr in enumerate(read)}


def _tested(rules: Iterable[Rule]) -> set[int]:
    return {t.attr for r in rules for s in r.sequences for tests in s for t in tests}


def _rule(vocab: Vocab, order: int, pattern: Mapping[str, Any]) -> Rule:
    sequences = tuple(_sequence(vocab, s) for s in pattern["patterns"])
    index = int(pattern.get("index", 0))
    if not sequences or any(not (-len(s) <= index < len(s)) for s in sequences):
        raise UnsupportedPattern(f"index {index} outside the pattern {pattern['patterns']}")
    sets = normalize_token_attrs(vocab, dict(pattern["attrs"]))
    if any(a not in WRITE for a in sets):
        raise UnsupportedPattern(f"sets attributes other than {WRITE}: {pattern['attrs']}")
    return Rule(order, sequences, index, {int(a): int(v) for a, v in sets.items()})


def _sequence(vocab: Vocab, tokens: Sequence[Mapping[str, Any]]) -> tuple[Token, ...]:
    if not tokens:
        raise UnsupportedPattern("empty pattern")
    return tuple(tuple(_test(vocab, k, v) for k, v in spec.items()) for spec in tokens)


def _test(vocab: Vocab, key: str, value: Any) -> Test:
    attr = _READ.get(key.upper()) if isinstance(key, str) else None
    if attr is None:
        raise UnsupportedPattern(f"tests {key!r}")
    if attr == IS_SPACE:
        if not isinstance(value, bool):
            raise UnsupportedPattern(f"IS_SPACE tested with {value!r}")
        return Test(attr, "IN", frozenset({int(value)}))
    if isinstance(value, str):
        return Test(attr, "IN", frozenset({vocab.strings.add(value)}))
    if isinstance(value, dict) and len(value) == 1:
        ((kind, given),) = value.items()
        if kind in ("IN", "NOT_IN") and all(isinstance(v, str) for v in given):
            return Test(attr, kind, frozenset(get_string_id(v) for v in given))
        if kind == "REGEX" and isinstance(given, str):
            return Test(attr, kind, regex=re.compile(given))
    raise UnsupportedPattern(f"{key}: {value!r}")


@Language.factory(FACTORY)
def make_attribute_rules(nlp: Language, name: str) -> AttributeRules:
    """An empty component; ``add_patterns`` gives it the stock ruler's patterns."""
    return AttributeRules(nlp.vocab, name)


def swap_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Put :class:`AttributeRules` in place of the stock ruler ``name``, with its patterns.
    False (and nothing changed) when there is none, or a pattern is not understood."""
    if name not in nlp.pipe_names:
        return False
    patterns = getattr(nlp.get_pipe(name), "patterns", None)
    if patterns is None:
        return False
    try:
        AttributeRules(nlp.vocab, name).add_patterns(patterns)
    except UnsupportedPattern:
        return False
    rules = nlp.replace_pipe(name, FACTORY)
    assert isinstance(rules, AttributeRules)
    rules.add_patterns(patterns)
    return True
