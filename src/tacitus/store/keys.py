"""Grouping keys that the views share: who an aggregate row is about."""

from __future__ import annotations

from sqlalchemy import case, literal_column
from sqlalchemy.sql.elements import ColumnElement

# Codes of actors without a country: their stored "country" is these three letters, so the
# organisation itself (IGOEUREEC, IGOUNO, IGOWSTNAT, IMGMOSISI) is the key, not the family.
GROUP_PREFIXES = ("IGO", "NGO", "IMG", "MNC", "MED")


def actor_key(country: ColumnElement, code: ColumnElement) -> ColumnElement:
    """A state's country (USA), or an international body's or group's own code (IGOEUREEC)."""
    # constants inline (not bound), so that PostgreSQL sees the same expression in SELECT and GROUP BY
    prefixes = [literal_column(f"'{prefix}'") for prefix in GROUP_PREFIXES]
    return case((country.in_(prefixes), code), else_=country)
