"""Invisible format characters inside words do not lose events, and evidence stays verbatim."""

from __future__ import annotations

import datetime as dt

from tacitus.models import Article

TEXT = "Isr\u00adael con\u200bdemned Iran on Monday. The U\u200bnited States back\u00aded Kyiv.\u200f"


def check(events, text):
    assert {(e.source.country, e.event_type, e.target.country) for e in events} >= {("ISR", "ACCUSE", "IRN"),
                                                                                     ("USA", "SUPPORT", "UKR")}
    for event in events:
        for actor in (event.source, event.target):
            assert text[actor.start:actor.end] == actor.text
        assert text[event.trigger.start:event.trigger.end] == event.trigger.text
        assert text[event.sentence_start:event.sentence_start + len(event.sentence)] == event.sentence


def test_soft_hyphens_and_zero_width_marks_are_seen_through(pipeline):
    check(pipeline.extract(TEXT, dt.date(2023, 5, 1)), TEXT)


def test_the_stored_article_keeps_its_text(pipeline):
    [(article, events)] = list(pipeline.extract_articles([Article(text=TEXT, id="a", date=dt.date(2023, 5, 1))]))
    assert article.text == TEXT
    check(events, TEXT)


def test_a_re_prefix_hyphen_is_read_through_and_kept_in_the_evidence(pipeline):
    text = "Ethiopia has agreed to re-open its borders to UN peacekeepers. Serbia re-imposed a curfew in Kosovo."
    events = pipeline.extract(text, dt.date(2023, 5, 1))
    assert any(e.event_type == "AGREE" and "re-open" in e.trigger.text and e.target is not None for e in events), events
    for event in events:
        assert text[event.trigger.start:event.trigger.end] == event.trigger.text
        assert text[event.sentence_start:event.sentence_start + len(event.sentence)] == event.sentence
