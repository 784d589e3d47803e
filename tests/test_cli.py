"""The command line on real files: formats, inputs, and bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tacitus.cli import main

TEXT = "Russia condemned the attack by Azerbaijan against Armenia on Tuesday."


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def test_extract_txt_jsonl_lines(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = run("extract", str(path), "--date", "2023-09-19")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    accuse = [r for r in records if r["event_type"] == "ACCUSE"]
    assert accuse and accuse[0]["source"]["country"] == "RUS" and accuse[0]["target"]["country"] == "AZE"
    assert accuse[0]["article_id"] == "a" and accuse[0]["date"] == "2023-09-19"
    assert isinstance(accuse[0]["cameo"], str) and accuse[0]["cameo"] == "111"


def test_extract_csv_and_table(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(run("extract", str(path), "--format", "csv").stdout)))
    assert rows and rows[0]["cameo"] in {"111", "190"} and "source_country" in rows[0]
    table = run("extract", str(path), "--format", "table").stdout
    assert "Russia [RUS] -> ACCUSE (111) -> Azerbaijan [AZE]" in table


def test_extract_folder_and_stdin(tmp_path: Path):
    (tmp_path / "one.txt").write_text(TEXT, encoding="utf-8")
    records = {"id": "r1", "text": "Turkey praised Azerbaijan.", "date": "2023-09-20"}
    (tmp_path / "two.jsonl").write_text(json.dumps(records) + "\n", encoding="utf-8")
    result = run("extract", str(tmp_path))
    ids = {json.loads(line)["article_id"] for line in result.stdout.splitlines()}
    assert ids == {"one", "r1"}
    piped = run("extract", "-", stdin=TEXT)
    assert piped.exit_code == 0 and '"ACCUSE"' in piped.stdout


def test_bad_inputs_are_reported_and_others_coded(tmp_path: Path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin1.txt").write_bytes("Der Bundestag verurteilte den Angriff \xfcber".encode("latin-1"))
    good = {"id": "good", "text": TEXT}
    (tmp_path / "records.jsonl").write_text('{"id": "broken", "text": \n' + json.dumps(good) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tacitus.cli", "extract", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0
    errors = result.stderr.splitlines()
    assert any("empty.txt" in e and "empty" in e for e in errors)
    assert any("binary.txt" in e and "binary" in e for e in errors)
    assert any("latin1.txt" in e and "UTF-8" in e for e in errors)
    assert any("records.jsonl:1" in e and "malformed JSON" in e for e in errors)
    assert all(e.startswith("Error: ") for e in errors)
    assert {json.loads(line)["article_id"] for line in result.stdout.splitlines()} == {"good"}


def test_nothing_readable_exits_1(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_text("   \n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tacitus.cli", "extract", str(path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: {path}: empty file; nothing to code"
    missing = subprocess.run([sys.executable, "-m", "tacitus.cli", "extract", str(tmp_path / "nope.txt")],
                             capture_output=True, text=True, timeout=300)
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_bad_date_option():
    result = CliRunner().invoke(main, ["extract", "-", "--date", "19/09/2023"], input=TEXT)
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_demo_prints_sample_events():
    result = run("demo")
    assert result.exit_code == 0
    assert "-> ACCUSE (111) ->" in result.stdout
    assert "events from the bundled samples" in result.stdout
    assert result.stdout.count("->") >= 15


def test_resolve_prints_one_line_per_phrase():
    result = run("resolve", "the Turkish Foreign Ministry", "a cat", "Yerevan", "--date", "2023-09-19")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["text"] for line in lines] == ["the Turkish Foreign Ministry", "a cat", "Yerevan"]
    assert (lines[0]["country"], lines[0]["sector"]) == ("TUR", "GOV")
    assert lines[1]["country"] is None and lines[1]["sector"] is None
    assert (lines[2]["country"], lines[2]["sector"]) == ("ARM", "GOV")
