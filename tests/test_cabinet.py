"""people/cabinet.tsv: dated finance, justice, interior, economy, energy ministers and spokespeople load, are
consistent, repeat nothing the other people files say, and resolve by date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pycountry
import pytest

import tacitus
from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.actor_base import knowledge_files
from tacitus.knowledge.lexicon import data_file, read_tsv
from tacitus.knowledge.phrases import resolve_phrases
from test_security_chiefs import loading_problems, overlapping_terms, people_rows, resolve

PATH = data_file("people/cabinet.tsv")
TODAY = dt.date(2026, 11, 25)
INTERIOR_WORDS = ("Interior", "Home")


def rows() -> list[dict[str, str]]:
    return people_rows(PATH)


def term(row: dict[str, str]) -> tuple[dt.date, dt.date]:
    return dt.date.fromisoformat(row["start"]), dt.date.fromisoformat(row["end"]) if row["end"] else TODAY


def overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> int:
    """Days two terms share (negative: none)."""
    return (min(a[1], b[1]) - max(a[0], b[0])).days


def test_file_has_the_people_header_and_sane_lines() -> None:
    text = PATH.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("#") and "by hand" in text
    header = next(line for line in lines if not line.startswith("#"))
    assert header.split("\t") == ["names", "country", "sector", "office", "role", "start", "end"]
    countries = {c.alpha_3 for c in pycountry.countries}
    found = rows()
    assert len(found) >= 800
    for row in found:
        assert row["office"] == "other" and row["sector"] == "GOV" and row["role"], row
        assert row["country"] in countries, row
        names = row["names"].split("|")
        assert all(name and name == name.strip() for name in names) and len(set(names)) == len(names), row
        start, end = term(row)
        assert start >= dt.date(1990, 1, 1) and end <= TODAY and end > start, row
    assert {row["country"] for row in found} >= {"ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA",
                                                "JPN", "KOR", "MEX", "RUS", "SAU", "ZAF", "TUR", "GBR", "USA"}


def test_no_problems_when_loading() -> None:
    problems = loading_problems("cabinet")
    assert not problems, "\n".join(problems)


def test_one_holder_of_each_role_at_a_time() -> None:
    overlaps = overlapping_terms(rows())
    assert not overlaps, "\n".join(overlaps)


def test_nothing_repeats_a_row_of_the_other_people_files() -> None:
    """The same person's role is said once: no second row for a role and period another file holds, and no
    interior minister that security-chiefs.tsv already lists for the same country and time."""
    others: dict[str, list[dict[str, str]]] = defaultdict(list)
    interior: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for path in knowledge_files("people"):
        if path == PATH:
            continue
        for _, row in read_tsv(path, 7):
            for name in filter(None, row["names"].split("|")):
                others[name].append(row)
            if path.name == "security-chiefs.tsv" and row["sector"] == "GOV" \
                    and any(word in row["role"] for word in INTERIOR_WORDS):
                interior[row["country"]].append(term(row))
    repeated = []
    for row in rows():
        mine = term(row)
        for name in row["names"].split("|"):
            for other in others.get(name, []):
                if other["country"] == row["country"] and other["role"] == row["role"] and overlap(mine, term(other)) > 0:
                    repeated.append(f"{row['names']} {row['role']} {mine}")
        if any(word in row["role"] for word in INTERIOR_WORDS):
            if any(overlap(mine, theirs) > 31 for theirs in interior[row["country"]]):
                repeated.append(f"{row['names']}: security-chiefs.tsv lists {row['country']}'s interior minister then")
    assert not repeated, "\n".join(repeated)


@pytest.mark.parametrize(("phrase", "date", "expected"), [
    ("Finance Minister Nirmala Sitharaman", dt.date(2021, 2, 1), ("IND", "GOV")),
    ("Justice Minister Gérald Darmanin", dt.date(2025, 3, 1), ("FRA", "GOV")),
    ("Treasury Secretary Janet Yellen", dt.date(2022, 5, 1), ("USA", "GOV")),
    ("Janet Yellen", dt.date(2025, 6, 1), ("USA", "ELI")),
    ("Chancellor Rishi Sunak", dt.date(2021, 3, 1), ("GBR", "GOV")),
    ("Anton Siluanov", dt.date(2015, 3, 1), ("RUS", "GOV")),
    ("Energy Minister Abdulaziz bin Salman", dt.date(2023, 4, 1), ("SAU", "GOV")),
    ("Finance Minister Christian Lindner", dt.date(2023, 1, 1), ("DEU", "GOV")),
    ("Attorney General Merrick Garland", dt.date(2023, 4, 1), ("USA", "GOV")),
    ("Ngozi Okonjo-Iweala", dt.date(2013, 1, 1), ("NGA", "GOV")),
    ("Bezalel Smotrich", dt.date(2024, 1, 1), ("ISR", "GOV")),
])
def test_people_resolve_by_date(phrase, date, expected) -> None:
    assert resolve(phrase, date) == expected


def test_held_back_lines_are_ready_to_restore() -> None:
    """The ministers held back for their surname are commented-out lines of the file's own format."""
    held = [line[1:].split("\t") for line in PATH.read_text(encoding="utf-8").splitlines()
            if line.startswith("#") and line.count("\t") == 6]
    assert held
    for names, country, sector, office, role, start, end in held:
        assert names and country in {c.alpha_3 for c in pycountry.countries} and sector == "GOV", names
        assert office == "other" and role and dt.date.fromisoformat(start) < dt.date.fromisoformat(end or "2026-11-25"), names


@pytest.mark.parametrize(("phrase", "date", "expected"), [
    # people once left out for their surname: a namesake elsewhere, or an English word
    ("John Snow", dt.date(2004, 6, 1), ("USA", "GOV")),
    ("Pam Bondi", dt.date(2025, 6, 1), ("USA", "GOV")),
    ("Alex Chalk", dt.date(2023, 9, 1), ("GBR", "GOV")),
    ("Dominic Grieve", dt.date(2012, 6, 1), ("GBR", "GOV")),
    ("Thierry Breton", dt.date(2006, 6, 1), ("FRA", "GOV")),  # French finance minister, not the EU commissioner
    ("Katarina Barley", dt.date(2018, 9, 1), ("DEU", "GOV")),
    ("Werner Müller", dt.date(2000, 6, 1), ("DEU", "GOV")),
    ("Hardeep Singh Puri", dt.date(2022, 6, 1), ("IND", "GOV")),
    ("Joe Hockey", dt.date(2014, 6, 1), ("AUS", "GOV")),
    ("Michaelia Cash", dt.date(2021, 9, 1), ("AUS", "GOV")),
    ("Mary Ng", dt.date(2022, 6, 1), ("CAN", "GOV")),
    ("Arturo Chávez", dt.date(2010, 6, 1), ("MEX", "GOV")),
    ("Hammad Azhar", dt.date(2021, 4, 5), ("PAK", "GOV")),
    ("José Antonio Ocampo", dt.date(2022, 12, 1), ("COL", "GOV")),
    ("Jesse Robredo", dt.date(2011, 6, 1), ("PHL", "GOV")),
    ("Beatrice Ask", dt.date(2010, 6, 1), ("SWE", "GOV")),
    ("Secretary Snow", dt.date(2004, 6, 1), ("USA", "GOV")),  # an English word read alone after a title
])
def test_restored_people_resolve_by_full_name(phrase, date, expected) -> None:
    assert resolve(phrase, date) == expected


def _people(text: str, date: dt.date) -> set[str]:
    """The people that the events extracted from the text name."""
    names = {name for row in rows() for name in row["names"].split("|")}
    return {actor.name for event in tacitus.extract(text, date) for actor in (event.source, event.target)
            if actor and actor.name in names}


@pytest.mark.parametrize(("text", "date"), [
    ("Snow blocked the roads in Washington on Monday.", dt.date(2004, 1, 1)),
    ("Hockey fans attacked police in Sydney.", dt.date(2014, 6, 1)),
    ("Cash payments to Iraqi officials were halted by the US army.", dt.date(2021, 9, 1)),
    ("Ask the army why it attacked the village, protesters told Swedish police.", dt.date(2010, 6, 1)),
])
def test_ordinary_text_names_no_minister(text, date) -> None:
    assert not _people(text, date)


@pytest.mark.parametrize(("phrase", "date"), [
    ("Snow blocked the roads", dt.date(2004, 1, 1)),
    ("Hockey fans", dt.date(2014, 6, 1)),
    ("Cash payments", dt.date(2021, 9, 1)),
    ("Chávez", dt.date(2015, 6, 1)),  # Hugo Chávez and Arturo Chávez, both out of office: only for the one named in full
])
def test_common_and_shared_surnames_alone_name_no_minister(phrase, date) -> None:
    actor = resolve_phrases(load_nlp(), [(phrase, date)])[0]
    assert actor is None or actor.name is None


@pytest.mark.parametrize(("text", "date", "surname", "person"), [
    ("Australian Treasurer Joe Hockey criticised China. Hockey also accused Indonesia of protectionism.",
     dt.date(2014, 6, 1), "Hockey", "Joe Hockey"),
    ("Attorney-General Michaelia Cash criticised China. Cash also accused Indonesia of protectionism.",
     dt.date(2021, 9, 1), "Cash", "Michaelia Cash"),
    ("Swedish Justice Minister Beatrice Ask criticised Russia. Ask also accused Iran of torture.",
     dt.date(2010, 6, 1), "Ask", "Beatrice Ask"),
])
def test_a_surname_after_the_full_name_is_that_minister(text, date, surname, person) -> None:
    """An English word ("Hockey", "Cash") is read as a surname in the text that names its minister in full."""
    events = tacitus.extract(text, date)
    assert {event.source.name for event in events if event.source and event.source.text == surname} == {person}
