"""Who "I" and "we" are: the speaker of the quotation or reported clause (invented examples, each a class)."""

from __future__ import annotations

import datetime as dt

import pytest

from coded import triples as coded_triples

DAY = dt.date(2023, 5, 1)


def triples(pipeline, text: str) -> set[tuple]:
    return coded_triples(pipeline, text, day=DAY)




@pytest.mark.parametrize("text, expected", [
    ('"We will impose new sanctions on Iran," said the French foreign minister.', ("FRA", "THREATEN", "IRN")),
    ('The Kenyan president said: "I thank the people of Uganda for their help."', ("KEN", "SUPPORT", "UGA")),
    ('The Brazilian foreign minister spoke to reporters. "We strongly urge Venezuela to release the prisoners," he said.',
     ("BRA", "REQUEST", "VEN")),
    ('The Japanese defence minister said: "This is unacceptable. We condemn North Korea for the missile launch."',
     ("JPN", "ACCUSE", "PRK")),
])
def test_first_person_pronouns_are_the_speaker(pipeline, text, expected):
    assert expected in triples(pipeline, text)


def test_the_us_is_a_country_not_a_pronoun(pipeline):
    found = triples(pipeline, "China demanded that the US cancel its arms sales to Taiwan.")
    assert ("CHN", "REQUEST", "USA") in found, found


@pytest.mark.parametrize("text", [
    '"We will fight for our rights," she wrote in a blog post.',  # no one named says it
    '"I urge everyone to vote," said Maria Lopez, a shop owner in Lima.',  # a private person's "I" is no actor
])
def test_no_speaker_or_a_private_one_names_no_actor(pipeline, text):
    assert not any(source for source, _, _ in triples(pipeline, text)), triples(pipeline, text)
