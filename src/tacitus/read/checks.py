"""What every reader checks: problems and the names in them, limits, decoding, plausible dates, clean fields.

A problem's place (a file name, a line) is shown with control and format
characters escaped (`\\n`, `\\x1b`, `\\u202e`) and undecodable bytes of a file
name as `\\xff`, so a hostile file name can neither forge report lines nor
crash a run. Fields are cleaned the same way for every store: NUL characters
(which PostgreSQL cannot hold) are dropped and lone surrogates become U+FFFD.
A publication date outside 1900 (TACITUS_MIN_YEAR) .. tomorrow is reported and
dropped, so a feed's 9999-12-31 never reaches date arithmetic or the store.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass


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


MAX_ARTICLE_CHARS = 1_000_000
MIN_YEAR = min(max(_env_int("TACITUS_MIN_YEAR", 1900), 2), 9000)  # earliest plausible year of a date
ENGLISH_MARKERS = frozenset("the of and to in a is that for on was with said by as at from it has have be are were "
                            "will its their his an this not after".split())


@dataclass(frozen=True)
class Limits:
    """Bounds on input; exceeding one is reported for that file or record, never a crash or a hang."""

    max_article_chars: int = _env_int("TACITUS_MAX_ARTICLE_CHARS", MAX_ARTICLE_CHARS)
    max_file_bytes: int = _env_int("TACITUS_MAX_FILE_BYTES", 64_000_000)  # whole-file formats: text, HTML, CSV, feeds
    max_line_bytes: int = _env_int("TACITUS_MAX_LINE_BYTES", 4 * MAX_ARTICLE_CHARS)  # one JSONL record
    max_article_seconds: float = env_float("TACITUS_MAX_ARTICLE_SECONDS", 60.0)  # coding one parsed article


LIMITS = Limits()


def shown(name: object) -> str:
    """A name safe to print on one line and to store: control/format characters escaped, bad bytes as \\xNN."""
    text = str(name)
    if any("\ud800" <= c <= "\udfff" for c in text):  # a file name that is not UTF-8: os.fsdecode's surrogates
        text = os.fsencode(text).decode("utf-8", "backslashreplace") if _fs_bytes(text) else clean_field(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in text)


def _fs_bytes(text: str) -> bool:
    try:
        os.fsencode(text)
        return True
    except UnicodeEncodeError:
        return False


def _escape(char: str) -> str:
    if unicodedata.category(char) == "Zs":
        return " "
    escaped = repr(char)[1:-1]
    if escaped == char:  # printable to repr (some format characters): spell the code point
        code = ord(char)
        escaped = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return escaped


def clean_field(value: str) -> str:
    """A field without NUL characters and with lone surrogates as U+FFFD: the same text on SQLite and PostgreSQL."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


@dataclass(frozen=True)
class Problem:
    """Something that could not be read, and where; the place is shown escaped (see `shown`)."""

    where: str
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "where", shown(self.where))
        object.__setattr__(self, "reason", shown(self.reason))

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


ProblemHandler = Callable[[Problem], None]


def latest_publication() -> dt.date:
    """The latest plausible publication date: tomorrow (a feed a time zone ahead)."""
    return dt.date.today() + dt.timedelta(days=1)


def plausible_publication(date: dt.date | None) -> bool:
    return date is None or dt.date(MIN_YEAR, 1, 1) <= date <= latest_publication()


def checked_date(date: dt.date | None, where: str, then: str = "coded without a date"
                 ) -> tuple[dt.date | None, Problem | None]:
    """A publication date, or None with a Problem when it is outside MIN_YEAR .. tomorrow."""
    if plausible_publication(date):
        return date, None
    return None, Problem(where, f"date {date} is outside {MIN_YEAR}-01-01 .. {latest_publication()}; {then} "
                                "(fix the record's date, or set TACITUS_MIN_YEAR for older news)")


def parse_date(value: object) -> dt.date | None:
    """ISO date or datetime string -> date; None when absent."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"date must be a string, got {type(value).__name__}")
    return dt.date.fromisoformat(clean_field(value).strip()[:10])


def record_date(value: object, where: str, default_date: dt.date | None) -> tuple[dt.date | None, Problem | None]:
    """A record's date, or the default with a Problem saying the given one was unreadable."""
    try:
        return parse_date(value) or default_date, None
    except ValueError:
        return default_date, Problem(where, f"date {value!r} is not YYYY-MM-DD; coded without a date")


def looks_utf16(sample: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of ASCII text is NUL."""
    return len(sample) >= 8 and (sample[1::2].count(0) > len(sample) * 0.4 or sample[0::2].count(0) > len(sample) * 0.4)


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
    if looks_utf16(sample):
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
