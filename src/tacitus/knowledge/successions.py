"""Which state a place belonged to on a date: seceded states before their independence.

Knowledge in `data/successions.tsv`; one lookup per resolved actor or place, so a
dict keyed by the new state's code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from .lexicon import data_file, read_tsv

if TYPE_CHECKING:
    from .places import PlaceMention


@cache
def successions() -> dict[str, tuple[str, dt.date]]:
    """New state's code -> (the state it left, the day it became independent)."""
    return {row["code"]: (row["parent"], dt.date.fromisoformat(row["independent"]))
            for _, row in read_tsv(data_file("successions.tsv"), columns=3)}


def country_on(country: str | None, when: dt.date | None) -> str | None:
    """The state `country`'s land belonged to on `when`: "SSD" in 2005 is "SDN". Undated: as today."""
    if country is None or when is None:
        return country
    seceded = successions().get(country)
    return seceded[0] if seceded is not None and when < seceded[1] else country


def dated_places(mentions: list[PlaceMention], when: dt.date | None) -> list[PlaceMention]:
    """Place mentions whose candidates carry the country they belonged to on `when`."""
    if when is None or not any(p.country in successions() for m in mentions for p in m.candidates):
        return mentions
    return [replace(m, candidates=tuple(replace(p, country=country_on(p.country, when)) for p in m.candidates))
            for m in mentions]
