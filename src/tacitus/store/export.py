"""Exports of the store in the formats the field uses.

jsonl (the event record, one per mention), csv and parquet (flat columns, one
row per mention, with the event's cluster counts and the article's URL, title
and outlet; `best_mention` marks the row that stands for its event), gdelt (the
GDELT 2.0 event table: one row per event, `tacitus.store.gdelt`), plover
(PLOVER/POLECAT JSONL, one record per mention linked to its event,
`tacitus.store.plover`), geojson (one feature per located event) and gexf and
graphml (the actor network: edges weighted by events, mentions beside them).
Dates keep their precision beside them in every format.

Exports cannot hurt: an output naming the store itself is refused; every
format is written to a temporary file beside the output and renamed into place
when complete, so a failed or killed export never leaves a truncated file nor
replaces an earlier good one; CSV cells are neutralised against formula
injection (`tacitus.output.neutralised`, unless `allow_formulas`); GraphML and
GEXF hold only characters XML allows; GDELT fields hold no tab or line break.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.engine import Engine

from ..errors import TacitusError
from ..models import Event
from ..output import CSV_COLUMNS, csv_row, formulas_allowed, safe_csv_row, xml_text
from .gdelt import GDELT_COLUMNS, exported, gdelt_row, geo_type
from .plover import plover_record
from .queries import EventFilter, filtered, with_clusters
from .rows import event_from_record
from .schema import articles, clusters, events, open_store

FORMATS = ("jsonl", "csv", "parquet", "gdelt", "plover", "geojson", "gexf", "graphml")
STORE_COLUMNS = ("cluster_id", "best_mention", "num_mentions", "num_articles", "num_sources", "url", "title", "outlet",
                 "published")
EXPORT_COLUMNS = CSV_COLUMNS + STORE_COLUMNS
NUMBERS = {"sentence_index": "int64", "quad_class": "int64", "goldstein": "float64", "lat": "float64", "lon": "float64",
           "confidence": "float64", "cluster_id": "int64", "num_mentions": "int64", "num_articles": "int64",
           "num_sources": "int64", "best_mention": "bool"}
# What to give pandas.read_csv so that codes stay text: CAMEO "0256" is not the number 256, an event id
# "12e45" is not a float. `pd.read_csv("events.csv", dtype=CSV_DTYPES)`.
CSV_DTYPES = {name: str for name in EXPORT_COLUMNS if name not in NUMBERS}
__all__ = ["CSV_DTYPES", "EXPORT_COLUMNS", "FORMATS", "GDELT_COLUMNS", "csv_stream", "events_frame", "export", "frame_of",
           "gdelt_row", "geo_type", "gexf_stream", "json_stream", "network", "plover_record", "stored_rows"]


class ExportError(TacitusError):
    """An export that would do harm (overwrite the store) or cannot be written."""


def _store_files(engine: Engine) -> list[Path]:
    """The files of a SQLite store (the database and its journal, WAL and shared-memory files); none for a server."""
    if engine.url.get_backend_name() != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return []
    database = Path(engine.url.database)
    return [database] + [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def check_output(engine: Engine, output: Path) -> None:
    """Refuse an output that is the store itself (or one of its files), whatever path names it."""
    target = Path(output).resolve()
    for path in _store_files(engine):
        same = path.resolve() == target
        if not same and path.exists() and target.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(path, target)
        if same:
            raise ExportError(f"--output {output} is the store itself ({path}); writing it would destroy the store: "
                              "choose another file name")


@contextlib.contextmanager
def atomic_output(output: Path) -> Iterator[Path]:
    """A temporary file beside `output`, renamed onto it only when the block completes; removed otherwise."""
    output = Path(output)
    handle, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent or Path("."))
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # what a plain open() would have made, not mkstemp's 0600
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def stored_rows(engine: Engine, flt: EventFilter | None = None,
                where: Iterable[ColumnElement] = ()) -> Iterable[dict[str, Any]]:
    """Event records with their store ids, their cluster's counts and their article, oldest first."""
    flt = flt or EventFilter()
    statement = filtered(flt)
    if flt.unit != "event":
        statement = with_clusters(statement)
    statement = (statement.join(articles, events.c.article_pk == articles.c.id).where(*where)
                 .add_columns(clusters.c.num_mentions, clusters.c.num_sources, clusters.c.num_articles,
                              clusters.c.best_event, articles.c.url, articles.c.title, articles.c.source_name,
                              articles.c.published, articles.c.ingested_at)
                 .order_by(events.c.date, events.c.id))
    with engine.connect() as conn:
        for row in conn.execution_options(yield_per=1000).execute(statement):
            record = row.record if isinstance(row.record, dict) else json.loads(row.record)
            yield {"id": row.id, "record": record, "cluster_id": row.cluster_id,
                   "best_mention": row.cluster_id is None or row.best_event == row.id,
                   "num_mentions": row.num_mentions or 1, "num_sources": row.num_sources or 1,
                   "num_articles": row.num_articles or 1, "url": row.url, "title": row.title, "outlet": row.source_name,
                   "published": row.published, "ingested_at": row.ingested_at}


def _events(rows: Iterable[dict[str, Any]]) -> Iterable[tuple[dict[str, Any], Event]]:
    for row in rows:
        yield row, event_from_record(row["record"])


def export_row(row: dict[str, Any], event: Event) -> dict[str, Any]:
    """The flat columns of a mention, with its event's counts and its article."""
    published = row.get("published")
    return csv_row(event) | {name: row.get(name) for name in STORE_COLUMNS} | {
        "published": published.isoformat() if published else None}


def network(rows: Iterable[tuple[dict[str, Any], Event]]):
    """A directed actor graph of event rows: one edge per dyad, weight = events, mentions, goldstein = mean score."""
    import networkx as nx

    graph = nx.DiGraph()
    for row, event in rows:
        if event.source is None or event.target is None or event.polarity != "affirmed" or event.modality == "hypothetical":
            continue
        a, b = (xml_text(x) if x else x for x in (event.source.code or event.source.key, event.target.code or event.target.key))
        if not a or not b:
            continue
        for node, actor in ((a, event.source), (b, event.target)):
            if node not in graph:
                graph.add_node(node, label=xml_text(actor.name or actor.text), country=xml_text(actor.country or ""),
                               sector=xml_text(actor.sector or ""))
        data = graph.get_edge_data(a, b) or {"weight": 0, "mentions": 0, "goldstein_sum": 0.0}
        graph.add_edge(a, b, weight=data["weight"] + 1, mentions=data["mentions"] + row.get("num_mentions", 1),
                       goldstein_sum=data["goldstein_sum"] + event.goldstein)
    for _, _, data in graph.edges(data=True):
        data["goldstein"] = round(data.pop("goldstein_sum") / data["weight"], 3)
    return graph


def _write_parquet(rows: list[dict[str, Any]], output: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {"int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(name, kinds[NUMBERS[name]] if name in NUMBERS else pa.string()) for name in EXPORT_COLUMNS])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), output)


def export(engine: Engine, fmt: str, output: Path, flt: EventFilter | None = None,
           allow_formulas: bool | None = None) -> int:
    """Write the events matching `flt` to `output` in `fmt`; returns how many rows (or edges) were written.

    The file appears only when complete (written beside it, then renamed); `output` naming the store is refused.
    CSV text cells that a spreadsheet would run as formulas are neutralised unless `allow_formulas`
    (default: the TACITUS_ALLOW_FORMULAS setting)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    check_output(engine, output)
    allow = formulas_allowed() if allow_formulas is None else allow_formulas
    try:
        with atomic_output(output) as temporary:
            return _write(engine, fmt, temporary, flt or EventFilter(), allow)
    except OSError as exc:
        raise ExportError(f"cannot write {output} ({exc.strerror or exc}); check the folder exists and is writable") from exc


def _write(engine: Engine, fmt: str, output: Path, flt: EventFilter, allow_formulas: bool) -> int:
    per_event = replace(flt, unit="event")
    count = 0
    if fmt in ("jsonl", "plover"):
        with output.open("w", encoding="utf-8") as handle:
            for row, event in _events(stored_rows(engine, flt)):
                record = event.to_dict() if fmt == "jsonl" else plover_record(event, row)
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    elif fmt == "csv":
        with output.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=EXPORT_COLUMNS)
            writer.writeheader()
            for row, event in _events(stored_rows(engine, flt)):
                writer.writerow(safe_csv_row(export_row(row, event), allow_formulas))
                count += 1
    elif fmt == "parquet":
        table_rows = [export_row(row, event) for row, event in _events(stored_rows(engine, flt))]
        _write_parquet(table_rows, output)
        count = len(table_rows)
    elif fmt == "gdelt":
        with output.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
            for values in exported(_events(stored_rows(engine, per_event))):
                writer.writerow(values)
                count += 1
    elif fmt == "geojson":
        features = []
        for row, event in _events(stored_rows(engine, per_event)):
            loc = event.location
            if loc is None or loc.lat is None or loc.lon is None:
                continue
            properties = {k: v for k, v in export_row(row, event).items() if k not in ("lat", "lon")}
            features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
                             "properties": properties})
        count = len(features)
        output.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), encoding="utf-8")
    else:
        import networkx as nx

        graph = network(_events(stored_rows(engine, per_event)))
        count = graph.number_of_edges()
        (nx.write_gexf if fmt == "gexf" else nx.write_graphml)(graph, output)
    return count


def _plain(value: Any) -> Any:
    """Dates as ISO text, for JSON and CSV alike."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def csv_stream(rows: Iterable[dict[str, Any]], columns: Iterable[str], allow_formulas: bool | None = None,
               batch: int = 500) -> Iterator[str]:
    """CSV text of `rows` (a header, then a chunk every `batch` rows), never the whole table in memory; text
    cells a spreadsheet would run as formulas are neutralised as in `export` (unless allowed)."""
    allow = formulas_allowed() if allow_formulas is None else allow_formulas
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for n, row in enumerate(rows, 1):
        writer.writerow(safe_csv_row({k: _plain(v) for k, v in row.items()}, allow))
        if n % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_stream(head: dict[str, Any], rows: Iterable[Any], key: str = "rows") -> Iterator[str]:
    """One JSON object, `head` with `key` holding the rows, written a row at a time."""
    opening = json.dumps(head | {key: []}, ensure_ascii=False, default=_plain)
    yield opening[:-3] + "["  # the object without its closing `]}`
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False, default=_plain)
    yield "\n]}\n"


def gexf_stream(nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]],
                labels: dict[str, str] | None = None) -> Iterator[str]:
    """A directed GEXF 1.2 graph of an actor network (`views.network`): nodes labelled by name with their
    events, edges weighted by events with their mentions, mean Goldstein and tone (cooperation or conflict)."""
    import networkx as nx

    graph = nx.DiGraph()
    for node in nodes:
        name = (labels or {}).get(node["id"]) or node["id"]
        graph.add_node(xml_text(node["id"]), label=xml_text(name), events=int(node["events"]))
    for edge in edges:
        tone = "cooperation" if edge["goldstein"] > 0 else "conflict" if edge["goldstein"] < 0 else "neutral"
        graph.add_edge(xml_text(edge["source"]), xml_text(edge["target"]), weight=int(edge["weight"]),
                       mentions=int(edge["mentions"]), goldstein=float(edge["goldstein"]), tone=tone)
    for line in nx.generate_gexf(graph):
        yield line + "\n"


def frame_of(engine: Engine, flt: EventFilter | None = None):
    """The matching mentions (or, with unit="event", events) as a pandas DataFrame of flat columns."""
    import pandas as pd

    rows = [export_row(row, event) for row, event in _events(stored_rows(engine, flt or EventFilter()))]
    return pd.DataFrame(rows, columns=list(EXPORT_COLUMNS))


def events_frame(db: str | Engine | None = None, **filters: Any):
    """Stored events as a pandas DataFrame for notebooks: `events_frame("tacitus.db", target="AZE")`
    (one row per mention; `unit="event"` gives one row per event)."""
    engine = db if isinstance(db, Engine) else open_store(db)
    return frame_of(engine, EventFilter(**filters))
