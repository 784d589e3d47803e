"""How completely the people files cover who held which office: countries x offices x years.

For every country of `people_scope.tsv` and each of the four covered offices
(head of state, head of government, foreign and defence minister), a year
counts as covered when some line of the people files holds that office in
that country for part of the year, or a gap line (`people/gaps-*.tsv`) says
why nobody did (no army, vacancy, the state did not exist yet).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..knowledge.actor_base import knowledge_files
from ..knowledge.actor_entries import COVERED_OFFICES
from ..knowledge.lexicon import data_file, read_tsv

Interval = tuple[dt.date, dt.date]
OVERLAP_DAYS = 31  # handovers and acting spells: a month of overlap between two holders is not an error
# Offices held jointly: co-princes (AND), the presidency (BIH), the Federal Council (CHE), the Captains Regent
# (SMR), the co-prime ministers of 1993-98 (KHM), the co-presidents since 2025 (NIC).
SHARED_OFFICES = frozenset({("AND", "head_of_state"), ("BIH", "head_of_state"), ("CHE", "head_of_state"),
                            ("SMR", "head_of_state"), ("KHM", "head_of_government"), ("NIC", "head_of_state"),
                            ("NIC", "head_of_government")})


@dataclass(frozen=True)
class Term:
    """One holder of one office, as the people files give it."""

    name: str
    country: str
    office: str
    start: dt.date
    end: dt.date
    where: str  # file:line


@dataclass
class Coverage:
    """Years covered per (country, office), and the overlapping terms found on the way."""

    years: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)  # (covered, total)
    overlaps: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        covered = sum(c for c, _ in self.years.values())
        total = sum(t for _, t in self.years.values())
        return covered / total if total else 0.0

    def holes(self) -> list[str]:
        return [f"{country} {office}: {covered}/{total} years"
                for (country, office), (covered, total) in sorted(self.years.items()) if covered < total]


def _date(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def scope() -> dict[str, dt.date]:
    """ISO3 -> the first day its offices must be covered from."""
    return {row["iso3"]: dt.date.fromisoformat(row["from"]) for _, row in read_tsv(data_file("people_scope.tsv"), 3)}


def terms(today: dt.date) -> list[Term]:
    found = []
    for path in knowledge_files("people"):
        for number, row in read_tsv(path, 6, []):
            for office in filter(None, row.get("office", "").split("|")):
                if office in COVERED_OFFICES and len(row["country"]) == 3:
                    start = _date(row["start"], dt.date(1900, 1, 1))
                    found.append(Term(row["names"].split("|")[0], row["country"], office, start,
                                      _date(row["end"], today), f"{path.name}:{number}"))
    return found


def gaps(today: dt.date) -> dict[tuple[str, str], list[Interval]]:
    found: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    folder = data_file("people")
    for path in sorted(Path(folder).glob("gaps*.tsv")) if Path(folder).is_dir() else []:
        for _, row in read_tsv(path, 5, []):
            offices = COVERED_OFFICES if row["office"] == "*" else tuple(row["office"].split("|"))
            for office in offices:
                found[(row["country"], office)].append((_date(row["start"], dt.date(1900, 1, 1)), _date(row["end"], today)))
    return found


def covers(intervals: list[Interval], year: int, today: dt.date) -> bool:
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    return any(start <= last and end >= first for start, end in intervals)


def office_coverage(today: dt.date | None = None) -> Coverage:
    today = today or dt.date.today()
    by_office: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for term in terms(today):
        by_office[(term.country, term.office)].append(term)
    excused = gaps(today)
    result = Coverage()
    for country, since in scope().items():
        for office in COVERED_OFFICES:
            held = by_office.get((country, office), [])
            intervals = [(t.start, t.end) for t in held] + excused.get((country, office), [])
            years = range(since.year, today.year + 1)
            result.years[(country, office)] = (sum(covers(intervals, y, today) for y in years), len(years))
            if (country, office) not in SHARED_OFFICES:
                result.overlaps.extend(_overlaps(held))
    return result


def _overlaps(held: list[Term]) -> list[str]:
    found = []
    ordered = sorted(held, key=lambda t: t.start)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.name != after.name and (before.end - after.start).days > OVERLAP_DAYS:
            found.append(f"{before.country} {before.office}: {before.name} ({before.where}) until {before.end} "
                         f"overlaps {after.name} ({after.where}) from {after.start}")
    return found


def coverage_table(coverage: Coverage) -> str:
    """A Markdown table: one row per country, the share of years covered per office."""
    lines = ["| country | " + " | ".join(o.replace("_", " ") for o in COVERED_OFFICES) + " |",
             "|---|" + "---|" * len(COVERED_OFFICES)]
    for country in sorted({c for c, _ in coverage.years}):
        cells = []
        for office in COVERED_OFFICES:
            covered, total = coverage.years[(country, office)]
            cells.append(f"{covered}/{total}")
        lines.append(f"| {country} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
