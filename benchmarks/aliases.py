"""Alias merging on real political news: do the names of one person become one actor?

PolNeAR (``polnear-attribution`` in the shared data folder, read at run time: none of its
text is kept in this repository) marks by hand the source of every attribution in 924 real
articles. Its converter resolves a pronoun or description source to the nearest named source
before it, so the resolved antecedents are themselves named sources: the gold is built from
the named source spans alone, within each article:

1. the **head** of a named source is the run of capitalised name words that ends it, titles
   and descriptions before it left out ("Republican nominee Gov. Mike Pence (R-IN)" ->
   "Mike Pence"); a source that ends in a common noun ("the Clinton campaign") has none;
2. heads of two words or more are one cluster when the words of one are among the words of
   the other, with the same last word ("Hillary Clinton", "Hillary Rodham Clinton"); case,
   accents, dots, hyphens and possessives aside ("PENCE", "al-Assad" / "Al Assad");
3. a one-word head joins the one cluster whose names hold that word ("Trump", "Mr. Trump");
   with two such clusters ("Bill Clinton", "Hillary Clinton") it is left out of the gold;
   with none, one-word heads of the same word are one cluster.

The split is annotated with the shipped annotator, its names grouped into actors as a store
groups them (``registry.resolve`` over every article of the run), and each gold head takes
the actor of the found mention at its span (the one overlapping it most; none: a singleton).
Pairs are counted within each article: pairwise precision, recall and F1, and B-cubed F1, over
all heads and over people's (heads without an organisation word and not an acronym).

    python benchmarks/aliases.py [--split dev] [--limit N] [--own]

``--own`` also scores the project's own gold (benchmarks/gold) as benchmarks/annotation.py
does. Parsed articles are cached under benchmarks/results/cache (ignored by git).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, DocBin

from newsweave.annotate.pipeline import MODEL, Annotator, load_model, prepared_text
from newsweave.annotation import Annotations
from newsweave.model import Article

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE))

from annotation import actor_names, load_gold, score_aliases  # noqa: E402
from corpora import data_folder  # noqa: E402

RESULTS = HERE / "results"
CACHE = RESULTS / "cache"
POLNEAR = Path("polnear-attribution")

# Capitalised words that open or describe a name but are not part of it.
_NOT_NAME = frozenset(
    [
        "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "rev", "fr",
        "president", "vice", "former", "ex", "secretary", "sen", "senator", "rep",
        "representative", "congressman", "congresswoman", "gov", "governor", "lt", "col", "gen",
        "general", "adm", "capt", "sgt", "maj", "det", "attorney", "judge", "justice",
        "speaker", "leader", "chairman", "chairwoman", "chair", "director", "chief", "ceo",
        "spokesman", "spokeswoman", "spokesperson", "minister", "prime", "mayor", "sheriff",
        "officer", "king", "queen", "prince", "pope", "candidate", "nominee", "presidential",
        "republican", "republicans", "democrat", "democrats", "democratic", "gop",
        "independent", "libertarian", "conservative", "liberal", "the", "a", "an", "this",
        "that", "these", "those", "he", "she", "they", "it", "we", "i", "you", "his", "her",
        "their", "its", "our", "my", "your", "who", "which", "some", "many", "most", "other",
        "others", "both", "all", "several", "each", "every", "no", "any", "another", "and",
        "or", "but", "of", "in", "on", "at", "for", "to", "from", "with", "by", "as", "after",
        "before", "when", "while", "if", "according", "also", "however", "then", "there",
        "here", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december"
    ]
)  # fmt: skip
# Words that make a head a body's name rather than a person's.
_BODY_WORDS = frozenset(
    [
        "house", "white", "senate", "congress", "department", "state", "states", "united",
        "national", "federal", "university", "college", "institute", "center", "centre",
        "foundation", "association", "council", "committee", "commission", "party", "campaign",
        "group", "office", "agency", "bureau", "service", "press", "news", "media", "network",
        "times", "post", "journal", "daily", "today", "world", "international", "public",
        "fund", "bank", "board", "court", "city", "county", "team", "company", "corp", "inc",
        "poll", "police"
    ]
)  # fmt: skip
_PARTICLES = frozenset(["al", "el", "bin", "ibn", "van", "von", "der", "den", "de", "la", "le"])
_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])
_TOKEN = re.compile(r"[^\W_][\w.’'-]*")
_TRAILING = re.compile(r"(?:\s*\([^()]*\)|[\s,.;:])+$")


@dataclass(frozen=True, slots=True)
class GoldName:
    """One named source's head, and the cluster the rules above put it in."""

    article_id: str
    start: int
    end: int
    text: str
    cluster: str
    person: bool


# the gold


def _fold(word: str) -> str:
    plain = unicodedata.normalize("NFKD", word)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    plain = re.sub(r"(?:['’]s|['’])$", "", plain.replace("’", "'"))
    return plain.replace(".", "").replace("'", "")


def _is_name_word(word: str) -> bool:
    parts = [p for p in word.replace("’", "'").split("-") if p]
    if not parts or _fold(word) in _NOT_NAME:
        return False
    return any(p[0].isupper() for p in parts) and all(
        p[0].isupper() or _fold(p) in _PARTICLES for p in parts
    )


def name_head(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the name words that end the source ``text[start:end]``, if any."""
    source = text[start:end]
    trailing = _TRAILING.search(source)
    source = source[: trailing.start()] if trailing else source
    words = list(_TOKEN.finditer(source))
    run: list[re.Match[str]] = []
    for word in reversed(words):
        joined = not run or source[word.end() : run[0].start()].isspace()
        if joined and (_is_name_word(word.group()) or (run and _fold(word.group()) in _PARTICLES)):
            run.insert(0, word)
        else:
            break
    if not run or run[-1].end() != len(source) or _fold(run[-1].group()) in _PARTICLES:
        return None
    head_end = start + run[-1].end()
    if text[head_end - 2 : head_end] in {"'s", "’s"}:
        head_end -= 2
    return start + run[0].start(), head_end


def _words(head: str) -> tuple[str, ...]:
    folded = (_fold(w) for w in re.split(r"[\s\-]+", head))
    return tuple(w for w in folded if w)


def _surname(words: tuple[str, ...]) -> str:
    core = [w for w in words if w not in _SUFFIXES]
    return core[-1] if core else words[-1]


def _same_full_name(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    if _surname(first) != _surname(second):
        return False
    if {w for w in first if w in _SUFFIXES} != {w for w in second if w in _SUFFIXES}:
        return False
    small, large = sorted((set(first), set(second)), key=len)
    return small <= large


def _is_person(words: tuple[str, ...], head: str) -> bool:
    acronym = len(words) == 1 and head.isupper() and len(head) <= 4
    return not acronym and not any(w in _BODY_WORDS for w in words)


def cluster_heads(heads: list[tuple[int, int, str]], article_id: str) -> list[GoldName]:
    """The rules of the module's docstring over one article's heads (start, end, text)."""
    full: list[tuple[str, ...]] = []  # one representative word tuple per cluster
    owner: dict[tuple[str, ...], int] = {}
    for words in sorted({_words(h) for _, _, h in heads if len(_words(h)) > 1}, key=len):
        match = next((n for n, f in enumerate(full) if _same_full_name(words, f)), None)
        if match is None:
            full.append(words)
            match = len(full) - 1
        owner[words] = match
    found: list[GoldName] = []
    for start, end, head in heads:
        words = _words(head)
        if len(words) > 1:
            cluster = f"full:{owner[words]}"
        else:
            holders = {owner[f] for f in owner if words[0] in f}
            if len(holders) > 1:
                continue  # two people it may be: no gold
            cluster = f"full:{holders.pop()}" if holders else f"word:{words[0]}"
        person = _is_person(words, head)
        found.append(GoldName(article_id, start, end, head, f"{article_id}:{cluster}", person))
    return found


def gold_names(article: dict[str, Any], attributions: Iterable[dict[str, Any]]) -> list[GoldName]:
    """The gold heads of one article, each span once (sources are shared by attributions)."""
    text = article["text"]
    heads: dict[tuple[int, int], str] = {}
    for attribution in attributions:
        source = attribution.get("source")
        if not source or source.get("kind") != "named":
            continue
        start, end = source["spans"][-1]
        span = name_head(text, start, end)
        if span is not None and _words(text[span[0] : span[1]]):
            heads[span] = text[span[0] : span[1]]
    ordered = sorted((s, e, h) for (s, e), h in heads.items())
    return cluster_heads(ordered, str(article["id"]))


# the corpus


def _read_lines(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_split(split: str, limit: int | None = None) -> tuple[list[dict[str, Any]], list[GoldName]]:
    """The first ``limit`` articles of a split (all without it) and their gold heads."""
    folder = data_folder() / POLNEAR
    articles = _read_lines(folder / f"polnear-{split}-articles.jsonl")[:limit]
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for attribution in _read_lines(folder / f"polnear-{split}-gold.jsonl"):
        by_article[str(attribution["article_id"])].append(attribution)
    gold = [g for a in articles for g in gold_names(a, by_article[str(a["id"])])]
    return articles, gold


def _article(record: dict[str, Any]) -> Article:
    return Article(
        id=str(record["id"]), title="", text=record["text"], outlet="polnear", origin="polnear"
    )


def parsed(texts: list[str]) -> list[Doc]:
    """spaCy's parse of each text, from the cache when the same texts were parsed before."""
    nlp = load_model()
    key = hashlib.sha256("\x00".join([MODEL, version("spacy"), *texts]).encode()).hexdigest()
    cache = CACHE / f"aliases-{key[:16]}.spacy"
    if cache.is_file():
        return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    docs = list(nlp.pipe(texts, batch_size=16))
    cache.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(cache)
    return docs


def annotate(records: list[dict[str, Any]]) -> list[Annotations]:
    """The shipped annotator over the records (the parse may come from the cache)."""
    annotator = Annotator(outlets=())
    articles = [_article(r) for r in records]
    docs = parsed([prepared_text(a.text) for a in articles])
    return [annotator.annotate_doc(doc, a) for doc, a in zip(docs, articles, strict=True)]


# the score


def _found_actor(result: Annotations, name: GoldName, actors: dict[Any, Any]) -> str:
    best, overlap = None, 0
    for mention in result.mentions:
        shared = min(name.end, mention.end) - max(name.start, mention.start)
        if shared > overlap:
            best, overlap = mention, shared
    if best is None:
        return f"missing:{name.article_id}:{name.start}"
    return str(actors.get((best.name, best.kind), (best.name, ""))[0])


def _pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def merging_scores(gold: list[str], found: list[str], articles: list[str]) -> dict[str, Any]:
    """Pairwise P/R/F1 over pairs of one article, and B-cubed F1."""
    rows = list(zip(articles, gold, found, strict=True))
    both = _pairs(Counter((a, g, f) for a, g, f in rows).values())
    gold_pairs = _pairs(Counter((a, g) for a, g, _ in rows).values())
    found_pairs = _pairs(Counter((a, f) for a, _, f in rows).values())
    precision = both / found_pairs if found_pairs else 1.0
    recall = both / gold_pairs if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "names": len(rows), "gold_pairs": gold_pairs, "found_pairs": found_pairs,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "bcubed_f1": round(_bcubed(rows), 4),
    }  # fmt: skip


def _bcubed(rows: list[tuple[str, str, str]]) -> float:
    if not rows:
        return 0.0
    cells = Counter(rows)
    gold_size = Counter((a, g) for a, g, _ in rows)
    found_size = Counter((a, f) for a, _, f in rows)
    precision = sum(n * n / found_size[(a, f)] for (a, _, f), n in cells.items()) / len(rows)
    recall = sum(n * n / gold_size[(a, g)] for (a, g, _), n in cells.items()) / len(rows)
    return 2 * precision * recall / (precision + recall)


def score(gold: list[GoldName], found: list[Annotations]) -> dict[str, Any]:
    """Merging scores over all gold heads and over people's, with the heads not found."""
    actors = actor_names(found)
    results = {r.article_id: r for r in found}
    ids = [_found_actor(results[g.article_id], g, actors) for g in gold]

    def part(keep: list[bool]) -> dict[str, Any]:
        chosen = [(g, i) for g, i, k in zip(gold, ids, keep, strict=True) if k]
        clusters, actors, articles = ([g.cluster for g, _ in chosen], [i for _, i in chosen],
                                      [g.article_id for g, _ in chosen])  # fmt: skip
        figures = merging_scores(clusters, actors, articles)
        figures["not_found"] = sum(i.startswith("missing:") for _, i in chosen)
        return figures

    return {"all": part([True] * len(gold)), "people": part([g.person for g in gold])}


def score_polnear_aliases(split: str = "dev", limit: int | None = None) -> dict[str, Any]:
    """Alias merging on a PolNeAR split (its first ``limit`` articles): see the docstring."""
    articles, gold = load_split(split, limit)
    result = score(gold, annotate(articles))
    result.update(split=split, articles=len(articles))
    return result


def score_own_aliases() -> dict[str, Any]:
    """The alias figure of benchmarks/annotation.py on the project's own gold."""
    records = load_gold()
    found = annotate([{"id": r["id"], "text": r["text"]} for r in records])
    return score_aliases(records, found, actor_names(found))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--own", action="store_true", help="also score the own gold set")
    parser.add_argument("--out", type=Path, default=RESULTS / "aliases.json")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"polnear": score_polnear_aliases(args.split, args.limit)}
    for part in ("all", "people"):
        f = result["polnear"][part]
        print(
            f"PolNeAR {args.split} {part:6s} alias merging pairwise F1 {f['f1']:.3f} "
            f"(P {f['precision']:.3f} R {f['recall']:.3f}) B-cubed {f['bcubed_f1']:.3f}; "
            f"{f['names']} names, {f['gold_pairs']} gold pairs, {f['not_found']} not found"
        )
    if args.own:
        own = result["own"] = score_own_aliases()
        pairwise = own["pairwise"]
        print(
            f"own gold alias merging F1 {pairwise['f1']:.3f} (P {pairwise['precision']:.3f} "
            f"R {pairwise['recall']:.3f}) B-cubed {own['bcubed_f1']:.3f}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
