"""Date expressions in a sentence, resolved against the publication date.

Rules are our own (dateparser moves a same-day weekday back a week and can
produce future dates): an event that has happened never gets a date after
publication; weekdays resolve to the latest such day on or before it.
Any date, however far ("0001-01-01", "9999-12-31"), resolves or is dropped,
never raises: a publication date outside MIN_YEAR (TACITUS_MIN_YEAR, 1900) ..
tomorrow is not used as a base, and a resolved date outside MIN_YEAR ..
publication + 1 day (an intention, threat or request: + MAX_FUTURE_YEARS) is
dropped (date None, precision "unknown").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..read.checks import MIN_YEAR, latest_publication, plausible_publication

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
MAX_FUTURE_YEARS = 100  # an intended or threatened action dated further ahead than this is not a date
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                "several": 3, "few": 3, "eighteen": 18, "fifteen": 15, "twenty": 20}

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = r"(?P<count>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|several|few)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b")),
    ("month_day_year", re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b")),
    ("day_month_year", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\s+(?P<year>\d{{4}})\b")),
    ("month_day", re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:,\s*)?\d{{4}})")),
    ("day_month", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?!\s+\d{{4}})")),
    ("month_year", re.compile(rf"\b{_MONTH}\s+(?:of\s+)?(?P<year>\d{{4}})\b")),
    ("since_year", re.compile(r"\b(?:since|from)\s+(?P<year>(?:19|20)\d{2})\b")),
    ("decade", re.compile(r"\b(?:in\s+)?the\s+(?P<year>(?:19|20)\d)0s\b")),
    ("in_year", re.compile(r"\b(?:in|during|by|of|until|before|after|early|late|mid-?)\s*(?P<year>(?:19|20)\d{2})\b(?!\s*(?:people|troops|soldiers|%))")),
    ("weekday", re.compile(rf"\b(?:(?P<rel>last|next|this|on|late on|early on)\s+)?{_WEEKDAY}(?:\s+(?:night|morning|afternoon|evening))?\b")),
    ("day_before_yesterday", re.compile(r"\bthe day before yesterday\b", re.I)),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    ("ago", re.compile(rf"\b{_NUM}\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
    ("last_unit", re.compile(r"\b(?P<rel>last|this|past|next)\s+(?P<unit>week|weekend|month|year)\b", re.I)),
    ("season", re.compile(r"\b(?:(?:earlier|later)\s+)?(?P<rel>this|last|next)\s+(?P<season>spring|summer|autumn|fall|winter)\b", re.I)),
    ("month_only", re.compile(rf"\b(?:in|last|this|since|during|early|late|mid)(?:\s+|-){_MONTH}\b(?!\s+\d)")),
]


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression with its character span in the text."""

    text: str
    start: int
    end: int
    date: dt.date | None
    precision: str  # day | month | year | unknown
    is_start: bool = False


def _previous_weekday(base: dt.date, weekday: int) -> dt.date:
    return base - dt.timedelta(days=(base.weekday() - weekday) % 7)


def _next_weekday(base: dt.date, weekday: int) -> dt.date:
    return base + dt.timedelta(days=(weekday - base.weekday()) % 7)


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resolve(kind: str, match: re.Match[str], base: dt.date | None, future: bool) -> tuple[dt.date | None, str]:
    """Resolve one matched expression; (None, 'unknown') when it cannot be."""
    groups = match.groupdict()
    month = MONTHS.get((groups.get("month") or "").lower().rstrip("."))
    if kind == "iso":
        return _safe_date(int(groups["year"]), int(groups["mnum"]), int(groups["day"])), "day"
    if kind in ("month_day_year", "day_month_year"):
        return _safe_date(int(groups["year"]), month or 1, int(groups["day"])), "day"
    if kind == "month_year":
        return _safe_date(int(groups["year"]), month or 1, 1), "month"
    if kind in ("since_year", "in_year"):
        return dt.date(int(groups["year"]), 1, 1), "year"
    if kind == "decade":
        return dt.date(int(groups["year"] + "0"), 1, 1), "year"
    if base is None:
        return None, "unknown"
    if kind in ("month_day", "day_month"):
        candidate = _safe_date(base.year, month or 1, int(groups["day"]))
        if candidate and not future and candidate > base:
            candidate = _safe_date(base.year - 1, month or 1, int(groups["day"]))
        if candidate and future and candidate < base - dt.timedelta(days=2):
            candidate = _safe_date(base.year + 1, month or 1, int(groups["day"]))
        return candidate, "day" if candidate else "unknown"
    if kind == "month_only":
        year = base.year
        if not future and (month or 1) > base.month:
            year -= 1
        return dt.date(year, month or 1, 1), "month"
    if kind == "weekday":
        weekday = WEEKDAYS[groups["weekday"].lower()]
        rel = (groups.get("rel") or "").lower()
        if rel == "next" or (future and rel != "last"):
            day = _next_weekday(base, weekday)
            if rel == "next" and day == base:
                day += dt.timedelta(days=7)
            return day, "day"
        day = _previous_weekday(base, weekday)
        if rel == "last" and day == base:
            day -= dt.timedelta(days=7)
        return day, "day"
    if kind == "day_before_yesterday":
        return base - dt.timedelta(days=2), "day"
    if kind == "yesterday":
        return base - dt.timedelta(days=1), "day"
    if kind == "today":
        return base, "day"
    if kind == "tomorrow":
        return (base + dt.timedelta(days=1), "day") if future else (None, "unknown")
    if kind == "ago":
        count = groups["count"].lower()
        n = int(count) if count.isdigit() else NUMBER_WORDS.get(count, 1)
        unit = groups["unit"].lower()
        if unit == "day":
            return base - dt.timedelta(days=n), "day"
        if unit == "week":
            day = base - dt.timedelta(weeks=n)
            return dt.date(day.year, day.month, 1), "month"
        if unit == "month":
            return _shift_months(base, -n), "month"
        return dt.date(base.year - n, 1, 1), "year"
    if kind == "last_unit":
        rel, unit = groups["rel"].lower(), groups["unit"].lower()
        step = {"last": -1, "past": -1, "this": 0, "next": 1}[rel]
        if step > 0 and not future:
            return None, "unknown"  # "next week" cannot date something that has happened
        if unit in ("week", "weekend"):
            day = base + dt.timedelta(weeks=step)
            return dt.date(day.year, day.month, 1), "month"
        if unit == "month":
            return _shift_months(base, step), "month"
        return dt.date(base.year + step, 1, 1), "year"
    if kind == "season":
        rel = groups["rel"].lower()
        year = base.year + {"this": 0, "last": -1, "next": 1}[rel]
        start_month = SEASONS[groups["season"].lower()]
        if not future and dt.date(year, start_month, 1) > base:
            year -= 1
        return dt.date(year, 1, 1), "year"
    return None, "unknown"


def plausible_range(base: dt.date | None, future: bool) -> tuple[dt.date, dt.date]:
    """Earliest and latest date an expression may resolve to, given a plausible publication date (or None)."""
    anchor = base or latest_publication()
    if future:
        return dt.date(MIN_YEAR, 1, 1), dt.date(anchor.year + MAX_FUTURE_YEARS, 12, 31)
    return dt.date(MIN_YEAR, 1, 1), anchor + dt.timedelta(days=1) if base else anchor


def _resolved(kind: str, match: re.Match[str], base: dt.date | None, future: bool) -> tuple[dt.date | None, str]:
    try:
        return resolve(kind, match, base, future)
    except (OverflowError, ValueError):  # date arithmetic at the ends of the calendar
        return None, "unknown"


def find_dates(text: str, base: dt.date | None, future: bool = False, offset: int = 0) -> list[DateMention]:
    """All date expressions in `text`, longest first where they overlap; never raises on a far date."""
    if not plausible_publication(base):
        base = None  # an implausible publication date (year 1, 9999) resolves nothing relative to it
    earliest, latest = plausible_range(base, future)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            date, precision = _resolved(kind, match, base, future)
            if date and base and not future and date > base:
                date, precision = None, "unknown"
            if date and not earliest <= date <= latest:
                date, precision = None, "unknown"
            taken.append((start, end))
            is_start = kind == "since_year" or match.group(0).lower().startswith("since")
            found.append(DateMention(match.group(0), start + offset, end + offset, date, precision, is_start))
    return sorted(found, key=lambda d: d.start)


def resolve_text(expression: str, base: dt.date | None, future: bool = False) -> tuple[dt.date | None, str]:
    """Resolve a stand-alone expression ("on Tuesday", "in 2020")."""
    found = find_dates(expression, base, future)
    if not found:
        return None, "unknown"
    return found[0].date, found[0].precision
