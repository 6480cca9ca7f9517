"""Bounded memory and time: caps on bytes actually read, special files refused, WARC records
skipped one at a time, pathological articles annotated quickly, one input under 1 GB RSS."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from spacy.tokens import Doc

from newsweave.annotate.actions import find_actions
from newsweave.annotate.actors import find_mentions
from newsweave.annotate.attributions import find_attributions
from newsweave.annotate.document import analyse
from newsweave.annotate.marks import quote_segments
from newsweave.annotate.pipeline import MAX_CHARS, MAX_TOKENS, _chunks, load_model, prepared_text
from newsweave.annotate.quantities import find_quantities
from newsweave.annotate.quotes import find_quotes
from newsweave.annotate.times import find_times
from newsweave.annotation import Mention
from newsweave.events.features import Terms
from newsweave.ingest.options import DEFAULT_MAX_FILE_BYTES, ReadOptions
from newsweave.ingest.sources import discover, read_source
from newsweave.model import Article, Problem, RawArticle
from tests.helpers import ARTICLE_TEXT, write

MB = 1024 * 1024
CHILD_MEMORY_LIMIT = 3 * 1024 * MB  # address space for a child: old code fails, not the box
PAGE = f"<html><head><title>Barriers hold</title></head><body><article><p>{ARTICLE_TEXT}</p>"


@dataclass
class Measured:
    code: int
    stderr: str
    peak_rss_mb: float
    seconds: float


def measure_ingest(db: str, *inputs: Path, timeout: float = 45) -> Measured:
    """``newsweave ingest`` (with annotation and clustering) as a child process, with its own
    peak RSS from ``wait4``; killed after ``timeout`` seconds."""
    started = time.monotonic()
    with open(Path(db).with_suffix(".err"), "w+b") as errors:
        child = subprocess.Popen(
            [sys.executable, "-m", "newsweave", "ingest", *map(str, inputs), "--db", db],
            stdout=subprocess.DEVNULL, stderr=errors, preexec_fn=_limit_memory,
        )  # fmt: skip
        timer = threading.Timer(timeout, child.kill)
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    seconds = time.monotonic() - started
    return Measured(child.returncode, stderr, usage.ru_maxrss / 1024, seconds)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_LIMIT, CHILD_MEMORY_LIMIT))


def write_repeated(path: Path, head: bytes, unit: bytes, size: int, tail: bytes) -> Path:
    """A file of about ``size`` bytes written in chunks, never held in memory."""
    chunk = unit * max(1, MB // len(unit))
    with open(path, "wb") as out:
        out.write(head)
        for _ in range(size // len(chunk)):
            out.write(chunk)
        out.write(tail)
    return path


def write_gzip_bomb(path: Path, head: bytes, unit: bytes, size: int) -> Path:
    """A gzip file that decompresses to about ``size`` bytes: one compressed 1 MB member
    repeated (a multi-member gzip is the concatenation of its members)."""
    member = gzip.compress(unit * (MB // len(unit)), compresslevel=9)
    with open(path, "wb") as out:
        out.write(gzip.compress(head))
        for _ in range(size // MB):
            out.write(member)
    return path


_READ_IN_CHILD = """
import json, sys
from newsweave.ingest.options import ReadOptions
from newsweave.ingest.sources import read_location
for item in read_location(sys.argv[1], ReadOptions(), default_kind=sys.argv[2]):
    print(json.dumps([type(item).__name__, getattr(item, "why", None)]))
"""


def problems_of(location: Path | str, kind: str = "text") -> list[Problem]:
    """The problems reading ``location`` gives, read in a child process with capped memory
    and time (a device or pipe read without a cap must not take the test run down)."""
    done = subprocess.run(
        [sys.executable, "-c", _READ_IN_CHILD, str(location), kind],
        capture_output=True, text=True, timeout=20, preexec_fn=_limit_memory,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    found = [json.loads(line) for line in done.stdout.splitlines()]
    return [Problem("file", str(location), why) for name, why in found if name == "Problem"]


def read_path(path: Path) -> list[RawArticle | Problem]:
    sources = [found for found in discover([str(path)]) if not isinstance(found, Problem)]
    return [item for source in sources for item in read_source(source, ReadOptions())]


# Special files: refused on the opened descriptor, whatever their size reads as.


def test_device_refused_directly_and_through_a_symlink(tmp_path: Path) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    for location in ("/dev/zero", str(link)):
        started = time.monotonic()
        [problem] = problems_of(location)
        assert "not a regular file (a device)" in problem.why
        assert time.monotonic() - started < 20  # a hang guard, not a timing


def test_device_named_in_an_opml_list_refused(tmp_path: Path) -> None:
    (tmp_path / "feeds.xml").symlink_to("/dev/zero")
    opml = write(
        tmp_path / "list.opml",
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline xmlUrl="/dev/zero"/><outline xmlUrl="feeds.xml"/></body></opml>',
    )
    problems = problems_of(opml, kind="opml")
    assert [p.why for p in problems] == ["not a regular file (a device)"] * 2


def test_named_pipe_in_a_folder_refused_without_waiting(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "good.txt", "Barriers hold\n\n" + ARTICLE_TEXT)
    os.mkfifo(folder / "pipe.txt")
    started = time.monotonic()
    [problem] = problems_of(folder / "pipe.txt")  # a child: the old code waited for a writer
    assert "a named pipe" in problem.why
    assert time.monotonic() - started < 10
    found = read_path(folder)
    assert [a.title for a in found if isinstance(a, RawArticle)] == ["Barriers hold"]
    [problem] = [p for p in found if isinstance(p, Problem)]
    assert problem.where.endswith("pipe.txt") and "a named pipe" in problem.why


# Caps apply to the bytes read, decompressed.


@pytest.mark.parametrize("name", ["bomb.json.gz", "bomb.txt.gz", "bomb.html.gz", "bomb.rss.gz"])
def test_gzip_cap_applies_to_decompressed_bytes(tmp_path: Path, name: str) -> None:
    bomb = write_gzip_bomb(tmp_path / name, b"[", b"[], ", 2 * DEFAULT_MAX_FILE_BYTES)
    assert bomb.stat().st_size < MB
    started = time.monotonic()
    [problem] = problems_of(bomb)
    assert f"too large when decompressed (over {DEFAULT_MAX_FILE_BYTES:,} bytes)" in problem.why
    assert time.monotonic() - started < 30


def test_page_over_the_html_cap_refused(tmp_path: Path) -> None:
    page = write_repeated(tmp_path / "big.html", PAGE.encode(), b"<p>More words.</p>", 5 * MB, b"")
    [problem] = problems_of(page)
    assert "HTML too large" in problem.why


def test_page_with_too_many_elements_refused_quickly(tmp_path: Path) -> None:
    page = write_repeated(tmp_path / "tags.html", PAGE.encode(), b"<b>a</b>", MB, b"</body>")
    started = time.monotonic()
    [problem] = problems_of(page)
    assert "too many HTML elements" in problem.why
    assert time.monotonic() - started < 8


def test_one_big_input_stays_under_1_gb(tmp_path: Path, db: str) -> None:
    """One 64 MB text, JSON line and HTML page, and a JSON gzip bomb are refused, and a JSON
    document just under the cap, parsed whole, is read, in a run that annotates and clusters
    the good article beside them."""
    folder = tmp_path / "in"
    write(folder / "good.txt", "Barriers hold\n\n" + ARTICLE_TEXT)
    size = 64 * MB  # the 200 MB behave the same: refused at 16 MiB or 8 MB
    write_repeated(folder / "big.txt", b"Big\n\n", b"word ", size, b"\n")
    write_repeated(folder / "line.jsonl", b'{"title": "t", "text": [', b"[], ", size, b"[]]}\n")
    write_repeated(folder / "page.html", PAGE.encode(), b"<b>a</b>", size, b"</body></html>")
    write_gzip_bomb(folder / "bomb.json.gz", b'{"articles": [', b"[], ", 300 * MB)
    near = DEFAULT_MAX_FILE_BYTES - MB
    write_repeated(folder / "near.json", b'{"title": "t", "text": [', b"[],", near, b"[]]}")
    run = measure_ingest(db, folder)
    skipped = [line for line in run.stderr.splitlines() if line.startswith("newsweave: skipped")]
    assert run.code == 1, run.stderr[-2000:]
    assert len(skipped) == 5, run.stderr[-2000:]
    cap = f"too large (over {DEFAULT_MAX_FILE_BYTES:,} bytes)"
    assert any("big.txt: " + cap in line for line in skipped)
    assert any("page.html: " + cap in line for line in skipped)
    assert any("bomb.json.gz: too large when decompressed" in line for line in skipped)
    assert any("line.jsonl:1: line longer than" in line for line in skipped)
    assert run.peak_rss_mb < 1024 and run.seconds < 40


# WARC: one record at a time, warcio kept quiet.


def warc_bytes(records: list[tuple[str, bytes]]) -> bytes:
    """An uncompressed WARC of response records, each ``(url, raw HTTP response)``, written
    by hand: warcio's writer would refuse the broken ones."""
    out = b""
    for number, (url, response) in enumerate(records):
        head = (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
            "WARC-Date: 2024-01-01T00:00:00Z\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(response)}\r\n\r\n"
        )
        out += head.encode() + response + b"\r\n\r\n"
    return out


def http_page(body: str, extra: str = "") -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n{extra}\r\n"
    return head.encode() + body.encode()


def test_broken_warc_record_skipped_and_the_next_read(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    good = PAGE + "</article></body></html>"
    archive = tmp_path / "crawl.warc"
    archive.write_bytes(
        warc_bytes(
            [
                ("http://a.example/1", b"NOT HTTP AT ALL\r\n\r\nbody"),
                (
                    "http://a.example/2",
                    http_page("zz-not-chunked", "Transfer-Encoding: chunked\r\n"),
                ),
                ("http://a.example/3", http_page(good)),
            ]
        )
    )
    found = read_path(archive)
    titles = [a.title for a in found if isinstance(a, RawArticle)]
    problems = [str(p) for p in found if isinstance(p, Problem)]
    assert titles == ["Barriers hold"]
    assert problems and all("\n" not in line and len(line) < 400 for line in problems)
    assert "#2 http://a.example/2" in problems[0]
    assert capfd.readouterr().err == ""


def test_warc_length_warnings_not_printed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """warcio writes a warning quoting raw bytes when a record's length is off."""
    page = http_page(PAGE + "</article></body>\x1b[31m</html>")
    good = warc_bytes([("http://a.example/1", page)])
    length = f"Content-Length: {len(page)}".encode()
    short = good.replace(length, f"Content-Length: {len(page) - 12}".encode())
    archive = tmp_path / "crawl.warc"
    archive.write_bytes(short + good)
    found = read_path(archive)
    assert [a.title for a in found if isinstance(a, RawArticle)] == ["Barriers hold"] * 2
    assert capfd.readouterr().err == ""


def test_warc_page_over_the_html_cap_skipped(tmp_path: Path) -> None:
    big = PAGE + "<p>More words.</p>" * (300_000)
    good = PAGE + "</article></body></html>"
    archive = tmp_path / "crawl.warc"
    archive.write_bytes(
        warc_bytes(
            [("http://a.example/1", http_page(big)), ("http://a.example/2", http_page(good))]
        )
    )
    found = read_path(archive)
    assert [a.title for a in found if isinstance(a, RawArticle)] == ["Barriers hold"]
    [problem] = [p for p in found if isinstance(p, Problem)]
    assert "page over" in problem.why


# Annotation: capped per article and per batch, and the quote scanner linear.

PATHOLOGICAL = {
    "one 40,000-character token": "Start. " + "x" * 40_000 + " end.",
    "100,000 quotation marks": '"' * 100_000,
    "50,000 nested brackets": "(" * 50_000 + ")" * 50_000,
    "1 MB of 'a '": "a " * 500_000,
    "thousands of numbers": " ".join(str(n * 7919 % 1_000_003) for n in range(20_000)),
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_article_cut_to_the_token_cap(name: str) -> None:
    """spaCy needs ~20 KB and ~0.3 ms per token: what it reads of one article is capped."""
    tokens = load_model().make_doc(prepared_text(PATHOLOGICAL[name]))
    assert len(tokens) <= MAX_TOKENS * 1.05
    document = analyse("a", "T", PATHOLOGICAL[name])  # the one analysis: linear, raises nothing
    Terms.of(document.title, document.body)


def test_batches_hold_at_most_the_token_cap() -> None:
    long = Article(id="long", title="T", text="word " * 15_000, outlet="O", origin="t")
    short = Article(id="short", title="T", text="word " * 100, outlet="O", origin="t")
    batches = list(_chunks([short, long, long, short, short], size=16))
    assert [[a.id for a in batch] for batch in batches] == [
        ["short", "long"],
        ["long", "short", "short"],
    ]


@pytest.mark.parametrize(
    "text",
    ["\u201c" * 50_000, "The soldiers\u2019 families " * 10_000, "'a " * 30_000],
    ids=["open quotes", "possessives", "straight singles"],
)
def test_quote_marks_paired_in_linear_time(text: str) -> None:
    started = time.monotonic()
    quote_segments(text)
    assert time.monotonic() - started < 10


# Annotation: every extractor linear on hostile articles. The documents are built by hand
# (no parse: spaCy alone takes seconds at the cap) with the structure that made a step
# quadratic, at three times the token cap, and each step runs in a child killed at the bound.

STEP_SECONDS = 20  # the quadratic steps took minutes on these; linear ones about a second
HOSTILE_TOKENS = 3 * MAX_TOKENS
Spec = tuple[str, str, str, int]  # text, coarse tag, dependency, head (index in its unit)
Unit = tuple[list[Spec], list[tuple[int, int, str]]]  # tokens, entities (start, end, label)
_TAGS = {"NUM": "CD", "NOUN": "NNS", "PROPN": "NNP", "VERB": "VBD", "ADP": "IN",
         "PUNCT": ",", "DET": "DT", "CCONJ": "CC", "ADJ": "JJR"}  # fmt: skip


def finishes_within(seconds: float, step: Callable[..., object], *args: object) -> bool:
    """Whether ``step(*args)`` returns within ``seconds``, run in a forked child."""
    child = multiprocessing.get_context("fork").Process(target=step, args=args)
    child.start()
    child.join(seconds)
    if child.is_alive():
        child.kill()
        child.join()
        return False
    return child.exitcode == 0


def built_doc(unit: Callable[[int], Unit]) -> Doc:
    """Copies of ``unit(n)`` up to ``HOSTILE_TOKENS`` tokens as one parsed sentence: the
    first copy's root heads the others' (as conjuncts), the rest as the unit says."""
    words, pos, tags, deps, heads, ents = [], [], [], [], [], []
    root: int | None = None
    copy = 0
    while len(words) < HOSTILE_TOKENS:
        tokens, entities = unit(copy)
        base = len(words)
        for text, tag, dep, head in tokens:
            if dep == "ROOT":
                root = len(words) if root is None else root
                dep = "ROOT" if root == len(words) else "conj"
            words.append(text)
            pos.append(tag)
            tags.append(_TAGS[tag])
            deps.append(dep)
            heads.append(root if dep in ("ROOT", "conj") and root is not None else base + head)
        ents += [(label, base + start, base + end) for start, end, label in entities]
        copy += 1
    doc = Doc(load_model().vocab, words=words, pos=pos, tags=tags, deps=deps, heads=heads,
              lemmas=[w.lower() for w in words])  # fmt: skip
    doc.ents = ents
    return doc


def _surname(n: int) -> str:
    return "".join("bcdfghklmnprstvz"[n // 16**k % 16] + "aeiou"[k] for k in range(4)).title()


def _met(n: int) -> Unit:
    """ "Anna Xxx met Xxx,": a new person in each copy."""
    surname = _surname(n)
    tokens = [("Anna", "PROPN", "compound", 1), (surname, "PROPN", "nsubj", 2),
              ("met", "VERB", "ROOT", 2), (surname, "PROPN", "dobj", 2),
              (",", "PUNCT", "punct", 2)]  # fmt: skip
    return tokens, [(0, 2, "PERSON"), (3, 4, "PERSON")]


def _counted(n: int) -> Unit:
    """ "5 million people and", in a sentence that never ends."""
    tokens = [("5", "NUM", "compound", 1), ("million", "NUM", "nummod", 2),
              ("people", "NOUN", "dobj", 3), ("and", "CCONJ", "ROOT", 3)]  # fmt: skip
    return tokens, []


def _according(n: int) -> Unit:
    """ "according to Anna Xxx, the economy grew,", in a sentence that never ends."""
    tokens = [("according", "VERB", "prep", 7), ("to", "ADP", "prep", 0),
              ("Anna", "PROPN", "compound", 3), (_surname(n), "PROPN", "pobj", 1),
              (",", "PUNCT", "punct", 7), ("the", "DET", "det", 6),
              ("economy", "NOUN", "nsubj", 7), ("grew", "VERB", "ROOT", 7),
              (",", "PUNCT", "punct", 7)]  # fmt: skip
    return tokens, [(2, 4, "PERSON")]


def _attacked(n: int) -> Unit:
    """ "Russia attacked Ukraine and shelled Kyiv and shelled Kyiv and ...": thousands of
    actions conjoined to the first, whose subject each of them takes."""
    if n == 0:
        tokens = [("Russia", "PROPN", "nsubj", 1), ("attacked", "VERB", "ROOT", 1),
                  ("Ukraine", "PROPN", "dobj", 1), ("and", "CCONJ", "cc", 1)]  # fmt: skip
        return tokens, [(0, 1, "GPE"), (2, 3, "GPE")]
    tokens = [("shelled", "VERB", "ROOT", 0), ("Kyiv", "PROPN", "dobj", 0),
              ("and", "CCONJ", "cc", 0)]  # fmt: skip
    return tokens, [(1, 2, "GPE")]


def _annotate(doc: Doc) -> None:
    """Every extractor that reads the parse, as ``Annotator.annotate_doc`` runs them."""
    mentions = find_mentions(doc)
    find_quotes(doc, mentions)
    find_quantities(doc)
    find_actions(doc, mentions)


@pytest.mark.parametrize(
    "unit",
    [_met, _counted, _according, _attacked],
    ids=["thousands of people", "numbers", "according to", "conjoined actions"],
)
def test_hostile_article_annotated_in_linear_time(unit: Callable[[int], Unit]) -> None:
    """Short names compared with every full name, surnames searched for through the whole
    text, ``token.sent`` walked for every number, "according to" and action, and every
    mention scanned for every speaker: quadratic, minutes at three times the cap."""
    assert finishes_within(STEP_SECONDS, _annotate, built_doc(unit))


@pytest.mark.parametrize(
    "text",
    [
        "\n" * MAX_CHARS,
        " ".join(["on Monday", "will meet", "next week", "said"] * 10_000),
    ],
    ids=["blank lines", "dates in one clause"],
)
def test_hostile_text_dated_and_attributed_in_linear_time(text: str) -> None:
    """Each line start scanned to the end of a run of blank lines for "Source:", each date
    searched from its sentence's start for a clause break: quadratic in the text."""
    people = [Mention(n, n + 4, "Anna", "person", "Anna") for n in range(0, len(text), 10)]
    assert finishes_within(STEP_SECONDS, _times_and_attributions, text, people)


def _times_and_attributions(text: str, people: list[Mention]) -> None:
    find_times(text, datetime(2021, 3, 10, tzinfo=UTC))
    find_attributions(text, people, ("Reuters",))


def test_citations_checked_against_people_in_linear_time() -> None:
    """Each citation was checked against every person mention and citation so far."""
    text = "told Reuters and " * 36_000
    people = [Mention(n, n + 4, "and", "person", "Anna") for n in range(13, len(text), 17)]
    assert finishes_within(STEP_SECONDS, _times_and_attributions, text, people)


def test_a_feed_over_its_cap_is_refused_before_parsing(tmp_path: Path) -> None:
    """feedparser holds ~170 bytes per byte: an 8 MB feed took 1.4 GB."""
    head = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Ledger</tita"
    feed = write_repeated(tmp_path / "big.rss", head, b"a", 5 * MB, b"</channel></rss>")
    [problem] = problems_of(feed)
    assert "feed too large" in problem.why
