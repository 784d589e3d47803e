"""Known actors and how they change over time: entries, dated roles, and the choice among namesakes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

GENERIC_SECTOR_WORDS = frozenset(
    {"leader", "official", "officials", "spokesman", "spokeswoman", "spokesperson",
     "member", "head", "chief", "delegation", "people", "state", "force", "forces"}
)
FORMER_WORDS = frozenset({"former", "retired", "ex", "ex-", "erstwhile", "onetime", "one-time"})
SURNAME_STOPWORDS = frozenset(
    {"may", "lee", "kim", "li", "wang", "young", "king", "white", "brown",
     "president", "minister", "lula"}
)
FAMILY_NAME_FIRST = frozenset({"CHN", "TWN", "HKG", "MAC", "KOR", "PRK"})  # "Xi Jinping" is Xi, "Moon Jae-in" Moon
WESTERN_GIVEN_NAMES = frozenset({"TWN", "HKG", "MAC"})  # where "Joseph Wu" is Wu: family first only before "Ing-wen"
ENGLISH_SHORT_WORDS = frozenset({"he", "no", "oh", "ye", "so", "do", "go", "to", "in", "on", "an", "as", "at", "by", "if",
                                 "is", "it", "me", "my", "of", "or", "up", "us", "we", "ma"})
SURNAME_PARTICLES = frozenset({"le", "la", "de", "da", "do", "dos", "das", "du", "van", "von", "der", "den", "di", "del",
                               "della", "ter"})  # a particle before the last word belongs to the surname
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "vi", "md"})


def surname_of(name: str, countries: set[str | None]) -> str | None:
    """The word news calls a person by alone: the family name, first in Chinese and Korean names, else the last
    word before a suffix ("Jr", "III"); none of one or two letters ("U Thant", "Kim Jong Un" is no "Un")."""
    words = name.split()
    if len(words) < 2:
        return None
    western = bool(countries & WESTERN_GIVEN_NAMES) and not any("-" in w for w in words[1:])  # "Joseph Wu", "Carrie Lam"
    if countries & FAMILY_NAME_FIRST and not western and len(words) <= 3 and "-" not in words[0] and not words[0].endswith("."):
        return words[0] if len(words[0]) > 1 and words[0].lower() not in ENGLISH_SHORT_WORDS else None  # not "He", "No"
    if "of" in words:
        return None  # "Bartholomew I of Constantinople": a title form, no family name
    while len(words) > 1 and words[-1].lower() in SUFFIXES:
        words = words[:-1]
    if len(words) > 2 and words[-2].lower() in SURNAME_PARTICLES:
        return " ".join(words[-2:])  # "Le Pen", "de Klerk", "van der" stays with its name
    return words[-1] if len(words) > 1 and len(words[-1]) > 2 and not any(c.isdigit() for c in words[-1]) else None


PERMANENT_FIVE = frozenset({"CHN", "FRA", "GBR", "RUS", "USA"})
KIND_PRIORITY = {"person": 0, "org": 1, "territory": 2, "seat": 3, "country": 4, "demonym": 5, "region": 9}
CODE = re.compile(r"[A-Z][A-Z0-9]{2,}")
THREE_LETTERS = re.compile(r"[A-Z]{3}")
TABLE_COLUMNS = ("names", "code", "country", "sector")
PEOPLE_COLUMNS = ("names", "country", "sector", "role", "start", "end")
SECTOR_COLUMNS = ("term", "sector", "role")
# The office column of the people files: the four that the coverage test counts, then the others.
COVERED_OFFICES = ("head_of_state", "head_of_government", "foreign_minister", "defence_minister")
# "public": no office, known for what one does (singers, athletes, tycoons, journalists, clerics: public-figures-*.tsv)
OFFICES = frozenset(COVERED_OFFICES + ("head_of_organisation", "chief_justice", "speaker", "opposition_leader", "other",
                                       "public"))


@dataclass(frozen=True)
class Role:
    """An office held between two dates (end None: still held)."""

    code: str | None
    country: str | None
    sector: str
    title: str
    start: dt.date | None
    end: dt.date | None
    office: str = ""


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
        if when is None:  # a phrase with no date: the dictionary's latest role (undated articles are read as of today)
            role = ordered[-1]
            return _role_code(role, role.sector), role.country, role.sector
        holding = [r for r in ordered if holds(r, when)]
        if holding:  # one office in several states at once (the Commonwealth realms' monarch): the permanent member's
            role = max(reversed(holding), key=lambda r: (r.country in PERMANENT_FIVE, r.start or dt.date.min))  # ties: the last
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


def _best_kind(entries: Sequence[ActorEntry]) -> list[ActorEntry]:
    if len(entries) == 1:
        return list(entries)  # most forms name one entry
    best = min(KIND_PRIORITY.get(e.kind, 5) for e in entries)
    return [e for e in entries if KIND_PRIORITY.get(e.kind, 5) == best]


def settled(entries: Sequence[ActorEntry]) -> ActorEntry | None:
    """The entry a form names whatever the text says around it, or None when the text must decide."""
    pool = _best_kind(entries)
    return pool[0] if len(pool) == 1 else None


def choose(entries: Sequence[ActorEntry], countries: set[str], named: set[ActorEntry], when: dt.date | None = None) -> ActorEntry:
    """Among entries sharing a form ("RSF", "King Abdullah"), the one the text means.

    The highest kind first; among equals, the one the text also names in another form
    ("Reporters Without Borders"), then one of the text's countries (Sudan: the Rapid
    Support Forces), then a person in office on the text's date (or still in office, undated),
    else the first one listed.
    """
    pool = _best_kind(entries)
    if len(pool) > 1:
        for hits in ([e for e in pool if e in named], [e for e in pool if e.country in countries],
                     [e for e in pool if any(holds(r, when) for r in e.roles)]):
            if hits:
                return hits[0]
    return pool[0]


def holds(role: Role, when: dt.date | None) -> bool:
    """The role is held on the date (with no date: still held)."""
    if when is None:
        return role.end is None
    return (role.start is None or role.start <= when) and (role.end is None or when < role.end)


def plural_of(word: str) -> str | None:
    if word.endswith(("ese", "sh", "ch", "ss", "s", "x", "z", "i.")) or "." in word:
        return None
    if word.endswith("man"):
        return word[:-3] + "men"
    return word + "s"


def is_public(entry: ActorEntry) -> bool:
    """A person known for what they do rather than for an office: every role has the office "public"."""
    return bool(entry.roles) and all(role.office == "public" for role in entry.roles)
