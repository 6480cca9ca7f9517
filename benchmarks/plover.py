"""Who did what to whom on real news: PLOVER event types and their actors, scored on the
hand-coded sentences of ``benchmarks/gold/plover.jsonl`` (format and rules in
``benchmarks/gold/README.md``).

The gold holds labels and character spans only; the article texts are read from the shared
data folder at run time (GVA, ECB+ and PolNeAR; see ``corpora.py``) and never written
anywhere. Each gold article is annotated with the shipped :class:`Annotator` (the text up to
the end of its last gold sentence, so that earlier full names still count), and an action
belongs to the gold sentence its verb lies in. Negated actions and untyped ones are not
events.

- type precision / recall: micro, over (sentence, type) pairs;
- source / target accuracy: on the matched pairs, whether the found name shares a word with
  the gold one (case-insensitive; a demonym counts as its country, initials their name:
  "NRA", "National Rifle Association"). A gold event without a
  target wants none; ``target_named`` scores only the pairs whose gold names a target;
- the keyword baseline types a sentence by every verb whose lemma is in the same lexicon,
  with the nearest actor before it as source and the nearest after it as target.

    python benchmarks/plover.py [--data PATH] [--out benchmarks/results/plover.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from newsweave.annotate.actions import EVENT_TYPE_OF
from newsweave.annotate.names import country_of, fold
from newsweave.annotate.pipeline import Annotator, load_model, prepared_text
from newsweave.annotation import Action, Annotations, Mention
from newsweave.model import Article

sys.path.append(str(Path(__file__).resolve().parent))
from corpora import ECBPLUS_FILE, GVA_FILE, data_folder

GOLD = Path(__file__).resolve().parent / "gold" / "plover.jsonl"
RESULTS = Path(__file__).resolve().parent / "results" / "plover.json"
POLNEAR_FILES = (
    Path("polnear-attribution") / "polnear-train-articles.jsonl",
    Path("polnear-attribution") / "polnear-dev-articles.jsonl",
)
_WORD = re.compile(r"\w+")
_FILLERS = frozenset(
    {"the", "of", "and", "for", "a", "an", "s", "united", "national", "new", "county", "city",
     "state", "states", "department", "police", "office", "sheriff", "party", "republic",
     "north", "south", "east", "west", "university", "committee", "inc", "mr", "mrs", "ms"}
)  # fmt: skip
_LINKS = frozenset({"of", "the", "and", "for"})
HALVES = ("even", "odd")  # gold lines by index: develop on one half, check on the other
STEM = 4  # a demonym matches its country by a shared start this long: Thai / Thailand

Key = tuple[str, str]  # corpus, article id
Pair = tuple[int, str]  # gold sentence index, PLOVER type


@dataclass(frozen=True, slots=True)
class Found:
    """One typed event found in a gold sentence: its type and its actors' names."""

    kind: str
    source: str
    target: str | None


@dataclass(slots=True)
class Tally:
    """Counts for one system: found and gold (sentence, type) pairs, and actor checks."""

    found: int = 0
    expected: int = 0
    matched: int = 0
    source_right: int = 0
    target_right: int = 0
    named_targets: int = 0
    named_target_right: int = 0
    per_type: Counter[str] = field(default_factory=Counter)
    per_type_matched: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        precision = self.matched / self.found if self.found else 0.0
        recall = self.matched / self.expected if self.expected else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "type_precision": round(precision, 3),
            "type_recall": round(recall, 3),
            "type_f1": round(f1, 3),
            "found": self.found, "expected": self.expected, "matched": self.matched,
            "source_accuracy": _share(self.source_right, self.matched),
            "target_accuracy": _share(self.target_right, self.matched),
            "target_named_accuracy": _share(self.named_target_right, self.named_targets),
            "named_targets": self.named_targets,
            "recall_per_type": {
                kind: _share(self.per_type_matched[kind], count)
                for kind, count in sorted(self.per_type.items())
            },
        }  # fmt: skip


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_texts(folder: Path, wanted: set[Key]) -> dict[Key, str]:
    """The texts of the ``wanted`` articles, as each corpus file gives them."""
    texts: dict[Key, str] = {}
    for key, text in _corpus_texts(folder):
        if key in wanted:
            texts[key] = text
    missing = wanted - texts.keys()
    if missing:
        raise FileNotFoundError(f"{len(missing)} gold articles not in {folder}: {min(missing)}")
    return texts


def _corpus_texts(folder: Path) -> Iterator[tuple[Key, str]]:
    with gzip.open(folder / GVA_FILE, "rt", encoding="utf-8") as lines:
        for record in map(json.loads, lines):
            yield ("gva", record["id"]), record["text"] or ""
    with (folder / ECBPLUS_FILE).open(encoding="utf-8") as lines:
        for record in map(json.loads, lines):
            yield ("ecbplus", record["doc_id"]), record["text"] or ""
    for name in POLNEAR_FILES:
        with (folder / name).open(encoding="utf-8") as lines:
            for record in map(json.loads, lines):
                yield ("polnear", record["id"]), record["text"]


def gold_articles(
    gold: list[dict[str, Any]], texts: dict[Key, str], fast: bool = False
) -> list[Article]:
    """One article per gold article, cut after its last gold sentence. ``fast`` keeps only
    the first paragraph and those holding a gold sentence, the rest blanked (every offset
    stays valid): about a third of the text, for the test suite's gate."""
    spans: dict[Key, list[tuple[int, int]]] = defaultdict(list)
    for row in gold:
        spans[(row["corpus"], row["article"])].append((row["start"], row["end"]))
    articles = []
    for (corpus, ident), kept in sorted(spans.items()):
        text = texts[(corpus, ident)][: max(end for _, end in kept)]
        if fast:
            text = _paragraphs_around(text, kept)
        articles.append(Article(id=f"{corpus}:{ident}", title="", text=text, outlet=corpus,
                                origin="plover-gold"))  # fmt: skip
    return articles


_PARAGRAPH = re.compile(r"[^\n]+")


def _paragraphs_around(text: str, kept: list[tuple[int, int]]) -> str:
    """The text with every paragraph blanked but the first and those that hold a span."""
    out = list(text)
    for number, paragraph in enumerate(_PARAGRAPH.finditer(text)):
        start, end = paragraph.span()
        if number and not any(start < b and a < end for a, b in kept):
            out[start:end] = " " * (end - start)
    return "".join(out)


def annotate(articles: list[Article]) -> Iterator[tuple[Article, Doc, Annotations]]:
    """Each article with its parse and the shipped annotator's annotations of that parse."""
    annotator = Annotator(outlets=())
    texts = (prepared_text(article.text) for article in articles)
    for article, doc in zip(articles, load_model().pipe(texts, batch_size=16), strict=True):
        yield article, doc, annotator.annotate_doc(doc, article)


# what each system found, per gold sentence


def _sentence_of(spans: list[tuple[int, int]], at: int) -> int | None:
    return next((i for i, (start, end) in enumerate(spans) if start <= at < end), None)


def extractor_events(
    actions: Iterable[Action], spans: list[tuple[int, int]]
) -> dict[int, list[Found]]:
    """The shipped actions that are events, by the gold sentence their verb lies in."""
    found: dict[int, list[Found]] = defaultdict(list)
    for action in actions:
        if action.negated or action.event_type is None:
            continue
        at = action.verb_start if action.verb_start is not None else action.start
        sentence = _sentence_of(spans, at)
        if sentence is not None:
            found[sentence].append(Found(action.event_type, action.source, action.target))
    return found


def keyword_events(
    doc: Doc, mentions: list[Mention], spans: list[tuple[int, int]]
) -> dict[int, list[Found]]:
    """The baseline: a verb of the lexicon types its sentence; the nearest actors around it."""
    found: dict[int, list[Found]] = defaultdict(list)
    for i, (start, end) in enumerate(spans):
        inside = [m for m in mentions if start <= m.start < end]
        span = doc.char_span(start, end, alignment_mode="expand")
        for token in span or ():
            kind = EVENT_TYPE_OF.get(token.lemma_.lower())
            if token.pos_ != "VERB" or kind is None:
                continue
            before = [m for m in inside if m.end <= token.idx]
            after = [m for m in inside if m.start > token.idx]
            if before:
                target = after[0].name if after else None
                found[i].append(Found(kind, before[-1].name, target))
    return found


# scoring


def _words(name: str) -> set[str]:
    words = {w for w in _WORD.findall(fold(name)) if w not in _FILLERS}
    country = country_of(name)
    for word in (name, *words):
        country = country or country_of(word)
    if country:
        words |= set(_WORD.findall(fold(country)))
    return words


def same_actor(found: str | None, gold: list[str]) -> bool:
    """Whether a found name is one of the gold names: a shared word, case-insensitive."""
    if not gold or found is None:
        return not gold and found is None
    mine = _words(found) | _acronyms(found)
    return any(_overlap(mine, _words(name) | _acronyms(name)) for name in gold)


def _acronyms(name: str) -> set[str]:
    """ "nra" for "National Rifle Association", "doj" and "dj" for "Department of Justice":
    an organisation named by its initials is the same actor."""
    words = _WORD.findall(fold(name))
    if len(words) < 2:
        return set()
    return {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in _LINKS)}


def _overlap(first: set[str], second: set[str]) -> bool:
    return any(a == b or _same_stem(a, b) for a in first for b in second)


def _same_stem(a: str, b: str) -> bool:
    """ "Thai" and "Thailand", "Greek" and "Greece": a shared start of four letters or more
    that is most of the shorter word."""
    common = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return common >= STEM and common >= 0.8 * min(len(a), len(b))


def _best(found: list[Found], gold: list[dict[str, Any]]) -> tuple[bool, bool, bool]:
    """(source right, target right, gold names a target) for the best found/gold pairing."""
    best = (False, False, False)
    for item in found:
        for event in gold:
            pairing = (same_actor(item.source, event["source"]),
                       same_actor(item.target, event["target"]), bool(event["target"]))  # fmt: skip
            best = max(best, pairing)
    return best


def tally(system: Tally, row: dict[str, Any], sentence: int, found: list[Found]) -> None:
    """Count one gold sentence (``sentence``: its line index in the gold file)."""
    gold_types = {event["type"] for event in row["events"]}
    found_types = {item.kind for item in found}
    system.found += len(found_types)
    system.expected += len(gold_types)
    for kind in gold_types:
        system.per_type[kind] += 1
    for kind in sorted(gold_types | found_types):
        if kind not in gold_types or kind not in found_types:
            system.errors.append(_error(row, sentence, kind, kind in gold_types, found))
            continue
        system.matched += 1
        system.per_type_matched[kind] += 1
        events = [event for event in row["events"] if event["type"] == kind]
        source, target, named = _best([f for f in found if f.kind == kind], events)
        system.source_right += source
        system.target_right += target
        system.named_targets += named
        system.named_target_right += named and target
        if not (source and target):
            system.errors.append(_error(row, sentence, kind, True, found, actors=True))


def _error(
    row: dict[str, Any],
    index: int,
    kind: str,
    missed: bool,
    found: list[Found],
    actors: bool = False,
) -> dict[str, Any]:
    what = "actors" if actors else ("missed" if missed else "spurious")
    gold = [e for e in row["events"] if e["type"] == kind]
    return {
        "what": what, "type": kind, "line": index, "half": HALVES[index % 2],
        "corpus": row["corpus"], "article": row["article"],
        "span": [row["start"], row["end"]],
        "gold": [[e["source"][0], (e["target"] or [None])[0]] for e in gold],
        "found": [[f.source, f.target] for f in found if f.kind == kind],
    }  # fmt: skip


def score_plover(
    data: Path | None = None, gold_path: Path = GOLD, fast: bool = False
) -> dict[str, Any]:
    """Type and actor scores of the shipped extractor and of the keyword baseline (``fast``:
    only the paragraphs that matter, see :func:`gold_articles`)."""
    started = time.perf_counter()
    gold = load_gold(gold_path)
    wanted = {(row["corpus"], row["article"]) for row in gold}
    texts = load_texts(data_folder(data), wanted)
    rows_of: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for index, row in enumerate(gold):
        rows_of[f"{row['corpus']}:{row['article']}"].append((index, row))
    shipped, baseline = Tally(), Tally()
    halves = {half: Tally() for half in HALVES}
    for article, doc, found in annotate(gold_articles(gold, texts, fast)):
        rows = rows_of[article.id]
        spans = [(row["start"], row["end"]) for _, row in rows]
        ours = extractor_events(found.actions, spans)
        plain = keyword_events(doc, found.mentions, spans)
        for position, (index, row) in enumerate(rows):
            tally(shipped, row, index, ours.get(position, []))
            tally(halves[HALVES[index % 2]], row, index, ours.get(position, []))
            tally(baseline, row, index, plain.get(position, []))
    return {
        "gold": _gold_counts(gold),
        "extractor": shipped.as_dict(),
        "keyword_baseline": baseline.as_dict(),
        "halves": {half: system.as_dict() for half, system in halves.items()},
        "seconds": round(time.perf_counter() - started, 1),
        "extractor_errors": shipped.errors,
    }


def _gold_counts(gold: list[dict[str, Any]]) -> dict[str, Any]:
    kinds = Counter(kind for row in gold for kind in {e["type"] for e in row["events"]})
    return {
        "sentences": len(gold),
        "without_event": sum(1 for row in gold if not row["events"]),
        "articles": len({(row["corpus"], row["article"]) for row in gold}),
        "by_corpus": dict(Counter(row["corpus"] for row in gold)),
        "pairs_per_type": dict(sorted(kinds.items())),
    }


def _print(result: dict[str, Any]) -> None:
    gold = result["gold"]
    pairs = sum(gold["pairs_per_type"].values())
    print(f"gold: {gold['sentences']} sentences ({gold['without_event']} without event) "
          f"from {gold['articles']} articles; {pairs} typed pairs")  # fmt: skip
    print(f"{'':22}{'extractor':>12}{'keywords':>12}")
    ours, plain = result["extractor"], result["keyword_baseline"]
    for name in ("type_precision", "type_recall", "type_f1", "source_accuracy",
                 "target_accuracy", "target_named_accuracy"):  # fmt: skip
        print(f"{name:22}{ours[name]:>12.3f}{plain[name]:>12.3f}")
    print("recall per type:")
    for kind, value in ours["recall_per_type"].items():
        other = plain["recall_per_type"].get(kind, 0.0)
        print(f"  {kind:20}{value:>12.3f}{other:>12.3f}  ({gold['pairs_per_type'][kind]})")
    halves = result["halves"]
    print(f"{'halves':22}{'even':>12}{'odd':>12}")
    for name in ("type_precision", "type_recall", "source_accuracy", "target_accuracy"):
        print(f"{name:22}" + "".join(f"{halves[h][name]:>12.3f}" for h in HALVES))
    print(f"{result['seconds']} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--fast", action="store_true", help="the gate's reduced texts")
    args = parser.parse_args(argv)
    result = score_plover(args.data, fast=args.fast)
    _print(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
