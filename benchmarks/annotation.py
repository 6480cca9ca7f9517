"""Annotation quality on our own gold set and on real news (PolNeAR dev, see polnear.py),
and annotation throughput on generated and on real articles.

Quality: every record of ``benchmarks/gold/annotation.jsonl`` plus the long wire-style
article ``benchmarks/gold/wire_article.json`` (passages we wrote ourselves; the format is in
``benchmarks/gold/README.md``) is annotated with the shipped pipeline, the names of all of
them are grouped into actors as a store would, and each annotation type is scored:

- quotes: span F1 (a predicted quote matches a gold one when their words overlap with
  token F1 >= 0.8), exact-span F1, and speaker accuracy on the matched quotes;
- actors: alias merging as pairwise F1 (and B-cubed) over every gold mention of the whole
  set: two mentions of one gold actor should get one actor id, two of different actors two;
- times: resolution accuracy, overall and on relative expressions only;
- numbers, actions, citations: precision, recall and F1.

Throughput: ``--articles`` generated news-like articles of about 500 words (names, quotes,
numbers, dates), annotated end to end (spaCy plus every extractor, no store), on one
process and on two (each also as a ratio to one process), after CPU milliseconds per article
of each spaCy component and each extractor; with peak RSS of the main process and of the
largest worker. ``--speed-only`` skips the quality part and prints the timings alone.

    python benchmarks/annotation.py [--articles 1000] [--out benchmarks/results/annotation.json]
    python benchmarks/annotation.py --speed-only [--articles 300]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from corpora import DataNotFoundError
from newsweave.annotate.actions import find_actions
from newsweave.annotate.actors import find_mentions
from newsweave.annotate.attributions import find_attributions
from newsweave.annotate.doctext import text_of
from newsweave.annotate.names import fold
from newsweave.annotate.pipeline import Annotator, load_model, prepared_text
from newsweave.annotate.quantities import find_quantities
from newsweave.annotate.quotes import find_quotes
from newsweave.annotate.registry import resolve
from newsweave.annotate.times import find_times
from newsweave.annotation import Annotations, NameCount
from newsweave.model import Article, Published
from newsweave.synth import synthetic_news
from polnear import article_of as polnear_article
from polnear import load_articles, score_polnear, summary_line

GOLD = Path(__file__).resolve().parent / "gold"
TARGET = 25.0  # generated articles per second on two processes (issue 16)
_TOKEN = re.compile(r"\w+")


@dataclass(slots=True)
class Score:
    """Precision, recall and F1 from counts."""

    found: int = 0
    expected: int = 0
    matched: int = 0

    def as_dict(self) -> dict[str, float | int]:
        precision = self.matched / self.found if self.found else 0.0
        recall = self.matched / self.expected if self.expected else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "found": self.found, "expected": self.expected, "matched": self.matched,
        }  # fmt: skip


def load_gold() -> list[dict[str, Any]]:
    lines = (GOLD / "annotation.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    wire = GOLD / "wire_article.json"
    if wire.is_file():
        records.append(json.loads(wire.read_text(encoding="utf-8")))
    return records


def _article(record: dict[str, Any]) -> Article:
    published = record.get("published")
    return Article(
        id=str(record["id"]), title="", text=record["text"], outlet="gold", origin="gold",
        published=Published(datetime.fromisoformat(published)) if published else None,
    )  # fmt: skip


def annotate_gold(records: list[dict[str, Any]]) -> list[Annotations]:
    annotator = Annotator(outlets=())
    return list(annotator.annotate((_article(r) for r in records), processes=1))


def actor_names(found: list[Annotations]) -> dict[tuple[str, str], tuple[str, str]]:
    """(name, kind) -> (actor id, actor display name), grouped over the whole gold set."""
    mentions: Counter[tuple[str, str]] = Counter()
    articles: Counter[tuple[str, str]] = Counter()
    for result in found:
        keys = [(m.name, m.kind) for m in result.mentions]
        mentions.update(keys)
        articles.update(set(keys))
    counts = [NameCount(n, k, mentions[(n, k)], articles[(n, k)]) for n, k in mentions]
    grouped: dict[tuple[str, str], tuple[str, str]] = {}
    for actor in resolve(counts):
        for key in actor.names or []:
            grouped[key] = (actor.id, actor.name)
    return grouped


# quotes


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def _token_f1(first: str, second: str) -> float:
    a, b = Counter(_tokens(first)), Counter(_tokens(second))
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _pairs(gold: list[Any], found: list[Any], similar: Any, floor: float) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of gold and found items by similarity >= ``floor``."""
    scored = sorted(
        ((similar(g, f), i, j) for i, g in enumerate(gold) for j, f in enumerate(found)),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_found: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if score >= floor and i not in used_gold and j not in used_found:
            used_gold.add(i)
            used_found.add(j)
            pairs.append((i, j))
    return pairs


def score_quotes(
    records: list[dict[str, Any]],
    found: list[Annotations],
    actors: dict[tuple[str, str], tuple[str, str]],
) -> dict[str, Any]:
    span, exact, kinds = Score(), Score(), Counter[str]()
    speakers = Counter[str]()
    errors: list[dict[str, Any]] = []
    for record, result in zip(records, found, strict=True):
        gold, predicted = record["quotes"], _views(result.quotes, record["text"])
        pairs = _pairs(gold, predicted, lambda g, p: _token_f1(g["text"], p.text), 0.8)
        # a partial quote is one finding, or two when both its views match a gold quote
        partial_hits = Counter(id(predicted[j].source) for _, j in pairs if predicted[j].partial)
        span.found += len(result.quotes) + sum(1 for n in partial_hits.values() if n > 1)
        span.expected += len(gold)
        span.matched += len(pairs)
        exact.found = span.found
        exact.expected += len(gold)
        for i, j in pairs:
            g, p = gold[i], predicted[j]
            exact.matched += _tokens(g["text"]) == _tokens(p.text)
            kinds["right" if g["kind"] == p.kind else "wrong"] += 1
            if _same_speaker(g["speaker"], p, record, result, actors):
                speakers["right"] += 1
            else:
                speakers["wrong"] += 1
                errors.append(
                    {"id": record["id"], "quote": g["text"][:60], "gold": g["speaker"],
                     "found": p.speaker}
                )  # fmt: skip
    judged = speakers["right"] + speakers["wrong"]
    return {
        "span": span.as_dict(),
        "exact_span": exact.as_dict(),
        "kind_accuracy": round(kinds["right"] / max(1, sum(kinds.values())), 3),
        "speaker_accuracy": round(speakers["right"] / max(1, judged), 3),
        "speakers_judged": judged,
        "speaker_errors": errors[:40],
    }


@dataclass(slots=True)
class _View:
    """A found quote as the gold set writes quotes: a partial quote ("called the deal
    “a disaster”") is seen both as its quoted words (direct) and as its statement."""

    text: str
    kind: str
    speaker: str | None
    source: Any
    partial: bool = False


def _views(quotes: Iterable[Any], text: str) -> list[_View]:
    views: list[_View] = []
    for quote in quotes:
        if quote.kind != "partial":
            views.append(_View(quote.text, quote.kind, quote.speaker, quote))
            continue
        words = " ".join(text[a:b] for a, b in quote.verbatim())
        views.append(_View(words, "direct", quote.speaker, quote, True))
        views.append(_View(quote.text, "indirect", quote.speaker, quote, True))
    return views


def _same_speaker(
    gold: str | None,
    quote: Any,
    record: dict[str, Any],
    result: Annotations,
    actors: dict[tuple[str, str], tuple[str, str]],
) -> bool:
    """Whether the found speaker is the gold one: by name, or by pointing at the words the
    gold set marks as that actor (so naming conventions of organisations do not count)."""
    # the gold set names actors only: a speaker named by a description ("a police
    # spokesman") is no actor, as the gold's None says
    found = quote.speaker if quote.speaker in {m.name for m in result.mentions} else None
    if gold is None or found is None:
        return gold is None and found is None
    display = actors.get((found, "person"), (None, found))[1]
    if fold(gold) in {fold(found), fold(display)}:
        return True
    spans = [(m.start, m.end) for m in result.mentions if m.name == found]
    for item in record["actors"]:
        if fold(item["actor"]) != fold(gold):
            continue
        at = _occurrence(record["text"], item["mention"], item.get("occurrence", 1))
        if at and any(a < at[1] and at[0] < b for a, b in spans):
            return True
    return False


# actors


def score_aliases(
    records: list[dict[str, Any]],
    found: list[Annotations],
    actors: dict[tuple[str, str], tuple[str, str]],
) -> dict[str, Any]:
    """Pairwise and B-cubed F1 of actor ids over every gold mention of the set."""
    gold_ids: list[str] = []
    found_ids: list[str] = []
    missing = 0
    for record, result in zip(records, found, strict=True):
        for number, item in enumerate(record["actors"]):
            span = _occurrence(record["text"], item["mention"], item.get("occurrence", 1))
            mention = _mention_at(result, span) if span else None
            gold_ids.append(fold(item["actor"]))
            if mention is None:
                missing += 1
                found_ids.append(f"missing:{record['id']}:{number}")
            else:
                found_ids.append(actors.get((mention.name, mention.kind), (mention.name, ""))[0])
    return {
        "mentions": len(gold_ids),
        "mentions_not_found": missing,
        "pairwise": _pairwise(gold_ids, found_ids),
        "bcubed_f1": round(_bcubed(gold_ids, found_ids), 3),
    }


def _occurrence(text: str, needle: str, occurrence: int) -> tuple[int, int] | None:
    start = -1
    for _ in range(max(1, occurrence)):
        start = text.find(needle, start + 1)
        if start < 0:
            return None
    return start, start + len(needle)


def _mention_at(result: Annotations, span: tuple[int, int]) -> Any:
    """The found mention with this span, else the one overlapping it most."""
    best, best_overlap = None, 0
    for mention in result.mentions:
        overlap = min(span[1], mention.end) - max(span[0], mention.start)
        if (mention.start, mention.end) == span:
            return mention
        if overlap > best_overlap:
            best, best_overlap = mention, overlap
    return best


def _pairwise(gold: list[str], found: list[str]) -> dict[str, float]:
    def pairs(counts: Iterable[int]) -> int:
        return sum(n * (n - 1) // 2 for n in counts)

    both = pairs(Counter(zip(gold, found, strict=True)).values())
    gold_pairs, found_pairs = pairs(Counter(gold).values()), pairs(Counter(found).values())
    precision = both / found_pairs if found_pairs else 0.0
    recall = both / gold_pairs if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def _bcubed(gold: list[str], found: list[str]) -> float:
    cells = Counter(zip(gold, found, strict=True))
    gold_size, found_size = Counter(gold), Counter(found)
    precision = sum(n * n / found_size[f] for (_, f), n in cells.items()) / len(gold)
    recall = sum(n * n / gold_size[g] for (g, _), n in cells.items()) / len(gold)
    return 2 * precision * recall / (precision + recall)


# times, numbers, actions, citations


def score_times(records: list[dict[str, Any]], found: list[Annotations]) -> dict[str, Any]:
    right = Counter[str]()
    total = Counter[str]()
    errors = []
    for record, result in zip(records, found, strict=True):
        seen: Counter[str] = Counter()
        for item in record["times"]:
            seen[item["text"]] += 1  # a repeated text: the gold lists them in text order
            span = _occurrence(record["text"], item["text"], seen[item["text"]])
            kind = "absolute" if re.search(r"\b(1[89]|20)\d\d\b", item["text"]) else "relative"
            total[kind] += 1
            match = _time_at(result, span) if span else None
            ok = (
                match is not None
                and _day(match.first) == item["first"]
                and _day(match.last) == item["last"]
            )
            right[kind] += ok
            if not ok:
                errors.append(
                    {"id": record["id"], "text": item["text"], "published": record["published"],
                     "gold": [item["first"], item["last"]],
                     "found": [_day(match.first), _day(match.last)] if match else None}
                )  # fmt: skip
    every = sum(total.values())
    return {
        "accuracy": round(sum(right.values()) / max(1, every), 3),
        "relative_accuracy": round(right["relative"] / max(1, total["relative"]), 3),
        "relative": total["relative"],
        "absolute": total["absolute"],
        "errors": errors[:40],
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _time_at(result: Annotations, span: tuple[int, int]) -> Any:
    for item in result.times:
        if item.start < span[1] and span[0] < item.end:
            return item
    return None


def score_quantities(records: list[dict[str, Any]], found: list[Annotations]) -> dict[str, Any]:
    detected, exact = Score(), Score()
    for record, result in zip(records, found, strict=True):
        gold = [(g, _occurrence(record["text"], g["text"], 1)) for g in record["quantities"]]
        predicted = result.quantities
        pairs = _pairs(gold, predicted, lambda g, p: _overlap(g[1], (p.start, p.end)), 0.01)
        for score in (detected, exact):
            score.found += len(predicted)
            score.expected += len(gold)
        detected.matched += len(pairs)
        for i, j in pairs:
            g, p = gold[i][0], predicted[j]
            exact.matched += abs(float(g["value"]) - p.value) < 1e-6 and (
                (g["modifier"] or None) == (p.modifier or None)
            )
    return {"detected": detected.as_dict(), "value_and_modifier": exact.as_dict()}


def _overlap(first: tuple[int, int] | None, second: tuple[int, int]) -> float:
    if first is None:
        return 0.0
    return max(0, min(first[1], second[1]) - max(first[0], second[0])) / max(
        1, max(first[1], second[1]) - min(first[0], second[0])
    )


def score_actions(
    records: list[dict[str, Any]],
    found: list[Annotations],
    actors: dict[tuple[str, str], tuple[str, str]],
) -> dict[str, Any]:
    typed, untyped = Score(), Score()

    def name(value: str | None) -> str:
        if value is None:
            return ""
        for kind in ("person", "place", "organisation", "group"):
            if (value, kind) in actors:
                return fold(actors[(value, kind)][1])
        return fold(value)

    for record, result in zip(records, found, strict=True):
        gold = Counter(
            (fold(g["source"]), fold(g["target"] or ""), g["event_type"]) for g in record["actions"]
        )
        predicted = Counter((name(a.source), name(a.target), a.event_type) for a in result.actions)
        typed.found += sum(predicted.values())
        typed.expected += sum(gold.values())
        typed.matched += sum((gold & predicted).values())
        gold_pairs = Counter((s, t) for s, t, _ in gold.elements())
        found_pairs = Counter((s, t) for s, t, _ in predicted.elements())
        untyped.found += sum(found_pairs.values())
        untyped.expected += sum(gold_pairs.values())
        untyped.matched += sum((gold_pairs & found_pairs).values())
    return {"with_type": typed.as_dict(), "who_to_whom": untyped.as_dict()}


def score_attributions(records: list[dict[str, Any]], found: list[Annotations]) -> dict[str, Any]:
    score = Score()
    for record, result in zip(records, found, strict=True):
        gold = Counter(_outlet_key(g["source"]) for g in record["attributions"])
        predicted = Counter(_outlet_key(a.source) for a in result.attributions)
        score.found += sum(predicted.values())
        score.expected += sum(gold.values())
        score.matched += sum((gold & predicted).values())
    return score.as_dict()


def _outlet_key(name: str) -> str:
    """ "The Washington Post" and "Washington Post" are one outlet."""
    return re.sub(r"^the ", "", fold(name))


# throughput


def generated_articles(count: int) -> list[Article]:
    return [
        Article(
            id=r["id"],
            title=r["headline"],
            text=r["body"],
            outlet=r["outlet"],
            origin="synth",
            published=Published(datetime.fromisoformat(r["published"])),
        )
        for r in synthetic_news(count, seed=3)
    ]


def throughput(count: int, processes: int) -> dict[str, Any]:
    return timed(generated_articles(count), processes, "generated")


def timed(articles: list[Article], processes: int, source: str) -> dict[str, Any]:
    """Annotation of ``articles`` end to end (spaCy and every extractor, no store), timed;
    with this process's CPU seconds (a busy machine stretches the wall clock, not those)."""
    words = sum(len(a.text.split()) for a in articles) / max(1, len(articles))
    load_model()
    started, cpu = time.perf_counter(), time.process_time()
    done = sum(1 for _ in Annotator().annotate(articles, processes=processes))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "articles": done, "processes": processes, "mean_words": round(words),
        "seconds": round(seconds, 2), "articles_per_second": round(done / seconds, 2),
        "cpu_ms_per_article": round(1000 * cpu / max(1, done), 1) if processes == 1 else None,
        "source": source,
    }  # fmt: skip


def component_times(count: int, batch_size: int = 16) -> dict[str, float]:
    """CPU milliseconds per article of each spaCy component and each extractor, over
    ``count`` generated articles (the first batch is parsed once before, to warm up)."""
    nlp, annotator = load_model(), Annotator()
    articles = generated_articles(count)
    texts = [prepared_text(a.text) for a in articles]
    list(nlp.pipe(texts[:batch_size], batch_size=batch_size))
    spent: dict[str, float] = {}
    docs = [nlp.make_doc(text) for text in texts]
    for name, component in nlp.pipeline:
        started = time.process_time()
        pipe = getattr(component, "pipe", None)
        docs = list(pipe(docs, batch_size=batch_size)) if pipe else [component(d) for d in docs]
        spent[name] = time.process_time() - started
    for doc, article in zip(docs, articles, strict=True):
        for name, seconds in extractor_times(annotator, doc, article).items():
            spent[name] = spent.get(name, 0.0) + seconds
    return {name: round(1000 * seconds / count, 2) for name, seconds in spent.items()}


def extractor_times(annotator: Annotator, doc: Any, article: Article) -> dict[str, float]:
    """CPU seconds of each extractor on one parsed article, called as ``annotate_doc`` does."""
    published = article.published.moment if article.published else None
    steps: dict[str, Callable[[], Any]] = {
        "mentions": lambda: find_mentions(doc, annotator.aliases.phrases),
        "quotes": lambda: find_quotes(doc, found["mentions"]),
        "quantities": lambda: find_quantities(doc),
        "times": lambda: find_times(text_of(doc), published),
        "actions": lambda: find_actions(doc, found["mentions"]),
        "attributions": lambda: find_attributions(
            text_of(doc), found["mentions"], (), own=article.outlet
        ),
    }
    found: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    for name, step in steps.items():
        started = time.process_time()
        found[name] = step()
        seconds[name] = time.process_time() - started
    return seconds


def real_news_figures() -> dict[str, Any]:
    """The figures on real news (PolNeAR dev), or why they could not be had."""
    try:
        return {"polnear_dev": score_polnear("dev")}
    except DataNotFoundError as error:
        return {"skipped": str(error)}


def real_throughput(processes: int) -> dict[str, Any]:
    """Articles per second on real political news (every PolNeAR article), end to end."""
    try:
        records = load_articles("train") + load_articles("dev")
    except DataNotFoundError as error:
        return {"skipped": str(error)}
    return timed([polnear_article(r) for r in records], processes, "PolNeAR (real)")


def peak_rss_mib() -> dict[str, float]:
    """Peak resident memory of this process and of its largest worker, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"main": round(own / 1024, 1), "largest_worker": round(children / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="Generated articles to time.")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "results" / "annotation.json"
    )
    parser.add_argument(
        "--speed-only", action="store_true",
        help="Only time: per component, then end to end (no gold set, no PolNeAR).",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.speed_only:
        _print_speed(speed_figures(args.articles or 200))
        return 0

    records = load_gold()
    started = time.perf_counter()
    found = annotate_gold(records)
    gold_seconds = time.perf_counter() - started
    actors = actor_names(found)
    result: dict[str, Any] = {
        "gold": {
            "records": len(records),
            "seconds": round(gold_seconds, 2),
            "quotes": score_quotes(records, found, actors),
            "actors": score_aliases(records, found, actors),
            "times": score_times(records, found),
            "quantities": score_quantities(records, found),
            "actions": score_actions(records, found, actors),
            "attributions": score_attributions(records, found),
        }
    }
    result["real"] = real_news_figures()
    if args.articles:
        result.update(speed_figures(args.articles))
        result["throughput_real"] = real_throughput(2)
    result["peak_rss_mib"] = peak_rss_mib()
    _print(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def speed_figures(articles: int) -> dict[str, Any]:
    """Per-component CPU times, then throughput on one process and on two, each run's
    articles per second also as a ratio to one process's."""
    components = component_times(min(articles, 64))
    runs = [throughput(articles, 1), throughput(articles, 2)]
    for run in runs:
        run["ratio_to_one_process"] = round(
            run["articles_per_second"] / runs[0]["articles_per_second"], 2
        )
    return {"components_cpu_ms": components, "throughput": runs, "peak_rss_mib": peak_rss_mib()}


def _print_speed(result: dict[str, Any]) -> None:
    parts = result.get("components_cpu_ms", {})
    if parts:
        print("CPU ms per article: " + ", ".join(f"{k} {v:.1f}" for k, v in parts.items()))
        print(f"  all {sum(parts.values()):.1f} ms -> {1000 / sum(parts.values()):.1f} articles/s")
    runs = [*result.get("throughput", []), result.get("throughput_real", {})]
    for run in (r for r in runs if "articles_per_second" in r):
        ratio = run.get("ratio_to_one_process")
        print(
            f"throughput {run['processes']} process(es): {run['articles_per_second']:.1f} "
            f"articles/s" + (f" ({ratio:.2f}x one process)" if ratio else "")
            + f", {run['articles']} {run['source']} articles of ~{run['mean_words']} words"
            + (_against_target(run) if run["source"] == "generated" else "")
        )  # fmt: skip
    rss = result["peak_rss_mib"]
    print(f"peak RSS {rss['main']} MiB (main), {rss['largest_worker']} MiB (largest worker)")


def _against_target(run: dict[str, Any]) -> str:
    if run["processes"] != 2:
        return ""
    met = "met" if run["articles_per_second"] >= TARGET else "NOT met"
    return f"; target {TARGET:.0f}/s on two processes {met}"


def _print(result: dict[str, Any]) -> None:
    gold = result["gold"]
    quotes, actors, times = gold["quotes"], gold["actors"], gold["times"]
    print(f"gold: {gold['records']} records")
    print(
        f"quotes   span F1 {quotes['span']['f1']:.3f} (P {quotes['span']['precision']:.3f} "
        f"R {quotes['span']['recall']:.3f}) exact F1 {quotes['exact_span']['f1']:.3f} "
        f"speaker accuracy {quotes['speaker_accuracy']:.3f} on {quotes['speakers_judged']} "
        f"kind accuracy {quotes['kind_accuracy']:.3f}"
    )
    pairwise = actors["pairwise"]
    print(
        f"actors   alias merging F1 {pairwise['f1']:.3f} (P {pairwise['precision']:.3f} "
        f"R {pairwise['recall']:.3f}) B-cubed {actors['bcubed_f1']:.3f}; "
        f"{actors['mentions_not_found']}/{actors['mentions']} gold mentions not found"
    )
    print(
        f"times    accuracy {times['accuracy']:.3f}, relative {times['relative_accuracy']:.3f} "
        f"on {times['relative']}"
    )
    for name in ("quantities", "actions"):
        for part, score in gold[name].items():
            print(f"{name:8s} {part:18s} F1 {score['f1']:.3f} (P {score['precision']:.3f} "
                  f"R {score['recall']:.3f})")  # fmt: skip
    cites = gold["attributions"]
    print(f"citations F1 {cites['f1']:.3f} (P {cites['precision']:.3f} R {cites['recall']:.3f})")
    real = result["real"]
    if "polnear_dev" in real:
        print(summary_line("PolNeAR dev", real["polnear_dev"]))
    else:
        print(f"PolNeAR dev: skipped ({real['skipped']})")
    _print_speed(result)


if __name__ == "__main__":
    sys.exit(main())
