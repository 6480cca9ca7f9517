"""Synthetic news for tests and benchmarks: deterministic, with planted duplicates and copies.

>>> records = list(synthetic_records(3, seed=1))
>>> sorted(records[0])
['body', 'headline', 'id', 'link', 'outlet', 'published']
"""

from __future__ import annotations

import heapq
import html
import itertools
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

OUTLETS = ("Northgate Courier", "Valley Herald", "Meridian Wire", "Coastline Post", "Daily Ferry")
_PLACES = ("Aldermoor", "Brisk Harbour", "Calder Falls", "Dunmore", "Eastwick", "Fenlow")
_ACTORS = ("the mayor", "the council", "police", "the ministry", "union leaders", "residents")
_VERBS = ("announced", "rejected", "approved", "criticised", "investigated", "postponed")
_OBJECTS = ("a new budget", "the bridge repairs", "the strike", "the school merger", "a curfew")
_FILLER = (
    "Officials said more details would follow later in the week.",
    "The decision drew mixed reactions from local businesses.",
    "Several hundred people attended a public meeting on the issue.",
    "Critics argued that the plan had been rushed through without consultation.",
    "A spokesperson declined to comment on the timeline.",
    "Figures released on the same day showed a rise of {n} percent.",
    "The authorities estimated the cost at {n} million.",
    "About {n} people were affected, according to early estimates.",
)
EXACT_DUPLICATE_EVERY = 50
COPY_EVERY = 40


def _vocabulary(size: int = 20_000) -> list[str]:
    rng = random.Random(42)
    syllables = ("ka", "lo", "mer", "tin", "sa", "vo", "ren", "di", "por", "el", "ta", "nu")
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(size)]


_WORDS = _vocabulary()
_CUMULATIVE = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(_WORDS))))  # Zipf


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, cum_weights=_CUMULATIVE, k=rng.randint(8, 22))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    lead = (
        f"In {rng.choice(_PLACES)}, {rng.choice(_ACTORS)} {rng.choice(_VERBS)} "
        f"{rng.choice(_OBJECTS)} on {rng.choice(('Monday', 'Tuesday', 'Friday'))}."
    )
    filler = rng.choice(_FILLER).format(n=rng.randint(2, 900))
    rest = [_sentence(rng) for _ in range(rng.randint(3, 5))]
    return " ".join([lead, *rest, filler])


def _body(rng: random.Random, paragraphs: int) -> str:
    return "\n\n".join(_paragraph(rng) for _ in range(paragraphs))


def _copy_of(rng: random.Random, body: str) -> str:
    """Most of ``body`` with one paragraph rewritten and one added."""
    parts = body.split("\n\n")
    parts[rng.randrange(len(parts))] = _paragraph(rng)
    return "\n\n".join([*parts, _paragraph(rng)])


def synthetic_records(count: int, seed: int = 0, paragraphs: int = 5) -> Iterator[dict[str, Any]]:
    """``count`` article records; every 50th repeats an earlier text, every 40th copies one."""
    rng = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    bodies: list[str] = []
    for index in range(count):
        if index and index % EXACT_DUPLICATE_EVERY == 0:
            body = bodies[rng.randrange(len(bodies))]
        elif index and index % COPY_EVERY == 0:
            body = _copy_of(rng, bodies[rng.randrange(len(bodies))])
        else:
            body = _body(rng, paragraphs)
        bodies.append(body)
        outlet = OUTLETS[index % len(OUTLETS)]
        moment = start + timedelta(minutes=37 * index)
        yield {
            "id": f"synth-{seed}-{index}",
            "headline": f"{rng.choice(_ACTORS).capitalize()} {rng.choice(_VERBS)} "
            f"{rng.choice(_OBJECTS)} ({index})",
            "body": body,
            "outlet": outlet,
            "link": f"https://{outlet.lower().replace(' ', '')}.example/news/{index}",
            "published": moment.isoformat(),
        }


def write_jsonl(path: Path, count: int, seed: int = 0, paragraphs: int = 5) -> Path:
    """Write ``count`` synthetic records as JSON Lines."""
    with path.open("w", encoding="utf-8") as handle:
        for record in synthetic_records(count, seed, paragraphs):
            handle.write(json.dumps(record) + "\n")
    return path


def html_page(record: dict[str, Any]) -> str:
    """A news page with navigation, metadata and footer around the article."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in record["body"].split("\n\n"))
    title = html.escape(record["headline"])
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title} | {html.escape(record['outlet'])}</title>"
        f"<meta property='og:site_name' content='{html.escape(record['outlet'])}'>"
        f"<meta property='og:url' content='{record['link']}'>"
        f"<meta property='article:published_time' content='{record['published']}'>"
        "</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a> "
        "<a href='/sport'>Sport</a></nav><main><article>"
        f"<h1>{title}</h1>{paragraphs}</article></main>"
        "<aside><h2>Most read</h2><ul><li>Weather warning</li><li>Match report</li></ul></aside>"
        "<footer>© Synthetic News Ltd. All rights reserved.</footer></body></html>"
    )


def write_html_pages(folder: Path, count: int, seed: int = 0) -> Path:
    """Write ``count`` synthetic HTML pages into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, record in enumerate(synthetic_records(count, seed)):
        (folder / f"page-{index:06d}.html").write_text(html_page(record), encoding="utf-8")
    return folder


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_WORDS[2000:]) for _ in range(2)).title()


def synthetic_event_stream(
    count: int, seed: int = 0, per_day: int = 100
) -> Iterator[dict[str, Any]]:
    """A stream with event structure: each event, with its own names and place, is reported
    by 1 to 5 articles within three days. Records carry their ``event`` label, in time order."""
    rng = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    pending: list[tuple[float, int, dict[str, Any]]] = []
    produced = event = 0
    while produced < count:
        day = produced / per_day
        names = [_name(rng) for _ in range(3)]
        for _ in range(min(rng.randint(1, 5), count - produced)):
            when = day + rng.uniform(0, 3)
            record = {
                "id": f"ev-{seed}-{produced}",
                "headline": f"{names[0]} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} in {names[1]}",
                "body": f"{names[0]} of {names[1]} met {names[2]}. " + _paragraph(rng),
                "outlet": rng.choice(OUTLETS),
                "published": (start + timedelta(days=when)).isoformat(),
                "event": event,
            }
            heapq.heappush(pending, (when, produced, record))
            produced += 1
        event += 1
        while pending and pending[0][0] < day:
            yield heapq.heappop(pending)[2]
    while pending:
        yield heapq.heappop(pending)[2]


_FIRST = ("Anna", "Marek", "Sandra", "Tomas", "Helen", "Victor", "Lena", "Oskar", "Ruth", "Ivo")
_LAST = ("Dovlan", "Kettle", "Brandt", "Moravec", "Okafor", "Lindqvist", "Harrow", "Seddon")
_ROLES = ("Foreign Minister", "President", "Mayor", "Chief Inspector", "Governor", "Senator")
_COUNTRIES = ("Kestria", "Russia", "the United States", "Germany", "France", "Syria", "Turkey")
_NEWS_TEMPLATES = (
    '"{claim}," {name} told reporters in {place} on {day}.',
    "{role} {name} said that {claim_lower}.",
    "{country} withdrew {n} troops from {place} last month, according to officials.",
    "More than {n:,} people were evacuated on {day} as the river rose.",
    '"{claim}," said {name}. "{claim2}"',
    "{name}, who arrived in {place} {ago} days ago, met {name2} for {hours} hours.",
    "Police arrested {small} people after protesters attacked the offices of {org}.",
    "The {org} accused {country} of breaking the ceasefire agreed in {month}.",
    "About {n} homes lost power, the utility said in a statement on {day}.",
    "{name2} rejected the plan and warned that {claim_lower}.",
)
_CLAIMS = (
    "We will not accept any deal that ignores the people of the valley",
    "The situation is under control and the roads will reopen tomorrow",
    "Nobody told us the barrier had failed until it was too late",
    "This is a dark day for everyone who believed in the agreement",
    "Our teams worked through the night and they deserve our thanks",
)
_ORGS = ("United Nations", "Red Cross", "National Rivers Board", "Harbour Council", "NATO")
_MONTHS = ("January", "March", "May", "September", "November")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _news_sentence(rng: random.Random, cast: dict[str, str]) -> str:
    claim = rng.choice(_CLAIMS)
    return rng.choice(_NEWS_TEMPLATES).format(
        claim=claim, claim_lower=claim[0].lower() + claim[1:], claim2=rng.choice(_CLAIMS) + ".",
        name=cast["name"], name2=cast["name2"], role=rng.choice(_ROLES),
        country=rng.choice(_COUNTRIES), place=cast["place"], org=rng.choice(_ORGS),
        day=rng.choice(_DAYS), month=rng.choice(_MONTHS), n=rng.randint(20, 5000),
        small=rng.randint(2, 40), ago=rng.randint(2, 9), hours=rng.randint(2, 6),
    )  # fmt: skip


def _cast(rng: random.Random) -> dict[str, str]:
    """The people and place of one generated event."""
    return {
        "name": f"{rng.choice(_FIRST)} {_name(rng)}",
        "name2": _name(rng),
        "place": _name(rng),
    }


def synthetic_news(count: int, seed: int = 0, words: int = 500) -> Iterator[dict[str, Any]]:
    """``count`` news-like articles of about ``words`` words, with names, quotes, numbers
    and dates, for timing annotation and reports on text shaped like real news. Articles
    come in events of 1 to 6, each event with its own people and place."""
    rng = random.Random(seed)
    start = datetime(2021, 1, 1, tzinfo=UTC)
    cast, left = _cast(rng), 0
    for number in range(count):
        if left == 0:
            cast, left = _cast(rng), rng.randint(1, 6)
        left -= 1
        paragraphs: list[str] = []
        total = 0
        while total < words:
            paragraph = " ".join(_news_sentence(rng, cast) for _ in range(rng.randint(2, 3)))
            paragraphs.append(paragraph)
            total += len(paragraph.split())
        yield {
            "id": f"news-{seed}-{number}",
            "headline": f"{cast['name']} under pressure in {cast['place']}",
            "body": "\n\n".join(paragraphs),
            "outlet": rng.choice(OUTLETS),
            "published": (start + timedelta(hours=number)).isoformat(),
        }
