"""Read articles from .txt/.md files, .jsonl records, folders and stdin.

Bad input never stops a run: each unreadable file or record becomes a
`Problem` naming where it is and what to do, and reading goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .models import Article

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
RECORD_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
CSV_SUFFIXES = frozenset({".csv"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
ALL_SUFFIXES = TEXT_SUFFIXES | RECORD_SUFFIXES | HTML_SUFFIXES | CSV_SUFFIXES | FEED_SUFFIXES
MAX_ARTICLE_CHARS = 1_000_000


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
    if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) * 0.1:
        return Problem(where, "binary file, not text; give a .txt, .md or .jsonl file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Problem(where, f"not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8")


def _article(text: str, where: str, **fields: object) -> Article | Problem:
    if not text.strip():
        return Problem(where, "empty text; nothing to code")
    if len(text) > MAX_ARTICLE_CHARS:
        return Problem(where, f"article of {len(text):,} characters is over the limit of {MAX_ARTICLE_CHARS:,}; split it")
    return Article(text=text, origin=where, **fields)  # type: ignore[arg-type]


def records_from_lines(lines: Iterable[str], name: str, default_date: dt.date | None) -> Iterator[Article | Problem]:
    """Article records from JSON lines; each bad line is a Problem of its own."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(where, f"malformed JSON ({exc.msg} at column {exc.colno}); fix or remove this line")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield Problem(where, 'record has no "text" string; each line needs {"text": "..."}')
            continue
        date, problem = record_date(record.get("date"), where, default_date)
        if problem:
            yield problem
        fields = {k: (str(record[k]) if record.get(k) is not None else None) for k in ("title", "url", "source")}
        yield _article(record["text"], where, id=str(record.get("id") or ""), date=date, **fields)


def read_path(path: Path, default_date: dt.date | None) -> Iterator[Article | Problem]:
    where = str(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ALL_SUFFIXES)
        if not files:
            yield Problem(where, "folder has no .txt, .md, .html, .jsonl, .csv or feed files")
        for file in files:
            yield from read_path(file, default_date)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(where, f"cannot read ({exc.strerror or exc}); check the path")
        return
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES:
        yield from records_from_feed(data, where, default_date)
        return
    text = decode(data, where)
    if isinstance(text, Problem):
        yield text
        return
    if suffix in RECORD_SUFFIXES:
        yield from records_from_lines(text.splitlines(), where, default_date)
    elif suffix in CSV_SUFFIXES:
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
    if not reader.fieldnames or "text" not in reader.fieldnames:
        yield Problem(where, 'CSV has no "text" column; the header needs at least text (and id, title, url, source, date)')
        return
    for number, row in enumerate(reader, 2):
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

    feed = feedparser.parse(data)
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
    data = sys.stdin.buffer.read()
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
