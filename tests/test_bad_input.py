"""Bad input never stops a batch and never goes unreported: a corpus of nasty files, and property tests."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tacitus.read.articles import Article, Limits, Problem, read_path, records_from_stream
from tacitus.store import counts, open_store

GOOD = ("Germany condemned the Azerbaijani offensive in Nagorno-Karabakh on Tuesday, "
        "and France called for an immediate ceasefire.")
GERMAN = ("Die Bundesregierung verurteilte am Dienstag den Angriff Aserbaidschans auf Bergkarabach "
          "und forderte eine sofortige Waffenruhe, teilte das Auswärtige Amt in Berlin mit. ") * 3
BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss><channel><item><title>&lol3;</title></item></channel></rss>')


def nasty_corpus(folder: Path) -> dict[str, str]:
    """Files that must each be reported; returns {file name: words the report must contain}."""
    folder.mkdir()
    files = {
        "empty.txt": (b"", "empty"),
        "blank.md": (b"   \n\t  \n", "empty"),
        "binary.txt": (bytes(range(256)) * 40, "binary"),
        "latin1.txt": ("Le ministre a condamné l'attaque à Bakou.".encode("latin-1"), "UTF-8"),
        "utf16-no-bom.txt": (GOOD.encode("utf-16-le"), "UTF-16"),
        "utf16-broken.txt": (b"\xff\xfe" + GOOD.encode("utf-16-le")[:-1], "UTF-16"),
        "german.txt": (GERMAN.encode(), "not English"),
        "russian.txt": ("Министерство иностранных дел России осудило нападение и призвало к прекращению огня.".encode(),
                        "not English"),
        "no-sentences.txt": (b"12345 67890 !!! ??? 2023-09-19 ---", "no words"),
        "broken.rss": (b"<rss><channel><title>x</title><itm>", "feed"),
        "bomb.xml": (BOMB, "entity"),
        "nested.jsonl": (("[" * 100_000 + "]" * 100_000 + "\n").encode(), "nested"),
        "huge-record.jsonl": ((json.dumps({"text": "Germany condemned Azerbaijan. " * 40_000}) + "\n").encode(),
                              "over the limit"),
        "not-json.jsonl": (b'{"text": "unterminated\n', "malformed JSON"),
        "no-text.jsonl": (b'{"title": "no text here"}\n', 'no "text"'),
        "bad.csv": (b'id,text\n1,"' + b"x" * 200_000 + b'"\n', "CSV"),
        "no-text-column.csv": (b"id,title\n1,hello\n", "text"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    (folder / "truncated.html").write_text("<html><head><title>Crisis</title></head><body><article><p>" + GOOD + "<p>The",
                                           encoding="utf-8")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "long-sentence.txt").write_text(GOOD + " " + "and then " * 2_500 + "nothing. " + GOOD, encoding="utf-8")
    return {name: words for name, (_, words) in files.items()}


def test_every_bad_file_is_named_with_its_reason_and_the_rest_is_stored(tmp_path):
    expected = nasty_corpus(tmp_path / "nasty")
    db = tmp_path / "store.db"
    result = subprocess.run([sys.executable, "-m", "tacitus.cli", "ingest", str(tmp_path / "nasty"), "--db", str(db),
                             "--date", "2023-09-19"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.splitlines()
    for name, words in expected.items():
        mine = [line for line in lines if f"{name}" in line]
        assert mine, f"{name} was not reported:\n{result.stderr}"
        assert any(words.lower() in line.lower() for line in mine), (name, mine)
    assert any("long-sentence.txt: sentence" in line and "tokens" in line for line in lines), result.stderr
    stored = counts(open_store(str(db)))
    assert stored["articles"] == 3  # good.txt, long-sentence.txt (its long sentence skipped), truncated.html
    assert stored["events"] >= 4


def test_a_gigabyte_line_is_skipped_without_being_read_into_memory(tmp_path):
    path = tmp_path / "giant.jsonl"
    with path.open("wb") as out:
        out.write(json.dumps({"text": GOOD, "id": "before"}).encode() + b"\n")
        out.write(b'{"text": "')
        out.seek(1 << 30, io.SEEK_CUR)  # a sparse gigabyte: the line is 1 GiB long
        out.write(b'"}\n' + json.dumps({"text": GOOD, "id": "after"}).encode() + b"\n")
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    items = list(read_path(path, None))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert [a.id for a in items if isinstance(a, Article)] == ["before", "after"]
    problems = [p for p in items if isinstance(p, Problem)]
    assert len(problems) == 1 and problems[0].where.endswith("giant.jsonl:2") and "longer than" in problems[0].reason
    assert grown_mb < 200


SUFFIXES = [".txt", ".md", ".jsonl", ".csv", ".html", ".xml"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from(SUFFIXES))
@example(data=b"\xfe\xff", suffix=".jsonl")  # a UTF-16 byte-order mark and nothing else: once reported nothing
@example(data=b"\xff\xfe\n\x00", suffix=".jsonl")
def test_any_bytes_give_articles_or_problems_that_name_the_file(tmp_path, data, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    items = list(read_path(path, None))
    assert items, "nothing reported for a file"
    for item in items:
        assert isinstance(item, Article | Problem)
        if isinstance(item, Problem):
            assert item.where.startswith(str(path)) and item.reason


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.one_of(st.text(max_size=200), st.builds(lambda t: json.dumps({"text": t}), st.text(max_size=200))),
                      max_size=20))
def test_one_bad_record_never_loses_the_others(lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"
    items = list(records_from_stream(io.BytesIO(data), "stream.jsonl", None, Limits(max_line_bytes=400)))
    good = [line for line in lines if line.startswith('{"text": ') and "\n" not in line]
    articles = [item for item in items if isinstance(item, Article)]
    problems = [item for item in items if isinstance(item, Problem)]
    assert len(articles) + len(problems) >= len(good)
    assert all(p.where.startswith("stream.jsonl") for p in problems)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=1500))
def test_the_pipeline_codes_any_text_without_crashing(pipeline, text):
    events = pipeline.extract(text)
    for event in events:
        assert text[event.trigger.start:event.trigger.end] == event.trigger.text


def test_limits_are_settings(tmp_path):
    env = dict(os.environ, TACITUS_MAX_ARTICLE_CHARS="50")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tacitus.cli", "extract", str(tmp_path / "a.txt")],
                            capture_output=True, text=True, env=env, timeout=300)
    assert "over the limit of 50" in result.stderr and "TACITUS_MAX_ARTICLE_CHARS" in result.stderr
