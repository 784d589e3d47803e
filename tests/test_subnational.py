"""people/subnational.tsv: dated governors, chief ministers, premiers and mayors load, are consistent and resolve."""

from __future__ import annotations

import datetime as dt

import pytest

import tacitus
from tacitus.knowledge.actor_base import ActorKnowledge, knowledge_files, prominent
from tacitus.knowledge.lexicon import data_file
from test_security_chiefs import loading_problems, overlapping_terms, people_rows, resolve

PATH = data_file("people/subnational.tsv")
TODAY = dt.date(2026, 11, 25)


def rows() -> list[dict[str, str]]:
    return people_rows(PATH)


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
    problems = loading_problems("subnational")
    assert not problems, "\n".join(problems)


def test_one_holder_of_each_office_at_a_time() -> None:
    overlaps = overlapping_terms(rows(), slack_days=0, same_person_ok=False)
    assert not overlaps, "\n".join(overlaps)


def _people_knowledge(with_subnational: bool) -> ActorKnowledge:
    knowledge = ActorKnowledge()
    files = [p for p in knowledge_files("people") if with_subnational or p.name != PATH.name]
    knowledge.load_people(files)
    return knowledge


LEADERS = frozenset({"head_of_state", "head_of_government"})


def test_no_leader_loses_the_surname_news_calls_them_by() -> None:
    """A leader of a major power keeps the surname news calls them by ("Abbott", "Carney"): the governors who would
    take it are held back, commented out at the end of the file. Another leader whose surname a governor shares
    ("Mills", "Scott") keeps it for the texts that name them in full."""
    before, after = _people_knowledge(False), _people_knowledge(True)
    lost = [form for form, entries in before.forms.items()
            if len(form.split()) == 1 and any(e.kind == "person" and prominent(e) for e in entries)
            and {e.name for e in after.forms.get(form, [])} != {e.name for e in entries}]
    lost += [last for last, entry in before.surnames.items()
             if any(LEADERS & set(role.office.split("|")) for role in entry.roles)
             and (after.surnames.get(last) is None or after.surnames[last].name != entry.name)
             and entry.name not in {e.name for e in after.shared_surnames.get(last, ())}]
    assert not lost, lost


def test_held_back_lines_are_ready_to_restore() -> None:
    """The people held back for their surname are commented-out lines of the file's own format."""
    held = [line[1:].split("\t") for line in PATH.read_text(encoding="utf-8").splitlines()
            if line.startswith("#") and line.count("\t") == 6]
    assert held
    for names, country, sector, office, role, start, end in held:
        assert names and len(country) == 3 and sector == "GOV" and office == "other" and role, names
        assert not end or dt.date.fromisoformat(start) < dt.date.fromisoformat(end) <= TODAY, names


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


@pytest.mark.parametrize(("phrase", "date", "expected"), [
    # people once left out for their surname: a namesake elsewhere, or an English word
    ("Gray Davis", dt.date(2002, 6, 1), ("USA", "GOV")),
    ("John Rowland", dt.date(2000, 6, 1), ("USA", "GOV")),
    ("Rick Scott", dt.date(2015, 6, 1), ("USA", "GOV")),
    ("Nathan Deal", dt.date(2015, 6, 1), ("USA", "GOV")),
    ("Josh Green", dt.date(2024, 6, 1), ("USA", "GOV")),
    ("Jim Risch", dt.date(2006, 8, 1), ("USA", "GOV")),
    ("George Ryan", dt.date(2001, 6, 1), ("USA", "GOV")),
    ("Laura Kelly", dt.date(2020, 6, 1), ("USA", "GOV")),
    ("Ernie Fletcher", dt.date(2005, 6, 1), ("USA", "GOV")),
    ("Janet Mills", dt.date(2020, 6, 1), ("USA", "GOV")),
    ("Jane Swift", dt.date(2002, 6, 1), ("USA", "GOV")),
    ("Charlie Baker", dt.date(2018, 6, 1), ("USA", "GOV")),
    ("Maura Healey", dt.date(2024, 6, 1), ("USA", "GOV")),
    ("Phil Bryant", dt.date(2015, 6, 1), ("USA", "GOV")),
    ("Tate Reeves", dt.date(2021, 6, 1), ("USA", "GOV")),
    ("Roger Wilson", dt.date(2000, 12, 1), ("USA", "GOV")),
    ("Jay Nixon", dt.date(2012, 6, 1), ("USA", "GOV")),
    ("John Lynch", dt.date(2008, 6, 1), ("USA", "GOV")),
    ("Chris Christie", dt.date(2012, 6, 1), ("USA", "GOV")),
    ("Roy Cooper", dt.date(2020, 6, 1), ("USA", "GOV")),
    ("Brad Henry", dt.date(2005, 6, 1), ("USA", "GOV")),
    ("Phil Scott", dt.date(2020, 6, 1), ("USA", "GOV")),
    ("Jim Gilmore", dt.date(2000, 6, 1), ("USA", "GOV")),
    ("Tommy Thompson", dt.date(1995, 6, 1), ("USA", "GOV")),
    ("Tommy Thompson", dt.date(2003, 6, 1), ("USA", "GOV")),  # then Secretary of Health and Human Services
    ("Wanda Vázquez", dt.date(2020, 6, 1), ("PRI", "GOV")),
    ("Eric Adams", dt.date(2023, 6, 1), ("USA", "GOV")),
    ("K. Chandrashekar Rao", dt.date(2018, 6, 1), ("IND", "GOV")),
    ("KCR", dt.date(2018, 6, 1), ("IND", "GOV")),
    ("Ameer Haider Khan Hoti", dt.date(2010, 6, 1), ("PAK", "GOV")),
    ("Ali Modu Sheriff", dt.date(2008, 6, 1), ("NGA", "GOV")),
    ("Hyacinth Alia", dt.date(2024, 6, 1), ("NGA", "GOV")),
    ("Ahmed Madobe", dt.date(2020, 6, 1), ("SOM", "GOV")),
    ("Dalton McGuinty", dt.date(2008, 6, 1), ("CAN", "GOV")),
    ("Brad Wall", dt.date(2012, 6, 1), ("CAN", "GOV")),
    ("Brian Gallant", dt.date(2016, 6, 1), ("CAN", "GOV")),
    ("Tom Marshall", dt.date(2014, 6, 1), ("CAN", "GOV")),
    ("Paul Davis", dt.date(2015, 6, 1), ("CAN", "GOV")),
    ("Richard Court", dt.date(1998, 6, 1), ("AUS", "GOV")),
    ("Akhmad Kadyrov", dt.date(2002, 6, 1), ("RUS", "GOV")),
    ("Virginia Raggi", dt.date(2018, 6, 1), ("ITA", "GOV")),
])
def test_restored_people_resolve_by_full_name(phrase, date, expected) -> None:
    assert resolve(phrase, date) == expected


@pytest.mark.parametrize(("phrase", "date", "expected"), [
    ("Abbott said", dt.date(2014, 6, 1), ("AUS", "GOV")),  # not Greg Abbott, held back
    ("Carney", dt.date(2025, 6, 1), ("CAN", "GOV")),  # not John Carney, held back
    ("Scott", dt.date(2018, 6, 1), None),  # Rick Scott, Phil Scott and Guy Scott: only for one named in full
    ("Mills", dt.date(2020, 6, 1), None),  # Janet Mills and John Atta Mills
    ("Kelly", dt.date(2020, 6, 1), None),  # Laura Kelly and John F. Kelly
    ("Justice was done", dt.date(2019, 6, 1), None),
    ("Wall", dt.date(2012, 6, 1), None),  # Brad Wall: an English word, read only after a title
])
def test_shared_and_common_surnames_alone(phrase, date, expected) -> None:
    assert resolve(phrase, date) == expected


def _sources(text: str, date: dt.date) -> dict[str, str | None]:
    return {event.source.text: event.source.name for event in tacitus.extract(text, date) if event.source}


@pytest.mark.parametrize(("text", "date", "surname", "person"), [
    ("Florida Governor Rick Scott criticised Cuba. Scott also accused Venezuela of repression.",
     dt.date(2015, 6, 1), "Scott", "Rick Scott"),
    ("Maine Governor Janet Mills criticised Washington. Mills also accused Canada of unfair trade.",
     dt.date(2020, 6, 1), "Mills", "Janet Mills"),
    ("Ghana's President John Atta Mills criticised Togo. Mills also accused Nigeria of meddling.",
     dt.date(2010, 6, 1), "Mills", "John Atta Mills"),
    ("Chechen leader Ramzan Kadyrov threatened Ukraine. Kadyrov also accused Georgia of harbouring militants.",
     dt.date(2015, 6, 1), "Kadyrov", "Ramzan Kadyrov"),
    ("Akhmad Kadyrov accused Georgia of harbouring militants. Kadyrov also threatened the rebels.",
     dt.date(2002, 6, 1), "Kadyrov", "Akhmad Kadyrov"),
    ("Scott accused Venezuela of repression.", dt.date(2015, 6, 1), "Scott", None),
    ("Abbott accused China of coercion.", dt.date(2014, 6, 1), "Abbott", "Tony Abbott"),
])
def test_a_shared_surname_is_read_for_the_one_named_in_full(text, date, surname, person) -> None:
    assert _sources(text, date).get(surname) == person
