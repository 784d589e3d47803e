"""Write events as JSON lines, CSV or a readable table.

CSV text cells that a spreadsheet would run as a formula (starting with =, +,
-, @, a tab or a carriage return) get a leading apostrophe, as OWASP's
CSV-injection rule asks; numbers (a Goldstein score of -10.0) stay numbers.
`TACITUS_ALLOW_FORMULAS=1` (or `tacitus export --allow-formulas`) writes cells as they are.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from .models import Actor, Event

CSV_COLUMNS = (
    "event_id", "article_id", "sentence_index", "date", "date_precision", "date_text",
    "source_text", "source_code", "source_country", "source_sector",
    "event_type", "mode", "cameo", "quad_class", "goldstein",
    "target_text", "target_code", "target_country", "target_sector",
    "trigger", "polarity", "modality", "intended_type", "attributed_to",
    "location", "location_country", "lat", "lon", "confidence", "rule", "sentence",
)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULAS_ENV = "TACITUS_ALLOW_FORMULAS"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def formulas_allowed() -> bool:
    """Whether CSV cells are written as they are (TACITUS_ALLOW_FORMULAS=1), not neutralised."""
    return os.environ.get(FORMULAS_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def neutralised(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, with a leading apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv_row(row: Mapping[str, Any], allow_formulas: bool = False) -> dict[str, Any]:
    return dict(row) if allow_formulas else {key: neutralised(value) for key, value in row.items()}


def xml_text(value: str) -> str:
    """Text that XML 1.0 can hold: control characters (but tab and line breaks) and lone surrogates removed."""
    return _XML_ILLEGAL.sub("", value)


def one_line(value: Any) -> Any:
    """A field that cannot break a tab-separated row: tabs and line breaks become spaces."""
    return _LINE_BREAKS.sub(" ", value) if isinstance(value, str) else value


def event_json(event: Event) -> str:
    return json.dumps(event.to_dict(), ensure_ascii=False)


def _actor_label(actor: Actor | None) -> str:
    if actor is None:
        return "-"
    return f"{actor.text} [{actor.code or actor.country or actor.sector or '?'}]"


def csv_row(event: Event) -> dict[str, object]:
    def part(actor: Actor | None, attr: str) -> object:
        return getattr(actor, attr) if actor is not None else None

    loc = event.location
    return {
        "event_id": event.event_id, "article_id": event.article_id, "sentence_index": event.sentence_index,
        "date": event.date, "date_precision": event.date_precision, "date_text": event.date_text,
        "source_text": part(event.source, "text"), "source_code": part(event.source, "code"),
        "source_country": part(event.source, "country"), "source_sector": part(event.source, "sector"),
        "event_type": event.event_type, "mode": event.mode, "cameo": event.cameo,
        "quad_class": event.quad_class, "goldstein": event.goldstein,
        "target_text": part(event.target, "text"), "target_code": part(event.target, "code"),
        "target_country": part(event.target, "country"), "target_sector": part(event.target, "sector"),
        "trigger": event.trigger.text, "polarity": event.polarity, "modality": event.modality,
        "intended_type": event.intended_type, "attributed_to": part(event.attributed_to, "code"),
        "location": loc.name if loc else None, "location_country": loc.country if loc else None,
        "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
        "confidence": event.confidence, "rule": event.rule, "sentence": event.sentence,
    }


class EventWriter:
    """Writes a stream of events in one format; the table prints as it goes."""

    def __init__(self, stream: TextIO, fmt: str, allow_formulas: bool | None = None) -> None:
        self.stream = stream
        self.fmt = fmt
        self.count = 0
        self.csv: csv.DictWriter | None = None
        self.allow_formulas = formulas_allowed() if allow_formulas is None else allow_formulas

    def write(self, events: Iterable[Event]) -> None:
        for event in events:
            self.count += 1
            if self.fmt == "jsonl":
                self.stream.write(event_json(event) + "\n")
            elif self.fmt == "csv":
                if self.csv is None:
                    self.csv = csv.DictWriter(self.stream, fieldnames=CSV_COLUMNS)
                    self.csv.writeheader()
                self.csv.writerow(safe_csv_row(csv_row(event), self.allow_formulas))
            else:
                self.stream.write(table_block(event) + "\n")


def table_block(event: Event) -> str:
    """One event as a short readable block: who -> type -> whom, when, where, evidence."""
    flags = []
    if event.polarity == "negated":
        flags.append("NEGATED")
    if event.modality != "actual":
        flags.append(event.modality + (f" {event.intended_type}" if event.intended_type else ""))
    if event.attributed_to is not None:
        flags.append(f"per {event.attributed_to.text}")
    head = f"{_actor_label(event.source)} -> {event.event_type} ({event.cameo}) -> {_actor_label(event.target)}"
    when = event.date or "date unknown"
    if event.date and event.date_precision != "day":
        when += f" ({event.date_precision})"
    where = event.location.name if event.location else "place unknown"
    meta = f"   {when} | {where} | conf {event.confidence:.2f}" + (f" | {'; '.join(flags)}" if flags else "")
    evidence = event.sentence if len(event.sentence) <= 160 else event.sentence[:157] + "..."
    return f"{head}\n{meta}\n   \"{evidence}\""
