"""People known for what they do, not an office (people/public-figures-*.tsv): singers, athletes, tycoons,
journalists, clerics and campaigners get their country and sector, and never take an office-holder's name."""

from __future__ import annotations

import datetime as dt

import pytest

from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.actor_base import build_knowledge, is_public, knowledge_files
from tacitus.knowledge.actor_entries import surname_of
from tacitus.knowledge.lexicon import read_tsv
from tacitus.knowledge.phrases import resolve_phrases

DAY = dt.date(2024, 6, 1)
SECTORS = {"CVL", "BUS", "JRN", "REL", "EDU"}


def public_files():
    return [p for p in knowledge_files("people") if p.name.startswith("public-figures")]


def rows() -> list[dict[str, str]]:
    return [row for path in public_files() for _, row in read_tsv(path, 7, [])]


def actor(phrase: str):
    return resolve_phrases(load_nlp(), [(phrase, DAY)])[0]


def test_the_files_load_and_hold_public_figures_only() -> None:
    assert len(public_files()) == 2
    assert not [p for p in build_knowledge().problems if "public-figures" in str(p)]
    assert len(rows()) >= 800
    for row in rows():
        assert row["office"] == "public" and row["sector"] in SECTORS, row


def test_no_public_figure_shares_a_name_with_an_office_holder() -> None:
    knowledge = build_knowledge()
    for row in rows():
        for name in row["names"].split("|"):
            assert all(any(r.office == "public" for r in e.roles) for e in knowledge.forms.get(name, [])), (name, knowledge.forms[name])


def test_a_public_figure_never_takes_an_office_holder_s_surname() -> None:
    knowledge = build_knowledge()
    for entry in {e for entries in knowledge.forms.values() for e in entries if e.roles and is_public(e)}:
        last = surname_of(entry.name, {r.country for r in entry.roles})
        if last is None:
            continue
        assert knowledge.surnames.get(last) is None or not is_public(knowledge.surnames[last]), entry
        shared = knowledge.shared_surnames.get(last, ())
        assert all(is_public(e) for e in shared) or not any(is_public(e) for e in shared), (last, shared)
    assert knowledge.surnames["Ortega"].name == "Daniel Ortega"  # not Amancio Ortega, the Zara founder


@pytest.mark.parametrize(("phrase", "country", "sector"), [
    ("Beyonce", "USA", "CVL"), ("Beyoncé", "USA", "CVL"), ("Lionel Messi", "ARG", "CVL"), ("Shakira", "COL", "CVL"),
    ("Taylor Swift", "USA", "CVL"), ("Elon Musk", "USA", "BUS"), ("Jamal Khashoggi", "SAU", "JRN"),
    ("Greta Thunberg", "SWE", "CVL"), ("Oleg Deripaska", "RUS", "BUS"), ("Patriarch Kirill", "RUS", "REL"),
])
def test_public_figures_resolve_to_their_country_and_sector(phrase: str, country: str, sector: str) -> None:
    found = actor(phrase)
    assert found is not None and (found.country, found.sector) == (country, sector), found


def test_a_public_figure_s_surname_is_read_only_after_the_full_name(pipeline) -> None:
    assert actor("Messi") is None
    text = ("Argentine footballer Lionel Messi met Israeli Prime Minister Benjamin Netanyahu in Jerusalem on Monday. "
            "Messi praised Israel's hospitality.")
    events = [e for e in pipeline.extract(text, DAY) if e.event_type == "SUPPORT"]
    assert any(e.source and e.source.country == "ARG" and e.target and e.target.country == "ISR" for e in events), events


@pytest.mark.parametrize(("text", "surname", "country", "sector"), [
    ("Harry Kane scored twice for England. Kane praised the fans.", "Kane", "GBR", "CVL"),  # not Niger's Kané
    ("Bill Gates met Narendra Modi in Delhi. Gates praised India's vaccine programme.", "Gates", "USA", "BUS"),
    ("Lewis Hamilton criticised Saudi Arabia. Hamilton condemned abuses in Saudi Arabia.", "Hamilton", "GBR", "CVL"),
])
def test_a_public_figure_named_in_full_owns_the_surname_in_that_text(pipeline, text, surname, country, sector) -> None:
    sources = [e.source for e in pipeline.extract(text, DAY) if e.source and e.source.text == surname]
    assert sources and all((s.country, s.sector) == (country, sector) for s in sources), sources


@pytest.mark.parametrize("text", [
    "Lars von Trier was expelled from Cannes. Police in Trier arrested three men.",  # a town
    "Oliver Stone interviewed Putin. Stone throwers attacked police in Jerusalem.",  # a word
])
def test_a_public_surname_is_not_read_where_the_text_reads_a_word_or_place(pipeline, text) -> None:
    names = {"Lars von Trier", "Oliver Stone"}
    assert not [e for e in pipeline.extract(text, DAY) if e.source and e.source.name in names and e.sentence_index == 1]


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("The Mo Ibrahim Foundation criticised African governments over coups.", "SDN", "NGO"),
    ("The Nelson Mandela Foundation praised Kenya.", "ZAF", "NGO"),
])
def test_an_organisation_named_after_a_person_is_no_person(pipeline, text, country, sector) -> None:
    sources = [e.source for e in pipeline.extract(text, DAY) if e.source]
    assert sources and (sources[0].country, sources[0].sector) == (country, sector), sources


def test_a_public_surname_after_of_is_still_the_person(pipeline) -> None:
    text = "Russia agreed to the release of Evan Gershkovich. The United States welcomed the release of Gershkovich."
    targets = [e.target for e in pipeline.extract(text, DAY) if e.sentence_index == 1 and e.target]
    assert any(t.text == "Gershkovich" and (t.country, t.sector) == ("USA", "JRN") for t in targets), targets
