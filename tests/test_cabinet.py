"""people/cabinet.tsv: dated finance, justice, interior, economy, energy ministers and spokespeople load, are
consistent, repeat nothing the other people files say, and resolve by date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pycountry
import pytest

from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.actor_base import build_knowledge, knowledge_files
from tacitus.knowledge.lexicon import data_file, read_tsv
from tacitus.knowledge.phrases import resolve_phrases

PATH = data_file("people/cabinet.tsv")
TODAY = dt.date(2026, 11, 25)
INTERIOR_WORDS = ("Interior", "Home")


def rows() -> list[dict[str, str]]:
    return [row for _, row in read_tsv(PATH, 7)]


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
    problems = [p for p in build_knowledge().problems if "cabinet" in str(p)]
    assert not problems, "\n".join(map(str, problems))


def test_one_holder_of_each_role_at_a_time() -> None:
    held: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for row in rows():
        held[(row["country"], row["role"])].append((*term(row), row["names"]))
    overlaps = []
    for key, terms in held.items():
        terms.sort()
        for before, after in zip(terms, terms[1:], strict=False):
            if before[2] != after[2] and (before[1] - after[0]).days > 31:
                overlaps.append(f"{key}: {before} / {after}")
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


def resolve(text: str, date: dt.date):
    actor = resolve_phrases(load_nlp(), [(text, date)])[0]
    return (actor.country, actor.sector) if actor else None


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
