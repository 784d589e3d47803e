"""Findings, allegations, people named by a participle and a state's own instruments: readings an analyst would
check (invented examples)."""

from __future__ import annotations

import pytest

from coded import DAY, triples


def events(pipeline, text: str) -> list:
    return [e for e in pipeline.extract(text, DAY) if e.polarity == "affirmed"]


@pytest.mark.parametrize(("text", "expected"), [
    # a finding whose clause the parser hung on as an adverbial clause: the judge accuses, the policy violated
    ("In response to a lawsuit, U.S. District Judge Gray Miller ruled the male-only draft violated the constitution.",
     ("USA", "ACCUSE", "USA")),
    ("Russia said Ukraine breached the ceasefire.", ("RUS", "ACCUSE", "UKR")),
    # an allegation that names no doer is still an accusation
    ("Alexei Navalny fell ill on a flight on Thursday. His aides alleged that he was poisoned.", ("RUS", "ACCUSE", None)),
    # poisoning is violence, also in a story that mentions a flight
    ("Alexei Navalny fell ill on a flight on Thursday. His aides alleged that he was poisoned.", (None, "ASSAULT", "RUS")),
    # a bill or a curfew suspended or lifted with no doer named: the story's state did it
    ("Protesters rallied in Hong Kong for a week. The bill was suspended after the protests.", ("HKG", "CONCEDE", None)),
    ("Protesters rallied in Srinagar against India. The curfew was lifted on Monday.", ("IND", "CONCEDE", None)),
])
def test_readings(pipeline, text, expected):
    assert expected in triples(pipeline, text)


def test_a_misattached_clause_is_no_deed_of_the_judge(pipeline):
    found = events(pipeline, "In response to a lawsuit, U.S. District Judge Gray Miller ruled the male-only draft violated the constitution.")
    assert not [e for e in found if e.event_type == "REJECT"]
    accusations = [e for e in found if e.event_type == "ACCUSE"]
    assert accusations and accusations[0].source.sector == "JUD"


def test_a_doerless_allegation_has_no_implied_target(pipeline):
    found = [e for e in events(pipeline, "Alexei Navalny fell ill on a flight on Thursday. His aides alleged that he was poisoned.")
             if e.event_type == "ACCUSE"]
    assert found and all(e.target is None for e in found)


@pytest.mark.parametrize("text", [
    "Philippine police claimed that 90 civilians were wounded in the fighting.",  # a toll, no accusation
    "Officials in Kabul claimed that two soldiers were killed.",
])
def test_a_claimed_toll_accuses_no_one(pipeline, text):
    assert not [e for e in events(pipeline, text) if e.event_type == "ACCUSE"]


@pytest.mark.parametrize("text", [
    "U.N. helicopters evacuated the wounded from the besieged Bosnian town of Gorazde on Friday.",
    "Red Cross teams evacuated the wounded from Aleppo.",
])
def test_people_named_by_a_participle_are_no_event(pipeline, text):
    assert not [e for e in events(pipeline, text) if e.event_type in ("ASSAULT", "COERCE")]


def test_a_doerless_instrument_is_the_home_states_own(pipeline):
    found = [e for e in events(pipeline, "Protesters rallied in Hong Kong for a week. The bill was suspended after the protests.")
             if e.event_type == "CONCEDE"]
    assert found and found[0].source.code == "HKGGOV" and found[0].target is None
    assert found[0].source.text == "suspended"  # the evidence is the verb


@pytest.mark.parametrize("text", [
    "The United States and Iran held talks in Oman. The sanctions were lifted on Monday.",  # between states
    "Russian troops occupied Kherson. A curfew was imposed in the city.",  # imposed: maybe by the occupier
    "Meta said the policy was suspended after the backlash.",  # a company's policy
])
def test_no_state_is_guessed_for_other_instruments(pipeline, text):
    assert not [e for e in events(pipeline, text) if e.source is not None and e.source.text in ("lifted", "imposed", "suspended")]


def test_a_finding_of_no_violation_accuses_no_one(pipeline):
    assert not [e for e in events(pipeline, "A court in Uganda ruled the anti-homosexuality act violated no rights.")
                if e.event_type == "ACCUSE"]


def test_witnesses_who_allege_accuse_no_political_actor(pipeline):
    text = "Witnesses in Nairobi alleged that the crowd was dispersed with tear gas."
    assert not [e for e in events(pipeline, text) if e.event_type == "ACCUSE"]
