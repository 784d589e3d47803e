"""Actors by name: "Blinken", "Azerbaijan", "Islamic State", "Turkish government" to the codes filters take.

One resolver for the API's and the dashboard's `source`, `target` and `actor`
filters and for `/api/actors?q=`. A code keeps working as before (AZE, aze,
USAGOV, an unknown XYZGOV: nothing matches); anything else is read as a name
with the coder's actor knowledge (countries, demonyms, seats, organisations,
people and their surnames, a known actor followed by sector words), then the
names stored in the store's actors table. A name nobody knows raises
`UnknownActor` with the nearest known names (difflib), which the API turns into
a 422 and the dashboard into its error page.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from ..errors import TacitusError
from ..knowledge.actor_base import KIND_PRIORITY, ActorEntry, build_knowledge, code_names
from ..store.queries import like_literal
from ..store.schema import actors

CODE_SHAPE = re.compile(r"[A-Za-z]{3}[A-Za-z0-9]{0,37}")
MAX_SUGGESTIONS = 3
STORE_NAMES = 20_000  # stored names read for suggestions at most
_store: ContextVar[Engine | None] = ContextVar("tacitus_store", default=None)


class UnknownActor(TacitusError):
    """A name (or alias) that neither the actor knowledge nor the store knows."""

    def __init__(self, text: str, suggestions: list[tuple[str, str]]) -> None:
        self.text, self.suggestions = text, suggestions
        hint = (" or ".join(f"{name} ({code})" for name, code in suggestions) + "?") if suggestions else None
        super().__init__(f"no actor named {text!r}; " + (f"did you mean {hint} Or g" if hint else "g")
                         + "ive a country's three letters (AZE), an actor code (USAGOV) or a name (Azerbaijan, Blinken)")


@dataclass(frozen=True)
class NameIndex:
    """Known names by their lower-case form: (name as written, code), and the sorted known codes."""

    names: dict[str, list[tuple[str, ActorEntry]]]
    codes: list[str]
    sectors: dict[tuple[str, ...], str]


def _rank(entry: ActorEntry) -> int:
    return KIND_PRIORITY.get(entry.kind, 5)


@lru_cache(maxsize=1)
def name_index() -> NameIndex:
    """The built-in actor knowledge indexed for look-ups by name (built once per process, about a second)."""
    knowledge = build_knowledge()
    names: dict[str, list[tuple[str, ActorEntry]]] = {}
    for form, entries in knowledge.forms.items():
        for entry in entries:
            if entry.code or entry.country:
                names.setdefault(form.lower(), []).append((form, entry))
    for surname, entry in knowledge.surnames.items():
        names.setdefault(surname.lower(), []).append((surname, entry))
    codes = {e.code for found in names.values() for _, e in found if e.code} | set(code_names())
    sectors = {words: sector for words, (sector, _) in knowledge.sectors.items()}
    return NameIndex(names, sorted(codes), sectors)


def _code(entry: ActorEntry) -> str:
    return entry.code or entry.country or ""


def _known(text: str) -> tuple[str, ActorEntry] | None:
    """The entry a name means: the same spelling first, then the highest kind (person, organisation, country)."""
    found = name_index().names.get(text.lower())
    if not found:
        return None
    return min(found, key=lambda item: (item[0] != text, _rank(item[1])))


def _with_sector(words: list[str]) -> str | None:
    """ "Turkish government", "Armenian opposition", "government of Turkey", "Turkey's military" as code + sector."""
    sectors = name_index().sectors
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
    for cut in range(len(words) - 1, 0, -1):
        head, tail = words[:cut], words[cut:]
        for actor, sector in ((head, tail), (tail[1:], head) if tail[0].lower() == "of" else ([], [])):
            kind = sectors.get(tuple(w.lower() for w in sector))
            found = _known(" ".join(actor)) if actor and kind else None
            if found and found[1].country:
                return found[1].country + kind
    return None


def is_code(engine: Engine | None, code: str) -> bool:
    """Whether a code, or a code it is the start of, is known to the actor knowledge or stored."""
    codes = name_index().codes
    at = bisect.bisect_left(codes, code)
    if at < len(codes) and codes[at].startswith(code):
        return True
    if engine is None:
        return False
    statement = select(actors.c.code).where(actors.c.code.like(like_literal(code) + "%", escape="\\")).limit(1)
    with engine.connect() as conn:
        return conn.execute(statement).first() is not None


def lookup(engine: Engine | None, text: str) -> str | None:
    """The code a name or alias stands for, or None."""
    found = _known(text)
    if found:
        return _code(found[1])
    sector = _with_sector(text.split()) if " " in text else None
    if sector:
        return sector
    if engine is None:
        return None
    with engine.connect() as conn:
        return conn.execute(select(actors.c.code).where(func.lower(actors.c.name) == text.lower())
                            .order_by(actors.c.code).limit(1)).scalar()


def suggestions(engine: Engine | None, text: str) -> list[tuple[str, str]]:
    """The known names nearest to `text` with their codes, nearest first."""
    candidates = {key: (found[0][0], _code(found[0][1])) for key, found in name_index().names.items()}
    if engine is not None:
        with engine.connect() as conn:
            for name, code in conn.execute(select(actors.c.name, actors.c.code).where(actors.c.name.is_not(None))
                                           .limit(STORE_NAMES)):
                candidates.setdefault(name.lower(), (name, code))
    near = difflib.get_close_matches(text.lower(), list(candidates), n=MAX_SUGGESTIONS * 2, cutoff=0.75)
    chosen: dict[str, tuple[str, str]] = {}  # one name per code: "Azerbaijan", not also "Azerbaijanis"
    for key in near:
        name, code = candidates[key]
        if code:
            chosen.setdefault(code, (name, code))
    return list(chosen.values())[:MAX_SUGGESTIONS]


def resolve_actor(engine: Engine | None, text: str) -> str:
    """The code a filter value stands for: a code as it is (upper case), else the code of a name or alias.

    Raises UnknownActor (with the nearest names) for a name nobody knows."""
    value = " ".join(text.split())
    if value.lower().startswith("the ") and len(value) > 4:  # "the EU": the knowledge keeps names without it
        value = value[4:]
    upper = value.upper()
    shaped = CODE_SHAPE.fullmatch(value) is not None
    if shaped and value in (upper, value.lower()) and (is_code(engine, upper) or len(value) == 3 and not _known(value)):
        return upper  # written as a code: as before
    found = lookup(engine, value) if value else None
    if found:
        return found
    if shaped and (value == upper or is_code(engine, upper)):
        return upper  # an unknown code filters as before: nothing matches
    raise UnknownActor(value, suggestions(engine, value) if value else [])


def current_store() -> Engine | None:
    """The store of the request being validated (set by `StoreContext`), for names only the store knows."""
    return _store.get()


@contextmanager
def using_store(engine: Engine | None) -> Iterator[None]:
    token = _store.set(engine)
    try:
        yield
    finally:
        _store.reset(token)


class StoreContext:
    """ASGI middleware: query parameters are validated knowing the app's store (pydantic validators take no
    arguments of their own, and a name may be known only to the store)."""

    def __init__(self, app, engine: Engine) -> None:
        self.app, self.engine = app, engine

    async def __call__(self, scope, receive, send) -> None:
        with using_store(self.engine):
            await self.app(scope, receive, send)
