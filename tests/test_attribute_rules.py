"""The fast attribute ruler (annotate/attribute_rules.py) sets exactly what spaCy's stock
``attribute_ruler`` sets: coarse tags, morphology, lemmas, and the fixes to tags and labels
of whitespace, on every token. Compared on sentences written for these tests (pronouns in
every case, contractions, "gon na", "there is", modal verbs, blank lines) and on generated
news articles."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token

from newsweave.annotate.attribute_rules import (
    FACTORY,
    AttributeRules,
    UnsupportedPattern,
    swap_attribute_ruler,
)
from newsweave.annotate.pipeline import MODEL, load_model, prepared_text
from newsweave.synth import synthetic_news

WRITTEN = [
    "I said it to you, and you gave it back to me. We told them; they told us.",
    "She asked him whether he'd seen her. It was hers, not theirs, and he did it himself.",
    "Doin' somethin' for the ol' team, y'all. Gon na win 'em all, ya know? I'm gonna go.",
    "There is a cat.  There are two dogs.\n\nThere were none, and there's nothing left.",
    "We ain't done. You can't stop us, and we won't stop; it isn't over and they aren't sure.",
    "Let's go. C'mon, gotta run! Somebody, anybody, everyone: nobody was there then.",
    "That which is done may, might, must, should or could be undone. Would you? I would.",
    "The senator, who has said that, does have doubts; does he? Did she? Have they been here?",
    "   Leading spaces.\n\n\n   \t Tabs and blank lines \n\n",
    "THE HEADLINE IN CAPITALS: OFFICIALS SAY IT WAS DONE\nBy Jane Doe\n\nWASHINGTON (AP) — Once",
    "“We’re not going,” she said. ‘It’s fine,’ he replied — ‘it’ll be OK’, he’d added.",
    "Rates rose 3.5% to $4.2bn in 2019-20; the Fed (in D.C.) said: “no.” #news @agency",
    "x",
    "",
]
ATTRS = [POS, MORPH, LEMMA, TAG, DEP, HEAD]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load(MODEL)


def _compare(nlp: Language, texts: Iterable[str]) -> list[str]:
    """Differences between the stock ruler and ours, token by token, as readable lines."""
    stock = nlp.get_pipe("attribute_ruler")
    assert isinstance(stock, AttributeRuler)
    ours = AttributeRules(nlp.vocab)
    ours.add_patterns(stock.patterns)
    skipped = ["attribute_ruler", "lemmatizer", "ner"]
    found: list[str] = []
    for doc in nlp.pipe(texts, disable=skipped):
        expected, got = stock(doc.copy()), ours(doc.copy())
        found += [f"{doc.text[:40]!r}: {line}" for line in _differences(expected, got)]
    return found


def _differences(expected: Doc, got: Doc) -> list[str]:
    if np.array_equal(expected.to_array(ATTRS), got.to_array(ATTRS)):
        return []
    return [
        f"{a.text!r} {a.pos_}/{b.pos_} {a.morph}/{b.morph} {a.lemma_}/{b.lemma_} {a.tag_}/{b.tag_}"
        for a, b in zip(expected, got, strict=True)
        if _fields(a) != _fields(b)
    ]


def _fields(token: Token) -> tuple[object, ...]:
    return token.pos, str(token.morph), token.lemma, token.tag, token.dep


def test_same_as_stock_on_written_sentences(nlp: Language) -> None:
    assert _compare(nlp, WRITTEN) == []


def test_same_as_stock_on_generated_articles(nlp: Language) -> None:
    texts = [prepared_text(r["body"]) for r in synthetic_news(25, seed=3)]
    assert _compare(nlp, texts) == []


def test_exceptions_are_applied(nlp: Language) -> None:
    """Not only the tag map: word exceptions, rules of two tokens and whitespace fixes."""
    nlp = spacy.load(MODEL)
    assert swap_attribute_ruler(nlp)
    doc = nlp("We're gon na win.\n\nThere is hope, and I know it.")
    by_text = {t.text: t for t in doc}
    assert by_text["gon"].lemma_ == "go" and by_text["na"].lemma_ == "to"
    assert by_text["'re"].lemma_ == "be" and by_text["'re"].pos_ == "AUX"
    assert by_text["is"].pos_ == "VERB"  # "there is": a verb, not an auxiliary
    assert by_text["I"].morph.get("Case", []) == ["Nom"]
    assert by_text["\n\n"].pos_ == "SPACE" and by_text["\n\n"].tag_ == "_SP"


def test_the_shipped_pipeline_uses_it() -> None:
    nlp = load_model()
    assert nlp.get_pipe_meta("attribute_ruler").factory == FACTORY
    assert nlp.pipe_names.index("attribute_ruler") < nlp.pipe_names.index("lemmatizer")


def test_an_unknown_pattern_keeps_the_stock_ruler(nlp: Language) -> None:
    with pytest.raises(UnsupportedPattern):
        AttributeRules(nlp.vocab).add_patterns([{"patterns": [[{"OP": "+"}]], "attrs": {}}])
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "x", "OP": "?"}]], {"LEMMA": "y"})  # type: ignore[attr-defined]
    assert not swap_attribute_ruler(blank)
    assert blank.get_pipe_meta("attribute_ruler").factory == "attribute_ruler"
