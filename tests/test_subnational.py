"""people/subnational.tsv: dated governors, chief ministers, premiers and mayors load, are consistent and resolve."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.actor_base import ActorKnowledge, build_knowledge, knowledge_files, prominent
from tacitus.knowledge.lexicon import data_file, read_tsv
from tacitus.knowledge.phrases import resolve_phrases

PATH = data_file("people/subnational.tsv")
TODAY = dt.date(2026, 11, 25)


def rows() -> list[dict[str, str]]:
    return [row for _, row in read_tsv(PATH, 7)]


def test_file_has_the_people_header_and_sane_lines() -> None:
    text = PATH.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("#") and "by hand" in text
    header = next(line for line in lines if not line.startswith("#"))
    assert header.split("\t") == ["names", "country", "sector", "office", "role", "start", "end"]
    found = rows()
    assert len(found) >= 800
    for row in found:
        assert row["office"] == "other" and row["sector"] == "GOV" and row["role"], row
        assert len(row["country"]) == 3 and row["country"].isupper(), row
        assert all(name and name == name.strip() for name in row["names"].split("|")), row
        start = dt.date.fromisoformat(row["start"])
        assert start <= TODAY, row
        assert not row["end"] or start < dt.date.fromisoformat(row["end"]) <= TODAY, row


def test_no_problems_when_loading() -> None:
    problems = [p for p in build_knowledge().problems if "subnational" in str(p)]
    assert not problems, "\n".join(map(str, problems))


def test_one_holder_of_each_office_at_a_time() -> None:
    held: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for row in rows():
        end = dt.date.fromisoformat(row["end"]) if row["end"] else TODAY
        held[(row["country"], row["role"])].append((dt.date.fromisoformat(row["start"]), end, row["names"]))
    overlaps = []
    for key, terms in held.items():
        terms.sort()
        for before, after in zip(terms, terms[1:], strict=False):
            if (before[1] - after[0]).days > 0:
                overlaps.append(f"{key}: {before} / {after}")
    assert not overlaps, "\n".join(overlaps)


def _people_knowledge(with_subnational: bool) -> ActorKnowledge:
    knowledge = ActorKnowledge()
    files = [p for p in knowledge_files("people") if with_subnational or p.name != PATH.name]
    knowledge.load_people(files)
    return knowledge


LEADERS = frozenset({"head_of_state", "head_of_government"})


def test_no_leader_loses_the_surname_news_calls_them_by() -> None:
    """A governor who shares a surname with a leader makes the surname name neither of them: such governors are
    left out, so every leader known by surname alone ("Abbott", "Carney") or beside a title ("President Alia")
    still is."""
    before, after = _people_knowledge(False), _people_knowledge(True)
    lost = [form for form, entries in before.forms.items()
            if len(form.split()) == 1 and any(e.kind == "person" and prominent(e) for e in entries)
            and {e.name for e in after.forms.get(form, [])} != {e.name for e in entries}]
    lost += [last for last, entry in before.surnames.items()
             if any(LEADERS & set(role.office.split("|")) for role in entry.roles)
             and (after.surnames.get(last) is None or after.surnames[last].name != entry.name)]
    assert not lost, lost


def resolve(text: str, date: dt.date):
    actor = resolve_phrases(load_nlp(), [(text, date)])[0]
    return (actor.country, actor.sector) if actor else None


@pytest.mark.parametrize(("phrase", "date", "expected"), [
    ("Andrew Cuomo", dt.date(2015, 6, 1), ("USA", "GOV")),
    ("Governor Andrew Cuomo", dt.date(2019, 3, 1), ("USA", "GOV")),
    ("Andrew Cuomo", dt.date(2023, 6, 1), ("USA", "ELI")),
    ("Gavin Newsom", dt.date(2024, 6, 1), ("USA", "GOV")),
    ("Mike Pence", dt.date(2015, 6, 1), ("USA", "GOV")),
    ("Lagos State Governor Babajide Sanwo-Olu", dt.date(2022, 5, 1), ("NGA", "GOV")),
    ("Babagana Zulum", dt.date(2021, 2, 1), ("NGA", "GOV")),
    ("Maryam Nawaz", dt.date(2024, 6, 1), ("PAK", "GOV")),
    ("Yogi Adityanath", dt.date(2020, 6, 1), ("IND", "GOV")),
    ("Markus Söder", dt.date(2022, 6, 1), ("DEU", "GOV")),
    ("Sergey Aksyonov", dt.date(2020, 6, 1), ("RUS", "GOV")),
    ("Vitali Klitschko", dt.date(2023, 6, 1), ("UKR", "GOV")),
    ("Nechirvan Barzani", dt.date(2015, 6, 1), ("IRQ", "GOV")),
    ("Ekrem İmamoğlu", dt.date(2022, 6, 1), ("TUR", "GOV")),
])
def test_people_resolve_by_date(phrase, date, expected) -> None:
    assert resolve(phrase, date) == expected


@pytest.mark.parametrize(("phrase", "date", "expected"), [
    ("Narendra Modi", dt.date(2010, 6, 1), ("IND", "GOV")),  # chief minister of Gujarat, then prime minister
    ("Narendra Modi", dt.date(2020, 6, 1), ("IND", "GOV")),
    ("Abbott", dt.date(2014, 6, 1), ("AUS", "GOV")),  # Tony Abbott keeps his surname
])
def test_leaders_keep_their_roles_and_surnames(phrase, date, expected) -> None:
    assert resolve(phrase, date) == expected
