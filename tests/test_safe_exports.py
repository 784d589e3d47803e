"""Exports that cannot hurt (issue 17): the store is never the output, a file appears only when complete,
CSV cells are not formulas, the network formats are valid XML, GDELT rows keep their 61 columns."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from tacitus.cli import main
from tacitus.models import Actor, Article, Event, Location, Span
from tacitus.store import counts, open_store
from tacitus.store.export import FORMATS, ExportError, export
from tacitus.store.gdelt import GDELT_COLUMNS
from tacitus.store.loader import Loader

DAY = dt.date(2023, 9, 19)
NASTY = "Evil\x01Corp\x0b\x1b[31m\ufffe"  # control characters XML 1.0 cannot hold
TEXT = "=HYPERLINK(\"http://evil.example\") condemned Iran\tover\nthe\rstrike\u2028today\x85now."


def hostile_pair() -> tuple[Article, list[Event]]:
    """An article and an event whose every text field is hostile: formulas, tabs, line breaks, control characters."""
    article = Article(text=TEXT, id="@evil", url="=cmd|' /C calc'!A0", title="+SUM(1,2)", source="-outlet\tB",
                      date=DAY, origin="hostile.jsonl:1")
    source = Actor(text="=HYPERLINK(\"http://evil.example\")", start=0, end=32, name=NASTY, code="USAGOV",
                   country="USA", sector="GOV")
    target = Actor(text="Iran", start=43, end=47, name="Iran\tnewline\nname", code="IRN", country="IRN", sector=None)
    place = Location(name="-Somewhere\t\nelse", country="IRN", lat=-35.5, lon=-70.25, geonameid=None, precision="country")
    event = Event(event_id="e1", article_id="@evil", sentence_index=0, sentence=TEXT, source=source, target=target,
                  event_type="ACCUSE", mode=None, cameo="111", quad_class=3, goldstein=-2.0,
                  trigger=Span("condemned", 33, 42), polarity="affirmed", modality="actual", intended_type=None,
                  attributed_to=None, location=place, date=DAY.isoformat(), date_precision="day",
                  date_text="@today\t", confidence=0.9, rule="-rule")
    return article, [event]


@pytest.fixture
def hostile_store(db):
    engine = open_store(db)
    Loader(engine).write_batch([hostile_pair()])
    yield engine
    engine.dispose()


def test_csv_cells_are_not_formulas_but_numbers_stay_numbers(hostile_store, tmp_path):
    path = tmp_path / "events.csv"
    assert export(hostile_store, "csv", path) == 1
    row = next(csv.DictReader(path.open(encoding="utf-8", newline="")))
    for name, value in row.items():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")) or name in ("goldstein", "lat", "lon"), (name, value)
    assert row["source_text"] == "'=HYPERLINK(\"http://evil.example\")" and row["article_id"] == "'@evil"
    assert row["url"] == "'=cmd|' /C calc'!A0" and row["title"] == "'+SUM(1,2)" and row["rule"] == "'-rule"
    assert row["goldstein"] == "-2.0" and row["lat"] == "-35.5" and row["lon"] == "-70.25"  # numbers, not formulas
    export(hostile_store, "csv", path, allow_formulas=True)  # the setting that turns it off
    row = next(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert row["source_text"].startswith("=HYPERLINK") and row["article_id"] == "@evil"


def test_allow_formulas_flag_and_setting(hostile_store, tmp_path, monkeypatch):
    db = str(hostile_store.url.database) if hostile_store.url.get_backend_name() == "sqlite" else str(hostile_store.url)
    if hostile_store.url.get_backend_name() != "sqlite":
        pytest.skip("the CLI flag is the same on both stores; the SQLite run covers it")
    for args, env, first in (([], {}, "'@evil"), (["--allow-formulas"], {}, "@evil"),
                             ([], {"TACITUS_ALLOW_FORMULAS": "1"}, "@evil")):
        for key in ("TACITUS_ALLOW_FORMULAS",):
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        out = tmp_path / "cli.csv"
        result = CliRunner().invoke(main, ["export", "--db", db, "--format", "csv", "--output", str(out), *args])
        assert result.exit_code == 0, result.output
        assert next(csv.DictReader(out.open(encoding="utf-8", newline="")))["article_id"] == first


def test_csv_to_stdout_is_neutralised_too(monkeypatch):
    import io

    from tacitus.output import EventWriter

    monkeypatch.delenv("TACITUS_ALLOW_FORMULAS", raising=False)
    stream = io.StringIO()
    EventWriter(stream, "csv").write(hostile_pair()[1])
    row = next(csv.DictReader(io.StringIO(stream.getvalue())))
    assert row["source_text"].startswith("'=") and row["goldstein"] == "-2.0"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_are_valid_xml_whatever_the_text(hostile_store, tmp_path, fmt):
    path = tmp_path / f"net.{fmt}"
    assert export(hostile_store, fmt, path) == 1
    root = ET.parse(path).getroot()  # raises on an XML-illegal character
    labels = " ".join(element.text or "" for element in root.iter()) + " ".join(
        value for element in root.iter() for value in element.attrib.values())
    assert "EvilCorp" in labels and "\x01" not in labels


def test_gdelt_rows_keep_61_columns_whatever_the_text(hostile_store, tmp_path):
    path = tmp_path / "events.tsv"
    assert export(hostile_store, "gdelt", path) == 1
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 2  # one row, one line
    cells = lines[0].split("\t")  # as a GDELT reader splits it, with no quoting rules
    assert len(cells) == len(GDELT_COLUMNS) == 61
    row = dict(zip(GDELT_COLUMNS, cells, strict=True))
    assert row["Actor2Name"] == "IRAN NEWLINE NAME" and row["ActionGeo_FullName"] == "-Somewhere  else"


def test_export_refuses_to_overwrite_the_store(tmp_path):
    db = tmp_path / "store.db"
    engine = open_store(str(db))
    Loader(engine).write_batch([hostile_pair()])
    before = db.read_bytes()
    engine.dispose()
    (tmp_path / "link.db").symlink_to(db)
    for output in (db, tmp_path / "." / "store.db", tmp_path / "link.db", Path(str(db) + "-wal")):
        result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "jsonl", "--output", str(output)])
        assert result.exit_code == 1 and "the store itself" in result.output, result.output
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:  # a relative --db and an absolute --output naming the same file
        result = CliRunner().invoke(main, ["export", "--db", "store.db", "--format", "csv", "--output", str(db)])
        assert result.exit_code == 1 and "the store itself" in result.output
    finally:
        os.chdir(cwd)
    engine = open_store(str(db))
    with pytest.raises(ExportError):
        export(engine, "parquet", db)
    assert counts(engine)["articles"] == 1
    engine.dispose()
    assert db.read_bytes()[:16] == before[:16] == b"SQLite format 3\x00"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failed_export_leaves_the_earlier_file_and_no_partial_one(hostile_store, tmp_path, monkeypatch, fmt):
    import tacitus.store.export as export_module

    path = tmp_path / f"out.{fmt}"
    path.write_text("an earlier good export\n", encoding="utf-8")
    calls = []

    def failing(record):
        calls.append(record)
        raise RuntimeError("the export dies half-way")

    monkeypatch.setattr(export_module, "event_from_record", failing)
    with pytest.raises(RuntimeError):
        export(hostile_store, fmt, path)
    assert calls and path.read_text(encoding="utf-8") == "an earlier good export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("events.db")) == [path.name]


def test_a_killed_export_never_leaves_a_truncated_file(tmp_path):
    """SIGKILL in the middle of writing: the earlier file is still whole; no file appears where none was."""
    db = tmp_path / "store.db"
    engine = open_store(str(db))
    article, (event,) = hostile_pair()
    Loader(engine).write_batch([(Article(text=f"{TEXT} {n}", id=f"a{n}", date=DAY, origin="x.jsonl:1"),
                                 [Event(**{**event.__dict__, "event_id": f"e{n}", "article_id": f"a{n}"})])
                                for n in range(50)])
    engine.dispose()
    script = f"""
import os, signal
import tacitus.store.export as module
from pathlib import Path
from tacitus.store import open_store
real = module.export_row
def dying(row, event, seen=[]):
    seen.append(1)
    if len(seen) == 25:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(row, event)
module.export_row = dying
module.export(open_store({str(db)!r}), "csv", Path({str(tmp_path / 'events.csv')!r}))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == -9, result.stderr
    assert not (tmp_path / "events.csv").exists()  # never a half-written file under the real name
    (tmp_path / "events.csv").write_text("earlier\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == -9 and (tmp_path / "events.csv").read_text(encoding="utf-8") == "earlier\n"
    out = tmp_path / "events.csv"
    assert export(open_store(str(db)), "csv", out) == 50 and out.stat().st_mode & 0o777 != 0o600


def test_export_to_a_missing_folder_is_a_clean_error(hostile_store, tmp_path):
    with pytest.raises(ExportError, match="cannot write"):
        export(hostile_store, "jsonl", tmp_path / "no-such-folder" / "e.jsonl")


def test_plover_and_jsonl_stay_one_record_per_line(hostile_store, tmp_path):
    for fmt in ("jsonl", "plover"):
        path = tmp_path / f"e.{fmt}"
        assert export(hostile_store, fmt, path) == 1
        lines = path.read_text(encoding="utf-8").split("\n")
        assert len(lines) == 2 and json.loads(lines[0])
