"""Read articles from .txt/.md files, .jsonl records, folders and stdin.

Bad input never stops a run: each unreadable file or record becomes a
`Problem` naming where it is and what to do, and reading goes on. Sizes are
bounded by `Limits` (settings with defaults, also read from TACITUS_MAX_*
environment variables): a JSONL file of any size is read a line at a time and
a line over the limit is skipped without being held in memory; a text, HTML,
CSV or feed file over the limit is refused before it is read.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..models import Article
from .checks import (
    ENGLISH_MARKERS,
    LIMITS,
    MAX_ARTICLE_CHARS,
    MIN_YEAR,
    Limits,
    Problem,
    ProblemHandler,
    checked_date,
    clean_field,
    decode,
    env_float,
    looks_utf16,
    not_english,
    parse_date,
    record_date,
    shown,
)
from .folders import files_of

__all__ = ["ENGLISH_MARKERS", "LIMITS", "MAX_ARTICLE_CHARS", "MIN_YEAR", "Article", "Limits", "Problem", "ProblemHandler",
           "decode", "env_float", "expand", "not_english", "parse_date", "read_articles", "read_path", "record_date",
           "records_from_stream"]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
RECORD_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
CSV_SUFFIXES = frozenset({".csv"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
ALL_SUFFIXES = TEXT_SUFFIXES | RECORD_SUFFIXES | HTML_SUFFIXES | CSV_SUFFIXES | FEED_SUFFIXES


def _article(text: str, where: str, limits: Limits = LIMITS, **fields: object) -> Iterator[Article | Problem]:
    """The article, or the Problem that keeps it out; an implausible publication date is reported and dropped.

    Every text field is cleaned (`clean_field`): no NUL characters, no lone surrogates, on any store."""
    text = clean_field(text)
    if not text.strip():
        yield Problem(where, "empty text; nothing to code")
        return
    if len(text) > limits.max_article_chars:
        yield Problem(where, f"article of {len(text):,} characters is over the limit of {limits.max_article_chars:,} "
                             "(TACITUS_MAX_ARTICLE_CHARS); split it")
        return
    reason = not_english(text)
    if reason:
        yield Problem(where, reason)
        return
    date, problem = checked_date(fields.pop("date", None), where)  # type: ignore[arg-type]
    if problem:
        yield problem
    clean = {k: clean_field(v) if isinstance(v, str) else v for k, v in fields.items()}
    yield Article(text=text, origin=where, date=date, **clean)  # type: ignore[arg-type]


def records_from_lines(lines: Iterable[str], name: str, default_date: dt.date | None) -> Iterator[Article | Problem]:
    """Article records from JSON lines; each bad line is a Problem of its own."""
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield from record_from_line(line, f"{name}:{number}", default_date)


def record_from_line(line: str, where: str, default_date: dt.date | None) -> Iterator[Article | Problem]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        yield Problem(where, f"malformed JSON ({exc.msg} at column {exc.colno}); fix or remove this line")
        return
    except RecursionError:
        yield Problem(where, "JSON nested too deeply to read; an article record is one flat object")
        return
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        yield Problem(where, 'record has no "text" string; each line needs {"text": "..."}')
        return
    date, problem = record_date(record.get("date"), where, default_date)
    if problem:
        yield problem
    fields = {k: (str(record[k])[:2000] if record.get(k) is not None else None) for k in ("title", "url", "source")}
    yield from _article(record["text"], where, id=clean_field(str(record.get("id") or ""))[:200], date=date, **fields)


def records_from_stream(stream: BinaryIO, name: str, default_date: dt.date | None,
                        limits: Limits = LIMITS) -> Iterator[Article | Problem]:
    """JSON lines read one at a time from a binary stream; a line over the limit is skipped unread.

    UTF-8 (with or without a byte-order mark); UTF-16 with a byte-order mark is read whole, up to
    TACITUS_MAX_FILE_BYTES."""
    number = 0
    seen = False
    while True:
        raw = stream.readline(limits.max_line_bytes + 1)
        if not raw:
            if not seen:
                yield Problem(name, "empty file; nothing to code")
            return
        number += 1
        where = f"{name}:{number}"
        if number == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            yield from _utf16_records(raw, stream, name, default_date, limits)
            return
        if number == 1 and looks_utf16(raw[:8192]):
            yield Problem(name, "looks like UTF-16 without a byte-order mark; re-save the file as UTF-8")
            return
        if len(raw) > limits.max_line_bytes and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line in bounded chunks
                raw = stream.readline(1 << 20)
            yield Problem(where, f"line longer than {limits.max_line_bytes:,} bytes (TACITUS_MAX_LINE_BYTES); skipped")
            seen = True
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        seen = True
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Problem(where, f"not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8")
            continue
        yield from record_from_line(line, where, default_date)


def _utf16_records(head: bytes, stream: BinaryIO, name: str, default_date: dt.date | None,
                   limits: Limits) -> Iterator[Article | Problem]:
    data = head + stream.read(max(limits.max_file_bytes + 1 - len(head), 0))
    if len(data) > limits.max_file_bytes:
        yield Problem(name, f"UTF-16 file over {limits.max_file_bytes:,} bytes (TACITUS_MAX_FILE_BYTES); re-save it "
                            "as UTF-8, which is read a line at a time at any size")
        return
    text = decode(data, name)
    if isinstance(text, Problem):
        yield text
        return
    if not text.strip("\ufeff \t\r\n"):
        yield Problem(name, "empty UTF-16 file (a byte-order mark and blank lines only); nothing to code")
        return
    yield from records_from_lines(text.split("\n"), name, default_date)


def read_path(path: Path, default_date: dt.date | None) -> Iterator[Article | Problem]:
    where = shown(path)
    if path.is_dir():
        found = False
        for item in files_of(path, ALL_SUFFIXES):
            if isinstance(item, Problem):
                yield item
            else:
                found = True
                yield from read_path(item, default_date)
        if not found:
            yield Problem(where, "folder has no .txt, .md, .html, .jsonl, .csv or feed files")
        return
    suffix = path.suffix.lower()
    try:
        if suffix in RECORD_SUFFIXES:
            with path.open("rb") as stream:
                yield from records_from_stream(stream, where, default_date)
            return
        size = path.stat().st_size
        if size > LIMITS.max_file_bytes:
            yield Problem(where, f"file of {size:,} bytes is over the limit of {LIMITS.max_file_bytes:,} "
                                 "(TACITUS_MAX_FILE_BYTES); split it, or give articles as JSON lines")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(where, f"cannot read ({exc.strerror or exc}); check the path")
        return
    if suffix in FEED_SUFFIXES:
        yield from records_from_feed(data, where, default_date)
        return
    text = decode(data, where)
    if isinstance(text, Problem):
        yield text
        return
    if suffix in CSV_SUFFIXES:
        yield from records_from_csv(text, where, default_date)
    elif suffix in HTML_SUFFIXES:
        yield from article_from_html(text, where, shown(path.stem), default_date)
    else:
        yield from _article(text, where, id=shown(path.stem), date=default_date)


def article_from_html(html: str, where: str, stem: str, default_date: dt.date | None) -> Iterator[Article | Problem]:
    """Main text and metadata of a web page (trafilatura)."""
    import trafilatura

    try:
        extracted = trafilatura.extract(html, output_format="json", with_metadata=True, include_comments=False)
    except RecursionError:
        yield Problem(where, "HTML nested too deeply to read; save the page's text instead")
        return
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        yield Problem(where, f"cannot parse HTML ({type(exc).__name__}); save the page again or give its text")
        return
    if not extracted:
        yield Problem(where, "no article text found in the HTML page")
        return
    meta = json.loads(extracted)
    try:
        date = parse_date(meta.get("date")) or default_date
    except ValueError:
        date = default_date
    yield from _article(meta.get("text") or "", where, id=stem, date=date, title=meta.get("title"),
                        url=meta.get("url") or meta.get("source"), source=meta.get("sitename") or meta.get("hostname"))


def records_from_csv(text: str, where: str, default_date: dt.date | None) -> Iterator[Article | Problem]:
    """Article records from a CSV with a header; "text" is required."""
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        yield Problem(where, f"unreadable CSV header ({exc}); check the file's quoting")
        return
    if not fieldnames or "text" not in fieldnames:
        yield Problem(where, 'CSV has no "text" column; the header needs at least text (and id, title, url, source, date)')
        return
    rows = enumerate(reader, 2)
    while True:
        try:
            number, row = next(rows)
        except StopIteration:
            if reader.line_num <= 1:
                yield Problem(where, "CSV has a header but no rows; nothing to code")
            return
        except csv.Error as exc:  # a field over csv's size limit, a NUL byte, broken quoting: the rest is unreadable
            yield Problem(f"{where}:{reader.line_num}", f"unreadable CSV from here on ({exc}); check the quoting")
            return
        line = f"{where}:{number}"
        if None in row:
            yield Problem(line, "row has more cells than the header; check its quoting")
            continue
        date, problem = record_date(row.get("date"), line, default_date)
        if problem:
            yield problem
        yield from _article(row.get("text") or "", line, id=row.get("id") or "", date=date,
                            title=row.get("title") or None, url=row.get("url") or None, source=row.get("source") or None)


def records_from_feed(data: bytes, where: str, default_date: dt.date | None) -> Iterator[Article | Problem]:
    """Entries of an RSS or Atom feed file (feedparser), each an article."""
    import html as html_lib
    import re

    import feedparser

    if b"<!ENTITY" in data[:65536].upper():
        yield Problem(where, "feed declares its own XML entities (a possible entity bomb); refused")
        return
    try:
        feed = feedparser.parse(data)
    except Exception as exc:  # feedparser is lenient, but not about everything
        yield Problem(where, f"not a readable RSS/Atom feed ({type(exc).__name__})")
        return
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None) or "no entries"
        yield Problem(where, f"not a readable RSS/Atom feed ({reason})")
        return
    for number, entry in enumerate(feed.entries, 1):
        line = f"{where}#entry{number}"
        body = ""
        if entry.get("content"):
            body = " ".join(c.get("value", "") for c in entry["content"])
        body = body or entry.get("summary", "")
        text = html_lib.unescape(re.sub(r"<[^>]+>", " ", body))
        text = " ".join(text.split())
        title = entry.get("title")
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        try:
            date = dt.date(*published[:3]) if published else default_date
        except (TypeError, ValueError, OverflowError):
            date = default_date
            yield Problem(line, "publication date is not a calendar date; coded without it")
        full = f"{title}.\n{text}" if title and text else (text or title or "")
        yield from _article(full, line, id=entry.get("id") or "", date=date, title=title, url=entry.get("link"),
                            source=feed.feed.get("title"))


def read_stdin(default_date: dt.date | None) -> Iterator[Article | Problem]:
    stream = sys.stdin.buffer
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        yield from records_from_stream(stream, "<stdin>", default_date)
        return
    data = stream.read(LIMITS.max_file_bytes + 1)
    if len(data) > LIMITS.max_file_bytes:
        yield Problem("<stdin>", f"more than {LIMITS.max_file_bytes:,} bytes of text; give articles as JSON lines")
        return
    text = decode(data, "<stdin>")
    if isinstance(text, Problem):
        yield text
    elif text.lstrip().startswith("{"):
        yield from records_from_lines(text.split("\n"), "<stdin>", default_date)
    else:
        yield from _article(text, "<stdin>", date=default_date)


def expand(paths: Iterable[str]) -> Iterator[str]:
    """Paths with globs ("news/*.html", "feeds/**/*.xml") expanded, in sorted order."""
    import glob

    for name in paths:
        if any(ch in name for ch in "*?[") and name != "-":
            matches = sorted(glob.glob(name, recursive=True))
            yield from matches or [name]
        else:
            yield name


def read_articles(paths: Iterable[str], default_date: dt.date | None = None,
                  on_problem: ProblemHandler | None = None) -> Iterator[Article]:
    """Articles from paths ("-" is stdin), lazily; problems go to `on_problem`."""
    for name in expand(paths):
        items = read_stdin(default_date) if name == "-" else read_path(Path(name), default_date)
        if name != "-" and not Path(name).exists():
            items = iter([Problem(name, "no such file or folder")])
        for item in items:
            if isinstance(item, Problem):
                if on_problem:
                    on_problem(item)
            else:
                yield item
