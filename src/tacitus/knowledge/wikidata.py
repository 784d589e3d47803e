"""Import office holders from the JSON results of a Wikidata SPARQL query into the people format.

The query (README, "Importing dictionaries") returns one binding per person, position and term:
`person` (entity URI), `personLabel`, `positionLabel`, `start` and `end` (xsd:dateTime), `countryIso3`,
`aliases` ("|"-separated English altLabels) and optionally `office`. Lines of one person share every name
the bindings give (label first); a binding that cannot make a people line is reported (file:line: reason,
the line being the binding's number), never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataFileError
from .actor_entries import OFFICES

HEADER = "names\tcountry\tsector\toffice\trole\tstart\tend\twikidata"
# Position labels to offices, first match wins: deputies are "other", then ministries, then heads.
OFFICE_RULES = (
    ("other", re.compile(r"\b(vice|deputy|assistant|under|junior|acting|shadow|first lady)\b")),
    ("foreign_minister", re.compile(r"\bforeign\b|external affairs|external relations|^united states secretary of state")),
    ("defence_minister", re.compile(r"\bdefen[cs]e\b|\barmed forces minister|\bminister of war\b|secretary of war")),
    ("head_of_government", re.compile(r"prime minister|\bpremier\b|chancellor of (germany|austria)|federal chancellor|"
                                      r"head of government|president of the government|chief executive|taoiseach")),
    ("head_of_state", re.compile(r"\bpresident\b|\bmonarch\b|\bking\b|\bqueen\b|\bemir\b|\bsultan\b|supreme leader|"
                                 r"head of state|emperor|\bgrand duke\b|\bprince of\b|captain regent|governor-general")),
)


def office_of(position: str) -> str:
    """head_of_state, head_of_government, foreign_minister, defence_minister or other, from a position label."""
    label = position.lower()
    return next((office for office, rule in OFFICE_RULES if rule.search(label)), "other")


def _value(binding: dict, name: str) -> str:
    cell = binding.get(name)
    return str(cell.get("value", "")).strip() if isinstance(cell, dict) else ""


def _date(binding: dict, name: str) -> dt.date | None:
    """The date of an xsd:dateTime cell ("2021-01-20T00:00:00Z"); ValueError for an unknown or odd value."""
    value = _value(binding, name)
    if not value:
        return None
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        raise ValueError(f"{name} {value!r} is not a date (an unknown value, or before year 1000)")
    year, month, day = (int(g) for g in match.groups())
    return dt.date(year, max(month, 1), max(day, 1))  # Wikidata writes year precision as 00 months/days


@dataclass
class Holder:
    names: list[str] = field(default_factory=list)
    terms: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # country, office, role, start, end


@dataclass
class WikidataImport:
    lines: list[str]
    people: int
    problems: list[DataFileError]


def convert(source: Path) -> WikidataImport:
    """People lines from a SPARQL JSON result file; the problems of the bindings that make none."""
    problems: list[DataFileError] = []
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        bindings = data["results"]["bindings"]
        if not isinstance(bindings, list):
            raise TypeError("results.bindings is not a list")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataFileError(str(source), 0, f"not the JSON of a SPARQL query ({exc}); see the README's query") from exc
    holders: dict[str, Holder] = {}
    for number, binding in enumerate(bindings, 1):
        def problem(reason: str, at: int = number) -> None:
            problems.append(DataFileError(str(source), at, f"binding {at}: {reason}"))

        if not isinstance(binding, dict):
            problem("not a JSON object")
            continue
        person = _value(binding, "person").rsplit("/", 1)[-1]
        label = _value(binding, "personLabel")
        position = _value(binding, "positionLabel")
        country = _value(binding, "countryIso3").upper()
        if not person or not label or re.fullmatch(r"Q\d+", label):
            problem(f"person {person or '?'} has no English label")
            continue
        if not re.fullmatch(r"[A-Z]{3}", country):
            problem(f"{label} ({person}): no ISO 3166-1 alpha-3 country for {position or 'the position'}")
            continue
        try:
            start, end = _date(binding, "start"), _date(binding, "end")
        except ValueError as exc:
            problem(f"{label} ({person}): {exc}")
            continue
        office = _value(binding, "office") or office_of(position)
        if office not in OFFICES:
            problem(f"{label} ({person}): office {office!r} is not one of {', '.join(sorted(OFFICES))}; read as other")
            office = "other"
        holder = holders.setdefault(person, Holder())
        for name in [label, *_value(binding, "aliases").split("|")]:
            name = " ".join(name.split())
            if name and name not in holder.names and "\t" not in name:
                holder.names.append(name)
        term = (country, office, position or office.replace("_", " "),
                start.isoformat() if start else "", end.isoformat() if end else "")
        if term not in holder.terms:
            holder.terms.append(term)
    lines = []
    for person, holder in holders.items():
        names = "|".join(holder.names)
        for country, office, role, start, end in holder.terms:
            lines.append("\t".join((names, country, "GOV", office, role, start, end, person)))
    lines.sort(key=lambda line: (line.split("\t")[1], line.split("\t")[5], line))
    return WikidataImport(lines, len(holders), problems)


def import_wikidata(source: Path, target: Path) -> WikidataImport:
    """Write `target` (people format, with office and wikidata columns) from a SPARQL JSON result file."""
    result = convert(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"# Office holders from Wikidata ({source.name}) by `tacitus import-wikidata`; one line per\n"
                      "# person and term, every name of the person on each line. wikidata: the person's item.\n"
                      f"{HEADER}\n" + "".join(line + "\n" for line in result.lines), encoding="utf-8")
    return result
