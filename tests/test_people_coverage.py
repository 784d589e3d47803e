"""The people files cover who held office, everywhere: countries x offices x years, checked for consistency."""

from __future__ import annotations

import datetime as dt

from tacitus.evaluation.coverage import coverage_table, office_coverage, scope
from tacitus.knowledge.actor_base import build_knowledge, knowledge_files

TODAY = dt.date(2026, 11, 25)


def test_every_knowledge_line_loads() -> None:
    problems = build_knowledge().problems
    assert not problems, "\n".join(map(str, problems[:20]))


def test_scope_is_every_un_member_and_more() -> None:
    countries = scope()
    assert len(countries) >= 198
    assert countries["USA"] == dt.date(1979, 1, 1) and countries["NER"] == dt.date(1990, 1, 1)


def test_heads_and_ministers_are_covered_for_95_percent_of_years() -> None:
    coverage = office_coverage(TODAY)
    print("\n" + coverage_table(coverage))
    print(f"covered: {coverage.share:.1%}")
    assert coverage.share >= 0.95, "\n".join(coverage.holes()[:60])


def test_no_two_holders_of_one_office_overlap() -> None:
    overlaps = office_coverage(TODAY).overlaps
    assert not overlaps, "\n".join(overlaps[:40])


def test_people_files_are_split_by_region() -> None:
    names = {path.name for path in knowledge_files("people")}
    assert {"europe.tsv", "asia.tsv", "africa.tsv", "americas-oceania.tsv"} <= names
