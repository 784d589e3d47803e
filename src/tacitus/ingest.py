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
        try:
            date = parse_date(record.get("date")) or default_date
        except ValueError:
            yield Problem(where, f"date {record.get('date')!r} is not YYYY-MM-DD; coded without a date")
            date = default_date
        fields = {k: (str(record[k]) if record.get(k) is not None else None) for k in ("title", "url", "source")}
        yield _article(record["text"], where, id=str(record.get("id") or ""), date=date, **fields)


def read_path(path: Path, default_date: dt.date | None) -> Iterator[Article | Problem]:
    where = str(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | RECORD_SUFFIXES)
        if not files:
            yield Problem(where, "folder has no .txt, .md or .jsonl files")
        for file in files:
            yield from read_path(file, default_date)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(where, f"cannot read ({exc.strerror or exc}); check the path")
        return
    text = decode(data, where)
    if isinstance(text, Problem):
        yield text
        return
    if path.suffix.lower() in RECORD_SUFFIXES:
        yield from records_from_lines(text.splitlines(), where, default_date)
    else:
        yield _article(text, where, id=path.stem, date=default_date)


def read_stdin(default_date: dt.date | None) -> Iterator[Article | Problem]:
    data = sys.stdin.buffer.read()
    text = decode(data, "<stdin>")
    if isinstance(text, Problem):
        yield text
    elif text.lstrip().startswith("{"):
        yield from records_from_lines(text.splitlines(), "<stdin>", default_date)
    else:
        yield _article(text, "<stdin>", date=default_date)


def read_articles(paths: Iterable[str], default_date: dt.date | None = None,
                  on_problem: ProblemHandler | None = None) -> Iterator[Article]:
    """Articles from paths ("-" is stdin), lazily; problems go to `on_problem`."""
    for name in paths:
        items = read_stdin(default_date) if name == "-" else read_path(Path(name), default_date)
        if name != "-" and not Path(name).exists():
            items = iter([Problem(name, "no such file or folder")])
        for item in items:
            if isinstance(item, Problem):
                if on_problem:
                    on_problem(item)
            else:
                yield item
