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
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..models import Article

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
RECORD_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
CSV_SUFFIXES = frozenset({".csv"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
ALL_SUFFIXES = TEXT_SUFFIXES | RECORD_SUFFIXES | HTML_SUFFIXES | CSV_SUFFIXES | FEED_SUFFIXES
MAX_ARTICLE_CHARS = 1_000_000
ENGLISH_MARKERS = frozenset("the of and to in a is that for on was with said by as at from it has have be are were "
                            "will its their his an this not after".split())


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """Bounds on input; exceeding one is reported for that file or record, never a crash or a hang."""

    max_article_chars: int = _env_int("TACITUS_MAX_ARTICLE_CHARS", MAX_ARTICLE_CHARS)
    max_file_bytes: int = _env_int("TACITUS_MAX_FILE_BYTES", 64_000_000)  # whole-file formats: text, HTML, CSV, feeds
    max_line_bytes: int = _env_int("TACITUS_MAX_LINE_BYTES", 4 * MAX_ARTICLE_CHARS)  # one JSONL record
    max_article_seconds: float = env_float("TACITUS_MAX_ARTICLE_SECONDS", 60.0)  # coding one parsed article


LIMITS = Limits()


@dataclass(frozen=True)
class Problem:
    """Something that could not be read, and where."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


ProblemHandler = Callable[[Problem], None]


def parse_date(value: object) -> dt.date | None:
    """ISO date or datetime string -> date; None when absent."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"date must be a string, got {type(value).__name__}")
    return dt.date.fromisoformat(value.strip()[:10])


def record_date(value: object, where: str, default_date: dt.date | None) -> tuple[dt.date | None, Problem | None]:
    """A record's date, or the default with a Problem saying the given one was unreadable."""
    try:
        return parse_date(value) or default_date, None
    except ValueError:
        return default_date, Problem(where, f"date {value!r} is not YYYY-MM-DD; coded without a date")


def decode(data: bytes, where: str) -> str | Problem:
    """Text of a file's bytes, or a Problem saying why it is not text."""
    if not data.strip():
        return Problem(where, "empty file; nothing to code")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            return Problem(where, f"broken UTF-16 at byte {exc.start}; re-save the file as UTF-8")
    sample = data[:8192]
    if len(sample) >= 8 and (sample[1::2].count(0) > len(sample) * 0.4 or sample[0::2].count(0) > len(sample) * 0.4):
        return Problem(where, "looks like UTF-16 without a byte-order mark; re-save the file as UTF-8")
    if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) * 0.1:
        return Problem(where, "binary file, not text; give a .txt, .md or .jsonl file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Problem(where, f"not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8")


def not_english(text: str) -> str | None:
    """Why a text is not English prose, or None. The model reads English only."""
    sample = text[:5000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "no words in the text; nothing to code"
    if sum(c.isascii() for c in letters) < len(letters) * 0.5:
        return "not English (mostly non-Latin letters); tacitus codes English text only"
    words = [w.strip(".,;:!?\"'()").lower() for w in sample.split()]
    words = [w for w in words if w.isalpha()]
    if len(words) >= 30 and sum(w in ENGLISH_MARKERS for w in words) < len(words) * 0.05:
        return "not English (almost none of the commonest English words); tacitus codes English text only"
    return None


def _article(text: str, where: str, limits: Limits = LIMITS, **fields: object) -> Article | Problem:
    if not text.strip():
        return Problem(where, "empty text; nothing to code")
    if len(text) > limits.max_article_chars:
        return Problem(where, f"article of {len(text):,} characters is over the limit of {limits.max_article_chars:,} "
                              "(TACITUS_MAX_ARTICLE_CHARS); split it")
    reason = not_english(text)
    if reason:
        return Problem(where, reason)
    return Article(text=text, origin=where, **fields)  # type: ignore[arg-type]


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
    yield _article(record["text"], where, id=str(record.get("id") or "")[:200], date=date, **fields)


def records_from_stream(stream: BinaryIO, name: str, default_date: dt.date | None,
                        limits: Limits = LIMITS) -> Iterator[Article | Problem]:
    """JSON lines read one at a time from a binary stream; a line over the limit is skipped unread."""
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


def read_path(path: Path, default_date: dt.date | None) -> Iterator[Article | Problem]:
    where = str(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ALL_SUFFIXES)
        if not files:
            yield Problem(where, "folder has no .txt, .md, .html, .jsonl, .csv or feed files")
        for file in files:
            yield from read_path(file, default_date)
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
        yield article_from_html(text, where, path.stem, default_date)
    else:
        yield _article(text, where, id=path.stem, date=default_date)


def article_from_html(html: str, where: str, stem: str, default_date: dt.date | None) -> Article | Problem:
    """Main text and metadata of a web page (trafilatura)."""
    import trafilatura

    try:
        extracted = trafilatura.extract(html, output_format="json", with_metadata=True, include_comments=False)
    except RecursionError:
        return Problem(where, "HTML nested too deeply to read; save the page's text instead")
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return Problem(where, f"cannot parse HTML ({type(exc).__name__}); save the page again or give its text")
    if not extracted:
        return Problem(where, "no article text found in the HTML page")
    meta = json.loads(extracted)
    try:
        date = parse_date(meta.get("date")) or default_date
    except ValueError:
        date = default_date
    return _article(meta.get("text") or "", where, id=stem, date=date, title=meta.get("title"),
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
        yield _article(row.get("text") or "", line, id=row.get("id") or "", date=date, title=row.get("title") or None,
                       url=row.get("url") or None, source=row.get("source") or None)


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
        date = dt.date(*published[:3]) if published else default_date
        full = f"{title}.\n{text}" if title and text else (text or title or "")
        yield _article(full, line, id=entry.get("id") or "", date=date, title=title, url=entry.get("link"),
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
        yield from records_from_lines(text.splitlines(), "<stdin>", default_date)
    else:
        yield _article(text, "<stdin>", date=default_date)


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
