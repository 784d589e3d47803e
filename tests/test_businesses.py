"""Businesses (organisations/businesses.tsv): coded as their home country with sector BUS, as GDELT, ICEWS
and PETRARCH code them, without taking ordinary words, places or people's names."""

from __future__ import annotations

import datetime as dt

import pytest

from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.actor_base import ActorKnowledge, build_knowledge
from tacitus.knowledge.actor_resolver import actor_matcher
from tacitus.knowledge.lexicon import data_file, read_tsv
from tacitus.knowledge.phrases import resolve_phrases

D2023 = dt.date(2023, 9, 19)
BUSINESSES = data_file("organisations/businesses.tsv")

# short forms left out on purpose (the file's header says why): none may name a business
AMBIGUOUS = ("Apple", "Amazon", "Shell", "Total", "Target", "Meta", "Visa", "Orange", "Delta", "Oracle", "Sun",
             "Time", "Fox", "Vale", "Alphabet", "Intel", "Chevron", "Caterpillar", "Fiat", "Signal", "Zoom",
             "Toyota", "Nokia", "Rio Tinto", "Santander", "Emirates", "Ford", "Honda", "Mercedes", "Leonardo",
             "Rafael", "Tesla", "Kellogg", "Abbott", "Tata", "Adani", "Etihad", "LATAM", "GM", "GE", "EDF", "NIS")


def rows() -> list[dict[str, str]]:
    return [row for _, row in read_tsv(BUSINESSES, 4, [])]


def actor(phrase: str):
    return resolve_phrases(load_nlp(), [(phrase, D2023)])[0]


def test_the_file_loads_without_problems() -> None:
    knowledge = ActorKnowledge()
    knowledge.load_table(BUSINESSES, "org")
    assert knowledge.problems == []
    assert not [p for p in build_knowledge().problems if "businesses" in str(p)]
    assert 300 <= len(rows()) <= 500


def test_codes_are_unique_and_start_with_the_home_country() -> None:
    codes = [row["code"] for row in rows()]
    assert len(codes) == len(set(codes))
    for row in rows():
        assert row["sector"] == "BUS", row
        assert row["code"] == f"{row['country']}BUS{row['code'][6:]}" and len(row["code"]) == 9, row
        assert row["code"][6:].isalpha() and row["code"][6:].isupper(), row
        assert row["note"], row


def test_no_name_is_taken_twice_or_from_another_file() -> None:
    forms = build_knowledge().forms
    seen: set[str] = set()
    for row in rows():
        for name in row["names"].split("|"):
            assert name not in seen, name
            seen.add(name)
            form = name[4:] if name.startswith("The ") else name  # the base drops a leading "the"
            assert [e.code for e in forms[form]] == [row["code"]], (name, [e.code for e in forms[form]])


def test_ambiguous_short_forms_are_not_listed() -> None:
    names = {name for row in rows() for name in row["names"].split("|")}
    assert not names & set(AMBIGUOUS)


@pytest.mark.parametrize(("phrase", "country"), [
    ("Gazprom", "RUS"), ("LinkedIn", "USA"), ("Huawei", "CHN"), ("Boeing", "USA"), ("Saudi Aramco", "SAU"),
    ("the National Iranian Oil Company", "IRN"), ("Rosatom", "RUS"), ("Baykar", "TUR"), ("Sberbank", "RUS"),
    ("Apple Inc.", "USA"), ("Meta Platforms", "USA"), ("Royal Dutch Shell", "GBR"), ("TotalEnergies", "FRA"),
    ("Amazon.com", "USA"), ("TikTok", "CHN"), ("Telegram", "ARE"), ("Pfizer", "USA"), ("Sinovac", "CHN"),
])
def test_companies_resolve_to_their_home_country_and_bus(phrase: str, country: str) -> None:
    found = actor(phrase)
    assert found is not None and (found.country, found.sector) == (country, "BUS"), found
    assert found.code.startswith(f"{country}BUS")


def test_a_longer_name_wins_over_the_place_or_person_inside_it() -> None:
    assert actor("Air France").code == "FRABUSAFR"
    assert actor("Morgan Stanley").code == "USABUSMSC"  # not Stanley, the Falklands' capital
    assert actor("BNP Paribas").code == "FRABUSBNP"  # not Bangladesh's BNP
    assert actor("the Bank of China").code == "CHNBUSBOC"


@pytest.mark.parametrize("phrase", ["the Amazon rainforest", "an apple", "the Amazon", *AMBIGUOUS])
def test_ambiguous_words_name_no_business(phrase: str) -> None:
    found = actor(phrase)
    assert found is None or found.sector != "BUS", found


def test_running_text_with_ordinary_words_finds_no_business() -> None:
    nlp = load_nlp()
    doc = nlp("Total casualties rose as shell fire hit the Amazon basin. Apple growers protested in Orange county. "
              "A telegram arrived. Delta residents fled. Intel from the front suggested a visa ban.")
    assert not [m for m in actor_matcher(nlp).mentions(doc) if m.entry.sector == "BUS"]


def test_a_company_is_coded_in_an_event(pipeline) -> None:
    events = pipeline.extract("Russia fined Google for failing to remove banned content.", D2023)
    fined = [e for e in events if e.event_type == "SANCTION"]
    assert fined and fined[0].source.country == "RUS"
    assert fined[0].target.country == "USA" and fined[0].target.code == "USABUSGOO"
    sanctions = pipeline.extract("The United States imposed sanctions on Gazprombank.", D2023)
    assert any(e.target and e.target.code == "RUSBUSGPB" for e in sanctions)
