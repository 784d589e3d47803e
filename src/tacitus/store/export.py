"""Exports of the store in the formats the field uses.

jsonl (the event record), csv, parquet, gdelt (GDELT 2.0 event table, 61
tab-separated columns, FIPS geography), plover (POLECAT-style JSONL), geojson
(located events), gexf and graphml (the actor network, edges weighted by
event counts and mean Goldstein).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from ..knowledge.places import fips
from ..models import Event
from ..output import CSV_COLUMNS, csv_row
from .queries import EventFilter, filtered
from .schema import articles, clusters, open_store

FORMATS = ("jsonl", "csv", "parquet", "gdelt", "plover", "geojson", "gexf", "graphml")
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


def stored_rows(engine: Engine, flt: EventFilter | None = None) -> Iterable[dict[str, Any]]:
    """Event records with their store ids, cluster counts and article URL, oldest first."""
    flt = flt or EventFilter()
    sub = filtered(flt).subquery()
    statement = (select(sub, clusters.c.num_mentions, clusters.c.num_sources, clusters.c.num_articles,
                        articles.c.url, articles.c.ingested_at)
                 .select_from(sub.outerjoin(clusters, sub.c.cluster_id == clusters.c.id)
                              .join(articles, sub.c.article_pk == articles.c.id))
                 .order_by(sub.c.date, sub.c.id))
    with engine.connect() as conn:
        for row in conn.execution_options(yield_per=1000).execute(statement):
            record = row.record if isinstance(row.record, dict) else json.loads(row.record)
            yield {"id": row.id, "record": record, "num_mentions": row.num_mentions or 1,
                   "num_sources": row.num_sources or 1, "num_articles": row.num_articles or 1,
                   "url": row.url, "ingested_at": row.ingested_at}


def _events(rows: Iterable[dict[str, Any]]) -> Iterable[tuple[dict[str, Any], Event]]:
    from .rows import event_from_record

    for row in rows:
        yield row, event_from_record(row["record"])


def geo_type(location) -> int:
    """GDELT geo types: 1 country, 2 US state, 3 US city, 4 world city, 5 world state."""
    if location is None:
        return 0
    if location.precision == "country":
        return 1
    if location.precision == "city":
        return 3 if location.country == "USA" else 4
    return 2 if location.country == "USA" else 5


def gdelt_row(row: dict[str, Any], event: Event) -> list[Any]:
    date = (event.date or "").replace("-", "")
    year = date[:4]
    loc = event.location

    def actor(a) -> list[Any]:
        if a is None:
            return [""] * 10
        sector = a.sector or ""
        return [a.code or "", (a.name or a.text).upper(), a.country or "", "IGO" if sector == "IGO" else "",
                "", "", "", sector if sector != "IGO" else "", "", ""]

    geo = [geo_type(loc), loc.name if loc else "", fips(loc.country) if loc else "", "", "",
           loc.lat if loc and loc.lat is not None else "", loc.lon if loc and loc.lon is not None else "",
           loc.geonameid if loc and loc.geonameid else ""]
    added = row["ingested_at"].strftime("%Y%m%d%H%M%S") if row.get("ingested_at") else ""
    fraction = ""
    if date:
        month, day = int(date[4:6]), int(date[6:8])
        fraction = f"{int(year) + ((month - 1) * 30 + day) / 365:.4f}"
    return [row["id"], date, date[:6], year, fraction, *actor(event.source), *actor(event.target),
            1 if event.sentence_index == 0 else 0, event.cameo, event.cameo[:3], event.cameo[:2],
            event.quad_class, event.goldstein, row["num_mentions"], row["num_sources"], row["num_articles"], 0,
            *([""] * 8), *([""] * 8), *geo, added, row.get("url") or event.article_id]


def plover_record(event: Event) -> dict[str, Any]:
    """POLECAT-style: actor and recipient lists, event, mode, context, date granularity."""
    def party(a) -> list[dict[str, Any]]:
        return [{"name": a.name or a.text, "text": a.text, "code": a.code, "country": a.country, "sector": a.sector}] if a else []

    loc = event.location
    return {
        "id": event.event_id, "story_id": event.article_id, "event_type": event.event_type, "mode": event.mode,
        "context": [event.intended_type.lower()] if event.intended_type else [],
        "actor": party(event.source), "recipient": party(event.target),
        "date": event.date, "date_granularity": event.date_precision, "date_text": event.date_text,
        "polarity": event.polarity, "modality": event.modality, "event_text": event.sentence,
        "anchor": event.trigger.text, "cameo": event.cameo,
        "geolocation": {"placename": loc.name, "country": loc.country, "lat": loc.lat, "lon": loc.lon,
                        "geonameid": loc.geonameid, "feature_type": loc.precision} if loc else None,
        "confidence": event.confidence,
    }


def network(rows: Iterable[tuple[dict[str, Any], Event]]):
    """A directed actor graph: one edge per dyad, weight = events, goldstein = mean score."""
    import networkx as nx

    graph = nx.DiGraph()
    for _, event in rows:
        if event.source is None or event.target is None or event.polarity != "affirmed":
            continue
        a, b = event.source.code or event.source.key, event.target.code or event.target.key
        if not a or not b:
            continue
        for node, actor in ((a, event.source), (b, event.target)):
            if node not in graph:
                graph.add_node(node, label=actor.name or actor.text, country=actor.country or "", sector=actor.sector or "")
        data = graph.get_edge_data(a, b) or {"weight": 0, "goldstein_sum": 0.0}
        graph.add_edge(a, b, weight=data["weight"] + 1, goldstein_sum=data["goldstein_sum"] + event.goldstein)
    for _, _, data in graph.edges(data=True):
        data["goldstein"] = round(data.pop("goldstein_sum") / data["weight"], 3)
    return graph


def export(engine: Engine, fmt: str, output: Path, flt: EventFilter | None = None) -> int:
    """Write the events matching `flt` to `output` in `fmt`; returns how many events were written."""
    flt = flt or EventFilter()
    rows = _events(stored_rows(engine, flt))
    count = 0
    if fmt in ("jsonl", "plover"):
        with output.open("w", encoding="utf-8") as handle:
            for _, event in rows:
                record = event.to_dict() if fmt == "jsonl" else plover_record(event)
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    elif fmt == "csv":
        with output.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for _, event in rows:
                writer.writerow(csv_row(event))
                count += 1
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table_rows = [csv_row(event) for _, event in rows]
        count = len(table_rows)
        columns = {name: [r[name] for r in table_rows] for name in CSV_COLUMNS}
        pq.write_table(pa.table(columns), output)
    elif fmt == "gdelt":
        with output.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
            for row, event in rows:
                writer.writerow(gdelt_row(row, event))
                count += 1
    elif fmt == "geojson":
        features = []
        for _, event in rows:
            loc = event.location
            if loc is None or loc.lat is None or loc.lon is None:
                continue
            properties = {k: v for k, v in csv_row(event).items() if k not in ("lat", "lon")}
            features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
                             "properties": properties})
        count = len(features)
        output.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), encoding="utf-8")
    elif fmt in ("gexf", "graphml"):
        import networkx as nx

        graph = network(rows)
        count = graph.number_of_edges()
        (nx.write_gexf if fmt == "gexf" else nx.write_graphml)(graph, output)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return count


def frame_of(engine: Engine, flt: EventFilter | None = None):
    """The matching events as a pandas DataFrame, one row per event, flat columns."""
    flt = flt or EventFilter()
    import pandas as pd

    return pd.DataFrame([csv_row(event) for _, event in _events(stored_rows(engine, flt))], columns=list(CSV_COLUMNS))


def events_frame(db: str | Engine | None = None, **filters: Any):
    """Stored events as a pandas DataFrame for notebooks: `events_frame("tacitus.db", target="AZE")`."""
    engine = db if isinstance(db, Engine) else open_store(db)
    return frame_of(engine, EventFilter(**filters))
