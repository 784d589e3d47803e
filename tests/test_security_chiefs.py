"""people/security-chiefs.tsv: dated military, intelligence and interior chiefs load, are consistent and resolve."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.actor_base import build_knowledge
from tacitus.knowledge.lexicon import data_file, read_tsv
from tacitus.knowledge.phrases import resolve_phrases

PATH = data_file("people/security-chiefs.tsv")
TODAY = dt.date(2026, 11, 25)
# Collegial offices: several holders at once.
SHARED_ROLES = {("CHN", "Vice Chairman of the Central Military Commission")}


def people_rows(path) -> list[dict[str, str]]:
    return [row for _, row in read_tsv(path, 7)]


def rows() -> list[dict[str, str]]:
    return people_rows(PATH)


def loading_problems(name: str) -> list[str]:
    """What the loader reported about one people file."""
    return [str(p) for p in build_knowledge().problems if name in str(p)]


def overlapping_terms(found: list[dict[str, str]], shared: frozenset = frozenset(), slack_days: int = 31,
                      same_person_ok: bool = True) -> list[str]:
    """Two holders of one office (country, role) at once, beyond `slack_days` of handover."""
    held: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for row in found:
        end = dt.date.fromisoformat(row["end"]) if row["end"] else TODAY
        held[(row["country"], row["role"])].append((dt.date.fromisoformat(row["start"]), end, row["names"]))
    overlaps = []
    for key, terms in held.items():
        if key in shared:
            continue
        terms.sort()
        for before, after in zip(terms, terms[1:], strict=False):
            if not (same_person_ok and before[2] == after[2]) and (before[1] - after[0]).days > slack_days:
                overlaps.append(f"{key}: {before} / {after}")
    return overlaps


def test_file_has_the_people_header_and_sane_lines() -> None:
    lines = PATH.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#") and "by hand" in PATH.read_text(encoding="utf-8")
    header = next(line for line in lines if not line.startswith("#"))
    assert header.split("\t") == ["names", "country", "sector", "office", "role", "start", "end"]
    sectors = {row["sector"] for _, row in read_tsv(data_file("sectors.tsv"), 3)}
    found = rows()
    assert len(found) >= 300
    for row in found:
        assert row["office"] == "other" and row["role"], row
        assert row["sector"] in sectors and row["sector"] in {"MIL", "SPY", "COP", "GOV"}, row
        assert len(row["country"]) == 3, row
        start = dt.date.fromisoformat(row["start"])
        assert not row["end"] or dt.date.fromisoformat(row["end"]) > start, row


def test_no_problems_when_loading() -> None:
    problems = loading_problems("security-chiefs")
    assert not problems, "\n".join(problems)


def test_one_holder_of_each_office_at_a_time() -> None:
    overlaps = overlapping_terms(rows(), frozenset(SHARED_ROLES))
    assert not overlaps, "\n".join(overlaps)


def resolve(text: str, date: dt.date):
    actor = resolve_phrases(load_nlp(), [(text, date)])[0]
    return (actor.country, actor.sector) if actor else None


@pytest.mark.parametrize(("phrase", "date", "expected"), [
    ("Qasem Soleimani", dt.date(2019, 12, 1), ("IRN", "MIL")),
    ("Esmail Qaani", dt.date(2023, 1, 1), ("IRN", "MIL")),
    ("Gina Haspel", dt.date(2019, 3, 1), ("USA", "SPY")),
    ("Nikolai Patrushev", dt.date(2005, 3, 1), ("RUS", "SPY")),
    ("Nikolai Patrushev", dt.date(2015, 3, 1), ("RUS", "GOV")),
    ("Faiz Hameed", dt.date(2020, 6, 1), ("PAK", "SPY")),
    ("Christopher Wray", dt.date(2020, 6, 1), ("USA", "COP")),
])
def test_people_resolve_by_date(phrase, date, expected) -> None:
    assert resolve(phrase, date) == expected


def test_soleimani_is_an_iranian_source(pipeline) -> None:
    events = pipeline.extract("Qasem Soleimani met Iraqi militia leaders in Baghdad.", date=dt.date(2019, 12, 1))
    assert events and events[0].source.country == "IRN"
