"""Steady state (issue 18): the parser sees only the kept sentences, made of the pre-filter's tokens,
and every offset still points into the article as given."""

from __future__ import annotations

import datetime as dt

from tacitus.coding.pipeline import token_batches
from tacitus.models import Article

FILLER = "Rainfall in the north was below the average for the second year. The festival features films.\n"
POLITICAL = "Germany condemned the Azerbaijani offensive on Tuesday. "


def test_the_parser_doc_holds_the_kept_sentences_only(pipeline):
    text = FILLER + POLITICAL + "Ok. " + "France urged Armenia to hold talks. " + FILLER
    doc, screen, kept = pipeline.parser_input(text)
    assert kept is not None and sum(k for _, _, k in screen.ranges) == 2
    assert "Rainfall" not in doc.text and "festival" not in doc.text and "Ok" not in doc.text
    assert len(doc) < len(pipeline.nlp.make_doc(text)) / 2
    assert "\n" in doc.text  # the two kept sentences were not adjacent: a line break keeps them apart
    for token in doc:  # every character of the doc knows where it stands in the text
        if not token.is_space:
            start = kept.kept[token.idx]
            assert text[start:start + len(token.text)] == token.text


def test_a_text_kept_whole_is_not_remapped(pipeline):
    doc, _, kept = pipeline.parser_input(POLITICAL + "France urged Armenia to hold talks.")
    assert kept is None and doc.text == POLITICAL + "France urged Armenia to hold talks."


def test_events_keep_offsets_and_ids_of_the_text(pipeline):
    text = FILLER * 3 + POLITICAL + FILLER + "Armenia accused Azerbaijan of shelling villages. " + FILLER
    article = Article(text=text, id="steady", date=dt.date(2023, 9, 19))
    with_filter = [e for _, found in pipeline.extract_articles([article]) for e in found]
    pipeline.prefilter = False
    try:
        without = [e for _, found in pipeline.extract_articles([article]) for e in found]
    finally:
        pipeline.prefilter = True
    assert with_filter and [e.event_id for e in with_filter] == [e.event_id for e in without]
    for event in with_filter:
        assert text[event.trigger.start:event.trigger.end] == event.trigger.text
        assert text[event.sentence_start:].startswith(event.sentence)
        for actor in (event.source, event.target):
            if actor is not None:
                assert text[actor.start:actor.end] == actor.text


def test_batches_are_capped_by_tokens():
    class Doc(list):
        pass

    items = [(Doc([0] * n), i) for i, n in enumerate([100, 5000, 5000, 30000, 10, 10])]
    batches = list(token_batches(iter(items), size=16, max_tokens=8000))
    assert [[context for _, context in batch] for batch in batches] == [[0, 1], [2], [3], [4, 5]]
    assert [len(b) for b in token_batches(iter(items[:1] * 40), size=16, max_tokens=10**9)] == [16, 16, 8]


def test_inflection_checks_are_remembered(pipeline):
    flt = pipeline.sentences
    assert flt.could_trigger("Condemned") and flt.could_trigger("condemned")
    assert flt._trigger_words.cache_info().hits >= 1
    assert not flt.could_trigger("rainfall") and flt.could_name_actor("Police")
