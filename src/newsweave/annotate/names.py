"""The fixed vocabulary of actor naming: country variants, demonyms, titles and roles.

Kept as data so it is easy to read and extend; users add their own aliases in a file
(see :mod:`newsweave.annotate.aliases`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
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
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr."})

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


def canonical_place(text: str) -> str | None:
    return _PLACE_VARIANTS.get(fold(text))


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
