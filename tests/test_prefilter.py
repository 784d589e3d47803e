"""The pre-filter: sentences that cannot hold an event skip the parser, and nothing else changes."""

from __future__ import annotations

import datetime as dt
import re

from tacitus.knowledge.lexicon import data_file
from tacitus.read.articles import read_articles

FILLER = ("Rainfall in the north was below the average for the second year. "
          "The festival features films from more than 40 countries.\n")


def test_inflections_of_triggers_are_recognised(pipeline):
    flt = pipeline.sentences
    for word in ("condemned", "condemns", "shelled", "attacking", "fought", "met", "held", "seized", "urged",
                 "banned", "threatens", "protesters"):
        assert flt.could_trigger(word) or flt.could_name_actor(word), word
    for word in ("carmaker", "festival", "percent", "rainfall"):
        assert not flt.could_trigger(word), word


def test_sentences_without_trigger_and_actor_are_blanked_with_offsets_kept(pipeline):
    text = FILLER + "Germany condemned the Azerbaijani offensive on Tuesday. " + FILLER
    reduced, kept, total = pipeline.sentences.reduce(text)
    assert kept == 1 and total >= 5
    assert len(reduced) == len(text) and all(reduced[i] == "\n" for i, c in enumerate(text) if c == "\n")
    assert max(len(run) for run in re.findall(r"\s+", reduced)) < 140  # short whitespace tokens: a bounded vocabulary
    start = text.index("Germany")
    assert reduced[start:start + 55] == text[start:start + 55]
    assert "Rainfall" not in reduced and "festival" not in reduced


def coded(pipeline, articles, prefilter: bool) -> list[dict]:
    pipeline.prefilter = prefilter
    try:
        return [e.to_dict() for _, events in pipeline.extract_articles(articles) for e in events]
    finally:
        pipeline.prefilter = True


def test_events_are_the_same_with_and_without_the_prefilter(pipeline, seed_text):
    articles = list(read_articles([str(data_file("samples/articles.jsonl"))]))
    articles.append(articles[0].__class__(text=seed_text, id="seed", date=dt.date(2023, 9, 19)))
    with_filter = coded(pipeline, articles, True)
    assert len(with_filter) > 40 and with_filter == coded(pipeline, articles, False)


def test_filler_between_sentences_loses_no_event(pipeline):
    """Sentences with no trigger or no actor are skipped; every event is still found, offsets intact.

    (Resolution that leans on the sentence before may differ: a skipped sentence is no context.)
    """
    articles = list(read_articles([str(data_file("samples/articles.jsonl"))]))
    padded = [a.__class__(**{**a.__dict__, "text": FILLER + a.text.replace("\n", "\n" + FILLER)}) for a in articles]
    with_filter, without = coded(pipeline, padded, True), coded(pipeline, padded, False)
    def key(e):
        return (e["article_id"], e["event_type"], e["trigger"]["start"], e["modality"], e["polarity"])
    assert len(with_filter) > 20 and sorted(map(key, with_filter)) == sorted(map(key, without))
    for event in with_filter:  # evidence offsets still point into the original text
        text = next(a.text for a in padded if a.id == event["article_id"])
        assert text[event["trigger"]["start"]:event["trigger"]["end"]] == event["trigger"]["text"]
        assert text[event["sentence_start"]:].startswith(event["sentence"])


def kept(pipeline, text: str) -> list[bool]:
    return [keep for _, _, keep in pipeline.sentences.spans(text)]


def test_a_trigger_needs_all_its_words(pipeline):
    """One word of "ban party" is no trigger: a sentence about a party with no one named is skipped."""
    assert kept(pipeline, "The party went on until midnight.") == [False]
    assert kept(pipeline, "The government banned the party on Monday.") == [True]


def test_a_person_the_actor_base_does_not_know_can_be_an_actor(pipeline):
    assert kept(pipeline, "In the debate, Carroll agreed with the proposal.") == [True]


def test_one_word_of_a_trigger_beside_a_name_is_context(pipeline):
    """ "Mayor Jan Kowalski" tells whom a later "Kowalski" means; the sentence is parsed for that."""
    assert kept(pipeline, "Later that year, Mayor Jan Kowalski joined the party.") == [True]
    assert kept(pipeline, "Later that year, the party grew quickly.") == [False]
