"""Quantities in news text: a number, its unit, its hedge and what it counts.

A quantity is a number written in digits ("2,200", "6.1", "3bn"), in words ("three",
"two hundred and fifty", "a dozen") or both ("1.5 billion"), with:

* ``unit``: a currency code for money ("$5 million", "€3bn", "20 pounds sterling"),
  "percent" ("40%", "40 percent", "40 per cent"), "percentage point", a time unit
  (second, minute, hour, day, week, month, year, decade) or a measure (km, mile, kg, ton,
  metre, lb, magnitude), in the singular. Units may be hyphenated into an adjective ("a
  three-hour-long press conference", "a 17-year-old boy") or come first ("magnitude 6.1").
  Ages are years: "a 17-year-old boy" and "aged 17" have unit "year".
* ``modifier``: the hedge just before it, lower-cased ("over", "more than", "an estimated").
* ``counted``: the noun phrase it counts, without number and hedge ("over 2,200 US
  soldiers" counts "US soldiers"): the noun right after it whose parse subtree holds the
  number, with the compounds and adjectives in between.

The span runs from the hedge to the end of the counted phrase (or of the unit).

Not reported: years ("in 2016", "the 2016 election"; 1900-2099 is a count only before a
plural noun it modifies, "1950 soldiers"), dates ("September 12"), times of day
("3 p.m.", "16:20"), ordinals ("3rd"), phone numbers, scores and ranges ("555-1234",
"3-1", "10-15"), labels and ids ("Flight 370", "Article 5", "Boeing 737"), numbers inside
words ("G20", "Covid-19", "F-16"), list markers ("1.", "(2)"), fractions ("two-thirds",
"half a million"), vague plurals ("hundreds of", "dozens of"), a lone "one" with nothing
counted, numbers hyphenated to a word that is not a unit ("a 10-point lead"), and a bare
age in apposition ("John Smith, 45,"), which says nothing about what is counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsweave.annotate.doctext import text_of
from newsweave.annotate.spans import sentences_of
from newsweave.annotation import Quantity

__all__ = ["find_quantities"]

_DIGITS = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_SUFFIXED = re.compile(r"(\d+(?:\.\d+)?)(bn|mn|tn|trn|m|k)", re.IGNORECASE)
_MAGNITUDE = re.compile(r"magnitude-(\d+(?:\.\d+)?)", re.IGNORECASE)


def _words_in(text: str) -> tuple[str, ...]:
    """The space-separated words of ``text``, in order."""
    return tuple(text.split())


_SMALL: dict[str, float] = {
    word: float(n)
    for n, word in enumerate(
        _words_in(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
} | {
    word: float(10 * n)
    for n, word in enumerate(_words_in("twenty thirty forty fifty sixty seventy eighty ninety"), 2)
}
# Multipliers inside a number ("two hundred", "two dozen").
_TIMES: dict[str, float] = {"hundred": 100.0, "dozen": 12.0}
# Scales that close a group ("two hundred thousand").
_SCALES: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "mn": 1e6,
    "bn": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}
# Abbreviations that scale only money ("$5m", "£20k"); otherwise "5m" is five metres.
_MONEY_SCALES: dict[str, float] = {"m": 1e6, "k": 1e3}

_CURRENCY_PREFIX: dict[str, str] = {
    "$": "USD",
    "US$": "USD",
    "USD": "USD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₽": "RUB",
    "A$": "AUD",
    "C$": "CAD",
    "HK$": "HKD",
}
_CURRENCY_WORD: dict[str, str] = {
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "gbp": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "rupee": "INR",
    "rupees": "INR",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
}
_POUNDS = frozenset({"pound", "pounds"})  # money when scaled or "sterling", else weight

_UNITS: dict[str, str] = {
    "second": "second",
    "minute": "minute",
    "hour": "hour",
    "day": "day",
    "week": "week",
    "month": "month",
    "year": "year",
    "decade": "decade",
    "km": "km",
    "kilometre": "km",
    "kilometer": "km",
    "mile": "mile",
    "kg": "kg",
    "kilogram": "kg",
    "ton": "ton",
    "tonne": "ton",
    "metre": "metre",
    "meter": "metre",
    "m": "metre",
    "magnitude": "magnitude",
    "lb": "lb",
}
_PERCENT = frozenset({"%", "percent", "pct"})
_UNIT_SUFFIX = frozenset({"long", "old"})  # "three-hour-long", "17-year-old"

_MODIFIERS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(phrase.split())
            for phrase in (
                "over",
                "more than",
                "at least",
                "about",
                "around",
                "approximately",
                "nearly",
                "almost",
                "some",
                "up to",
                "fewer than",
                "less than",
                "under",
                "roughly",
                "an estimated",
                "at most",
                "as many as",
                "as few as",
                "just over",
                "just under",
                "close to",
            )
        ),
        key=len,
        reverse=True,
    )
)

_MONTHS = frozenset(
    _words_in(
        "January February March April May June July August September October November December "
        "Jan Jan. Feb Feb. Mar Mar. Apr Apr. Jun Jun. Jul Jul. Aug Aug. Sep Sep. Sept Sept. "
        "Oct Oct. Nov Nov. Dec Dec."
    )
)
_CLOCK = frozenset(_words_in("a.m. p.m. a.m p.m am pm o'clock gmt utc bst cet est edt et pst hrs"))
_LABELS = frozenset(
    _words_in(
        "no no. nos. number # flight route article section chapter page figure table resolution "
        "room gate platform highway interstate channel version model episode season volume vol. "
        "part paragraph clause amendment line level phase stage round category grade"
    )
)
_PHONE_CUES = frozenset(_words_in("call dial tel tel. phone telephone fax hotline"))
_STREETS = frozenset(_words_in("street road avenue lane square place drive boulevard"))
_FRACTIONS = frozenset(_words_in("half quarter quarters third thirds fifth fifths"))
_NAME_ENTS = frozenset({"FAC", "ORG", "PRODUCT", "LAW", "WORK_OF_ART", "EVENT", "GPE", "LOC"})
_DATE_ENTS = frozenset({"DATE", "TIME"})
_AGE_PREFIX = frozenset({"aged", "age"})
_CHAIN_GLUE = frozenset({"-", "–", "/", ":", "."})


@dataclass(frozen=True, slots=True)
class _Number:
    """The tokens ``start``..``end`` (exclusive) that write one number."""

    start: int
    end: int
    value: float
    words: bool  # written in words ("three", "a dozen")
    year_like: bool  # a bare four-digit 1900-2099


@dataclass(frozen=True, slots=True)
class _Unit:
    """A unit found around a number; ``start``/``end`` widen the span to cover it."""

    name: str | None
    start: int
    end: int


def find_quantities(doc: Doc) -> list[Quantity]:
    """Every quantity in ``doc``, sorted by start and not overlapping."""
    found: list[Quantity] = []
    floor = 0  # the first token not yet inside a reported quantity
    openers = _maybe_openers(doc)
    i = 0
    while i < len(doc):
        if i not in openers or not _starts_number(doc, i):
            i += 1
            continue
        chain = _chain_end(doc, i)
        if chain > i + 1:  # phone number, score, range or date with slashes
            i = chain
            continue
        quantity, i = _quantity_at(doc, i, floor)
        if quantity is not None:
            found.append(quantity)
            floor = i
    return found


def _quantity_at(doc: Doc, i: int, floor: int) -> tuple[Quantity | None, int]:
    """The quantity whose number starts at token ``i`` (None when it is not one) and the
    token to go on from, which follows the quantity's span when there is one."""
    money_at = _currency_before(doc, i, floor)
    number = _read_number(doc, i, money_at is not None)
    if number is None:
        return None, i + 1
    unit = _unit_around(doc, number, money_at, floor)
    if unit is None or _excluded(doc, number, unit):
        return None, number.end
    anchors = [doc[k] for k in range(number.start, unit.end)]
    head = _counted_head(doc, unit.end, anchors)
    if not _keep(doc, number, unit, head):
        return None, number.end
    start = _modifier_start(doc, unit.start, floor)
    end = head.i + 1 if head is not None else unit.end
    start_char = doc[start].idx
    end_char = _end_char(doc[end - 1])
    quantity = Quantity(
        start=start_char,
        end=end_char,
        text=text_of(doc)[start_char:end_char],
        value=number.value,
        unit=unit.name,
        modifier=_words(doc, start, unit.start) if start < unit.start else None,
        counted=text_of(doc)[doc[unit.end].idx : _end_char(head)] if head is not None else None,
        role=_role(head if head is not None else doc[number.end - 1]),
    )
    return quantity, end


# --- the role of what is counted ---------------------------------------------------------

_PREDICATES = ("VERB", "ADJ")
_ROLE_NOUNS = frozenset(
    {"death", "fatality", "casualty", "injury", "arrest", "victim", "survivor", "hostage"}
)
_LIGHT_VERBS = frozenset({"be", "have", "leave", "remain", "stay", "include"})
_ROLE_STEPS = 3  # heads climbed from the counted noun (through "of", "among", conjunctions)


def _role(anchor: Token) -> str | None:
    """The predicate the counted thing takes part in, as a lemma: "two people were killed"
    and "killing two people" give "kill", "sixteen people treated" "treat", "three dead"
    "dead", "the deaths of two men" "death". None when the parse shows none nearby."""
    for child in anchor.children:  # a participle or adjective after it: "two people shot"
        after = child.i > anchor.i and child.pos_ in _PREDICATES
        if after and child.dep_ in ("acl", "relcl", "amod"):
            return child.lemma_.lower()
    token = anchor
    for _ in range(_ROLE_STEPS):
        parent = token.head
        if parent is token:
            return None
        lemma = parent.lemma_.lower()
        if lemma in _LIGHT_VERBS or parent.pos_ == "AUX":  # "left two dead", "two were dead"
            return _complement(parent, anchor)
        if parent.pos_ in _PREDICATES or lemma in _ROLE_NOUNS:
            return lemma
        token = parent
    return None


def _complement(verb: Token, anchor: Token) -> str | None:
    """What a light verb says of the counted: "left two dead" gives "dead"; "there were 15
    gunshots" gives none."""
    for child in verb.children:
        after = child.i > anchor.i and child.pos_ in _PREDICATES
        if after and child.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "conj"):
            return child.lemma_.lower()
    for child in anchor.children:
        if child.i > anchor.i and child.pos_ in _PREDICATES:
            return child.lemma_.lower()
    return None


# --- numbers ---------------------------------------------------------------------------


_OPENING_WORDS = frozenset(_SMALL) | {"a", "an"}


def _maybe_openers(doc: Doc) -> set[int]:
    """The tokens ``_starts_number`` may accept, by a cheap look at each: a digit first
    (``\\d``), a hyphen ("magnitude-7") or a number word; the rest need no closer look."""
    return {
        t.i for t in doc if t.text[:1].isdecimal() or "-" in t.text or t.lower_ in _OPENING_WORDS
    }


def _starts_number(doc: Doc, i: int) -> bool:
    """Whether token ``i`` can open a number."""
    tok = doc[i]
    text: str = tok.text
    if _DIGITS.fullmatch(text) or _SUFFIXED.fullmatch(text) or _MAGNITUDE.fullmatch(text):
        return True
    low: str = tok.lower_
    if low in _SMALL:
        return bool(tok.tag_ == "CD")
    return low in {"a", "an"} and i + 1 < len(doc) and _is_group_word(doc[i + 1].lower_)


def _is_group_word(low: str) -> bool:
    return low in _TIMES or low in ("thousand", "million", "billion", "trillion")


def _chain_end(doc: Doc, i: int) -> int:
    """The end of a run of digit tokens glued by "-", "/", ":" or written side by side
    ("555-1234", "3-1", "020 7946 0958"); ``i + 1`` when token ``i`` stands alone."""
    end = i + 1
    while end < len(doc):
        tok = doc[end]
        if _DIGITS.fullmatch(tok.text) and _DIGITS.fullmatch(doc[end - 1].text):
            end += 1
        elif (
            tok.text in _CHAIN_GLUE
            and not doc[end - 1].whitespace_
            and not tok.whitespace_
            and end + 1 < len(doc)
            and _DIGITS.fullmatch(doc[end + 1].text)
            and _DIGITS.fullmatch(doc[end - 1].text)
        ):
            end += 2
        else:
            break
    return end


def _read_number(doc: Doc, i: int, money: bool) -> _Number | None:
    """Read the number opening at token ``i``: digits, words and scales together."""
    first = doc[i]
    parts: list[tuple[str, float]] = []
    words = False
    if match := _SUFFIXED.fullmatch(first.text):
        scale = _SCALES.get(match[2].lower())
        if scale is None:
            if not money:
                return None
            scale = _MONEY_SCALES[match[2].lower()]
        parts = [("add", float(match[1])), ("scale", scale)]
    elif match := _MAGNITUDE.fullmatch(first.text):
        parts = [("add", float(match[1]))]
    elif _DIGITS.fullmatch(first.text):
        parts = [("add", float(first.text.replace(",", "")))]
    else:
        words = True
        parts = [("add", _SMALL.get(first.lower_, 1.0))]  # "a"/"an" before a scale is one
    end = i + 1
    while end < len(doc):
        step = _number_step(doc, end, words, money)
        if step is None:
            break
        part, end = step
        parts.append(part)
    year_like = end == i + 1 and re.fullmatch(r"(?:19|20)\d\d", first.text) is not None
    return _Number(i, end, _combine(parts), words, year_like)


def _number_step(
    doc: Doc, k: int, words: bool, money: bool
) -> tuple[tuple[str, float], int] | None:
    """The next part of a number at token ``k`` and the token after it, or None."""
    tok = doc[k]
    low: str = tok.lower_
    glued = not doc[k - 1].whitespace_
    if low in _TIMES:
        return ("times", _TIMES[low]), k + 1
    if low in _SCALES:
        return ("scale", _SCALES[low]), k + 1
    if low in _MONEY_SCALES and not words and (money or _currency_word_at(doc, k + 1)):
        return ("scale", _MONEY_SCALES[low]), k + 1
    nxt = doc[k + 1].lower_ if k + 1 < len(doc) else ""
    if low == "-" and glued and not tok.whitespace_ and nxt in _SCALES:
        return ("scale", _SCALES[nxt]), k + 2  # "$5-million"
    if not words:
        return None
    if low in _SMALL and tok.tag_ == "CD" and doc[k - 1].lower_ not in _SMALL:
        return ("add", _SMALL[low]), k + 1
    if low == "-" and glued and not tok.whitespace_ and nxt in _SMALL:
        return ("add", _SMALL[nxt]), k + 2  # "twenty-five"
    if low == "and" and nxt in _SMALL and doc[k - 1].lower_ not in _SMALL:
        return ("add", _SMALL[nxt]), k + 2  # "two hundred and fifty"
    return None


def _combine(parts: list[tuple[str, float]]) -> float:
    """Add, multiply and scale the parts: two hundred and fifty thousand is 250000."""
    total = 0.0
    current = 0.0
    for kind, amount in parts:
        if kind == "add":
            current += amount
        elif kind == "times":
            current = (current or 1.0) * amount
        else:
            total += (current or 1.0) * amount
            current = 0.0
    return total + current


# --- units -----------------------------------------------------------------------------


def _currency_before(doc: Doc, i: int, floor: int) -> int | None:
    """Index of a currency sign or code right before token ``i`` ("$5", "USD 5")."""
    k = i - 1
    if k >= floor and doc[k].text in _CURRENCY_PREFIX:
        return k
    return None


def _currency_word_at(doc: Doc, k: int) -> bool:
    if k >= len(doc):
        return False
    low: str = doc[k].lower_
    return (
        low in _CURRENCY_WORD
        or low in _POUNDS
        or (low == "us" and k + 1 < len(doc) and doc[k + 1].lower_ in ("dollar", "dollars"))
    )


def _unit_around(doc: Doc, number: _Number, money_at: int | None, floor: int) -> _Unit | None:
    """The unit of ``number`` and the tokens it covers; None when the number is glued to a
    word that is not a unit ("two-thirds", "10-point")."""
    start, end = number.start, number.end
    if money_at is not None:
        return _Unit(_CURRENCY_PREFIX[doc[money_at].text], money_at, end)
    if _MAGNITUDE.fullmatch(doc[start].text):
        return _Unit("magnitude", start, end)
    before = doc[start - 1].lower_ if start - 1 >= floor else ""
    if before == "magnitude":
        return _Unit("magnitude", start - 1, end)
    if before in _AGE_PREFIX:  # "aged 17", "aged 17 years"
        years = end < len(doc) and doc[end].lower_ in ("year", "years")
        return _Unit("year", start - 1, end + 1 if years else end)
    if end >= len(doc):
        return _Unit(None, start, end)
    tok = doc[end]
    low: str = tok.lower_
    if low in _PERCENT:
        return _Unit("percent", start, end + 1)
    nxt = doc[end + 1].lower_ if end + 1 < len(doc) else ""
    if low == "per" and nxt == "cent":
        return _Unit("percent", start, end + 2)
    if low == "percentage" and nxt in ("point", "points"):
        return _Unit("percentage point", start, end + 2)
    if low == "-" and not doc[end - 1].whitespace_ and not tok.whitespace_:
        return _hyphenated_unit(doc, start, end)
    if _currency_word_at(doc, end):
        return _currency_after(doc, number, end)
    name = _UNITS.get(str(tok.lemma_).lower()) or _UNITS.get(low)
    if name is None:
        return _Unit(None, start, end)
    end += 1
    if name == "year" and end < len(doc) and doc[end].lower_ == "old":
        end += 1  # "17 years old"
    return _Unit(name, start, end)


def _hyphenated_unit(doc: Doc, start: int, hyphen: int) -> _Unit | None:
    """ "three-hour-long", "17-year-old", "a 300-pound bomb"; None for other glued words."""
    if hyphen + 1 >= len(doc):
        return None
    low: str = doc[hyphen + 1].lower_
    name = "lb" if low == "pound" else _UNITS.get(low)
    if name is None:
        return None
    end = hyphen + 2
    if (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].lower_ in _UNIT_SUFFIX
    ):
        end += 2
    return _Unit(name, start, end)


def _currency_after(doc: Doc, number: _Number, k: int) -> _Unit:
    """A currency word after the number: "5 million dollars", "20 pounds sterling"."""
    low: str = doc[k].lower_
    if low == "us":
        return _Unit("USD", number.start, k + 2)
    if low in _POUNDS:
        sterling = k + 1 < len(doc) and doc[k + 1].lower_ == "sterling"
        if sterling:
            return _Unit("GBP", number.start, k + 2)
        return _Unit("GBP" if number.value >= 1e6 else "lb", number.start, k + 1)
    return _Unit(_CURRENCY_WORD[low], number.start, k + 1)


# --- what is counted -------------------------------------------------------------------


def _counted_head(doc: Doc, begin: int, anchors: list[Token]) -> Token | None:
    """The noun the number counts: the last noun of the run of nouns, adjectives and
    hyphens right after ``begin`` whose parse subtree holds the number."""
    if begin >= len(doc) or not anchors:
        return None
    sent_end = sentences_of(doc).end(anchors[0].i)
    head: Token | None = None
    for k in range(begin, sent_end):
        tok = doc[k]
        hyphen = tok.text == "-" and k > begin and not doc[k - 1].whitespace_
        if not (tok.pos_ in ("NOUN", "PROPN", "ADJ") or hyphen) or tok.text in _MONTHS:
            break
        if tok.pos_ in ("NOUN", "PROPN") and any(
            tok.left_edge.i <= a.i <= tok.right_edge.i for a in anchors
        ):
            head = tok
    return head


# --- what is not a quantity ------------------------------------------------------------


def _excluded(doc: Doc, number: _Number, unit: _Unit) -> bool:
    """Numbers that are parts of words, dates, clock times, list markers, ids or fractions."""
    first, last = doc[number.start], doc[number.end - 1]
    prev = doc[number.start - 1] if number.start > 0 else None
    nxt = doc[number.end] if number.end < len(doc) else None
    if first.text.startswith("0") and first.text[:2] != "0." and len(first.text) > 1:
        return True  # "0800", "007"
    if _inside_word(doc, number, unit):
        return True
    if (prev is not None and prev.text in _MONTHS) or (nxt is not None and nxt.text in _MONTHS):
        return True  # "September 12", "12 Sept."
    if nxt is not None and nxt.lower_ in _CLOCK and unit.name is None:
        return True  # "3 p.m.", "10 am"
    if _list_marker(doc, number):
        return True
    if unit.name is None and _labelled(doc, number.start):
        return True
    if any(doc[k].lower_ in _FRACTIONS for k in range(max(0, number.start - 2), number.start)):
        return True  # "half a million", "two-thirds"
    return bool(first.ent_type_ in _NAME_ENTS or last.ent_type_ in _NAME_ENTS)


def _inside_word(doc: Doc, number: _Number, unit: _Unit) -> bool:
    """Digits glued to letters that the tokenizer split off ("Covid-19" as "Covid", "-",
    "19"); whole tokens such as "G20" or "MH17" never open a number."""
    if unit.start < number.start or number.words:
        return False
    first = doc[number.start]
    if number.start > 0 and not doc[number.start - 1].whitespace_:
        prev = doc[number.start - 1]
        if prev.is_alpha:
            return True
        if prev.text in ("-", "–") and number.start > 1 and not doc[number.start - 2].whitespace_:
            return bool(doc[number.start - 2].is_alpha)
    if not first.whitespace_ and number.end == number.start + 1 and number.end < len(doc):
        nxt = doc[number.end]
        return bool(nxt.is_alpha) and unit.name is None and nxt.lower_ not in _MONEY_SCALES
    return False


def _list_marker(doc: Doc, number: _Number) -> bool:
    """ "1." or "2)" opening a line, "(3)" in brackets."""
    first = doc[number.start]
    nxt: str = doc[number.end].text if number.end < len(doc) else ""
    prev: str = doc[number.start - 1].text if number.start > 0 else ""
    if prev == "(" and nxt == ")" and number.end == number.start + 1:
        return True
    return _opens_line(text_of(doc), first.idx) and (nxt in (".", ")") or first.tag_ == "LS")


def _opens_line(text: str, at: int) -> bool:
    """Whether only spaces, and at most one "(", stand between the line's start and ``at``
    (walking back over them, not copying the line: a line may hold the whole article)."""
    at = _skip_spaces_back(text, at)
    if at > 0 and text[at - 1] == "(":
        at = _skip_spaces_back(text, at - 1)
    return at == 0 or text[at - 1] == "\n"


def _skip_spaces_back(text: str, at: int) -> int:
    while at > 0 and text[at - 1] != "\n" and text[at - 1].isspace():
        at -= 1
    return at


def _labelled(doc: Doc, i: int) -> bool:
    """A label word right before the number: "Flight 370", "No. 10", "Article 5"."""
    k = i - 1
    if k > 0 and doc[k].text == "." and doc[k - 1].lower_ in ("no", "nos"):
        k -= 1  # "No" "." split by the tokenizer
    return k >= 0 and doc[k].lower_ in _LABELS


def _keep(doc: Doc, number: _Number, unit: _Unit, head: Token | None) -> bool:
    """Final checks that need the unit and the counted noun."""
    first = doc[number.start]
    prev = doc[number.start - 1] if number.start > 0 else None
    if number.year_like and unit.name is None:
        # "in 2016", "the 2016 election" are years; "1950 soldiers" is a count
        return head is not None and head.tag_ in ("NNS", "NNPS") and head.i == first.head.i
    if unit.name is not None:
        return True
    if head is not None and head.tag_ == "NNP" and head.lower_ in _STREETS:
        return False  # "10 Downing Street"
    if prev is not None and prev.pos_ == "PROPN" and (head is None or head.pos_ == "PROPN"):
        return False  # "Boeing 737", "Boeing 737 Max"
    if head is not None:
        return True
    if prev is not None and prev.lower_ in _PHONE_CUES:
        return False  # "call 911"
    if number.words and number.value == 1.0:
        return False  # "one of them", "no one"
    if _apposition(doc, number):
        return False  # "John Smith, 45,"
    return first.ent_type_ not in _DATE_ENTS


def _apposition(doc: Doc, number: _Number) -> bool:
    """A bare number set off by commas after a name: "John Smith, 45, said"."""
    s, e = number.start, number.end
    return (
        s >= 2
        and doc[s - 1].text == ","
        and doc[s - 2].pos_ in ("PROPN", "NOUN")
        and e < len(doc)
        and doc[e].text in (",", ".", ";")
    )


# --- helpers ---------------------------------------------------------------------------


def _modifier_start(doc: Doc, start: int, floor: int) -> int:
    """Where the hedge before token ``start`` begins ("more than"), else ``start``."""
    sent_start = sentences_of(doc).start(start)
    for phrase in _MODIFIERS:
        k = start - len(phrase)
        if k < max(floor, sent_start):
            continue
        if tuple(doc[j].lower_ for j in range(k, start)) == phrase:
            return k
    return start


def _words(doc: Doc, start: int, end: int) -> str:
    return " ".join(str(doc[k].lower_) for k in range(start, end))


def _end_char(tok: Token) -> int:
    return int(tok.idx) + len(tok.text)
