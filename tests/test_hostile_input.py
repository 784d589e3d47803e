"""Input that must never stop a batch (issue 17): far dates, NUL characters, file names that are not UTF-8 or
hold newlines, bad lines of `tacitus resolve`, bad gold for `tacitus eval`, silent skips inside folders, UTF-16."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tacitus.cli import main
from tacitus.knowledge.dates import find_dates
from tacitus.read.articles import Article, Problem, read_articles, read_path
from tacitus.store import articles, open_store
from tacitus.store.loader import ingest

GOOD = "Germany condemned the Azerbaijani offensive in Nagorno-Karabakh on Tuesday, and France called for a ceasefire."
FAR = ["0001-01-01", "9999-12-31", "2203-05-01", "1850-07-04"]


def items_of(path: Path) -> tuple[list[Article], list[Problem]]:
    found = list(read_path(path, None))
    return [a for a in found if isinstance(a, Article)], [p for p in found if isinstance(p, Problem)]


@pytest.mark.parametrize("base", [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2203, 5, 1), dt.date.max, None])
@pytest.mark.parametrize("future", [False, True])
def test_date_resolution_never_raises_on_a_far_date(base, future):
    text = ("On Tuesday, yesterday, tomorrow, next week, last month, in December, three years ago, next spring, "
            "on 9999-12-31, on 0001-01-01, on December 31 and in 2203.")
    for mention in find_dates(text, base, future):
        assert mention.date is None or dt.date(1900, 1, 1) <= mention.date <= dt.date.today() + dt.timedelta(days=36600)


def test_an_implausible_expression_is_dropped_not_dated():
    base = dt.date(2023, 9, 19)
    found = {m.text: m.date for m in find_dates("on 1850-07-04, on 9999-12-31 and on 2023-09-01", base)}
    assert found == {"1850-07-04": None, "9999-12-31": None, "2023-09-01": dt.date(2023, 9, 1)}


def far_dated_inputs(folder: Path) -> None:
    folder.mkdir()
    lines = [json.dumps({"id": f"far-{n}", "text": f"{GOOD} Report {n}.", "date": date}) for n, date in enumerate(FAR)]
    lines.insert(2, json.dumps({"id": "good", "text": GOOD, "date": "2023-09-19"}))
    (folder / "far.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>Far future</title>'
        f"<link>https://wire.example/far</link><pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate>"
        f"<description>{GOOD}</description></item></channel></rss>", encoding="utf-8")


def test_far_dates_are_reported_and_the_articles_stored_without_them(db, tmp_path, pipeline):
    far_dated_inputs(tmp_path / "in")
    problems: list[Problem] = []
    engine = open_store(db)
    for _ in ingest(engine, pipeline, read_articles([str(tmp_path / "in")], None, problems.append)):
        pass
    with engine.connect() as conn:
        stored = dict(conn.execute(select(articles.c.article_id, articles.c.published)).all())
    engine.dispose()
    assert stored["good"] == dt.date(2023, 9, 19)
    assert {stored[f"far-{n}"] for n in range(len(FAR))} == {None}
    assert len(stored) == len(FAR) + 2  # the feed's entry too, undated
    assert None in {v for k, v in stored.items() if k not in ("good",) and not k.startswith("far-")}
    messages = [str(p) for p in problems]
    for n, date in enumerate(FAR):
        assert any(f"far.jsonl:{n + 1 + (n >= 2)}" in m and date in m and "without a date" in m for m in messages), messages
    assert any("feed.rss#entry1" in m and "9999-12-31" in m for m in messages), messages


def test_nul_characters_are_stripped_on_both_stores(db, tmp_path, pipeline):
    path = tmp_path / "nul.jsonl"
    records = [{"id": "clean", "text": GOOD, "date": "2023-09-19"},
               {"id": "n\x00ul", "text": "Germany con\x00demned Azer\x00baijan on Tuesday.\x00", "title": "Ti\x00tle",
                "url": "https://wire.example/\x00nul", "source": "Wi\x00re", "date": "2023-09-19\x00"},
               {"id": "after", "text": "France criticised Russia on Monday.", "date": "2023-09-19"}]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    problems: list[Problem] = []
    engine = open_store(db)
    for _ in ingest(engine, pipeline, read_articles([str(path)], None, problems.append)):
        pass
    with engine.connect() as conn:
        rows = {r.article_id: r for r in conn.execute(select(articles)).all()}
    engine.dispose()
    assert set(rows) == {"clean", "nul", "after"} and not problems
    row = rows["nul"]
    assert row.text == "Germany condemned Azerbaijan on Tuesday." and row.title == "Title"
    assert row.url == "https://wire.example/nul" and row.source_name == "Wire" and row.published == dt.date(2023, 9, 19)


def test_a_lone_surrogate_in_a_record_is_replaced_not_fatal(tmp_path):
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"id": "s\\ud800", "text": "Germany condemned Azerbaijan \\udc00 on Tuesday."}\n', encoding="utf-8")
    (article,), problems = items_of(path)
    assert not problems and article.id == "s\ufffd" and "\ufffd" in article.text
    article.text.encode("utf-8")


def test_a_file_name_that_is_not_utf8_is_stored_and_the_others_too(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as handle:
        handle.write(b"France criticised Russia on Monday.")
    (folder / "zz.txt").write_text("Turkey praised Azerbaijan on Tuesday.", encoding="utf-8")
    db = tmp_path / "store.db"
    result = subprocess.run([sys.executable, "-m", "tacitus.cli", "ingest", str(folder), "--db", str(db),
                             "--date", "2023-09-19"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    engine = open_store(str(db))
    with engine.connect() as conn:
        stored = dict(conn.execute(select(articles.c.article_id, articles.c.origin)).all())
    engine.dispose()
    assert set(stored) == {"good", "bad\\xff", "zz"} and stored["bad\\xff"].endswith("bad\\xff.txt")
    extracted = subprocess.run([sys.executable, "-m", "tacitus.cli", "extract", str(folder), "--date", "2023-09-19"],
                               capture_output=True, text=True, timeout=600)
    assert extracted.returncode == 0 and "bad\\\\xff" in extracted.stdout, extracted.stderr


def test_file_names_cannot_forge_report_lines(tmp_path):
    folder = tmp_path / "forged"
    folder.mkdir()
    (folder / "x.txt\nError: fake.txt: everything is fine\n.txt").write_bytes(b"")
    (folder / "bidi\u202etxt.md").write_bytes(b"")
    problems: list[Problem] = []
    list(read_articles([str(folder)], None, problems.append))
    text = "\n".join(str(p) for p in problems)
    assert len(text.splitlines()) == len(problems) == 2
    assert "x.txt\\nError: fake.txt: everything is fine\\n.txt: empty file" in text and "\\u202e" in text


def test_folders_report_archives_loops_and_unreadable_subfolders(tmp_path, monkeypatch):
    import tacitus.read.folders as folders

    root = tmp_path / "news"
    (root / "sub" / "secret").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text(GOOD, encoding="utf-8")
    (root / "sub" / "secret" / "hidden.txt").write_text(GOOD, encoding="utf-8")
    (root / "articles.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00")
    (root / "batch.zip").write_bytes(b"PK\x03\x04")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "self").symlink_to(root / "self")
    (root / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (root / "photo.png").write_bytes(b"\x89PNG")
    real = os.scandir

    def scandir(path):
        if Path(path).name == "secret":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(folders.os, "scandir", scandir)
    problems: list[Problem] = []
    found = list(read_articles([str(root)], None, problems.append))
    assert [a.id for a in found] == ["a"]
    by_name = {Path(p.where).name: p.reason for p in problems}
    assert "unpack" in by_name["articles.jsonl.gz"] and "unpack" in by_name["batch.zip"]
    assert "loop" in by_name["loop"] and "loop" in by_name["self"]
    assert "broken symbolic link" in by_name["dangling.txt"]
    assert "cannot read folder" in by_name["secret"] and "permission" in by_name["secret"].lower()
    assert "photo.png" not in by_name  # files of other kinds are not input: left alone, as before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_jsonl_with_a_byte_order_mark_is_read(tmp_path, encoding):
    path = tmp_path / "u16.jsonl"
    lines = [json.dumps({"id": "one", "text": GOOD}), json.dumps({"id": "two", "text": "Turkey praised Azerbaijan."})]
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    path.write_bytes(bom + ("\r\n".join(lines) + "\r\n").encode(encoding))
    found, problems = items_of(path)
    assert [a.id for a in found] == ["one", "two"] and not problems


def test_utf16_jsonl_without_a_byte_order_mark_is_named_utf16(tmp_path):
    path = tmp_path / "u16.jsonl"
    path.write_bytes((json.dumps({"id": "one", "text": GOOD}) + "\n").encode("utf-16-le"))
    found, problems = items_of(path)
    assert not found and len(problems) == 1 and "UTF-16" in problems[0].reason and "byte 0" not in problems[0].reason


def test_resolve_reports_bad_lines_and_resolves_the_rest(tmp_path):
    path = tmp_path / "phrases.jsonl"
    path.write_bytes(b"\n".join([
        json.dumps({"text": "the Russian army", "date": "2023-09-19"}).encode(),
        json.dumps({"text": "Ukrainian president", "date": "9999-99-99"}).encode(),
        b"not json",
        json.dumps({"text": "Armenian police", "date": "0001-01-01"}).encode(),
        json.dumps({"text": 5}).encode(),
        b'{"text": "bad \xff bytes"}',
        json.dumps({"text": "French foreign minister", "date": "9999-12-31", "context": "Paris"}).encode(),
    ]) + b"\n")
    result = CliRunner().invoke(main, ["resolve", "--input", str(path)])
    assert result.exit_code == 3, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == ["the Russian army", "Ukrainian president", "Armenian police",
                                            "French foreign minister"]
    assert [r["country"] for r in records] == ["RUS", "UKR", "ARM", "FRA"]
    errors = result.stderr.splitlines()
    for number, words in ((2, "not YYYY-MM-DD"), (3, "malformed JSON"), (4, "0001-01-01"), (5, '"text"'),
                          (6, "UTF-8"), (7, "9999-12-31")):
        assert any(f"phrases.jsonl:{number}: " in line and words in line for line in errors), (number, errors)


@pytest.mark.parametrize("content, words", [
    (b"", "empty gold file"),
    (b"\n  \n", "empty gold file"),
    (bytes(range(256)) * 20, "not UTF-8"),
    (b'{"id": 1, "text": "Russia condemned Azerbaijan.", "events": [{"code": "ACCUSE", "source": [{"code": "RUS"}]}]}\n'
     + b"\xff\xfe\x00" * 5000, "not UTF-8"),
    (b"\xff\xfe" + '{"text": "x", "events": []}'.encode("utf-16-le"), "UTF-16"),
    (b'{"id": 1, "text": 5, "events": []}\n', '"text" must be'),
    (b'{"id": 1, "text": ["a"], "sentences": [[0, 1]], "events": []}\n', '"text" must be'),
    (b'{"id": 1, "text": "Russia condemned Azerbaijan.", "events": [], "date": 20230101}\n', '"date"'),
    (b'{"id": 1, "text": "Russia condemned Azerbaijan.", "events": "ACCUSE"}\n', "not a gold record"),
    (b'{"id": 1, "text": "Russia condemned Azerbaijan.", "events": []}\n', "no gold events"),
    (b'{"actor": 5, "expected": {"cc": "RUS"}}\n', "not a gold record"),
    (b'{"actor": "Putin", "expected": {"cc": "RUS"}, "date": 5}\n', "not a gold record"),
], ids=["empty", "blank", "binary", "binary-later", "utf16", "text-number", "text-list", "date-number", "events-string",
        "no-events", "actor-number", "actor-date-number"])
def test_eval_on_bad_gold_is_a_clean_error(tmp_path, content, words):
    path = tmp_path / "gold.jsonl"
    path.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "tacitus.cli", "eval", str(path)], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.stderr.startswith("Error: ") and words in result.stderr and "f1=" not in result.stdout, result.stderr


def test_a_far_date_from_python_is_dropped_not_fatal() -> None:
    """tacitus.extract(date=9999-12-31) from Python codes the text without the date, as the readers do."""
    import datetime as dt

    import tacitus

    events = tacitus.extract("Iran condemned Israel on Monday.", date=dt.date(9999, 12, 31))
    assert events and all(e.date is None for e in events)
