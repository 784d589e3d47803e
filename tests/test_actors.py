"""The actor knowledge base and resolver: time, context, user dictionaries (PETRARCH import: test_importers.py)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tacitus.coding.nlp import load_nlp
from tacitus.evaluation.actors import evaluate_actors
from tacitus.knowledge.phrases import resolve_phrases

ACTOR_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "actor_resolution_dev.jsonl"
D2023 = dt.date(2023, 9, 19)


def resolve(text: str, date: dt.date | None = D2023):
    actor = resolve_phrases(load_nlp(), [(text, date)])[0]
    return (actor.country, actor.sector) if actor else None


@pytest.mark.parametrize(("phrase", "expected"), [
    ("the Turkish Foreign Ministry", ("TUR", "GOV")),
    ("Armenian opposition politicians", ("ARM", "OPP")),
    ("Russian peacekeepers", ("RUS", "MIL")),
    ("the Kremlin", ("RUS", "GOV")),
    ("Downing Street", ("GBR", "GOV")),
    ("the White House", ("USA", "GOV")),
    ("Yerevan", ("ARM", "GOV")),
    ("Beijing", ("CHN", "GOV")),
    ("the DPRK", ("PRK", None)),
    ("U.S.", ("USA", None)),
    ("Nagorno-Karabakh", ("AZE", "PRE")),
    ("Kosovo", ("XKX", None)),
    ("Shanghai police", ("CHN", "COP")),
    ("four Saudi men", ("SAU", "CVL")),
    ("the Taliban", ("AFG", "GOV")),
    ("a spokesman for the Kenyan police", ("KEN", "COP")),  # who one speaks for, as "of" says
    ("a spokeswoman for the Nigerian army", ("NGA", "MIL")),
])
def test_compositional_and_metonyms(phrase, expected):
    assert resolve(phrase) == expected


@pytest.mark.parametrize(("phrase", "sector"), [
    ("a Nigerian army accountant", "MIL"),  # a profession serves the state body named before it
    ("Kenyan police doctors", "COP"),
    ("Kenyan army wives", "CVL"),  # family is no profession
    ("Kenyan government workers", "LAB"),
])
def test_a_state_body_before_a_profession_names_the_employer(phrase, sector):
    assert resolve(phrase)[1] == sector


@pytest.mark.parametrize(("phrase", "expected"), [
    ("a wedding party in Helmand", ("AFG", "CVL")),  # where civilians gather stands for them; no party
    ("a crowded market in Kabul", ("AFG", "CVL")),  # a capital beside the head is a place, not the government
    ("a restaurant chain", None),  # only as the head: a chain is no gathering of civilians
    ("Rohingya refugees", ("MMR", "REF")),  # the head says which of the people
    ("Somalia SONNA", ("SOM", "GOV")),  # parsed as a clause ("SONNA" a verb): the last name is its head
    ("Kharkiv", ("UKR", None)),  # a town the tagger took for a common noun
    ("Reading", None),  # an English word, not the English town
    ("Police Service Northern Territory", ("AUS", "COP")),  # a region ending an institution's name is its seat
    ("Lake Chad", ("TCD", None)),  # a lake is no institution
    ("an opposition lawmaker", (None, "LEG")),  # a lawmaker first, of whichever party
    ("the Israelis", ("ISR", None)),  # a bare people's name is the nation, as a bare country name is
    ("three Palestinians", ("PSE", "CVL")),  # some of the people
    ("ordinary Kazakhs", ("KAZ", "CVL")),
    ("villages across Syria", ("SYR", "UNK")),  # places in the plural: someone there, of no known kind
    ("targets in Syria", ("SYR", None)),
    ("the city of Aleppo", ("SYR", None)),  # a place noun's of-phrase names the place
    ("Aleppo", ("SYR", None)),  # a city of millions the tagger took for an adjective, standing alone
])
def test_phrases_read_by_their_head(phrase, expected):
    assert resolve(phrase) == expected


@pytest.mark.parametrize(("phrase", "expected"), [
    ("Tigrayan fighters", ("ETH", "REB")),
    ("Chechen fighters", ("RUS", "REB")),
    ("Catalan protesters", ("ESP", "CVL")),
    ("Kashmiri militants", ("IND", "REB")),
])
def test_a_region_s_or_a_people_s_adjective_names_its_state(phrase, expected):
    assert resolve(phrase) == expected


def test_an_igo_parliament_is_a_legislature():
    actor = resolve_phrases(load_nlp(), [("the European Parliament", D2023)])[0]
    assert actor.code.startswith("IGOEUR") and actor.sector == "LEG"


def test_a_police_force_is_not_the_polish_town_of_police(pipeline):
    events = pipeline.extract("Police Service officers arrested 20 protesters in Nairobi.", D2023)
    assert [(e.source.country, e.source.sector) for e in events] == [("KEN", "COP")]


def test_igos_have_codes_not_countries():
    actor = resolve_phrases(load_nlp(), [("the EU", D2023)])[0]
    assert (actor.code, actor.country, actor.sector) == ("IGOEUREEC", None, "IGO")


def test_a_form_namesakes_share_is_whoever_held_office_on_the_date():
    assert resolve("King Abdullah", dt.date(2010, 1, 1)) == ("SAU", "GOV")
    assert resolve("King Abdullah", dt.date(2020, 1, 1)) == ("JOR", "GOV")
    assert resolve("King Abdullah in Riyadh", dt.date(2020, 1, 1)) == ("SAU", "ELI")  # the text's country first


def test_a_former_minister_back_on_the_backbenches_is_a_lawmaker():
    assert resolve("Scott Morrison", dt.date(2020, 5, 1)) == ("AUS", "GOV")
    assert resolve("Scott Morrison", dt.date(2023, 5, 1)) == ("AUS", "LEG")  # an MP after 2022
    assert resolve("Scott Morrison", dt.date(2025, 5, 1)) == ("AUS", "ELI")  # resigned his seat in 2024


def test_a_monarch_of_several_realms_is_read_as_the_permanent_member_s():
    assert resolve("Queen Elizabeth II", dt.date(2019, 9, 1)) == ("GBR", "GOV")  # not Saint Kitts and Nevis
    assert resolve("King Charles", dt.date(2024, 1, 1)) == ("GBR", "GOV")


def test_roles_change_with_the_date():
    assert resolve("Antony Blinken", D2023) == ("USA", "GOV")
    assert resolve("Antony Blinken", dt.date(2025, 6, 1)) == ("USA", "ELI")
    assert resolve("Pashinyan", D2023) == ("ARM", "GOV")
    assert resolve("Taliban", dt.date(2010, 1, 1)) == ("AFG", "REB")


@pytest.mark.parametrize("phrase", ["Victoria Park", "Washington Square", "the Jordan River"])
def test_a_capital_or_country_in_a_park_s_or_street_s_name_is_no_government(phrase):
    assert resolve(phrase) is None or resolve(phrase)[1] != "GOV"


@pytest.mark.parametrize(("phrase", "date", "name"), [
    ("President Bush", dt.date(2005, 8, 1), "George W. Bush"),
    ("President Bush", dt.date(1990, 8, 1), "George H. W. Bush"),
    ("President Castro", dt.date(2005, 8, 1), "Fidel Castro"),
    ("Venezuelan President Chávez", dt.date(2010, 6, 1), "Hugo Chavez"),  # not Mexico's attorney general Arturo Chávez
])
def test_a_shared_surname_is_whoever_held_the_office_on_the_date(phrase, date, name):
    actor = resolve_phrases(load_nlp(), [(phrase, date)])[0]
    assert actor is not None and actor.name == name, actor


@pytest.mark.parametrize(("date", "name"), [(dt.date(1995, 1, 1), "Hafez al-Assad"), (dt.date(2012, 1, 1), "Bashar al-Assad")])
def test_a_bare_shared_surname_is_the_leader_then_of_a_country_the_text_names(pipeline, date, name):
    events = pipeline.extract("Russian President Boris Yeltsin met Assad in Moscow to discuss Syria.", date)
    assert any(e.target is not None and e.target.name == name for e in events), events


@pytest.mark.parametrize(("phrase", "date"), [
    ("Gandhi", dt.date(2005, 8, 1)),  # Sonia and Rahul led no government; Manmohan Singh did
    ("Assad", dt.date(2012, 1, 1)),  # no country named: any Assad
    ("Mexico's Castro", dt.date(2023, 5, 1)),  # Honduras' president is not named by Mexico
])
def test_a_shared_surname_alone_is_no_leader_of_a_country_not_named(phrase, date):
    actor = resolve_phrases(load_nlp(), [(phrase, date)])[0]
    assert actor is None or actor.name is None or "Castro" not in actor.name and "Assad" not in actor.name, actor


def test_unknown_stays_unresolved():
    assert resolve("a cat named Frank") is None
    assert resolve("Joseph Monka") is None


def test_resolution_in_context(pipeline):
    text = ("US Secretary of State Antony Blinken met Armenian officials on Monday. "
            "Blinken criticized Azerbaijan. The Secretary of State urged restraint. He condemned the shelling.")
    events = pipeline.extract(text, D2023)
    sources = {e.source.text: e.source.code for e in events}
    assert sources.get("Blinken") == "USAGOV"
    assert sources.get("Secretary of State") == "USAGOV"
    assert sources.get("He") == "USAGOV"


def test_role_only_reference_takes_the_article_country(pipeline):
    text = ("Armenia's government faced protests in Yerevan. Armenian officials met Russian envoys. "
            "The prime minister criticized Azerbaijan on Monday.")
    events = [e for e in pipeline.extract(text, D2023) if e.event_type == "ACCUSE"]
    assert events and (events[0].source.country, events[0].source.sector) == ("ARM", "GOV")


def test_actor_dev_floor():
    if not ACTOR_DEV.exists():
        pytest.skip(f"actor gold not found at {ACTOR_DEV}")
    score = evaluate_actors(ACTOR_DEV, load_nlp())
    assert score.country >= 0.96, score.report()
    assert score.both >= 0.88, score.report()


def test_user_dictionary_layers_and_reports_broken_lines(tmp_path: Path):
    path = tmp_path / "mine.tsv"
    path.write_text("names\tcode\tcountry\tsector\n"
                    "Wakanda Liberation Front|WLF\tCODREB\tCOD\tREB\n"
                    "broken\tline\twith\ttoo\tmany\tcells\n"
                    "Ruritanian Guard\tDEUMIL\tDEU\tMIL\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tacitus.cli", "resolve", "the WLF", "Ruritanian Guard",
                             "--dictionary", str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert (lines[0]["country"], lines[0]["sector"]) == ("COD", "REB")
    assert (lines[1]["country"], lines[1]["sector"]) == ("DEU", "MIL")
    assert f"{path}:3:" in result.stderr and "cells" in result.stderr
    by_env = subprocess.run([sys.executable, "-m", "tacitus.cli", "resolve", "the WLF"], capture_output=True, text=True,
                            timeout=300, env={**__import__("os").environ, "TACITUS_DICTIONARY": str(path)})
    assert json.loads(by_env.stdout)["country"] == "COD"


@pytest.mark.parametrize("phrase", ["Xinhua", "the Syrian Arab News Agency", "SONNA", "KCNA"])
def test_state_media_speak_for_the_state(phrase):
    assert resolve(phrase)[1] == "GOV"


def test_a_country_bank_is_its_central_bank():
    """"Bank of Mexico", "the Bank of England": national banks are GOV; a named private bank keeps its entry."""
    assert resolve("Bank of Mexico")[:2] == ("MEX", "GOV")
    assert resolve("the Bank of England")[:2] == ("GBR", "GOV")
    assert resolve("Bank of America")[:2] == ("USA", "BUS")


def test_a_pronoun_alone_is_someone_unknown():
    assert resolve("he")[:2] == (None, "UNK")
    assert resolve("They")[:2] == (None, "UNK")


def test_a_stateless_religious_group_belongs_where_it_is():
    """GUIDELINES: a non-state group is coded with the state where it is: "Sunni Muslims in Iraq" IRQ; alone, no country."""
    assert resolve("Sunni Muslims in Iraq") == ("IRQ", "REL")
    assert resolve("Shiite Muslims") == (None, "REL")


@pytest.mark.parametrize(("phrase", "country"), [
    ("Hassan Nasrallah", "LBN"),  # group-leaders.tsv gives his group's code, LBNREB
    ("Jimmy Cherizier", "HTI"),  # ... HTICRMG9F
])
def test_a_group_leader_has_the_country_his_groups_code_begins_with(phrase, country):
    actor = resolve_phrases(load_nlp(), [(phrase, dt.date(2024, 6, 1))])[0]
    assert actor is not None and actor.country == country, actor


def test_nationals_are_civilians_of_their_country_not_the_state():
    found = resolve_phrases(load_nlp(), [("two French nationals", D2023), ("Russia's national interests", D2023)])
    assert (found[0].country, found[0].sector) == ("FRA", "CVL"), found[0]
    assert found[1] is not None and found[1].sector != "CVL", found[1]  # the adjective names no people
