"""Lawmakers and politicians outside government (people/legislators-us.tsv, people/politicians.tsv): dated seats
and party posts, so a senator is a legislator on the day the article names them, whatever office came later."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.actor_base import build_knowledge, knowledge_files
from tacitus.knowledge.lexicon import read_tsv
from tacitus.knowledge.phrases import resolve_phrases

FILES = ("legislators-us.tsv", "politicians.tsv")


def rows(name: str) -> list[dict[str, str]]:
    path = next(p for p in knowledge_files("people") if p.name == name)
    return [row for _, row in read_tsv(path, 7, [])]


def actor(phrase: str, day: dt.date):
    return resolve_phrases(load_nlp(), [(phrase, day)])[0]


@pytest.mark.parametrize("name", FILES)
def test_the_file_loads_and_no_two_rows_of_a_person_overlap(name: str) -> None:
    assert not [p for p in build_knowledge().problems if name in str(p)]
    spans: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for path in knowledge_files("people"):  # the rows of every file, by names cell
        for _, row in read_tsv(path, 7, []):
            if row["start"]:
                end = dt.date.fromisoformat(row["end"]) if row["end"] else dt.date.max
                spans[row["names"]].append((dt.date.fromisoformat(row["start"]), end))
    assert len(rows(name)) >= 300
    for row in rows(name):
        start = dt.date.fromisoformat(row["start"])
        end = dt.date.fromisoformat(row["end"]) if row["end"] else dt.date.max
        overlapping = [s for s in spans[row["names"]] if s[0] < end and start < s[1] and s != (start, end)]
        assert not overlapping, (row, overlapping)


@pytest.mark.parametrize(("phrase", "day", "sector"), [
    ("Bernie Sanders", dt.date(2020, 6, 1), "LEG"),
    ("Sen. Sanders", dt.date(2020, 6, 1), "LEG"),  # the title names the senator, not Governor Sarah Sanders
    ("Mitch McConnell", dt.date(2020, 6, 1), "LEG"),
    ("Kamala Harris", dt.date(2020, 6, 1), "LEG"),  # a senator before she was vice president
    ("Kamala Harris", dt.date(2022, 6, 1), "GOV"),
    ("Marco Rubio", dt.date(2020, 6, 1), "LEG"),
    ("Marco Rubio", dt.date(2025, 6, 1), "GOV"),
])
def test_us_lawmakers_are_legislators_while_they_sit(phrase: str, day: dt.date, sector: str) -> None:
    found = actor(phrase, day)
    assert found is not None and (found.country, found.sector) == ("USA", sector), found


@pytest.mark.parametrize(("phrase", "country", "sector"), [
    ("Marine Le Pen", "FRA", "OPP"),  # not a marine: the name is known in full
    ("Jean-Luc Mélenchon", "FRA", "OPP"),
    ("Geert Wilders", "NLD", "OPP"),
    ("Alice Weidel", "DEU", "OPP"),  # between her two terms as opposition leader she led her party
])
def test_opposition_politicians_outside_government(phrase: str, country: str, sector: str) -> None:
    found = actor(phrase, dt.date(2024, 6, 1))
    assert found is not None and (found.country, found.sector) == (country, sector), found


@pytest.mark.parametrize(("text", "day", "surname", "country", "sector"), [
    ("Bolsonaro criticised China.", dt.date(2021, 6, 1), "Bolsonaro", "BRA", "GOV"),  # the president, not his sons
    ("Levin criticised Israel's Supreme Court.", dt.date(2024, 6, 1), "Levin", "ISR", "GOV"),  # beside Israel
    ("Abbott accused China of coercion.", dt.date(2014, 6, 1), "Abbott", "AUS", "GOV"),  # not Diane Abbott
    ("Marine Le Pen met Viktor Orban. Le Pen praised Hungary.", dt.date(2024, 6, 1), "Le Pen", "FRA", "OPP"),
])
def test_a_shared_surname_alone_is_the_one_in_office_or_named(pipeline, text, day, surname, country, sector) -> None:
    sources = [e.source for e in pipeline.extract(text, day) if e.source and e.source.text == surname]
    assert sources and all((s.country, s.sector) == (country, sector) for s in sources), sources


def test_a_shared_surname_is_no_leader_where_the_text_names_another_bearer(pipeline) -> None:
    text = "The manager, Dr Ali bin Tamim, blamed the rebels. Ali said the rebels attacked journalists in Aden."
    sources = [e.source for e in pipeline.extract(text, dt.date(2019, 1, 10)) if e.source and e.source.text == "Ali"]
    assert all(s.country != "ETH" for s in sources), sources  # not Abiy Ahmed Ali, Ethiopia's prime minister
