"""Score the actor resolver on NGEC-style assertions (actor_resolution_dev.jsonl).

Each case gives a phrase (with context and date where known) and the expected
country (ISO3) and sector. Country is right when it equals ours; for an
international body it may name the organisation's family instead ("IGO",
or the region/body code such as "EUR" for the EU, "UNO" for UN agencies),
which we read off the code. An expected empty country means "none".
Wikipedia-title cases are not about coding and are skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from ..errors import GoldFileError
from ..knowledge.phrases import resolve_phrases
from ..models import Actor
from .events import gold_records

TODAY = dt.date(2024, 6, 1)  # "today" in the NGEC tests means about 2024


@dataclass(frozen=True)
class ActorCase:
    text: str
    date: dt.date | None
    country: str | None
    sector: str | None


def _date(value: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    if value.lower() == "today":
        return TODAY
    for parse in (dt.date.fromisoformat, lambda v: dt.datetime.strptime(v, "%d %B %Y").date(),
                  lambda v: dt.datetime.strptime(v, "%B %d, %Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    return None


def _case(_: int, record: dict) -> ActorCase | None:
    expected, phrase = record["expected"], record["actor"]
    if not isinstance(phrase, str) or not isinstance(expected, dict):
        raise TypeError('"actor" must be a string and "expected" an object')
    if not isinstance(record.get("date", ""), str) or not isinstance(record.get("context") or "", str):
        raise TypeError('"date" and "context" must be strings')
    country = expected.get("cc", expected.get("country"))
    sector = expected.get("code_1")
    if record.get("method") == "query_wiki" or (country is None and sector is None):
        return None  # a Wikipedia title or no expectation: nothing to score here
    context = (record.get("context") or "").strip()
    text = f"{context} {phrase}".strip() if context else phrase
    return ActorCase(text, _date(record.get("date", "")), country, sector)


def read_cases(path: Path) -> list[ActorCase]:
    shape = '{"actor", "context", "date", "expected": {"country"|"cc", "code_1"}}'
    cases = [case for case in gold_records(path, shape, _case) if case is not None]
    if not cases:
        raise GoldFileError(f"{path}: no actor case with an expected country or sector; nothing to score")
    return cases


def country_matches(expected: str | None, actor: Actor | None) -> bool:
    expected = (expected or "").upper()
    if actor is None or not (actor.country or actor.code):
        return expected == ""
    if actor.country:
        return expected == actor.country
    code = actor.code or ""
    return expected in {code[:3], code[3:6]}


def sector_matches(expected: str | None, actor: Actor | None) -> bool:
    return (expected or "") == ((actor.sector if actor else None) or "")


@dataclass
class ActorScore:
    country_right: int = 0
    country_total: int = 0
    both_right: int = 0
    both_total: int = 0
    misses: list[tuple[ActorCase, Actor | None]] = field(default_factory=list)

    @property
    def country(self) -> float:
        return self.country_right / self.country_total if self.country_total else 0.0

    @property
    def both(self) -> float:
        return self.both_right / self.both_total if self.both_total else 0.0

    def report(self) -> str:
        return (f"cases={self.country_total} country={self.country:.3f} ({self.country_right}/{self.country_total}) "
                f"country+sector={self.both:.3f} ({self.both_right}/{self.both_total})")


def evaluate_actors(path: Path, nlp: Language) -> ActorScore:
    cases = read_cases(path)
    actors = resolve_phrases(nlp, [(c.text, c.date) for c in cases])
    score = ActorScore()
    for case, actor in zip(cases, actors, strict=True):
        right_country = country_matches(case.country, actor)
        if case.country is not None:
            score.country_total += 1
            score.country_right += right_country
        if case.country is not None and case.sector is not None:
            score.both_total += 1
            score.both_right += right_country and sector_matches(case.sector, actor)
        if not right_country or (case.sector is not None and not sector_matches(case.sector, actor)):
            score.misses.append((case, actor))
    return score
