"""Where the article says it got its news: "according to TASS", "told Reuters", "(AP)".

Only outlets and agencies count, not people: the source must be a known agency, an
organisation mention, or a name with a newsroom word in it (News, Times, Post, TV, ...).
These feed the citation graph of the comparison.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from newsweave.annotate.model import Attribution, Mention
from newsweave.annotate.names import fold

_AGENCIES = {
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
    "reuters": "Reuters",
    "tass": "TASS",
    "ria novosti": "RIA Novosti",
    "ria": "RIA Novosti",
    "interfax": "Interfax",
    "xinhua": "Xinhua",
    "bbc": "BBC",
    "cnn": "CNN",
    "cnbc": "CNBC",
    "bloomberg": "Bloomberg",
    "al jazeera": "Al Jazeera",
    "dpa": "dpa",
    "upi": "UPI",
    "efe": "EFE",
    "ansa": "ANSA",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "sana": "SANA",
    "irna": "IRNA",
    "anadolu": "Anadolu Agency",
    "anadolu agency": "Anadolu Agency",
    "pa": "PA Media",
}
_NEWSROOM_TEXT = """
    news times post journal herald tribune gazette telegraph guardian observer
    ledger courier chronicle daily weekly agency press tv radio television
    broadcaster channel wire magazine review standard mirror express record
    register dispatch bulletin clarion sentinel examiner inquirer enquirer monitor
    star sun globe mail independent economist statesman pioneer argus beacon
"""
_NEWSROOM_WORDS = frozenset(_NEWSROOM_TEXT.split())
# Too common to stand for one outlet alone ("the Post"); other single words may ("the Clarion").
_GENERIC_TEXT = """
    news times post journal daily weekly press agency tv radio television review record
    mail star sun standard express mirror herald tribune observer guardian telegraph
    independent wire magazine channel
"""
_GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())
_NAME = r"((?:the\s+)?(?:[A-Z][\w'’.&-]*|al)(?:\s+(?:[A-Z][\w'’.&-]*|(?:of|al|de|la|the)\b))*)"
_MEDIUM = r"(?:newspaper|daily|radio|broadcaster|television|TV|news agency|agency|website)"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "according to",
        re.compile(r"\b[Aa]ccording to (?:(?:projections|figures|data) by )?" + _NAME),
    ),
    ("citing", re.compile(r"\b[Cc]iting " + _NAME)),
    (
        "told",
        re.compile(r"\btold (?:the )?(?:national |state |public )?" + _MEDIUM + r"? ?" + _NAME),
    ),
    ("in an interview with", re.compile(r"\b[Ii]n an interview with " + _NAME)),
    ("quoted by", re.compile(r"\b(?:quoted|cited|carried) by " + _NAME)),
    ("reported by", re.compile(r"\breported by " + _NAME)),
    ("source", re.compile(r"(?im)(?:^|\()\s*(?-i:[Ss]ources?|SOURCES?):\s*" + _NAME)),
    ("credit", re.compile(r"\((AP|AFP|Reuters|TASS|dpa|UPI|Xinhua|Interfax|EFE|ANSA|PA)\)")),
    ("credit", re.compile(r"\(([A-Z]{2,6})\)(?=\s*[-–—])")),  # dateline: "LONDON, May 2 (XYZ) -"
    (
        "reported",
        re.compile(
            _NAME + r"(?: " + _MEDIUM + r")? (?:reported|reports|projected|said in a report)"
        ),
    ),
)
# Cues after which a named organisation is a source even if it is no outlet.
_ANY_BODY = frozenset({"according to", "citing", "reported"})


def find_attributions(
    text: str, mentions: Sequence[Mention], outlets: Collection[str] = ()
) -> list[Attribution]:
    """The article's own citations of outlets and agencies, in text order.

    ``outlets`` are names known to be outlets (those of the store), cited by any name form.
    """
    people = [(m.start, m.end) for m in mentions if m.kind == "person"]
    known = outlet_names(outlets)
    bodies = {outlet_key(m.text): m.name for m in mentions if m.kind in {"organisation", "group"}}
    found: list[Attribution] = []
    taken: list[tuple[int, int]] = []
    for cue, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.start(1), match.start(1) + len(_trimmed(match.group(1)))
            name = _trimmed(match.group(1))
            if cue == "credit":
                source: str | None = _credit(name)
            else:
                source = _outlet(name, known, _medium_named(match.group(0)))
                if source is None and cue in _ANY_BODY:
                    source = bodies.get(outlet_key(name))
            if source is None or any(a < end and start < b for a, b in people + taken):
                continue
            first = min(match.start(), start)
            last = match.end() if cue in {"credit", "reported"} else end
            taken.append((first, last))
            found.append(Attribution(first, last, text[first:last], source, cue))
    found.sort(key=lambda a: a.start)
    return found


def _trimmed(name: str) -> str:
    """The name without trailing small words the pattern swept up ("Reuters the")."""
    words = name.split()
    while len(words) > 1 and words[-1].islower():
        words.pop()
    if words and words[-1].endswith(".") and "." not in words[-1][:-1]:
        words[-1] = words[-1][:-1]  # the sentence's full stop, not "U.S."
    return " ".join(words)


def outlet_names(outlets: Collection[str]) -> dict[str, str]:
    """Every way to cite a store outlet -> its name: "The Daily Clarion" is also "Daily
    Clarion", "Clarion" and "DC"; a lone common word ("Post") stands for no outlet."""
    known: dict[str, str] = {}
    for name in outlets:
        words = outlet_key(name).split()
        for first in range(len(words)):
            tail = words[first:]
            if first == 0 or not (len(tail) == 1 and tail[0] in _GENERIC_WORDS):
                known.setdefault(" ".join(tail), name)
        if len(words) > 1:
            known.setdefault("".join(w[0] for w in words), name)
    return known


def outlet_key(name: str) -> str:
    """How an outlet's name is compared: folded, without "The" and trailing marks."""
    return fold(re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE).rstrip(".'’"))


def _credit(abbreviation: str) -> str:
    return _AGENCIES.get(fold(abbreviation), abbreviation)


def _medium_named(cited: str) -> bool:
    """ "the Bild newspaper", "Rai radio": the words say it is an outlet."""
    return re.search(r"\b" + _MEDIUM + r"\b", cited) is not None


def _outlet(name: str, known: dict[str, str], medium: bool = False) -> str | None:
    """The outlet's canonical name, or None when ``name`` is not an outlet."""
    bare = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE).rstrip(".'’")
    key = fold(bare)
    if key in known:
        return known[key]
    if key in _AGENCIES:
        return _AGENCIES[key]
    words = key.split()
    if words and words[-1] in {"agency", "news"} and fold(words[0]) in _AGENCIES:
        return _AGENCIES[fold(words[0])]
    if medium or any(word in _NEWSROOM_WORDS for word in words):
        return bare
    return None
