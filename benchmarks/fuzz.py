"""A mutation fuzzer over the demo corpus, per input format, through the real CLI.

Every input format the CLI reads (txt, md, html, json, jsonl, csv, tsv, parquet, RSS/Atom,
OPML, WARC and gzip of any of them) gets fuzzed files made from the demo corpus: byte-level
mutations of its files (flips, truncations, splices, hostile tokens, BOMs, re-encodings) and
grammar-aware generators that write structurally valid documents full of hostile values
(lone surrogates, Rich markup, ESC sequences, NUL, bidi overrides, huge numbers, impossible
dates, broken urls, deep nesting, unterminated quotes). Parquet and WARC are also built at
the record level, with pyarrow and warcio, from mutated records and pages.

The files of one format are written to a folder and read by ONE ``python -m newsweave
ingest FOLDER --no-annotate --no-cluster --json`` process, then ``annotate`` and ``cluster``
run on the store it made: the same code path a user's command takes. Each of the three runs
is checked:

* crash: a Python traceback or fatal error on stderr, or death by a signal;
* hang: a run over the time limit (30 s), killed;
* peak RSS: ``ru_maxrss`` from ``os.wait4`` (the process and the workers it reaped) must stay
  under 1 GiB; a guard polling the process tree kills it past ``--rss-kill-mib``;
* one-line messages: every stderr line must be one of ours, ``newsweave: ...`` without
  control characters, bidi overrides or lone surrogates, at most ~410 characters; anything
  else (a continuation line, a library's warning, a blank line) is output "not one line";
* exit status as the README states it: ``ingest`` 0 when articles were read and nothing was
  skipped, else 1 (never 2 for a folder); ``annotate`` and ``cluster`` 0; stdout is JSON;
* leak: a canary file named by XML external entities must never reach the store.

A failing batch is bisected to the file that fails alone, and that file is saved with the
message under ``benchmarks/results/fuzz/`` (at most ``--keep`` per failure signature), so a
developer can re-run it. ``--pathological`` adds the issue's big and special inputs (a 300 MB
CSV with an unterminated quote, a gzip bomb, a 200 MB JSONL line, 200 MB of HTML,
``/dev/zero`` and a symlink to it, an OPML list naming it, a named pipe and a socket in a
folder, a 40,000-character token), generated in a temporary folder and deleted after.

    python benchmarks/fuzz.py [--per-format 10000] [--batch 250] [--seed 1] [--jobs 1]
                              [--formats txt,md,...] [--pathological] [--only-pathological]
                              [--out benchmarks/results/fuzz.json]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import io
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "src" / "newsweave" / "demo" / "corpus"
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_OUT = RESULTS / "fuzz.json"
DEFAULT_SAVE = RESULTS / "fuzz"
FORMATS = (
    "txt",
    "md",
    "html",
    "json",
    "jsonl",
    "csv",
    "tsv",
    "parquet",
    "feed",
    "opml",
    "warc",
    "gz",
)
LABELS = {"feed": "rss/atom"}
TIME_LIMIT_S = 30.0
RSS_LIMIT_MIB = 1024.0
KIB_PER_MIB = 1024
PREFIX = "newsweave: "
LINE_LIMIT = len(PREFIX) + 400 + 10  # model.ONE_LINE_LIMIT, and a little slack
# What model.one_line escapes: C0/C1 controls, DEL, lone surrogates, line separators, bidi.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028-\u202e\u2066-\u2069]")
CANARY_NAME = "canary.txt"
CAUGHT_FILE = re.compile(r"newsweave: skipped (\w+) .*: unexpected ([A-Z]\w+)")
INTERNAL_ERROR = 3  # the README: "unexpected error (a bug, or a damaged store)"
UNEXPECTED = re.compile(r"^newsweave: unexpected error: ([\w.]+)", re.MULTILINE)
# A failure the CLI caught at one article and told in one line (allowed; listed for routing).
CAUGHT = re.compile(
    r"newsweave: (?:annotation failed for article|clustering: article) [^:]*: "
    r"([A-Za-z_][\w.]*)"
)

# ---------------------------------------------------------------------------------------------
# Hostile values

SURROGATE = "\ud800"  # only ever written as a JSON escape or as raw CESU-8 bytes
HOSTILE_STRINGS = [
    SURROGATE,
    "\udfff",
    "\ud83d",
    "[/x]",
    "Council vote [/UPDATE]",
    "[b]bold[/b]",
    "[link=file:///etc/passwd]click[/link]",
    "[red]",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;pwned\x07",
    "\x1b[2J\x1b[H",
    "\x00",
    "a\x00b",
    "line\rover",
    "two\nlines",
    "\r\n",
    "\u202eevil\u202c",
    "\u2066x\u2069",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\x85",
    "\x9b31m",
    "\x7f",
    "e\u0301" * 40,
    "🏳️‍🌈" * 10,
    "%s%n%x%d",
    "{0}{1}{}",
    "${jndi:ldap://x/a}",
    "<script>alert(1)</script>",
    "'; DROP TABLE articles; --",
    "../../../../etc/passwd",
    "\\",
    '"',
    "'",
    "NaN",
    "null",
    "None",
    "true",
    "",
    " ",
    "\t",
    "\u3000",
    "ﷺ" * 30,
    "Ａｂｃ",
    "İı",
    "ß" * 20,
    "\U0010ffff",
    "\ufffe",
    "\uffff",
    "x" * 1200,
    "word " * 400,
    "|" * 500,
    "“" * 200,
    "\u0000\u0001\u0002",
]
HOSTILE_DATES = [
    "0000-00-00",
    "2019-02-29",
    "2020-13-45",
    "2020-02-30",
    "2020-01-01T00:00:00+2500",
    "2020-01-01T00:00:00+25:00",
    "2020-01-01T00:00:00-99:99",
    "2020-01-01T24:00:00",
    "2020-01-01T23:59:60Z",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-12:00",
    "10000-01-01",
    "0001-01-01",
    "0001-01-01T00:00:00+14:00",
    "-0001-01-01",
    "1" + "0" * 400,
    "1e400",
    "-1e18",
    "99999999999999999",
    "253402300800",
    "-62135596801",
    "0",
    "-1",
    "Tue, 31 Feb 2021 25:61:00 +9900",
    "Mon, 32 Jan 2020 00:00:00 GMT",
    "Sat, 29 Feb 2019 10:00:00 +2500",
    "yesterday",
    "",
    " ",
    "T",
    "2020",
    "2020-W53-8",
    "٢٠٢٠-٠١-٠١",
    "2020-01-01T00:00:00.99999999999999999Z",
    "NaN",
    "Infinity",
    "1970-01-01T00:00:00Z",
    "2038-01-19T03:14:08Z",
    "2020/02/31",
    "31/12/2020",
    "12/31/2020 99:99",
    "2020-01-01T00:00:00 Europe/Nowhere",
    "2020-01-01 ±05:00",
    SURROGATE,
    "2020-01-01\x00",
    "[/x]",
]
HOSTILE_URLS = [
    "http://[oops/x",
    "https://[::1",
    "http://]/",
    "http://[v1.x]/",
    "HTTP://EXAMPLE.COM/A",
    "hTtPs://example.com/x",
    "http://",
    "https://",
    "http://127.0.0.1/",
    "http://[::1]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[2002:7f00:1::]/",
    "http://0x7f.1/",
    "http://2130706433/",
    "file:///etc/passwd",
    "/etc/passwd",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "http://a b/",
    "http://x:99999/",
    "http://x:-1/",
    "http://user:pw@host/",
    "http://例え.テスト/パス",
    "http://xn--/",
    "http://xn--zz-zzz.example/",
    "https://example.com/" + "a" * 5000,
    "http://%zz/",
    "//example.com/x",
    "?q=1",
    "#frag",
    "http://example.com/\x00",
    "ftp://example.com/x",
    "http://example.com/\r\nX-Injected: 1",
    "mailto:x@y",
    "http://[",
    "https://" + "a." * 200,
    "http://.",
    "http://-/",
    "http://a/" + "%" * 100,
    SURROGATE,
    "[/x]",
    "\x1b[31m",
]
HOSTILE_NUMBERS = [
    "9223372036854775808",
    "-9223372036854775809",
    "1" + "0" * 400,
    "1" + "0" * 5000,
    "1e999",
    "-1e999",
    "-0",
    "0.1e-400",
    "NaN",
    "Infinity",
    "-Infinity",
    "1.5",
    "0",
]
HOSTILE_BYTES = [
    b"\x00",
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"\xf4\x90\x80\x80",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\r",
    b"\r\n",
    b"\n",
    b"\x1b[31m",
    b"\x1b]0;x\x07",
    b"\xe2\x80\xae",
    b"\xe2\x80\xa8",
    b"[/x]",
    b"[b]",
    b'"',
    b"'",
    b"<",
    b">",
    b"&",
    b"&#0;",
    b"&#xD800;",
    b"&#1114112;",
    b"&#99999999999;",
    b"]]>",
    b"<![CDATA[",
    b"<!--",
    b"---\n",
    b"\\u",
    b"\\ud800",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"\t",
    b"\x85",
    b"\x9b",
]
INTERESTING = b"\x00\xff\x7f\x80\x0a\x0d\x22\x27\x3c\x3e\x5b\x5d\x2c\x09\x1b\x5c\x7b\x7d\x2d"
HOSTILE_NAMES = [
    "new\nline",
    "esc\x1b[31m",
    "[red]markup[bold]",
    "bidi\u202etxt.",
    " space ",
    "-dash",
    "n" * 180,
    'quote"s',
    "semi;colon",
    "dollar$HOME",
    "star*",
    "q?",
    "br[ack]et",
]
ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "latin-1",
    "cp1252",
    "utf-16",
    "utf-16-le",
    "utf-32",
    "shift_jis",
    "koi8-r",
    "mac_roman",
]
CHARSET_LABELS = [
    "utf-8",
    "UTF-8",
    "iso-8859-1",
    "windows-1252",
    "utf-16",
    "utf-7",
    "x-unknown",
    "",
    "utf-8; x=y",
    "koi8-r",
    "shift_jis",
    "ebcdic-cp-us",
    "\x1b[31m",
    "a" * 300,
]
FIELD_NAMES = {
    "id": ["id", "guid", "uid", "ID", "article_id"],
    "title": ["title", "headline", "Title", "name"],
    "text": ["text", "body", "content", "article", "Text", "description"],
    "outlet": ["outlet", "source", "site", "publisher", "Outlet"],
    "url": ["url", "link", "href", "URL"],
    "published": ["published", "date", "pubDate", "published_at", "datetime", "time"],
    "authors": ["authors", "author", "byline", "by"],
    "language": ["language", "lang"],
}


def hostile_string(rng: random.Random) -> str:
    return rng.choice(HOSTILE_STRINGS)


def maybe_hostile(rng: random.Random, value: str, pool: Sequence[str], p: float) -> str:
    """``value``, or with chance ``p`` a hostile one (alone, or stuck into ``value``)."""
    if rng.random() >= p:
        return value
    bad = rng.choice(pool)
    shape = rng.randrange(4)
    if shape == 0:
        return bad
    if shape == 1:
        return value + bad
    if shape == 2:
        return bad + value
    cut = rng.randrange(len(value) + 1)
    return value[:cut] + bad + value[cut:]


def utf8(text: str) -> bytes:
    """UTF-8, with lone surrogates written as raw (invalid) CESU-8 bytes."""
    return text.encode("utf-8", "surrogatepass")


def encode_text(rng: random.Random, text: str) -> bytes:
    """Mostly UTF-8; sometimes another or a mixed encoding."""
    roll = rng.random()
    if roll < 0.85:
        return utf8(text)
    if roll < 0.95:
        return text.encode(rng.choice(ENCODINGS), "replace")
    cut = rng.randrange(len(text) + 1)
    return utf8(text[:cut]) + text[cut:].encode("cp1252", "replace")


# ---------------------------------------------------------------------------------------------
# Seeds: the demo corpus


@dataclass
class Seeds:
    """The demo corpus: raw files per format, and the articles, records and pages in them."""

    files: dict[str, list[bytes]]
    texts: list[str]  # article bodies
    records: list[dict[str, str]]  # normalised: id, title, text, outlet, url, published, authors
    pages: list[bytes]  # HTML pages, from html/ and the WARC


def load_seeds(corpus: Path = CORPUS) -> Seeds:
    import pyarrow.parquet as pq
    from warcio.archiveiterator import ArchiveIterator

    def read_all(pattern: str) -> list[bytes]:
        return [path.read_bytes() for path in sorted(corpus.glob(pattern))]

    files = {
        "txt": read_all("text/**/*.txt"),
        "md": read_all("markdown/*.md"),
        "html": read_all("html/*.html"),
        "json": read_all("records/*.json"),
        "jsonl": read_all("records/*.jsonl"),
        "csv": read_all("records/*.csv"),
        "parquet": read_all("records/*.parquet"),
        "feed": read_all("feeds/*.xml"),
        "warc": read_all("archives/*.warc.gz"),
    }
    records: list[dict[str, str]] = []
    aliases = {name: key for key, names in FIELD_NAMES.items() for name in names}
    aliases.update({"author": "authors", "site": "outlet", "date": "published"})

    def add(raw: dict[str, Any]) -> None:
        record = {aliases[k]: str(v) for k, v in raw.items() if k in aliases and v is not None}
        if record.get("text"):
            records.append(record)

    for data in files["json"]:
        found = json.loads(data)
        for raw in found if isinstance(found, list) else [found]:
            add(raw)
    for data in files["jsonl"]:
        for line in data.decode().splitlines():
            if line.strip():
                add(json.loads(line))
    for data in files["csv"]:
        for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))):
            add(dict(row))
    for path in sorted(corpus.glob("records/*.parquet")):
        for row in pq.read_table(path).to_pylist():
            add(row)
    texts = [record["text"] for record in records]
    for data in files["txt"] + files["md"]:
        texts.append(data.decode().split("\n---\n", 1)[-1])
    pages = list(files["html"])
    for data in files["warc"]:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type == "response":
                body = record.content_stream().read()
                if b"<" in body[:200]:
                    pages.append(body)
    return Seeds(files=files, texts=texts, records=records, pages=pages)


# ---------------------------------------------------------------------------------------------
# Byte-level mutation


def mutate_bytes(
    rng: random.Random, data: bytes, others: Sequence[bytes], rounds: int = 0
) -> bytes:
    """``data`` after 1 to 8 random mutations (or ``rounds``)."""
    buf = bytearray(data)
    for _ in range(rounds or rng.randint(1, 8)):
        op = rng.randrange(13)
        n = len(buf)
        at = rng.randrange(n + 1)
        if op == 0 and n:  # flip a bit
            i = rng.randrange(n)
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1 and n:  # an interesting byte
            buf[rng.randrange(n)] = rng.choice(INTERESTING)
        elif op in (2, 3):  # a hostile token
            token = rng.choice(HOSTILE_BYTES) if op == 2 else utf8(hostile_string(rng))
            buf[at:at] = token
        elif op == 4 and n:  # delete a range
            buf[at : at + rng.randint(1, max(1, n // 8))] = b""
        elif op == 5 and n:  # repeat a range
            start = rng.randrange(n)
            chunk = bytes(buf[start : start + rng.randint(1, 64)])
            buf[at:at] = chunk * rng.randint(2, 64)
        elif op == 6 and n:  # truncate
            del buf[rng.randrange(n) :]
        elif op == 7 and others:  # splice with another file
            other = rng.choice(others)
            buf = buf[:at] + other[rng.randrange(len(other) + 1) :]
        elif op == 8:  # a BOM in front
            buf[0:0] = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf" * 2])
        elif op == 9:  # a date replaced
            buf = bytearray(_replace_one(rng, bytes(buf), rb"\d{4}-\d\d-\d\d", HOSTILE_DATES))
        elif op == 10:  # a url replaced
            buf = bytearray(_replace_one(rng, bytes(buf), rb"https?://[^\s\"'<>,]+", HOSTILE_URLS))
        elif op == 11:  # a number replaced
            buf = bytearray(_replace_one(rng, bytes(buf), rb"\d+", HOSTILE_NUMBERS))
        elif op == 12 and n:  # line endings changed
            buf = bytearray(bytes(buf).replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n"])))
    return bytes(buf)


def _replace_one(rng: random.Random, data: bytes, pattern: bytes, pool: Sequence[str]) -> bytes:
    found = list(re.finditer(pattern, data[:200_000]))
    if not found:
        return data
    match = rng.choice(found)
    return data[: match.start()] + utf8(rng.choice(pool)) + data[match.end() :]


# ---------------------------------------------------------------------------------------------
# Grammar-aware generators: one input file each, as (file name suffix, bytes)


def excerpt(rng: random.Random, seeds: Seeds) -> str:
    """Article text: mostly a short slice of a demo article, sometimes hostile."""
    text = rng.choice(seeds.texts)
    roll = rng.random()
    if roll < 0.85:  # short, so that annotating 10,000 inputs per format stays quick
        start = rng.randrange(max(1, len(text) - 100))
        text = text[start : start + rng.randint(20, 400)]
    elif roll < 0.87:
        text = "Aldermoor " * rng.randint(1, 4) + "x" * rng.randint(2000, 9000) + " end."
    elif roll < 0.9:
        text = rng.choice(["", " ", "\n\n", ".", "a"])
    return maybe_hostile(rng, text, HOSTILE_STRINGS, 0.35)


def hostile_record(rng: random.Random, seeds: Seeds) -> dict[str, Any]:
    """A record from the demo records, its fields renamed, dropped or made hostile."""
    base = dict(rng.choice(seeds.records))
    base["text"] = excerpt(rng, seeds)
    out: dict[str, Any] = {}
    for key, value in base.items():
        if rng.random() < 0.05:
            continue
        name = rng.choice(FIELD_NAMES.get(key, [key])) if rng.random() < 0.3 else key
        out[name] = hostile_value(rng, key, value)
    if rng.random() < 0.1:
        out[hostile_string(rng)[:40] or "empty"] = hostile_string(rng)
    return out


def hostile_value(rng: random.Random, key: str, value: str) -> Any:
    roll = rng.random()
    if roll < 0.55:
        pool = {"published": HOSTILE_DATES, "url": HOSTILE_URLS}.get(key, HOSTILE_STRINGS)
        return maybe_hostile(rng, value, pool, 0.5)
    if roll < 0.65:
        return rng.choice([None, True, False, 0, -1, 2**63, 1.5, float("nan"), [], {}, ""])
    if roll < 0.72:
        return [maybe_hostile(rng, value, HOSTILE_STRINGS, 0.5), rng.choice([None, 1, {}])]
    if roll < 0.77:
        return {"value": value, "nested": [hostile_string(rng)]}
    if roll < 0.85 and key == "published":
        return rng.choice([0, -1, 10**12, 10**15, -(10**12), 10**400, 1e300, 253402300800])
    return maybe_hostile(rng, value, HOSTILE_STRINGS, 0.8)


class Raw:
    """A JSON value written as-is (for numbers and nestings json.dumps cannot write)."""

    def __init__(self, text: str) -> None:
        self.text = text


def dump_json(rng: random.Random, value: Any) -> str:
    """JSON, with lone surrogates escaped or raw, and sometimes huge literals or deep nesting."""
    ascii_only = rng.random() < 0.6
    raws: dict[str, str] = {}

    def swap(item: Any) -> Any:
        if isinstance(item, Raw):
            key = f"@@raw{len(raws)}@@"
            raws[key] = item.text
            return key
        if isinstance(item, dict):
            return {k: swap(v) for k, v in item.items()}
        if isinstance(item, list):
            return [swap(v) for v in item]
        if isinstance(item, int) and abs(item) > 10**300:
            return swap(Raw(str(item)))
        return item

    text = json.dumps(swap(value), ensure_ascii=ascii_only, indent=rng.choice([None, 1]))
    for key, raw in raws.items():
        text = text.replace(f'"{key}"', raw)
    return text


def deep(rng: random.Random, depth: int) -> Raw:
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    return Raw(opener * depth + "1" + closer * depth)


def gen_json(rng: random.Random, seeds: Seeds) -> tuple[str, bytes]:
    if rng.random() < 0.25:
        return ".json", mutate_bytes(rng, rng.choice(seeds.files["json"]), seeds.files["json"])
    records: list[Any] = [hostile_record(rng, seeds) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.1:
        records.append(deep(rng, rng.choice([50, 900, 3000, 20_000])))
    if rng.random() < 0.05:
        records.append(Raw(rng.choice(HOSTILE_NUMBERS)))
    shape = rng.randrange(6)
    document: Any = records
    if shape == 1:
        document = records[0]
    elif shape == 2:
        document = {"articles": records}
    elif shape == 3:
        document = {"data": {"items": records}}
    elif shape == 4:
        document = rng.choice([[], {}, None, 1, "text", [[records]]])
    data = utf8(dump_json(rng, document))
    if rng.random() < 0.2:
        data = mutate_bytes(rng, data, seeds.files["json"])
    return ".json", data


def gen_jsonl(rng: random.Random, seeds: Seeds) -> tuple[str, bytes]:
    if rng.random() < 0.25:
        return ".jsonl", mutate_bytes(rng, rng.choice(seeds.files["jsonl"]), seeds.files["jsonl"])
    lines: list[bytes] = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.75:
            lines.append(utf8(dump_json(rng, hostile_record(rng, seeds)).replace("\n", " ")))
        elif roll < 0.8:
            lines.append(utf8(dump_json(rng, deep(rng, rng.choice([100, 1000, 5000, 100_000])))))
        elif roll < 0.85:
            lines.append(
                utf8(f'{{"id": "n", "text": "t", "published": {rng.choice(HOSTILE_NUMBERS)}}}')
            )
        else:
            lines.append(
                rng.choice(
                    [
                        b"",
                        b"   ",
                        b"[]",
                        b"null",
                        b"1",
                        b'"str"',
                        b"{",
                        b"\xef\xbb\xbf{}",
                        b"\x00",
                        b'{"text": "unterminated',
                        b"{}",
                    ]
                )
            )
    data = rng.choice([b"\n", b"\r\n"]).join(lines) + rng.choice([b"\n", b""])
    if rng.random() < 0.2:
        data = mutate_bytes(rng, data, seeds.files["jsonl"])
    return ".jsonl", data


def gen_delimited(rng: random.Random, seeds: Seeds, delimiter: str) -> bytes:
    rows = [hostile_record(rng, seeds) for _ in range(rng.randint(1, 4))]
    header: list[str] = []
    for row in rows:
        header += [key for key in row if key not in header]
    if rng.random() < 0.1:
        header.append(rng.choice(header) if header else "text")  # a duplicate column
    out = io.StringIO()
    quoting: Literal[0, 1, 2, 3] = rng.choice(
        [csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC, csv.QUOTE_NONE]
    )
    writer = csv.writer(
        out,
        delimiter=delimiter if rng.random() < 0.9 else rng.choice(",;\t|"),
        quoting=quoting,
        escapechar="\\",
        lineterminator=rng.choice(["\n", "\r\n", "\r"]),
    )
    if rng.random() < 0.9:
        writer.writerow(header)
    for row in rows:
        values = [_cell(row.get(key)) for key in header]
        if rng.random() < 0.1:
            values = values[: rng.randrange(len(values) + 1)] + ["extra"] * rng.randint(0, 3)
        if rng.random() < 0.02:
            values.append("y" * rng.choice([140_000, 300_000]))  # over csv.field_size_limit
        try:
            writer.writerow(values)
        except csv.Error:
            writer.writerow(["csv", "error"])
    text = out.getvalue()
    if rng.random() < 0.1:  # an unterminated quote
        text += rng.choice(['x,"never closed', '"', 'id,"a""b', '\t"open'])
    data = encode_text(rng, text)
    if rng.random() < 0.05:
        data = b"\xef\xbb\xbf" + data
    return data


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def gen_csv(rng: random.Random, seeds: Seeds) -> tuple[str, bytes]:
    if rng.random() < 0.25:
        return ".csv", mutate_bytes(rng, rng.choice(seeds.files["csv"]), seeds.files["csv"])
    data = gen_delimited(rng, seeds, ",")
    if rng.random() < 0.2:
        data = mutate_bytes(rng, data, seeds.files["csv"])
    return ".csv", data


def gen_tsv(rng: random.Random, seeds: Seeds) -> tuple[str, bytes]:
    data = gen_delimited(rng, seeds, "\t")
    if rng.random() < 0.3:
        data = mutate_bytes(rng, data, seeds.files["csv"])
    return ".tsv", data


def gen_text(rng: random.Random, seeds: Seeds, suffix: str) -> tuple[str, bytes]:
    pool = seeds.files["txt" if suffix == ".txt" else "md"]
    if rng.random() < 0.3:
        return suffix, mutate_bytes(rng, rng.choice(pool), seeds.files["txt"] + seeds.files["md"])
    parts: list[str] = []
    if rng.random() < (0.8 if suffix == ".md" else 0.3):
        record = hostile_record(rng, seeds)
        lines = [f"{key}: {_cell(value)}" for key, value in record.items() if key != "text"]
        if rng.random() < 0.1:
            lines.append(
                rng.choice(
                    [
                        "bad line without colon",
                        "key: &a [*a, *a]",
                        "title: !!python/object:os.system ['ls']",
                        ": empty key",
                        "\ttabbed: x",
                        "title: 'unterminated",
                        "x" * 5000,
                    ]
                )
            )
        fence = rng.choice(["---", "---", "---", "+++", "--- ", "----"])
        end = rng.choice(["---", "---", "...", ""]) if rng.random() < 0.2 else "---"
        parts.append("\n".join([fence, *lines, end]))
    if rng.random() < 0.3:
        parts.append(
            maybe_hostile(rng, "# " + rng.choice(seeds.records)["title"], HOSTILE_STRINGS, 0.5)
        )
    parts.append(excerpt(rng, seeds))
    if rng.random() < 0.2:
        parts.append(excerpt(rng, seeds))
    text = "\n\n".join(parts)
    if rng.random() < 0.3:
        text = text.replace("\n", "\r\n")
    data = encode_text(rng, text)
    if rng.random() < 0.03:
        data = rng.choice(
            [
                b"",
                b"\n",
                b"\x00" * 100,
                os.urandom(0) + bytes(rng.randrange(256) for _ in range(300)),
            ]
        )
    if rng.random() < 0.2:
        data = mutate_bytes(rng, data, pool)
    return suffix, data


def gen_txt(rng: random.Random, seeds: Seeds) -> tuple[str, bytes]:
    return gen_text(rng, seeds, ".txt")


def gen_md(rng: random.Random, seeds: Seeds) -> tuple[str, bytes]:
    return gen_text(rng, seeds, ".md")


def xml_field(record: dict[str, Any], key: str) -> str:
    """The record's value for ``key`` under any of its names, escaped for XML."""
    for name in FIELD_NAMES[key]:
        if name in record:
            return xml_escape(_cell(record[name]))
    return ""


def xml_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def html_page(rng: random.Random, seeds: Seeds) -> bytes:
    record = hostile_record(rng, seeds)

    def field_of(key: str) -> str:
        for name in FIELD_NAMES[key]:
            if name in record:
                return xml_escape(_cell(record[name]))
        return ""

    title, url, date = field_of("title"), field_of("url"), field_of("published")
    head = [
        f'<meta charset="{xml_escape(rng.choice(CHARSET_LABELS))}">' if rng.random() < 0.5 else "",
        f"<title>{title}</title>",
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:site_name" content="{field_of("outlet")}">',
        f'<link rel="canonical" href="{url}">',
        f'<meta property="article:published_time" content="{date}">',
        f'<meta name="author" content="{field_of("authors")}">',
    ]
    if rng.random() < 0.3:
        ld = {
            "@type": "NewsArticle",
            "datePublished": hostile_value(rng, "published", date),
            "headline": hostile_value(rng, "title", title),
            "url": rng.choice(HOSTILE_URLS),
        }
        head.append(f'<script type="application/ld+json">{dump_json(rng, ld)}</script>')
    if rng.random() < 0.1:
        head.append(f'<base href="{xml_escape(rng.choice(HOSTILE_URLS))}">')
    rng.shuffle(head)
    paragraphs = [f"<p>{xml_escape(part)}</p>" for part in excerpt(rng, seeds).split("\n") if part]
    body = f"<article><h1>{title}</h1>{''.join(paragraphs)}</article>"
    roll = rng.random()
    if roll < 0.05:
        depth = rng.choice([500, 5000, 30_000])
        body = "<div>" * depth + body + "</div>" * rng.choice([depth, 0])
    elif roll < 0.1:
        body += rng.choice(
            [
                "<p>unclosed <b><i>",
                "<!-- unterminated",
                "<![CDATA[ x",
                "<script>x",
                "&#0;&#xD800;&#1114112;&#99999999999;&nbsp&amp",
                "<svg><math><style>",
                "<p>" * 3000,
                "<table>" * 500,
                "<a href='" + "x" * 10000,
            ]
        )
    doctype = rng.choice(["<!DOCTYPE html>", "", "<!doctype html>", '<?xml version="1.0"?>'])
    lang = xml_escape(rng.choice(["en", "", "de", hostile_string(rng)[:20]]))
    page = f'{doctype}<html lang="{lang}"><head>{"".join(head)}</head><body>{body}</body></html>'
    return encode_text(rng, page)


def gen_html(rng: random.Random, seeds: Seeds) -> tuple[str, bytes]:
    suffix = rng.choice([".html", ".html", ".htm", ".xhtml"])
    if rng.random() < 0.3:
        return suffix, mutate_bytes(rng, rng.choice(seeds.pages), seeds.pages)
    data = html_page(rng, seeds)
    if rng.random() < 0.2:
        data = mutate_bytes(rng, data, seeds.pages)
    return suffix, data


def doctype(rng: random.Random, root: str, canary: Path | None) -> tuple[str, str]:
    """An internal DTD (entity expansion or an external entity naming the canary), and a use."""
    roll = rng.random()
    if roll < 0.04 and canary is not None:
        return f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file://{canary}">]>', "&xxe;"
    if roll < 0.07:
        levels = rng.randint(2, 7)
        entities = ['<!ENTITY l0 "lol">'] + [
            f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels + 1)
        ]
        return f"<!DOCTYPE {root} [{''.join(entities)}]>", f"&l{levels};"
    if roll < 0.09:
        return f'<!DOCTYPE {root} SYSTEM "http://127.0.0.1:9/x.dtd">', "&undefined;"
    return "", ""


def feed_document(rng: random.Random, seeds: Seeds, canary: Path | None) -> bytes:
    kind = rng.choice(["rss", "rss", "atom", "atom", "rdf"])
    dtd, use = doctype(rng, "rss" if kind == "rss" else "feed", canary)
    items = []
    for _ in range(rng.randint(1, 5)):
        record = hostile_record(rng, seeds)

        def get(key: str, record: dict[str, Any] = record) -> str:
            return xml_field(record, key)

        text = get("text")
        if rng.random() < 0.2:
            text = "<![CDATA[" + _cell(record.get("text", "")).replace("]]>", "") + "]]>"
        title = get("title") + (use if rng.random() < 0.5 else "")
        date = maybe_hostile(rng, get("published"), HOSTILE_DATES, 0.5)
        link = maybe_hostile(rng, get("url"), HOSTILE_URLS, 0.4)
        if kind == "atom":
            items.append(
                f'<entry><title>{title}</title><link href="{xml_escape(link)}"/>'
                f"<id>{get('id')}</id><updated>{date}</updated><published>{date}</published>"
                f"<author><name>{get('authors')}</name></author>"
                f'<content type="html">{text}</content></entry>'
            )
        else:
            items.append(
                f"<item><title>{title}</title><link>{link}</link>"
                f'<guid isPermaLink="{rng.choice(["true", "false", "x"])}">{get("id")}</guid>'
                f"<pubDate>{date}</pubDate><dc:date>{date}</dc:date>"
                f"<author>{get('authors')}</author><description>{text}</description>"
                f"<content:encoded>{text}</content:encoded></item>"
            )
    if rng.random() < 0.05:
        items = items * rng.randint(20, 200)
    channel_title = xml_escape(maybe_hostile(rng, "The Daily Clarion", HOSTILE_STRINGS, 0.3))
    encoding = rng.choice(["utf-8", "utf-8", "UTF-8", "iso-8859-1", "utf-16", "x-unknown", ""])
    decl = f'<?xml version="1.0" encoding="{encoding}"?>' if rng.random() < 0.8 else ""
    ns = (
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    )
    if kind == "atom":
        body = (
            f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{channel_title}</title>'
            f"<updated>{rng.choice(HOSTILE_DATES)}</updated>{''.join(items)}</feed>"
        )
    elif kind == "rdf":
        body = (
            f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns="http://purl.org/rss/1.0/" {ns}><channel><title>{channel_title}</title>'
            f"</channel>{''.join(items)}</rdf:RDF>"
        )
    else:
        body = (
            f'<rss version="2.0" {ns}><channel><title>{channel_title}</title>'
            f"<link>{xml_escape(rng.choice(HOSTILE_URLS))}</link>{''.join(items)}</channel></rss>"
        )
    return encode_text(rng, decl + dtd + body)


def gen_feed(rng: random.Random, seeds: Seeds, canary: Path | None = None) -> tuple[str, bytes]:
    suffix = rng.choice([".xml", ".xml", ".rss", ".atom"])
    if rng.random() < 0.3:
        return suffix, mutate_bytes(rng, rng.choice(seeds.files["feed"]), seeds.files["feed"])
    data = feed_document(rng, seeds, canary)
    if rng.random() < 0.2:
        data = mutate_bytes(rng, data, seeds.files["feed"])
    return suffix, data


@dataclass(frozen=True)
class Aux:
    """Files beside a batch folder, for OPML lists to name: feeds, a canary, odd paths."""

    folder: Path
    feeds: list[Path]
    canary: Path
    token: str


def make_aux(folder: Path, seeds: Seeds, rng: random.Random) -> Aux:
    folder.mkdir(parents=True, exist_ok=True)
    token = f"NWCANARY{rng.getrandbits(64):016x}"
    canary = folder / CANARY_NAME
    canary.write_text(f"{token}\n", encoding="ascii")
    feeds = []
    for i, data in enumerate(seeds.files["feed"]):
        path = folder / f"demo-{i}.xml"
        path.write_bytes(data)
        feeds.append(path)
    for i in range(4):
        suffix, data = gen_feed(rng, seeds)
        path = folder / f"fuzzed-{i}{suffix}"
        path.write_bytes(data)
        feeds.append(path)
    (folder / "empty.xml").write_bytes(b"")
    (folder / "article.txt").write_bytes(seeds.files["txt"][0])
    (folder / "sub").mkdir(exist_ok=True)
    other = folder / "other.opml"
    other.write_text(
        '<opml version="2.0"><body><outline xmlUrl="other.opml"/>'
        '<outline xmlUrl="demo-0.xml"/></body></opml>'
    )
    feeds += [folder / "empty.xml", folder / "article.txt", folder / "sub", other]
    return Aux(folder, feeds, canary, token)


def gen_opml(rng: random.Random, seeds: Seeds, aux: Aux, name: str) -> tuple[str, bytes]:
    outlines = []
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.35:
            target = rng.choice(aux.feeds)
            url = f"../{aux.folder.name}/{target.name}" if rng.random() < 0.5 else str(target)
        elif roll < 0.5:
            url = rng.choice(
                [
                    "/etc/passwd",
                    "/",
                    "/nonexistent/feed.xml",
                    "/proc/self/status",
                    "/proc/cpuinfo",
                    "/dev/null",
                    "feed.xml",
                    ".",
                    "..",
                    "~/x.xml",
                    "file:///etc/passwd",
                    f"file://{aux.canary}",
                ]
            )
        elif roll < 0.6:
            url = name  # itself
        elif roll < 0.65:
            url = f"../{aux.folder.name}/other.opml"
        else:
            url = rng.choice(HOSTILE_URLS)
        text = xml_escape(maybe_hostile(rng, "Feed", HOSTILE_STRINGS, 0.3))
        outlines.append(f'<outline text="{text}" type="rss" xmlUrl="{xml_escape(url)}"/>')
    if rng.random() < 0.05:
        outlines = ["<outline>" * 400 + "".join(outlines) + "</outline>" * 400]
    if rng.random() < 0.03:
        outlines = outlines * 60
    dtd, use = doctype(rng, "opml", aux.canary)
    head = f"<head><title>List{use}</title></head>"
    body = f"<body>{''.join(outlines)}</body>"
    text = f'<?xml version="1.0"?>{dtd}<opml version="2.0">{head}{body}</opml>'
    data = encode_text(rng, text)
    if rng.random() < 0.25:
        data = mutate_bytes(rng, data, [])
    return ".opml", data


def warc_archive(rng: random.Random, seeds: Seeds) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=rng.random() < 0.6)
    if rng.random() < 0.5:
        writer.write_record(writer.create_warcinfo_record("fuzz.warc", {"software": "fuzz"}))
    for _ in range(rng.randint(1, 5)):
        page = rng.choice(seeds.pages) if rng.random() < 0.3 else html_page(rng, seeds)
        if rng.random() < 0.2:
            page = mutate_bytes(rng, page, seeds.pages)
        if rng.random() < 0.05:
            page = rng.choice(
                [b"%PDF-1.4 binary \x00\xff", b'{"json": true}', b"", b"\x89PNG\r\n\x1a\n"]
            )
        uri = rng.choice(seeds.records).get("url", "https://example.com/a")
        uri = maybe_hostile(rng, uri, HOSTILE_URLS, 0.3)
        kind = rng.choice(["response"] * 6 + ["resource", "request", "metadata", "revisit"])
        ctype = (
            f"text/html; charset={rng.choice(CHARSET_LABELS)}"
            if rng.random() < 0.3
            else "text/html"
        )
        headers = [("Content-Type", ctype)]
        if rng.random() < 0.1:
            headers.append(("Content-Encoding", rng.choice(["gzip", "br", "deflate", "x-bad"])))
            if rng.random() < 0.5:
                page = gzip.compress(page)
        if rng.random() < 0.05:
            headers.append(("Transfer-Encoding", "chunked"))
        status = rng.choice(["200 OK"] * 8 + ["404 Not Found", "301 Moved", "999 What", "abc"])
        date = rng.choice(HOSTILE_DATES) if rng.random() < 0.2 else "2020-05-01T00:00:00Z"
        warc_headers = {"WARC-Date": date}
        try:
            http = (
                StatusAndHeaders(status, headers, protocol="HTTP/1.1")
                if kind in ("response", "request", "revisit")
                else None
            )
            record = writer.create_warc_record(
                utf8(uri).decode("utf-8", "replace"),
                kind,
                payload=io.BytesIO(page),
                http_headers=http,
                warc_headers_dict=warc_headers,
            )
            writer.write_record(record)
        except Exception:  # warcio refuses some of our values; the byte mutations cover them
            continue
    return out.getvalue()


def gen_warc(rng: random.Random, seeds: Seeds) -> tuple[str, bytes]:
    if rng.random() < 0.2:
        return ".warc.gz", mutate_bytes(rng, rng.choice(seeds.files["warc"]), seeds.files["warc"])
    data = warc_archive(rng, seeds)
    compressed = data[:2] == b"\x1f\x8b"
    if rng.random() < 0.3:
        data = mutate_bytes(rng, data, [])
    if compressed:
        return ".warc.gz", data
    return rng.choice([".warc", ".warc", ".arc"]), data


def parquet_table(rng: random.Random, seeds: Seeds) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {_valid(k): v for k, v in hostile_record(rng, seeds).items()}
        for _ in range(rng.randint(0, 6))
    ]
    columns: dict[str, Any] = {}
    keys: list[str] = []
    for row in rows:
        keys += [key for key in row if key not in keys]
    if not keys:
        keys = ["text"]
    n = len(rows)
    for key in keys:
        values = [row.get(key) for row in rows]
        strings = [None if v is None else _valid(_cell(v)) for v in values]
        roll = rng.random()
        try:
            if roll < 0.55:
                columns[key] = pa.array(strings, rng.choice([pa.string(), pa.large_string()]))
            elif roll < 0.65:  # raw bytes, lone surrogates and all
                raw = [None if v is None else utf8(_cell(v)) for v in values]
                columns[key] = pa.array(raw, pa.binary())
            elif roll < 0.72:
                big = [
                    rng.choice([0, -1, 10**12, -(10**12), 2**62, 1_600_000_000]) for _ in range(n)
                ]
                columns[key] = pa.array(big, pa.int64())
            elif roll < 0.8:
                unit = rng.choice(["s", "ms", "us", "ns"])
                tz = rng.choice([None, "UTC", "+05:00", "Europe/Berlin"])
                ticks = [
                    rng.choice([0, -1, 2**62, -(2**62), 253402300800, 10**14]) for _ in range(n)
                ]
                columns[key] = pa.array(ticks, pa.int64()).cast(pa.timestamp(unit, tz=tz))
            elif roll < 0.85:
                days = [rng.choice([0, -719_163, 2_932_897, 10**7, -(10**7)]) for _ in range(n)]
                columns[key] = pa.array(days, pa.int32()).cast(pa.date32())
            elif roll < 0.9:
                columns[key] = pa.array([[s, s] for s in strings], pa.list_(pa.string()))
            elif roll < 0.93:
                columns[key] = pa.array([{"a": s} for s in strings])
            elif roll < 0.96:
                columns[key] = pa.array([float("nan")] * n, pa.float64())
            elif roll < 0.98:
                columns[key] = pa.nulls(n)
            else:
                columns[key] = pa.array(strings, pa.string()).dictionary_encode()
        except (pa.ArrowException, ValueError, OverflowError, TypeError):
            columns[key] = pa.array([_valid(str(v)) for v in values], pa.string())
    compression = rng.choice(["snappy", "gzip", "zstd", "none"])
    row_group_size = rng.choice([1, 2, 100])
    try:
        out = io.BytesIO()
        pq.write_table(
            pa.table(columns),
            out,
            compression=compression,
            row_group_size=row_group_size,
            allow_truncated_timestamps=True,
        )
    except (pa.ArrowException, ValueError, OverflowError):
        out = io.BytesIO()
        plain = {k: pa.array([_valid(_cell(r.get(k))) for r in rows], pa.string()) for k in keys}
        pq.write_table(pa.table(plain), out, compression=compression)
    return out.getvalue()


def _valid(text: str) -> str:
    """``text`` with lone surrogates replaced (pyarrow strings must be valid UTF-8)."""
    return utf8(text).decode("utf-8", "replace")


def gen_parquet(rng: random.Random, seeds: Seeds) -> tuple[str, bytes]:
    if rng.random() < 0.2:
        return ".parquet", mutate_bytes(
            rng, rng.choice(seeds.files["parquet"]), seeds.files["parquet"]
        )
    data = parquet_table(rng, seeds)
    if rng.random() < 0.2:
        data = mutate_bytes(rng, data, seeds.files["parquet"], rounds=rng.randint(1, 3))
    return ".parquet", data


Generator = Callable[[random.Random, Seeds], tuple[str, bytes]]
INNER: dict[str, Generator] = {
    "txt": gen_txt,
    "md": gen_md,
    "html": gen_html,
    "json": gen_json,
    "jsonl": gen_jsonl,
    "csv": gen_csv,
    "tsv": gen_tsv,
    "parquet": gen_parquet,
    "feed": gen_feed,
}


def gen_gz(rng: random.Random, seeds: Seeds) -> tuple[str, bytes]:
    inner = rng.choice(list(INNER))
    suffix, data = INNER[inner](rng, seeds)
    roll = rng.random()
    if roll < 0.05:
        return suffix + ".gz", data  # not gzip at all
    compressed = gzip.compress(data, compresslevel=rng.randint(1, 9), mtime=rng.choice([0, 2**31]))
    if roll < 0.1:
        compressed += gzip.compress(data)  # two members
    elif roll < 0.15:
        compressed = gzip.compress(compressed)  # gzip of gzip
    elif roll < 0.3:
        compressed = compressed[: rng.randrange(len(compressed))]  # truncated
    elif roll < 0.4:
        compressed = mutate_bytes(rng, compressed, [], rounds=rng.randint(1, 3))
    elif roll < 0.45:
        compressed += rng.choice([b"\x00" * 10, b"garbage", b"\x1f\x8b"])
    elif roll < 0.47:
        compressed = _gzip_bomb(rng.choice([8, 32, 64]) * 2**20, data[:200])
    return suffix + ".gz", compressed


def _gzip_bomb(size: int, head: bytes) -> bytes:
    """``head`` then ``size`` bytes of one repeated letter, gzipped (small on disk)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as handle:
        handle.write(head)
        chunk = b"a" * 2**20
        for _ in range(size // len(chunk)):
            handle.write(chunk)
    return out.getvalue()


GENERATORS: dict[str, Generator] = {**INNER, "warc": gen_warc, "gz": gen_gz}


def make_inputs(
    fmt: str, count: int, rng: random.Random, seeds: Seeds, folder: Path, aux: Aux
) -> list[Path]:
    """``count`` fuzzed files of ``fmt`` written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        stem = f"{fmt}-{i:05d}"
        if rng.random() < 0.03:
            stem += rng.choice(HOSTILE_NAMES)
        name_holder = stem  # OPML lists may name themselves
        if fmt == "opml":
            suffix, data = gen_opml(rng, seeds, aux, name_holder + ".opml")
        elif fmt == "feed":
            suffix, data = gen_feed(rng, seeds, aux.canary)
        else:
            suffix, data = GENERATORS[fmt](rng, seeds)
        path = folder / (stem + suffix)
        path.write_bytes(data)
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------------------------
# Running the CLI and judging what it did


@dataclass
class Stage:
    """One CLI process: what it printed, how it ended, its time and peak RSS."""

    name: str
    returncode: int
    seconds: float
    peak_rss_mib: float
    stdout: str
    stderr: str
    timed_out: bool = False
    rss_killed: bool = False


@dataclass(frozen=True)
class Failure:
    """One thing wrong with a run: a kind, and a signature that groups the same fault."""

    kind: str  # crash, hang, rss, not-one-line, exit-status, leak
    signature: str
    detail: str


def _tree_rss_kib(pid: int) -> int:
    """RSS of ``pid`` and its descendants (shared pages counted in each)."""
    total, stack, seen = 0, [pid], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/status", "rb") as handle:
                for line in handle:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as handle:
                    stack += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_cli(
    name: str,
    args: list[str],
    cwd: Path,
    *,
    limit_s: float = TIME_LIMIT_S,
    rss_kill_mib: float = 3072.0,
    address_space: int | None = None,
) -> Stage:
    """``python -m newsweave ARGS`` in its own session, killed past ``limit_s`` or when its
    process tree passes ``rss_kill_mib``; reaped with ``wait4`` for its own peak RSS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWEAVE_")}
    # NEWSWEAVE_DEBUG: an unexpected error shows its traceback (else one line and status 3),
    # so that a crash can be traced to the module it comes from.
    env.update(PYTHONFAULTHANDLER="1", PYTHONIOENCODING="utf-8", COLUMNS="160")
    env["NEWSWEAVE_DEBUG"] = "1"
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else src

    def limits() -> None:
        if address_space:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "newsweave", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
            preexec_fn=limits,
        )
        timed_out = rss_killed = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.perf_counter() - start
            if not (timed_out or rss_killed):
                if elapsed > limit_s:
                    timed_out = True
                elif _tree_rss_kib(child.pid) > rss_kill_mib * KIB_PER_MIB:
                    rss_killed = True
                if timed_out or rss_killed:
                    _kill_group(child.pid)
            time.sleep(0.02 if elapsed < 1 else 0.05)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        _kill_group(child.pid)  # annotation workers left behind, if any
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "surrogateescape")
        stderr = err.read().decode("utf-8", "surrogateescape")
    return Stage(
        name,
        child.returncode,
        seconds,
        usage.ru_maxrss / KIB_PER_MIB,
        stdout,
        stderr,
        timed_out,
        rss_killed,
    )


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


_FRAME = re.compile(r'^\s*File "([^"]+)", line \d+, in (\S+)', re.MULTILINE)


def crash_signature(stage: str, stderr: str) -> tuple[str, str]:
    """(signature, detail) of the last traceback or fatal error in ``stderr``."""
    start = max(
        stderr.rfind("Traceback (most recent call last)"), stderr.rfind("Fatal Python error")
    )
    block = stderr[start:] if start >= 0 else stderr
    frames = _FRAME.findall(block)
    ours = [(p, f) for p, f in frames if "/newsweave/" in p and "/.venv/" not in p]
    lines = [line for line in block.splitlines() if line.strip()]
    error = next(
        (line for line in reversed(lines) if re.match(r"^[A-Za-z_][\w.]*(: |$)", line)),
        lines[0] if lines else "?",
    )
    error_type = error.split(":", 1)[0].strip()
    if "Fatal Python error" in block:
        error_type = " ".join(block.splitlines()[0].split()[:5])
    where = ""
    if ours:
        path, func = ours[-1]
        where = f" in newsweave/{path.split('/newsweave/', 1)[1]}:{func}"
    if frames and (not ours or frames[-1] != ours[-1]):
        path, func = frames[-1]
        library = (
            path.split("site-packages/", 1)[-1] if "site-packages/" in path else Path(path).name
        )
        where += f" (raised in {library}:{func})"
    return f"{stage}: {error_type}{where}", error[:300]


def _normalise(line: str) -> str:
    line = re.sub(r"/\S+", "PATH", line)
    line = re.sub(r"\d+", "N", line)
    line = re.sub(r"'[^']*'|\"[^\"]*\"", "Q", line)
    return line[:70]


def judge(stage: Stage, expected_exit: int | None, json_out: bool = True) -> list[Failure]:
    """What is wrong with one CLI run, by the rules in the module docstring."""
    found: list[Failure] = []
    name = stage.name
    crashed = (
        "Traceback (most recent call last)" in stage.stderr or "Fatal Python error" in stage.stderr
    )
    if crashed:
        signature, detail = crash_signature(name, stage.stderr)
        found.append(Failure("crash", signature, detail))
    elif UNEXPECTED.search(stage.stderr) or stage.returncode == INTERNAL_ERROR:
        told = UNEXPECTED.search(stage.stderr)
        what = told.group(1) if told else f"(exit {stage.returncode})"
        found.append(Failure("crash", f"{name}: unexpected error {what}", stage.stderr[-300:]))
    elif stage.returncode < 0 and not (stage.timed_out or stage.rss_killed):
        sig = (
            signal.Signals(-stage.returncode).name
            if -stage.returncode in signal.valid_signals()
            else str(stage.returncode)
        )
        found.append(Failure("crash", f"{name}: killed by {sig}", stage.stderr[-300:]))
    if stage.timed_out:
        found.append(Failure("hang", f"{name}: over {TIME_LIMIT_S:g} s", f"{stage.seconds:.1f} s"))
    if stage.rss_killed or stage.peak_rss_mib > RSS_LIMIT_MIB:
        what = "killed by the RSS guard" if stage.rss_killed else f"{stage.peak_rss_mib:.0f} MiB"
        found.append(Failure("rss", f"{name}: peak RSS over {RSS_LIMIT_MIB:g} MiB", what))
    if not crashed:
        found += _line_failures(name, stage.stderr)
    if crashed or stage.timed_out or stage.rss_killed or stage.returncode < 0:
        return found
    if json_out:
        try:
            json.loads(stage.stdout)
        except ValueError:
            found.append(Failure("exit-status", f"{name}: stdout is not JSON", stage.stdout[:200]))
    if expected_exit is not None and stage.returncode != expected_exit:
        found.append(
            Failure(
                "exit-status",
                f"{name}: exit {stage.returncode}, README says {expected_exit}",
                stage.stderr[-300:],
            )
        )
    return found


def _line_failures(name: str, stderr: str) -> list[Failure]:
    found: dict[str, Failure] = {}
    lines = stderr.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    previous = ""
    for line in lines:
        if not line.startswith(PREFIX) and not line.startswith("Error: "):  # ours, or click's
            after = _normalise(previous[len(PREFIX) :]).split(":", 1)[0] if previous else "start"
            sig = f"{name}: output not one line: {_normalise(line)!r} after {after!r}"
            found.setdefault(
                sig, Failure("not-one-line", sig, f"{previous[:200]!r} then {line[:200]!r}")
            )
            continue
        previous = line
        caught = CAUGHT.match(line)
        if caught:  # an internal error caught at the article: allowed, but worth routing
            sig = f"{name}: caught at the article: {caught.group(1)}"
            found.setdefault(sig, Failure("caught", sig, line[:300]))
        caught = CAUGHT_FILE.match(line)
        if caught:  # an internal error caught at a file or record: allowed, worth routing
            sig = f"{name}: caught at the {caught.group(1)}: unexpected {caught.group(2)}"
            found.setdefault(sig, Failure("caught", sig, line[:300]))
        bad = UNSAFE.search(line)
        if bad or len(line) > LINE_LIMIT:
            why = f"unescaped {bad.group()!r}" if bad else f"{len(line)} characters"
            what = _normalise(line[len(PREFIX) :]).split(":")[0]
            sig = f"{name}: message not safe ({why.split(' ')[0]}): {what!r}"
            found.setdefault(sig, Failure("not-one-line", sig, f"{why}: {line[:300]!r}"))
    return list(found.values())


def expected_ingest_exit(stdout: str) -> int | None:
    """The README: 0 when articles were read and nothing was skipped, 1 otherwise."""
    try:
        report = json.loads(stdout)
        return 0 if report["read"] > 0 and report["skipped"] == 0 else 1
    except (ValueError, KeyError, TypeError):
        return None


@dataclass
class BatchResult:
    """The three stages of one batch, and what was wrong."""

    stages: list[Stage]
    failures: list[Failure]
    report: dict[str, Any] = field(default_factory=dict)


def run_batch(
    folder: Path,
    work: Path,
    token: str | None,
    *,
    limit_s: float = TIME_LIMIT_S,
    rss_kill_mib: float = 3072.0,
    address_space: int | None = None,
    stages: Sequence[str] = ("ingest", "annotate", "cluster"),
) -> BatchResult:
    """``ingest FOLDER``, then ``annotate`` and ``cluster`` on the store it made."""
    db = work / "store.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    options = {"limit_s": limit_s, "rss_kill_mib": rss_kill_mib, "address_space": address_space}
    commands = {
        "ingest": [
            "ingest",
            str(folder),
            "--db",
            str(db),
            "--json",
            "--no-annotate",
            "--no-cluster",
        ],
        "annotate": ["annotate", "--db", str(db), "--json"],
        "cluster": ["cluster", "--db", str(db), "--json"],
    }
    result = BatchResult([], [])
    for name in stages:
        if name != "ingest" and not db.exists():
            break
        stage = run_cli(name, commands[name], work, **options)  # type: ignore[arg-type]
        expected = expected_ingest_exit(stage.stdout) if name == "ingest" else 0
        result.stages.append(stage)
        result.failures += judge(stage, expected)
        if name == "ingest" and expected is not None:
            result.report = json.loads(stage.stdout)
        if name == "ingest" and token and _store_holds(db, token):
            result.failures.append(
                Failure(
                    "leak",
                    "ingest: a local file named by an input reached the store",
                    "the canary's token is in the store",
                )
            )
    return result


def _store_holds(db: Path, token: str) -> bool:
    needle = token.encode()
    for suffix in ("", "-wal"):
        path = Path(f"{db}{suffix}")
        if path.exists() and needle in path.read_bytes():
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Triage: bisect a failing batch to the file that fails alone, and save it


@dataclass
class Finding:
    """All occurrences of one failure signature."""

    kind: str
    signature: str
    detail: str
    batches: int = 0
    formats: set[str] = field(default_factory=set)
    reproducers: list[str] = field(default_factory=list)


class Triage:
    """Bisects failures to single inputs and saves them, at most ``keep`` per signature."""

    def __init__(self, save: Path | None, keep: int, budget_s: float, **run_options: Any) -> None:
        self.save = save
        self.keep = keep
        self.deadline = time.monotonic() + budget_s
        self.run_options = run_options
        self.findings: dict[str, Finding] = {}
        self.lock = threading.Lock()

    def record(self, fmt: str, failures: list[Failure]) -> list[Failure]:
        """Count the failures; return those worth bisecting (signatures not yet saturated)."""
        todo = []
        with self.lock:
            for failure in failures:
                finding = self.findings.setdefault(
                    failure.signature, Finding(failure.kind, failure.signature, failure.detail)
                )
                finding.batches += 1
                finding.formats.add(fmt)
                if failure.kind == "caught":
                    continue
                if len(finding.reproducers) < self.keep and self.save is not None:
                    todo.append(failure)
        return todo

    def narrow(
        self,
        files: list[Path],
        failure: Failure,
        work: Path,
        token: str | None,
        force: bool = False,
    ) -> list[Path]:
        """The smallest half, half of it, ... of ``files`` that still shows ``failure``."""
        stages = _stages_until(failure.signature)
        current = files
        trial = 0
        while len(current) > 1 and (force or time.monotonic() < self.deadline):
            half = len(current) // 2
            for part in (current[:half], current[half:]):
                trial += 1
                if self._shows(part, failure, work / f"bisect-{trial}", token, stages):
                    current = part
                    break
            else:
                break  # needs both halves (or is flaky)
        return current

    def saturated(self, signature: str) -> bool:
        """Whether ``signature`` has all the reproducers it may keep."""
        with self.lock:
            finding = self.findings.get(signature)
            return finding is not None and len(finding.reproducers) >= self.keep

    def keep_reproducer(self, fmt: str, files: list[Path], failure: Failure) -> None:
        with self.lock:
            finding = self.findings[failure.signature]
            if len(finding.reproducers) >= self.keep or self.save is None:
                return
            index = len(finding.reproducers)
            target = self.save / _slug(failure.signature) / f"{fmt}-{index}"
            finding.reproducers.append(str(target))
        _save_reproducer(target, files, failure, _stages_until(failure.signature))

    def _shows(
        self,
        files: list[Path],
        failure: Failure,
        work: Path,
        token: str | None,
        stages: Sequence[str],
    ) -> bool:
        folder = work / "in"
        folder.mkdir(parents=True)
        for path in files:
            shutil.copy2(path, folder / path.name)
        try:
            result = run_batch(folder, work, token, stages=stages, **self.run_options)
            return any(f.signature == failure.signature for f in result.failures)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _stages_until(signature: str) -> tuple[str, ...]:
    order = ("ingest", "annotate", "cluster")
    name = signature.split(":", 1)[0]
    return order[: order.index(name) + 1] if name in order else order


def _slug(signature: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", signature).strip("-")[:90]


def _save_reproducer(
    target: Path, files: list[Path], failure: Failure, stages: Sequence[str]
) -> None:
    inputs = target / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copy2(path, inputs / path.name)
    aux = files[0].parent.parent / "aux" if files else None
    if aux is not None and aux.is_dir():  # OPML lists name files beside the batch folder
        shutil.copytree(aux, target / "aux", dirs_exist_ok=True)
    commands = [
        f"python -m newsweave ingest {inputs} --db /tmp/repro.db --json --no-annotate --no-cluster"
    ]
    commands += [f"python -m newsweave {name} --db /tmp/repro.db --json" for name in stages[1:]]
    message = {
        "kind": failure.kind,
        "signature": failure.signature,
        "detail": failure.detail,
        "files": [repr(path.name) for path in files],
        "reproduce": commands,
    }
    (target / "message.json").write_text(json.dumps(message, indent=2, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------------------------
# The fuzz run


@dataclass
class FormatFigures:
    """What one format's batches came to."""

    name: str
    inputs: int = 0
    batches: int = 0
    articles_read: int = 0
    skipped: int = 0
    seconds: float = 0.0
    peak_rss_mib: float = 0.0
    failures: dict[str, int] = field(default_factory=dict)  # kind -> batches with it

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": LABELS.get(self.name, self.name),
            "inputs": self.inputs,
            "batches": self.batches,
            "articles_read": self.articles_read,
            "skipped": self.skipped,
            "seconds": round(self.seconds, 1),
            "inputs_per_second": round(self.inputs / self.seconds, 2) if self.seconds else 0.0,
            "peak_rss_mib": round(self.peak_rss_mib, 1),
            "failures": dict(self.failures),
        }


KINDS = ("crash", "hang", "rss", "not-one-line", "exit-status", "leak", "caught")


@dataclass
class FuzzResult:
    formats: dict[str, FormatFigures]
    findings: list[Finding]
    slow_batches: list[str] = field(default_factory=list)  # over the limit only as a whole

    @property
    def failures(self) -> list[Finding]:
        """The findings that break the acceptance (not the failures caught at an article)."""
        return [f for f in self.findings if f.kind != "caught"]

    @property
    def clean(self) -> bool:
        return not self.failures


def fuzz(
    formats: Sequence[str],
    per_format: int,
    batch: int,
    seed: int,
    work: Path,
    *,
    seeds: Seeds | None = None,
    jobs: int = 1,
    save: Path | None = None,
    keep: int = 3,
    triage_budget_s: float = 1800.0,
    mixed: bool = False,
    progress: Callable[[str], None] | None = None,
) -> FuzzResult:
    """Fuzz ``per_format`` inputs of each format in batches of ``batch`` files.

    ``mixed`` puts every format into each batch (fewer processes, for the test suite).
    """
    seeds = seeds or load_seeds()
    triage = Triage(save, keep, triage_budget_s)
    figures = {fmt: FormatFigures(fmt) for fmt in formats}
    plan: list[tuple[str, int, int]] = []  # (format or "mixed", batch index, count)
    groups = ["mixed"] if mixed else list(formats)
    for group in groups:
        total = per_format * (len(formats) if group == "mixed" else 1)
        for index, start in enumerate(range(0, total, batch)):
            plan.append((group, index, min(batch, total - start)))
    lock = threading.Lock()
    slow_batches: list[str] = []

    def one(item: tuple[str, int, int]) -> None:
        group, index, count = item
        rng = random.Random(f"{seed}:{group}:{index}")
        where = work / f"{group}-{index:04d}"
        aux = make_aux(where / "aux", seeds, rng)
        folder = where / "in"
        names = list(formats) if group == "mixed" else [group]
        files: list[Path] = []
        owner: dict[Path, str] = {}
        for position, fmt in enumerate(names):
            share = count // len(names) + (1 if position < count % len(names) else 0)
            made = make_inputs(fmt, share, rng, seeds, folder, aux)
            files += made
            owner.update(dict.fromkeys(made, fmt))
        start = time.perf_counter()
        result = run_batch(folder, where, aux.token, **triage.run_options)
        seconds = time.perf_counter() - start
        with lock:
            for fmt in names:
                share = sum(1 for f in files if owner[f] == fmt)
                fig = figures[fmt]
                fig.inputs += share
                fig.batches += 1
                fig.seconds += seconds * share / max(1, len(files))
                fig.peak_rss_mib = max([fig.peak_rss_mib] + [s.peak_rss_mib for s in result.stages])
                if group != "mixed":
                    fig.articles_read += int(result.report.get("read", 0))
                    fig.skipped += int(result.report.get("skipped", 0))
        failures, culprits = [], {}
        for failure in result.failures:
            if failure.kind == "hang" and not triage.saturated(failure.signature):
                # one input over the limit, or only a big batch? (Once a single input is
                # shown over it, later hangs are counted without the costly bisection.)
                culprit = triage.narrow(files, failure, where, aux.token, force=True)
                if len(culprit) > 1:
                    with lock:
                        slow_batches.append(
                            f"{group} batch {index}: {failure.signature}, no part of it alone"
                        )
                    continue
                culprits[failure.signature] = culprit
            failures.append(failure)
        with lock:
            for fmt in names:
                for kind in {f.kind for f in failures}:
                    figures[fmt].failures[kind] = figures[fmt].failures.get(kind, 0) + 1
        for failure in triage.record(group, failures):
            culprit = culprits.get(failure.signature) or triage.narrow(
                files, failure, where, aux.token
            )
            triage.keep_reproducer(group, culprit, failure)
        if progress:
            kinds = sorted({f.kind for f in result.failures})
            split = " + ".join(f"{s.name} {s.seconds:.1f}" for s in result.stages)
            peak = max((s.peak_rss_mib for s in result.stages), default=0.0)
            progress(
                f"{group} batch {index}: {count} inputs, "
                f"{result.report.get('read', '?')} articles, {seconds:.1f} s ({split}), "
                f"peak {peak:.0f} MiB" + (f", {', '.join(kinds)}" if kinds else "")
            )
        shutil.rmtree(where, ignore_errors=True)

    if jobs <= 1:
        for item in plan:
            one(item)
    else:
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(one, plan))
    if mixed:
        for fmt in formats:
            figures[fmt].articles_read = figures[fmt].skipped = 0
    findings = sorted(triage.findings.values(), key=lambda f: (f.kind, f.signature))
    return FuzzResult(figures, findings, slow_batches)


# ---------------------------------------------------------------------------------------------
# Pathological inputs


@dataclass(frozen=True)
class Pathological:
    """One big or special input: how to make it (in a folder), and whether it is cheap."""

    name: str
    make: Callable[[Path], list[str]]  # returns the ingest arguments
    cheap: bool
    annotate: bool = False


def _write_repeated(path: Path, head: bytes, unit: bytes, size: int, tail: bytes = b"") -> None:
    with path.open("wb") as handle:
        handle.write(head)
        block = unit * max(1, 2**20 // len(unit))
        written = 0
        while written < size:
            handle.write(block)
            written += len(block)
        handle.write(tail)


def _csv_unterminated(size: int) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        path = folder / "unterminated.csv"
        _write_repeated(path, b'id,title,text\n1,ok,"fine"\n2,open,"', b"abcdefgh\n", size)
        return [str(path)]

    return make


def _csv_gz_bomb(size: int) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        path = folder / "bomb.csv.gz"
        member_size = 64 * 2**20
        member = zlib.compressobj(9, zlib.DEFLATED, 31)
        body = member.compress(b"a" * member_size) + member.flush()
        head = gzip.compress(b'id,title,text\n1,bomb,"')
        with path.open("wb") as handle:  # gzip members, concatenated, decompress as one stream
            handle.write(head)
            for _ in range(max(1, size // member_size)):
                handle.write(body)
        return [str(path)]

    return make


def _jsonl_long_line(size: int) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        path = folder / "long-line.jsonl"
        _write_repeated(
            path,
            b'{"id": "long", "title": "Long", "text": "',
            b"word ",
            size,
            b'"}\n{"id": "after", "title": "After", "text": "The line after."}\n',
        )
        return [str(path)]

    return make


def _html_big(size: int) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        path = folder / "big.html"
        _write_repeated(
            path,
            b"<html><head><title>Big</title></head><body><article><p>",
            b"Council members voted on the budget. ",
            size,
            b"</p></article></body></html>",
        )
        return [str(path)]

    return make


def _dev_zero(folder: Path) -> list[str]:
    return ["/dev/zero"]


def _symlink_zero(folder: Path) -> list[str]:
    link = folder / "zero.jsonl"
    link.symlink_to("/dev/zero")
    return [str(link)]


def _opml_zero(folder: Path) -> list[str]:
    path = folder / "list.opml"
    path.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="zero" xmlUrl="/dev/zero"/></body></opml>'
    )
    return [str(path)]


def _fifo_folder(folder: Path) -> list[str]:
    inputs = folder / "in"
    inputs.mkdir()
    os.mkfifo(inputs / "pipe.txt")
    (inputs / "ok.txt").write_text("Council members voted on the budget on Tuesday.\n")
    return [str(inputs)]


def _socket_folder(folder: Path) -> list[str]:
    inputs = folder / "in"
    inputs.mkdir()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(inputs / "socket.txt"))  # the file stays after close
    server.close()
    (inputs / "ok.txt").write_text("Council members voted on the budget on Tuesday.\n")
    return [str(inputs)]


def _long_token(length: int) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        path = folder / "token.txt"
        text = "Council vote. " + "x" * length + " The council said it would vote again.\n"
        path.write_text(f"---\ntitle: Long token\npublished: 2020-01-01\n---\n\n{text}")
        return [str(path)]

    return make


def _jsonl_nesting(folder: Path) -> list[str]:
    path = folder / "deep.jsonl"
    lines = [
        "[" * 100_000 + "]" * 100_000,
        '{"id": "n", "text": "t", "published": ' + "9" * 5000 + "}",
        '{"id": "after", "title": "After", "text": "The record after the bad ones."}',
    ]
    path.write_text("\n".join(lines) + "\n")
    return [str(path)]


MIB = 2**20
PATHOLOGICAL = [
    Pathological("fifo in a folder", _fifo_folder, cheap=True),
    Pathological("socket in a folder", _socket_folder, cheap=True),
    Pathological("/dev/zero", _dev_zero, cheap=True),
    Pathological("symlink to /dev/zero", _symlink_zero, cheap=True),
    Pathological("OPML naming /dev/zero", _opml_zero, cheap=True),
    Pathological("JSONL nesting 100,000 deep and a 5,000-digit date", _jsonl_nesting, cheap=True),
    Pathological("40,000-character token", _long_token(40_000), cheap=True, annotate=True),
    Pathological("CSV, unterminated quote, 300 MB", _csv_unterminated(300 * MIB), cheap=False),
    Pathological(".csv.gz decompressing to 4 GiB", _csv_gz_bomb(4096 * MIB), cheap=False),
    Pathological("JSONL, one 200 MB line", _jsonl_long_line(200 * MIB), cheap=False, annotate=True),
    Pathological("HTML, 200 MB", _html_big(200 * MIB), cheap=False, annotate=True),
]


@dataclass
class PathologicalRun:
    name: str
    stages: list[Stage]
    failures: list[Failure]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "stages": [
                {
                    "stage": s.name,
                    "seconds": round(s.seconds, 2),
                    "exit": s.returncode,
                    "peak_rss_mib": round(s.peak_rss_mib, 1),
                    "timed_out": s.timed_out,
                    "rss_killed": s.rss_killed,
                }
                for s in self.stages
            ],
            "failures": [
                {"kind": f.kind, "signature": f.signature, "detail": f.detail}
                for f in self.failures
            ],
        }


def run_pathological(
    case: Pathological,
    work: Path,
    *,
    rss_kill_mib: float = 2048.0,
    address_space: int | None = 6_000_000_000,
    limit_s: float = TIME_LIMIT_S,
) -> PathologicalRun:
    """Make the input in ``work``, ingest it (then annotate and cluster), delete it."""
    work.mkdir(parents=True, exist_ok=True)
    try:
        arguments = case.make(work)
        db = work / "store.db"
        options: dict[str, Any] = {
            "limit_s": limit_s,
            "rss_kill_mib": rss_kill_mib,
            "address_space": address_space,
        }
        stages = [
            run_cli(
                "ingest",
                ["ingest", *arguments, "--db", str(db), "--json", "--no-annotate", "--no-cluster"],
                work,
                **options,
            )
        ]
        failures = judge(stages[0], expected_ingest_exit(stages[0].stdout))
        if case.annotate and db.exists():
            for name in ("annotate", "cluster"):
                stage = run_cli(name, [name, "--db", str(db), "--json"], work, **options)
                stages.append(stage)
                failures += judge(stage, 0)
        return PathologicalRun(case.name, stages, failures)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The command line


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--per-format", type=int, default=10_000, help="inputs per format")
    parser.add_argument("--batch", type=int, default=250, help="inputs per CLI run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="batches run at once")
    parser.add_argument(
        "--formats",
        default=",".join(FORMATS),
        help=f"comma-separated, of {','.join(FORMATS)} (feed is RSS/Atom)",
    )
    parser.add_argument("--pathological", action="store_true", help="also the big/special inputs")
    parser.add_argument("--only-pathological", action="store_true")
    parser.add_argument("--keep", type=int, default=3, help="reproducers saved per signature")
    parser.add_argument("--triage-budget", type=float, default=1800.0, help="seconds of bisection")
    parser.add_argument("--save", type=Path, default=DEFAULT_SAVE, help="reproducers folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    args = parser.parse_args(argv)
    args.formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = set(args.formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")
    if min(args.per_format, args.batch, args.jobs) < 1:
        parser.error("--per-format, --batch and --jobs must be at least 1")
    return args


def print_figures(result: FuzzResult | None, patho: list[PathologicalRun]) -> None:
    if result is not None:
        print(
            f"{'format':<10}{'inputs':>8}{'batches':>8}{'read':>8}{'skipped':>8}{'s':>8}"
            f"{'inputs/s':>9}{'RSS MiB':>9}  crashes hangs rss lines exit leak caught"
        )
        for fig in result.formats.values():
            counts = " ".join(
                f"{fig.failures.get(kind, 0):>{w}}"
                for kind, w in zip(KINDS, (7, 5, 3, 5, 4, 4, 6), strict=True)
            )
            rate = fig.inputs / fig.seconds if fig.seconds else 0.0
            print(
                f"{LABELS.get(fig.name, fig.name):<10}{fig.inputs:>8}{fig.batches:>8}"
                f"{fig.articles_read:>8}{fig.skipped:>8}{fig.seconds:>8.0f}{rate:>9.1f}"
                f"{fig.peak_rss_mib:>9.0f}  {counts}"
            )
        total = sum(f.inputs for f in result.formats.values())
        print(
            f"inputs tried: {total}; failure signatures: {len(result.failures)} "
            f"(and {len(result.findings) - len(result.failures)} caught at an article); "
            "the kind columns count batches"
        )
        for line in result.slow_batches:
            print(f"  slow batch (not a hang: no part of it alone is over the limit): {line}")
        for finding in result.findings:
            print(
                f"  [{finding.kind}] {finding.signature}  ({finding.batches} batches: "
                f"{', '.join(sorted(LABELS.get(f, f) for f in finding.formats))})"
            )
            print(f"      {finding.detail[:160]!r}")
            for path in finding.reproducers:
                print(f"      reproducer: {path}")
    for run in patho:
        stages = ", ".join(
            f"{s.name} {s.seconds:.1f} s {s.peak_rss_mib:.0f} MiB exit {s.returncode}"
            for s in run.stages
        )
        verdict = "; ".join(f"[{f.kind}] {f.signature}" for f in run.failures) or "ok"
        print(f"pathological: {run.name}: {stages}: {verdict}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="newsweave-fuzz-", dir=args.work))
    result: FuzzResult | None = None
    patho: list[PathologicalRun] = []
    try:
        if not args.only_pathological:
            args.save.mkdir(parents=True, exist_ok=True)
            result = fuzz(
                args.formats,
                args.per_format,
                args.batch,
                args.seed,
                scratch / "fuzz",
                jobs=args.jobs,
                save=args.save,
                keep=args.keep,
                triage_budget_s=args.triage_budget,
                progress=lambda line: print(line, file=sys.stderr, flush=True),
            )
        if args.pathological or args.only_pathological:
            for i, case in enumerate(PATHOLOGICAL):
                run = run_pathological(case, scratch / f"pathological-{i}")
                verdict = "; ".join(f.signature for f in run.failures) or "ok"
                print(
                    f"pathological: {case.name}: {verdict}",
                    file=sys.stderr,
                    flush=True,
                )
                patho.append(run)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    seconds = time.perf_counter() - started
    print_figures(result, patho)
    print(f"total {seconds:.0f} s")
    payload = {
        "benchmark": "fuzz",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "settings": {
            "per_format": args.per_format,
            "batch": args.batch,
            "seed": args.seed,
            "jobs": args.jobs,
            "formats": args.formats,
            "time_limit_s": TIME_LIMIT_S,
            "rss_limit_mib": RSS_LIMIT_MIB,
        },
        "seconds": round(seconds, 1),
        "formats": [f.to_dict() for f in result.formats.values()] if result else [],
        "inputs": sum(f.inputs for f in result.formats.values()) if result else 0,
        "findings": [
            {
                "kind": f.kind,
                "signature": f.signature,
                "detail": f.detail,
                "batches": f.batches,
                "formats": sorted(f.formats),
                "reproducers": f.reproducers,
            }
            for f in (result.findings if result else [])
        ],
        "slow_batches": result.slow_batches if result else [],
        "pathological": [run.to_dict() for run in patho],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")
    clean = (result is None or result.clean) and not any(run.failures for run in patho)
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
