"""Quotes and speakers on real political news: the PolNeAR attribution corpus.

Reads the articles and gold of a PolNeAR split from the shared data folder
(polnear-attribution; see benchmarks/corpora.py for where it is looked for) at run
time (nothing of it is kept in this repository), annotates each article with the shipped
annotator, writes the quotes as the corpus scorer reads them (article id, character spans,
kind, speaker) and scores them with that scorer (``polnear.py score``): direct-quote F1,
all-attribution F1, and speaker accuracy on direct quotes and on all attributions.

Parsed articles are cached (spaCy ``DocBin``) under benchmarks/results/cache, keyed by the
split and the spaCy model, so that rules can be measured again in seconds.

    python benchmarks/polnear.py [--split dev] [--limit N] [--out results/polnear.json]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, DocBin

from corpora import DataNotFoundError, data_folder
from newsweave.annotate.pipeline import MODEL, Annotator, load_model, prepared_text
from newsweave.annotation import Annotations
from newsweave.model import Article

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
CACHE = RESULTS / "cache"
SCORER = "polnear.py"


def corpus_folder() -> Path:
    """The PolNeAR folder of the shared data (raises ``DataNotFoundError`` when absent)."""
    folder = data_folder() / "polnear-attribution"
    if not (folder / SCORER).is_file():
        raise DataNotFoundError(f"PolNeAR and its scorer are not in {folder}")
    return folder


def load_articles(split: str, limit: int | None = None) -> list[dict[str, Any]]:
    path = corpus_folder() / f"polnear-{split}-articles.jsonl"
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return records[:limit] if limit else records


def article_of(record: dict[str, Any]) -> Article:
    return Article(
        id=str(record["id"]), title="", text=record["text"], outlet=str(record["publisher"]),
        origin="polnear", input_id=str(record["id"]),
    )  # fmt: skip


def parsed(split: str, records: list[dict[str, Any]]) -> list[Doc]:
    """The spaCy parse of each article, from the cache when it holds them all."""
    nlp = load_model()
    tokenizer: Tokenizer = nlp.tokenizer
    compiled = getattr(tokenizer.infix_finditer, "__self__", None)  # the infix regex
    infixes = getattr(compiled, "pattern", "")  # in full: its repr stops at 200 characters
    parse = f"{nlp.pipe_factories} {infixes}"  # components by name and factory
    pipes = zlib.crc32(parse.encode())  # a changed pipeline parses anew
    cache = CACHE / f"polnear-{split}-{MODEL}-{pipes:08x}-{len(records)}.spacy"
    if cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == [prepared_text(r["text"]) for r in records]:
            return docs
    docs = list(nlp.pipe((prepared_text(r["text"]) for r in records), batch_size=16))
    cache.parent.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=True, docs=docs).to_disk(cache)
    return docs


def annotate(split: str, records: list[dict[str, Any]]) -> list[Annotations]:
    annotator = Annotator()
    articles = [article_of(r) for r in records]
    docs = parsed(split, records)
    return [annotator.annotate_doc(doc, a) for doc, a in zip(docs, articles, strict=True)]


def predictions(found: list[Annotations]) -> Iterator[dict[str, Any]]:
    """One scorer record per quote: the article id, the spans of its words, its speaker."""
    for result in found:
        for quote in result.quotes:
            yield {
                "input_id": result.article_id,
                "text": quote.text,
                "spans": [list(span) for span in quote.spans()],
                "kind": quote.kind,
                "speaker": quote.speaker,
            }


def score(gold: Path, articles: Path, pred: Path) -> dict[str, Any]:
    """The corpus scorer's figures for ``pred`` (its printed report goes to stderr)."""
    polnear = _scorer()
    figures = pred.with_suffix(".scores.json")
    args = ["score", "--gold", str(gold), "--pred", str(pred), "--articles", str(articles)]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        polnear.main([*args, "--json", str(figures)])
    print(printed.getvalue(), file=sys.stderr, end="")
    result: dict[str, Any] = json.loads(figures.read_text(encoding="utf-8"))
    return result


def _scorer() -> ModuleType:
    """The corpus's own scorer, loaded from its file (under a name of its own: this module
    is called polnear too)."""
    spec = importlib.util.spec_from_file_location("polnear_scorer", corpus_folder() / SCORER)
    if spec is None or spec.loader is None:
        raise DataNotFoundError(f"cannot load {corpus_folder() / SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_polnear(split: str = "dev", limit: int | None = None) -> dict[str, Any]:
    """Annotate a split (or its first ``limit`` articles) and score the quotes.

    Every quote is scored for all attributions and speakers. Direct quotes are scored on
    the quotes newsweave reports as direct (``quotes --kind direct``); the scorer, given
    every quote, counts a reported statement that matches no attribution as a false direct
    quote too, so that figure is kept as ``direct_all_predictions``."""
    records = load_articles(split, limit)
    found = annotate(split, records)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"polnear-{split}" + (f"-first{limit}" if limit else "")
    pred, direct = RESULTS / f"{name}-pred.jsonl", RESULTS / f"{name}-direct-pred.jsonl"
    everything = list(predictions(found))
    _write_lines(pred, everything)
    _write_lines(direct, (p for p in everything if p["kind"] == "direct"))
    gold = corpus_folder() / f"polnear-{split}-gold.jsonl"
    articles = corpus_folder() / f"polnear-{split}-articles.jsonl"
    if limit:  # the scorer counts every gold attribution: keep those of the sample only
        ids = {str(r["id"]) for r in records}
        gold = _sample(gold, RESULTS / f"{name}-gold.jsonl", "article_id", ids)
        articles = _sample(articles, RESULTS / f"{name}-articles.jsonl", "id", ids)
    figures = score(gold, articles, pred)
    figures["direct_all_predictions"] = figures["direct"]
    figures["direct"] = score(gold, articles, direct)["direct"]
    figures["articles"] = len(records)
    return figures


def _write_lines(path: Path, records: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")


def _sample(source: Path, target: Path, key: str, ids: set[str]) -> Path:
    with source.open(encoding="utf-8") as lines:
        kept = [json.loads(line) for line in lines if line.strip()]
    _write_lines(target, (r for r in kept if str(r[key]) in ids))
    return target


def summary_line(label: str, figures: dict[str, Any]) -> str:
    direct, everything = figures["direct"], figures["all"]
    return (
        f"{label} ({figures['articles']} articles): direct quotes P {direct['precision']:.3f} "
        f"R {direct['recall']:.3f} F1 {direct['f1']:.3f} · all attributions "
        f"P {everything['precision']:.3f} R {everything['recall']:.3f} F1 {everything['f1']:.3f}"
        f" · speaker accuracy direct {figures['speaker_acc_direct']:.3f}, "
        f"all {figures['speaker_acc_all']:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--out", type=Path, default=RESULTS / "polnear.json")
    args = parser.parse_args(argv)
    try:
        corpus_folder()
    except DataNotFoundError as error:
        raise SystemExit(str(error)) from None
    figures = score_polnear(args.split, args.limit)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(summary_line(f"PolNeAR {args.split}", figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
