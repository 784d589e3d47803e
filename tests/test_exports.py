"""Exports that the field's tools read as their own: GDELT columns by the codebook's meanings, PLOVER records
against a JSON schema written from the PLOVER manual, CSV and Parquet read back by pandas, dates with their precision."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from sqlalchemy import select

from tacitus.knowledge.places import fips
from tacitus.models import Article
from tacitus.store import CSV_DTYPES, clusters, events, open_store, temporary_schema
from tacitus.store.export import export
from tacitus.store.gdelt import GDELT_COLUMNS
from tacitus.store.loader import Loader

PG_URL = os.environ.get("TACITUS_TEST_DATABASE_URL")
SCHEMA = Path(__file__).with_name("plover.schema.json")
DAY = dt.date(2023, 9, 19)
URL = "https://wire-a.example/caucasus"
ARTICLES = [
    Article(id="wire-a", url=URL, source="Wire A", title="Condemnation and protests", date=DAY, text=(
        "The European Union condemned Azerbaijan on Tuesday. NATO criticised Russia on Tuesday. "
        "The United Nations condemned the attack by Azerbaijan on Tuesday. Armenia denied deploying troops to "
        "Nagorno-Karabakh. If Azerbaijan attacks Armenia, France would impose sanctions on Azerbaijan. "
        "Protesters clashed with police in Yerevan on Tuesday. Russia vowed to continue its bombardment of Ukraine.")),
    Article(id="no-url", source="Wire B", date=DAY, text=(
        "Russia mediated between Armenia and Azerbaijan in 2020. Germany had previously condemned Azerbaijan. "
        "Iran criticised Azerbaijan in September 2022. Turkey praised Azerbaijan.")),
    Article(id="undated", text="Kazakhstan mediated between Armenia and Azerbaijan in 2021. "
                               "Canada called for an end to hostilities in Nagorno-Karabakh."),
]


@pytest.fixture(scope="module")
def coded(pipeline):
    return list(pipeline.extract_articles(ARTICLES))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, coded):
    """A store (a SQLite file or a PostgreSQL schema) holding the three articles."""
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("TACITUS_TEST_DATABASE_URL is not set; .ci/run sets it to the PostgreSQL server on 127.0.0.1:5432")
    with temporary_schema(PG_URL, "t") if request.param == "postgresql" else contextlib.nullcontext() as url:
        engine = open_store(url or str(tmp_path / "events.db"))
        Loader(engine).write_batch(coded)
        yield engine
        engine.dispose()


def best_records(engine) -> dict[str, tuple[dict, str]]:
    """GLOBALEVENTID -> (the record of the event's best mention, the event's status)."""
    with engine.connect() as conn:
        rows = conn.execute(select(clusters.c.id, clusters.c.status, events.c.record)
                            .join(events, events.c.id == clusters.c.best_event)).all()
    return {str(pk): (record if isinstance(record, dict) else json.loads(record), status) for pk, status, record in rows}


def read_gdelt(engine, path: Path) -> list[dict[str, str]]:
    export(engine, "gdelt", path)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    assert rows and all(len(row) == len(GDELT_COLUMNS) == 61 for row in rows)
    return [dict(zip(GDELT_COLUMNS, row, strict=True)) for row in rows]


def test_gdelt_columns_mean_what_the_codebook_says(store, tmp_path):
    rows = read_gdelt(store, tmp_path / "events.tsv")
    best = best_records(store)
    statuses = [status for _, status in best.values()]
    assert "negated" in statuses and "hypothetical" in statuses  # the articles hold a denial and a hypothesis
    assert sorted(row["GLOBALEVENTID"] for row in rows) == sorted(k for k, (_, s) in best.items() if s == "affirmed")
    groups = set()
    for row in rows:
        record, _ = best[row["GLOBALEVENTID"]]
        article_dated = record["article_id"] != "undated"
        # SQLDATE: the event's day, else the publication day; never an invented January 1st, never empty when dated
        if record["date_precision"] == "day":
            assert row["SQLDATE"] == record["date"].replace("-", "")
        elif article_dated:
            assert row["SQLDATE"] == DAY.strftime("%Y%m%d"), record
        else:
            assert row["SQLDATE"] == "" and row["Year"] == (record["date"] or "")[:4]
        assert row["MonthYear"] == row["SQLDATE"][:6] or not row["SQLDATE"]
        # SOURCEURL: the article's URL or nothing, never an internal id
        assert row["SOURCEURL"] == (URL if record["article_id"] == "wire-a" else "")
        # IGOs as GDELT codes them: the group in KnownGroupCode, IGO as Type1Code
        code = row["Actor1Code"]
        if code.startswith("IGO"):
            rest = code[3:]
            group = rest[3:6] if rest[:3] in ("EUR", "WST", "AFR", "ASA", "MEA") else rest[:3]
            assert row["Actor1Type1Code"] == "IGO" and row["Actor1KnownGroupCode"] == group, row
            groups.add(group)
        elif code and record["source"]["country"]:
            assert row["Actor1KnownGroupCode"] == "" and row["Actor1CountryCode"] == record["source"]["country"]
        assert row["AvgTone"] == ""  # tone is not measured: empty, not a neutral 0
        assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == ("1", "1", "1")
        location = record["location"]
        if location:
            assert row["ActionGeo_CountryCode"] == (fips(location["country"]) or "")
            assert row["ActionGeo_Lat"] and row["ActionGeo_Long"]
            if location["precision"] == "country":
                assert row["ActionGeo_Type"] == "1"
                assert row["ActionGeo_ADM1Code"] == row["ActionGeo_FeatureID"] == row["ActionGeo_CountryCode"]
            elif location["precision"] == "city":
                assert row["ActionGeo_Type"] in ("3", "4") and row["ActionGeo_FeatureID"] == str(location["geonameid"])
                assert row["ActionGeo_ADM1Code"].startswith(row["ActionGeo_CountryCode"])
    assert {"EEC", "UNO", "NAT"} <= groups


def test_plover_records_follow_the_manual(store, tmp_path):
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    path = tmp_path / "events.plover.jsonl"
    total = export(store, "plover", path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert total == len(records) > 0
    texts = {article.id: article.text for article in ARTICLES}
    for record in records:
        problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(record)]
        assert not problems, (record["id"], problems)
        assert "event_type" not in record and len(record["event"]) == 1
        info = record["text_info"]
        assert texts[record["story_id"]][info["start"]:info["end"]] == info["sentence"] == record["event_text"][0]
        trigger = info["trigger"]
        assert texts[record["story_id"]][trigger["start"]:trigger["end"]] == trigger["text"]
        for actor in record["source"] + record["recipient"]:
            assert texts[record["story_id"]][actor["start"]:actor["end"]] == actor["entity_text"] == actor["actor_text"]
        context = record["context"] or []
        assert ("negation" in context) == (record["polarity"] == "negated")
        assert ("hypothetical" in context) == (record["modality"] == "hypothetical")
        if record["intended_type"]:  # the intended action has its own field, it is not a context
            assert record["intended_type"].lower() not in context
        assert record["link"] and record["cite_info"]["url"] == (URL if record["story_id"] == "wire-a" else None)
        if record["date_precision"] in ("month", "year"):
            assert record["date_source"] == "event"
        if record["story_id"] == "no-url" and record["date_precision"] == "unknown":
            assert record["date"] == DAY.isoformat() and record["date_source"] == "publication"
    threats = [r for r in records if r["event"] == ["THREATEN"] and r["intended_type"] == "ASSAULT"]
    assert threats and all(r["mode"] == ["violence"] for r in threats)
    assert any(r["event_loc"] and r["event_loc"]["cc3"] == "ARM" and r["event_loc"]["country_code"] == "AM" for r in records)


def test_csv_and_parquet_keep_codes_as_text_and_carry_the_event(store, tmp_path):
    total = export(store, "csv", tmp_path / "events.csv")
    frame = pd.read_csv(tmp_path / "events.csv", dtype=CSV_DTYPES)  # as the README says
    export(store, "parquet", tmp_path / "events.parquet")
    table = pd.read_parquet(tmp_path / "events.parquet")
    with store.connect() as conn:
        stored = [r if isinstance(r, dict) else json.loads(r) for r in conn.execute(select(events.c.record)).scalars()]
    cameos = {record["event_id"]: record["cameo"] for record in stored}
    for data in (frame, table):
        assert len(data) == total == len(stored)
        assert {"cluster_id", "best_mention", "num_mentions", "num_articles", "num_sources", "url", "title", "outlet",
                "published"} <= set(data.columns)
        codes = dict(zip(data["event_id"], data["cameo"], strict=True))
        assert codes == cameos
        assert any(code.startswith("0") for code in codes.values())  # "051", "0256": leading zeros kept
        wire = data[data["article_id"] == "wire-a"]
        assert set(wire["url"]) == {URL} and set(wire["outlet"]) == {"Wire A"} and set(wire["title"]) == {"Condemnation and protests"}
        assert data["num_mentions"].min() >= 1 and data["best_mention"].sum() == data["cluster_id"].nunique()


def test_dates_keep_their_precision_in_every_export(store, tmp_path):
    """A year or a month is never silently turned into January 1st (or the 1st of the month)."""
    export(store, "jsonl", tmp_path / "e.jsonl")
    export(store, "csv", tmp_path / "e.csv")
    export(store, "geojson", tmp_path / "e.geojson")
    export(store, "plover", tmp_path / "e.plover")
    jsonl = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    plover = [json.loads(line) for line in (tmp_path / "e.plover").read_text().splitlines()]
    table = pd.read_csv(tmp_path / "e.csv", dtype=CSV_DTYPES)
    features = json.loads((tmp_path / "e.geojson").read_text())["features"]
    vague = {r["event_id"]: r["date_precision"] for r in jsonl if r["date_precision"] in ("month", "year")}
    assert set(vague.values()) == {"month", "year"}
    for event_id, precision in vague.items():
        assert table.loc[table["event_id"] == event_id, "date_precision"].tolist() == [precision]
        assert [r["date_precision"] for r in plover if r["id"] == event_id] == [precision]
        assert all(f["properties"]["date_precision"] == precision for f in features if f["properties"]["event_id"] == event_id)
    rows = read_gdelt(store, tmp_path / "e.tsv")
    assert all(not row["SQLDATE"].endswith("0101") and row["SQLDATE"] != "20220901" for row in rows)
