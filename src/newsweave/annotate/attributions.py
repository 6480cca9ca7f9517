"""Where the article says it got its news: "according to TASS", "told Reuters", "(AP)".

Only outlets and agencies count, not people: the source must be an outlet of the store, one
of the outlet table (``newsweave.outlets``: agencies and major outlets by any of their
names, given as the table's name), an organisation mention, or a name with a newsroom word
in it (News, Times, Post, TV, ...). "told the Post" names the article's own outlet when it
is a Post. These feed the citation graph of the comparison.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from newsweave.annotate.model import Attribution, Mention
from newsweave.annotate.names import fold
from newsweave.annotate.spans import SpanSet
from newsweave.outlets import GENERIC_NAMES, Outlet, OutletTable, default_table, name_key

# An acronym this short must be written in capitals to be an outlet ("MAP", not "Map").
_SHORT_ACRONYM = 3
# Abbreviations with a full stop that ends no sentence ("Gen. Li", "Acme Corp. said").
_ABBREVIATION_TEXT = """
    gen sen rep gov col capt sgt maj adm cpl pvt prof rev hon pres supt insp det
    inc corp ltd bros ave blvd jan feb mar apr aug sept sep oct nov dec est
"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())
# Words after an outlet's name that are no part of it: "Interfax news agency".
_AGENCY_WORDS = re.compile(r"(?:\s+(?:news|agency|news agency|newspaper))+$", re.IGNORECASE)
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
_SPACE_BEFORE_SOURCE = 40  # blank lines and spaces before "Source:" taken into its span
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
    (  # at most ``_SPACE_BEFORE_SOURCE`` spaces first: linear in a run of blank lines
        "source",
        re.compile(
            rf"(?im)(?:^|\()\s{{0,{_SPACE_BEFORE_SOURCE}}}(?-i:[Ss]ources?|SOURCES?):\s*" + _NAME
        ),
    ),
    ("credit", re.compile(r"\((AP|AFP|Reuters|TASS|dpa|UPI|Xinhua|Interfax|EFE|ANSA|PA)\)")),
    ("credit", re.compile(r"\(([A-Z]{2,6})\)(?=\s*[-–—])")),  # dateline: "LONDON, May 2 (XYZ) -"
    (
        "reported",
        re.compile(
            r"(?<![\w'’.&-])"  # a name starts a word: tried once per word, not per letter
            + _NAME.replace(")*)", "){0,9})")  # at most ten words: linear in a run of names
            + r"(?: "
            + _MEDIUM
            + r")? (?:reported|reports|projected|said in a report)"
        ),
    ),
)
_MEDIUM_AFTER = re.compile(r"\s+" + _MEDIUM + r"\b")
# Cues after which a named organisation is a source even if it is no outlet.
_ANY_BODY = frozenset({"according to", "citing", "reported"})


def find_attributions(
    text: str,
    mentions: Sequence[Mention],
    outlets: Collection[str] = (),
    *,
    own: str | None = None,
    table: OutletTable | None = None,
) -> list[Attribution]:
    """The article's own citations of outlets and agencies, in text order.

    ``outlets`` are names known to be outlets (those of the store), cited by any name form;
    ``own`` is the article's outlet (name or domain), for "told the Post" in the Post;
    ``table`` the outlet table (the bundled one by default).
    """
    people = SpanSet((m.start, m.end) for m in mentions if m.kind == "person")
    known = outlet_names(outlets)
    lookup = _Lookup(default_table() if table is None else table, own)
    bodies = {outlet_key(m.text): m.name for m in mentions if m.kind in {"organisation", "group"}}
    found: list[Attribution] = []
    taken = SpanSet()
    for cue, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            skipped, name = _one_sentence(_trimmed(match.group(1)), last=cue == "reported")
            start = match.start(1) + skipped
            end = start + len(name)
            # "the Bild newspaper", "Rai radio": an outlet, whatever the tagger thought
            medium = _medium_named(match.group(0)) or _MEDIUM_AFTER.match(text, end) is not None
            if cue == "credit":
                source: str | None = lookup.credit(name)
            else:
                source = _outlet(name, known, lookup, medium)
                if source is None and cue in _ANY_BODY:
                    source = bodies.get(outlet_key(name))
            blocked = taken.overlaps(start, end) or (not medium and people.overlaps(start, end))
            if source is None or blocked:
                continue
            first = min(match.start(), start)
            last = match.end() if cue in {"credit", "reported"} else end
            taken.add(first, last)
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


def _one_sentence(name: str, last: bool) -> tuple[int, str]:
    """(offset, name) of the name's first sentence, or its ``last``, when the pattern ran
    over a full stop ("told AFP. Pockets"); "U.S.", "St." and "Gen." end no sentence."""
    ends = [
        m.end()
        for m in re.finditer(r"\b([^\s.]{3,})\.\s+", name)
        if m.group(1).lower() not in _ABBREVIATIONS
    ]
    if not ends:
        return 0, name
    if last:
        return ends[-1], name[ends[-1] :]
    return 0, name[: ends[0]].rstrip().removesuffix(".")


class _Lookup:
    """Cited names resolved through the outlet table, for one article."""

    def __init__(self, table: OutletTable, own: str | None) -> None:
        self.table = table
        self.own = own
        self.mine = table.find(own) if own else None
        self.own_forms = _own_forms(own) if own and self.mine is None else frozenset()

    def outlet(self, cited: str) -> str | None:
        """The table's name for ``cited``, the store's own outlet for its short form, or None."""
        for name in dict.fromkeys((cited, _AGENCY_WORDS.sub("", cited))):
            found = self.table.by_name(name, self.own)
            if found is not None and (found is self.mine or _written_as(name, found)):
                return found.name
        if self.own and outlet_key(cited) in self.own_forms:
            return self.own  # "told the Post" in a Post the table does not know
        return None

    def credit(self, abbreviation: str) -> str:
        """ "(AP)" -> "Associated Press"; an unknown credit stays as written."""
        return self.outlet(abbreviation) or abbreviation


def _own_forms(own: str) -> frozenset[str]:
    """The tails of the article's own outlet name: "meridian post", and "post" alone, which
    names no other outlet; a lone word that is no newsroom word ("australia") is left out."""
    words = outlet_key(own).split()
    tails = [" ".join(words[i:]) for i in range(len(words))]
    generic = _GENERIC_WORDS | GENERIC_NAMES
    return frozenset(t for t in tails if " " in t or t in generic)


def _written_as(cited: str, outlet: Outlet) -> bool:
    """Whether ``cited`` is written the way one of the outlet's names is: a short acronym
    in capitals ("MAP", not "Map data"), one word of a "The ..." name with its article
    ("the Hindu", not "Hindu tradition")."""
    key = name_key(cited)
    has_article = re.match(r"the\s", cited.strip(), re.IGNORECASE) is not None
    core = re.sub(r"^the\s+", "", cited.strip(), flags=re.IGNORECASE)
    core = re.sub(r"['’]s?$", "", core).rstrip(".")
    for form in outlet.names():
        if name_key(form) != key:
            continue
        if form.isupper() and len(form) <= _SHORT_ACRONYM and not core.isupper():
            continue
        if re.match(r"the\s", form, re.IGNORECASE) and " " not in core and not has_article:
            continue
        return True
    return False


def _medium_named(cited: str) -> bool:
    """ "the Bild newspaper", "Rai radio": the words say it is an outlet."""
    return re.search(r"\b" + _MEDIUM + r"\b", cited) is not None


def _outlet(name: str, known: dict[str, str], lookup: _Lookup, medium: bool = False) -> str | None:
    """The outlet's canonical name, or None when ``name`` is not an outlet."""
    bare = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE).rstrip(".'’")
    key = fold(bare)
    if key in known:
        return known[key]
    found = lookup.outlet(name)
    if found is not None:
        return found
    words = key.split()
    if medium or any(word in _NEWSROOM_WORDS for word in words):
        return bare
    return None
