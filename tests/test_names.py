"""Proper names without an entity recogniser (names.py): people, places, dates and other names read from proper
nouns, capitals and the project's own knowledge, on invented sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.names import (
    DATE,
    NAME,
    PERSON,
    PLACE,
    entity_labels,
    in_proper_name,
    is_date_or_quantity,
    named_by_places,
)

DAY = dt.date(2023, 9, 19)


def test_the_pipeline_runs_without_the_entity_recogniser():
    nlp = load_nlp()
    assert "ner" not in nlp.pipe_names and "ner" not in nlp.component_names
    assert {"tagger", "parser", "lemmatizer"} <= set(nlp.component_names) and "tacitus_tags" in nlp.pipe_names


def reading(pipeline, text: str):
    doc = pipeline.nlp(text)
    return doc, pipeline.actors.names.read(doc)


def people(pipeline, text: str) -> list[str]:
    doc, names = reading(pipeline, text)
    return [doc[start:end].text for start, end in names.people]


@pytest.mark.parametrize(("text", "person"), [
    ("Talgat Umarov, a spokesman for the ministry, denied the report.", "Talgat Umarov"),  # no dictionary knows either word
    ("Police chief Marek Dvoran said the road was closed.", "Marek Dvoran"),  # a title before the name
    ("Actress Wilhelmina Quast opened the festival.", "Wilhelmina Quast"),  # a job name before a given name
    ("The Brovian Foreign Minister Peter Lanzo arrived on Monday.", "Peter Lanzo"),  # a given name of the actor base
    ("The ambassador of Italy Giulia Ferrante met the mayor.", "Giulia Ferrante"),  # a country name before the person
    ("Inventor Teodor Wiraszka flew across the bay.", "Teodor Wiraszka"),
])
def test_a_person_is_read_from_the_shape_of_a_name(pipeline, text, person):
    assert person in people(pipeline, text)


@pytest.mark.parametrize(("text", "not_person"), [
    ("The Liberation Front claimed the attack.", "Liberation Front"),  # common words: an organisation
    ("The blast hit Karl Marx Avenue at noon.", "Karl Marx Avenue"),  # a street, whoever it is named after
    ("Talks were held in Los Angeles.", "Los Angeles"),  # a place as a whole
    ("Officials flew a Beechcraft Sierra to the coast.", "Beechcraft Sierra"),  # a make: "a" before it
    ("The report came from the Melbourne CBD on Tuesday.", "Melbourne CBD"),  # an acronym
    ("Rain fell on Saturday in San Marcos.", "San Marcos"),  # a place's first word
])
def test_names_of_things_and_places_are_no_people(pipeline, text, not_person):
    assert not any(not_person in found or found in not_person for found in people(pipeline, text)), people(pipeline, text)


def test_a_surname_named_in_full_before_is_a_person_alone(pipeline):
    doc, names = reading(pipeline, "Dunstan Okereke, a local farmer, was detained. Okereke denied the charges.")
    assert [t.text for t in doc if names.is_person(t)] == ["Dunstan", "Okereke", "Okereke"]
    doc, names = reading(pipeline, "Mr. Halvorsen criticised the plan. President Okonjo met him.")
    assert {t.text for t in doc if names.is_person(t)} == {"Halvorsen", "Okonjo"}  # one word after a personal title


def test_a_town_name_in_a_person_name_is_no_place(pipeline):
    doc = pipeline.nlp("Senator Charlotte Weber of Georgia spoke in Paris.")
    places = [doc[m.start:m.end].text for m in pipeline.places.mentions(doc)]
    assert "Charlotte" not in places and {"Georgia", "Paris"} <= set(places), places
    doc = pipeline.nlp("Troops moved into Northern Syria and Greater Manchester police watched.")
    assert {"Syria", "Manchester"} <= {doc[m.start:m.end].text for m in pipeline.places.mentions(doc)}


def test_a_first_name_before_a_known_surname_is_someone_else(pipeline):
    """ "Crystal Munoz" is neither Crystal, Minnesota nor Chile's foreign minister Heraldo Munoz."""
    events = pipeline.extract("Crystal Munoz was convicted of drug trafficking in Texas.", dt.date(2020, 2, 1))
    assert "CHL" not in {a.country for e in events for a in (e.source, e.target) if a}, events


def test_a_common_surname_is_read_after_its_bearer_is_named_in_full(pipeline):
    events = pipeline.extract("Boris Johnson became prime minister in July. Johnson criticised the EU.", dt.date(2019, 9, 1))
    assert any(e.source and e.source.code == "GBRGOV" and e.sentence_index == 1 for e in events), events


def test_a_chinese_or_korean_leader_is_called_by_the_family_name_first(pipeline):
    events = pipeline.extract("South Korean President Moon Jae-in met Xi Jinping. Moon thanked Xi.", dt.date(2019, 6, 1))
    assert {(e.source.country, e.target.country) for e in events if e.sentence_index == 1 and e.source and e.target} \
        == {("KOR", "CHN")}, events
    events = pipeline.extract("In August, the parents said they forgave him for the killing in Lahore.", dt.date(2019, 9, 1))
    assert "KOR" not in {a.country for e in events for a in (e.source, e.target) if a}, events  # "In" is no Moon Jae-in


@pytest.mark.parametrize("text", [
    "Ban on imports was lifted by Kenya.",  # not Ban Ki-moon
    "Hunt for the gunmen continued in Kabul.",  # not Jeremy Hunt
    "Major General John Smith said the army attacked.",  # not John Major
])
def test_a_leader_s_name_that_is_an_english_word_is_the_word_where_the_text_reads_it_so(pipeline, text):
    doc = pipeline.nlp(text)
    names = {m.entry.name for m in pipeline.actors.mentions(doc, when=dt.date(2010, 1, 1))}
    assert not names & {"Ban Ki-moon", "Jeremy Hunt", "John Major"}, names


def test_other_labels(pipeline):
    doc, names = reading(pipeline, "On Friday the National Rally met in Kenya with Kenyan officials.")
    label = {t.text: names.label(t) for t in doc}
    assert label["Friday"] == DATE and label["National"] == label["Rally"] == NAME
    assert label["Kenya"] == label["Kenyan"] == PLACE
    assert entity_labels(doc) == ["DATE", "ORG", "GPE", "NORP"]  # the learned layer's features
    assert PERSON not in label.values()


def test_a_name_is_no_event_but_a_war_named_by_its_places_is(pipeline):
    doc, _ = reading(pipeline, "Members of the National Rally opposed the Iraq War in 2003.")
    rally, war = (next(t for t in doc if t.text == word) for word in ("Rally", "War"))
    assert in_proper_name(rally) and not named_by_places(rally)
    assert in_proper_name(war) and named_by_places(war)
    triggers = {e.trigger.text for e in pipeline.extract("Members of the National Rally opposed the Iraq War.", DAY)}
    assert "Rally" not in triggers, triggers


@pytest.mark.parametrize(("text", "word", "counted"), [
    ("Twelve were arrested after the clash.", "Twelve", False),
    ("In 2019 thousands marched.", "2019", True),
    ("At 10:30 the police arrived.", "10:30", True),
    ("Prices rose by 40 % in March.", "40", True),
])
def test_numbers_that_count_no_people(pipeline, text, word, counted):
    doc = pipeline.nlp(text)
    token = next(t for t in doc if t.text == word)
    assert is_date_or_quantity(token) is counted


def test_unknown_people_are_coded_where_the_story_is(pipeline):
    text = ("Protesters gathered in Nairobi on Monday. Wanjiru Kamau, a teacher, was arrested by police in Nairobi. "
            "Kamau was later released.")
    events = pipeline.extract(text, DAY)
    arrests = [e for e in events if e.event_type == "COERCE"]
    assert arrests and arrests[0].target is not None and arrests[0].target.country == "KEN", events


def test_a_surname_after_a_name_particle_names_someone_else(pipeline):
    text = "The bank's chairman, Khalid bin Tamim, spoke on Monday. Tamim criticised the rebels."
    sources = {e.source.country for e in pipeline.extract(text, DAY) if e.source is not None}
    assert "QAT" not in sources  # not Qatar's emir Tamim bin Hamad Al Thani
