"""The project's one word pattern, stop list, sentence segmentation and term weighting."""

from __future__ import annotations

import math
from collections import Counter

from newsweave.annotate.document import analyse
from newsweave.compare.text import SHARED_WORD_WEIGHT, Weights
from newsweave.compare.text import words as compared_words
from newsweave.events.features import DocumentFrequencies, Terms, cluster_terms
from newsweave.text import (
    COMMON_WORDS,
    STOP_WORDS,
    WORD,
    norm,
    sentences,
    smoothed_idf,
    straight,
    weigh,
    words,
)


def terms(text: str) -> list[str]:
    """What clustering counts of a text's analysed sentences."""
    return list(cluster_terms(analyse("a", "", text).body))


def pieces(text: str) -> list[str]:
    return [text[start:end] for start, end in sentences(text)]


def test_sentences_end_at_full_stops_before_capitals_and_at_line_breaks() -> None:
    text = 'Mr. Dovlan left on Jan. 3 at 9 a.m. He said: "We go." Then the U.S. Army came.\n\nDone'
    assert pieces(text) == [
        "Mr. Dovlan left on Jan. 3 at 9 a.m.",
        'He said: "We go."',
        "Then the U.S. Army came.",
        "Done",
    ]


def test_sentence_spans_leave_out_surrounding_whitespace() -> None:
    text = "  First one here.   Second one.  \n "
    assert sentences(text) == [(2, 17), (20, 31)]
    assert sentences("") == []


def test_the_word_pattern_keeps_inner_apostrophes_hyphens_and_number_separators() -> None:
    found = WORD.findall("Pro-government troops' 2,000 men (3.5%) don't stay.")
    assert found == ["Pro-government", "troops'", "2,000", "men", "3.5", "don't", "stay"]
    assert WORD.findall(straight("union’s")) == ["union's"]


def test_content_words_leave_out_stop_words_and_single_letters() -> None:
    assert words("The 2,000 troops of a U.S. unit said they left in March.") == [
        "2000", "troops", "unit", "left",
    ]  # fmt: skip
    assert COMMON_WORDS < STOP_WORDS
    sentence = analyse("a", "", "Two people died when it fell.").body[0]
    assert compared_words(sentence) == [
        "two",
        "people",
        "died",
        "when",
        "fell",
    ]


def test_terms_count_capitalised_words_within_a_sentence_again_as_names() -> None:
    assert terms("Rebels held Kestria. Dovlan fled.") == [
        "rebels", "held", "kestria", "@kestria", "dovlan", "fled",
    ]  # fmt: skip
    assert terms("Mr. Dovlan fled.") == ["dovlan", "@dovlan", "fled"]  # no sentence after Mr.


def test_one_weighting_scheme_for_events_and_comparisons() -> None:
    counts = Counter({"flood": 3, "@hollowmere": 1, "barrier": 1})
    vector = weigh(counts, lambda term: smoothed_idf(10, 2), name_boost=2.0)
    assert math.isclose(norm(vector), 1.0)
    assert math.isclose(vector["@hollowmere"], 2 * vector["barrier"])
    assert math.isclose(vector["flood"], (1 + math.log(3)) * vector["barrier"])
    frequencies = DocumentFrequencies()
    document = analyse("a", "Flood in Hollowmere", "The barrier failed in Hollowmere.")
    first = Terms.of(document.title, document.body)
    frequencies.add(first)
    assert frequencies.vector(first, 2.0) == weigh(first.counts, frequencies.idf, 2.0)
    statements = [["barrier", "failed"], ["barrier", "held"], ["flood", "rose"]]
    weights = Weights(statements)
    floor = SHARED_WORD_WEIGHT  # within one event a word all statements share weighs ~0
    assert weights.vector(statements[0]) == weigh(
        Counter(statements[0]), lambda w: smoothed_idf(3, weights.df[w], floor), 1.0
    )
