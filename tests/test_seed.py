"""The seed article: the events an analyst writes down, and no reversed ones."""

from __future__ import annotations

import datetime as dt

import pytest

from tacitus.models import Event


@pytest.fixture(scope="module")
def events(pipeline, seed_text) -> list[Event]:
    return pipeline.extract(seed_text, dt.date(2023, 9, 19), article_id="seed")


def triples(events: list[Event], **where) -> set[tuple]:
    found = set()
    for e in events:
        if all(getattr(e, k) == v for k, v in where.items()):
            found.add((e.source and e.source.key, e.event_type, e.target and e.target.key))
    return found


def test_condemnations_of_azerbaijan(events):
    accused = {s for s, t, tg in triples(events, polarity="affirmed") if t == "ACCUSE" and tg == "AZE"}
    assert {"USA", "IGO", "RUS", "FRA", "DEU"} <= accused


def test_turkey_supports_azerbaijan(events):
    assert ("TUR", "SUPPORT", "AZE") in triples(events)


def test_assault_and_threat_against_nagorno_karabakh(events):
    assault = [e for e in events if e.event_type == "ASSAULT" and e.source is not None and e.source.key == "AZE" and e.target is not None
               and e.modality == "actual"]
    assert assault and all(e.target.name == "Nagorno-Karabakh" for e in assault)
    threat = [e for e in events if e.event_type == "THREATEN" and e.source is not None and e.source.key == "AZE"]
    assert threat and threat[0].modality == "threatened" and threat[0].intended_type == "ASSAULT"
    assert threat[0].target.name == "Nagorno-Karabakh"
    assert "vowed" in threat[0].trigger.text


def test_us_requests_end_of_hostilities(events):
    requests = [e for e in events if e.event_type == "REQUEST" and e.source is not None and e.source.key == "USA"]
    assert requests
    assert any("called for" in e.trigger.text for e in requests)


def test_blinken_is_us_government_and_plans_talks(events):
    talks = [e for e in events if e.intended_type == "CONSULT"]
    assert talks and talks[0].event_type == "AGREE" and talks[0].modality == "intended"
    assert talks[0].source.code == "USAGOV"


def test_armenia_accuses_azerbaijan(events):
    assert ("ARM", "ACCUSE", "AZE") in triples(events)


def test_russia_mediated_in_2020(events):
    mediation = [e for e in events if e.source and e.source.key == "RUS" and e.event_type == "CONSULT"]
    assert {e.target.key for e in mediation} == {"AZE", "ARM"}
    assert all(e.date == "2020-01-01" and e.date_precision == "year" for e in mediation)


def test_protest_in_yerevan(events):
    protests = [e for e in events if e.event_type == "PROTEST"]
    assert protests
    for event in protests:
        assert event.source.country == "ARM" and event.source.sector == "CVL"
        assert event.location is not None and event.location.name == "Yerevan"
        assert event.location.lat == pytest.approx(40.18, abs=0.1)


def test_opposition_criticises_government(events):
    crit = [e for e in events if e.event_type == "ACCUSE" and e.source.sector == "OPP"]
    assert crit and crit[0].source.country == "ARM"
    assert crit[0].target.country == "ARM" and crit[0].target.sector == "GOV"


def test_denial_is_negated_and_attributed(events):
    denied = [e for e in events if "deploying" in e.trigger.text]
    assert denied and all(e.polarity == "negated" for e in denied)
    assert denied[0].attributed_to is not None and denied[0].attributed_to.country == "ARM"


def test_claim_is_kept_apart(events):
    claimed = [e for e in events if e.attributed_to is not None and e.attributed_to.key == "AZE" and e.sentence_index == 7]
    assert claimed and all(e.modality == "claimed" for e in claimed)


def test_no_reversed_or_stray_events(events):
    for source, kind, target in triples(events):
        assert (source, target) != ("AZE", "USA")
        assert not (kind == "ACCUSE" and source == "AZE" and target in {"USA", "RUS", "FRA", "DEU", "IGO"})
        assert not (kind == "SUPPORT" and target == "TUR")
    assert all("Source link" not in e.sentence for e in events)


def test_condemnation_dates_and_evidence(events, seed_text):
    for event in events:
        assert seed_text[event.trigger.start:event.trigger.end] == event.trigger.text
        assert event.sentence in seed_text
        for actor in (event.source, event.target):
            if actor is not None:
                assert seed_text[actor.start:actor.end] == actor.text
    condemned = [e for e in events if e.event_type == "ACCUSE" and e.target and e.target.key == "AZE"]
    assert all(e.date == "2023-09-19" and e.date_precision == "day" for e in condemned)


def test_ids_are_stable(pipeline, seed_text, events):
    again = pipeline.extract(seed_text, dt.date(2023, 9, 19), article_id="seed")
    assert [e.event_id for e in again] == [e.event_id for e in events]
    assert len({e.event_id for e in events}) == len(events)


def test_the_main_event_the_launch_of_counter_terrorism_measures_is_an_assault(events):
    main = [e for e in events if "counter-terrorism" in e.sentence and e.event_type == "ASSAULT"]
    assert main and main[0].source.key == "AZE" and main[0].target.name == "Nagorno-Karabakh"
    assert main[0].confidence >= 0.3 and main[0].date == "2023-09-19"
