"""PLOVER/POLECAT JSON records, with the field names of the PLOVER manual's "Data Fields" chapter.

One record per mention (its evidence sentence and offsets in `text_info`), the
mentions of one event sharing a `link` (the cluster). `event`, `mode` and
`context` are lists; `mode` holds only the modes the manual defines for the
event's category (tacitus's finer modes are mapped or dropped, and those that
name a topic become a `context`); the special contexts `negation` and
`hypothetical` carry polarity and modality, as the manual asks. tacitus's own
fields (modality, intended type, CAMEO code, confidence, date precision) are
kept under their own names beside them. REQUEST is POLECAT's name for the
manual's DEMAND and takes its modes.
"""

from __future__ import annotations

import datetime as dt
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ..models import Actor, Event, Location
from .gdelt import NONSTATE, admin1_of, iso2

CODEBOOK = "plover-0.8"
_SHARED = ("assist", "change", "yield", "meet")
MODES: dict[str, tuple[str, ...]] = {  # the manual's mode tables; categories without one take no mode
    "CONSULT": ("visit", "third-party", "multilateral", "phone"),
    "RETREAT": ("withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"),
    "REQUEST": _SHARED,
    "ACCUSE": ("disapprove", "investigate", "allege"),
    "REJECT": _SHARED,
    "THREATEN": ("restrict", "ban", "arrest", "relations", "expel", "territory", "violence"),
    "PROTEST": ("demo", "riot", "general", "strike", "hunger", "boycott", "obstruct"),
    "SANCTION": ("convict", "expel", "withdraw", "discontinue"),
    "MOBILIZE": ("troops", "weapons", "police", "militia"),
    "COERCE": ("confiscate", "restrict", "ban", "censor", "curfew", "martial-law", "arrest", "deport", "withhold"),
    "ASSAULT": ("abduct", "beat", "torture", "execute", "sexual", "assassinate", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "heavy-weapons", "cleansing", "massacre", "unconventional", "sideAB"),
}
CONTEXTS = ("military", "intelligence", "peacekeeping", "economic", "diplomatic", "resource", "disease", "enviro_disaster",
            "migration", "humanitarian", "asylum", "legal", "human_rights", "rights_freedoms", "gender", "lgbt",
            "terrorism", "human_security", "religion_ethnicity", "executive", "election", "legislative", "cbrn", "cyber",
            "political_institutions", "corruption", "crime", "illegal_drugs", "historical", "future", "hypothetical",
            "negation")
RENAMED = {  # (category, tacitus mode) -> the manual's word for it
    ("ACCUSE", "sue"): "allege", ("ASSAULT", "aerial"): "heavy-weapons", ("ASSAULT", "artillery"): "heavy-weapons",
    ("ASSAULT", "ethnic cleansing"): "cleansing", ("ASSAULT", "mass killing"): "massacre",
    ("COERCE", "seize"): "confiscate", ("CONSULT", "mediate"): "third-party", ("PROTEST", "demonstrate"): "demo",
    ("PROTEST", "hunger strike"): "hunger", ("REQUEST", "mediate"): "meet", ("RETREAT", "allow"): "access",
    ("RETREAT", "demobilize"): "disarm", ("SANCTION", "break"): "discontinue", ("SANCTION", "sanction"): "discontinue",
    ("SANCTION", "suspend"): "discontinue", ("THREATEN", "boycott"): "restrict",
}
TOPICS = {"economic": "economic", "military": "military", "humanitarian": "humanitarian", "asylum": "asylum",
          "intelligence": "intelligence", "judicial": "legal", "sue": "legal", "convict": "legal", "cyber": "cyber"}
THREATENED = {"ASSAULT": "violence", "SANCTION": "relations"}  # THREATEN's mode is what is threatened
FEATURES = {"country": ("A", "PCLI"), "region": ("A", "ADM1"), "city": ("P", None)}
SECTORS = {"ELI": "CVL"}  # the manual drops CAMEO's ELI (elites, former officials): they are CVL


def plover_mode(event: Event) -> list[str] | None:
    """The event's mode in the manual's vocabulary for its category, or None."""
    allowed = MODES.get(event.event_type, ())
    found = RENAMED.get((event.event_type, event.mode or ""), event.mode)
    if event.event_type == "THREATEN" and found not in allowed:
        found = THREATENED.get(event.intended_type or "")
    return [found] if found in allowed else None


def plover_context(event: Event, published: dt.date | None = None) -> list[str] | None:
    """Topic contexts from the mode, and the special contexts negation, hypothetical and historical."""
    found = [TOPICS[event.mode]] if event.mode in TOPICS else []
    if event.polarity == "negated":
        found.append("negation")
    if event.modality == "hypothetical":
        found.append("hypothetical")
    if event.date and published and event.date_precision != "unknown" \
            and dt.date.fromisoformat(event.date) < published - dt.timedelta(days=365):
        found.append("historical")
    return found or None


def plover_actor(actor: Actor) -> dict[str, Any]:
    """An actor object: the 3-letter top-level code (ISO3, or IGO, NGO ...), a sector, the text as written."""
    sector = SECTORS.get(actor.sector, actor.sector) if actor.sector and actor.sector not in NONSTATE else None
    return {"code": actor.key, "sector": sector, "actor_text": actor.text, "entity_text": actor.text,
            "identifier_text": actor.name, "cameo_code": actor.code, "start": actor.start, "end": actor.end}


def plover_location(location: Location | None) -> dict[str, Any] | None:
    """The location object in GeoNames' field names, with ISO3 as `cc3`."""
    if location is None:
        return None
    feature_class, feature_code = FEATURES.get(location.precision, (None, None))
    return {"geonameid": location.geonameid, "name": location.name, "latitude": location.lat,
            "longitude": location.lon, "feature_class": feature_class, "feature_code": feature_code,
            "country_code": iso2(location.country), "cc3": location.country,
            "admin1_code": admin1_of(location.geonameid) or None, "precision": location.precision}


def _coder() -> str:
    try:
        return f"tacitus {version('tacitus')}"
    except PackageNotFoundError:
        return "tacitus"


def plover_record(event: Event, row: dict[str, Any] | None = None) -> dict[str, Any]:
    """A PLOVER record of one mention; `row` (a stored row) adds the article, the cluster and the coding date."""
    row = row or {}
    published = row.get("published")
    date, date_source = event.date, "event"
    if date is None and published is not None:
        date, date_source = published.isoformat(), "publication"
    added = row.get("ingested_at")
    start = event.sentence_start
    return {
        "id": event.event_id, "story_id": event.article_id, "date": date, "date_precision": event.date_precision,
        "date_source": date_source, "date_text": event.date_text,
        "source": [plover_actor(event.source)] if event.source else [],
        "recipient": [plover_actor(event.target)] if event.target else [],
        "event": [event.event_type], "mode": plover_mode(event), "context": plover_context(event, published),
        "intended_type": event.intended_type, "modality": event.modality, "polarity": event.polarity,
        "attributed_to": plover_actor(event.attributed_to) if event.attributed_to else None,
        "event_loc": plover_location(event.location), "event_text": [event.sentence],
        "quad_code": event.quad_class, "event_scale": event.goldstein, "cameo": event.cameo,
        "text_info": {"sequence": event.sentence_index, "start": start, "end": start + len(event.sentence),
                      "sentence": event.sentence,
                      "trigger": {"text": event.trigger.text, "start": event.trigger.start, "end": event.trigger.end}},
        "link": str(row["cluster_id"]) if row.get("cluster_id") else None,
        "num_mentions": row.get("num_mentions", 1), "num_articles": row.get("num_articles", 1),
        "num_sources": row.get("num_sources", 1),
        "cite_info": {"citation": event.article_id, "url": row.get("url"), "title": row.get("title"),
                      "publication": row.get("outlet"), "language": "en", "coder": _coder(), "codebook": CODEBOOK},
        "coder": _coder(), "coded_date": added.date().isoformat() if added else None,
        "confidence": event.confidence, "rule": event.rule,
    }
