"""Date expressions against fixed publication dates."""

from __future__ import annotations

import datetime as dt

import pytest

from tacitus.knowledge.dates import find_dates, resolve_text

TUE = dt.date(2023, 9, 19)  # a Tuesday
MON_JAN = dt.date(2024, 1, 1)  # a Monday, first day of a year
MON_OCT = dt.date(2023, 10, 2)  # a Monday, second day of a month
SUN_MAR = dt.date(2024, 3, 31)  # a Sunday, last day of a month

CASES = [
    ("on Tuesday", TUE, False, "2023-09-19", "day"),
    ("on Monday", TUE, False, "2023-09-18", "day"),
    ("on Wednesday", TUE, False, "2023-09-13", "day"),
    ("last Tuesday", TUE, False, "2023-09-12", "day"),
    ("on Friday", TUE, True, "2023-09-22", "day"),
    ("on Sunday", MON_JAN, False, "2023-12-31", "day"),
    ("yesterday", MON_JAN, False, "2023-12-31", "day"),
    ("today", TUE, False, "2023-09-19", "day"),
    ("in 2020", TUE, False, "2020-01-01", "year"),
    ("since 2002", TUE, False, "2002-01-01", "year"),
    ("on September 29", TUE, False, "2022-09-29", "day"),
    ("on September 29", TUE, True, "2023-09-29", "day"),
    ("September 29, 2021", TUE, False, "2021-09-29", "day"),
    ("15 October 2022", TUE, False, "2022-10-15", "day"),
    ("2023-09-01", TUE, False, "2023-09-01", "day"),
    ("in March 2001", TUE, False, "2001-03-01", "month"),
    ("in December", MON_JAN, False, "2023-12-01", "month"),
    ("last month", MON_JAN, False, "2023-12-01", "month"),
    ("last year", TUE, False, "2022-01-01", "year"),
    ("earlier this summer", TUE, False, "2023-01-01", "year"),
    ("three days ago", TUE, False, "2023-09-16", "day"),
    ("in the 1990s", TUE, False, "1990-01-01", "year"),
    # weekdays across month and year ends, and the publication's own weekday
    ("on Saturday", MON_OCT, False, "2023-09-30", "day"),
    ("on Friday", MON_JAN, False, "2023-12-29", "day"),
    ("on Monday", MON_JAN, False, "2024-01-01", "day"),
    ("last Monday", MON_JAN, False, "2023-12-25", "day"),
    ("on Sunday", SUN_MAR, False, "2024-03-31", "day"),
    ("on Monday", SUN_MAR, True, "2024-04-01", "day"),
    ("next Sunday", SUN_MAR, True, "2024-04-07", "day"),
    ("late on Friday", TUE, False, "2023-09-15", "day"),
    ("Tuesday night", TUE, False, "2023-09-19", "day"),
    ("yesterday", MON_OCT, False, "2023-10-01", "day"),
    ("the day before yesterday", MON_JAN, False, "2023-12-30", "day"),
    ("last night", SUN_MAR, False, "2024-03-30", "day"),
    ("tonight", TUE, False, "2023-09-19", "day"),
    ("tomorrow", SUN_MAR, True, "2024-04-01", "day"),
    # explicit dates and months
    ("on Oct. 15", TUE, False, "2022-10-15", "day"),
    ("on 3 September", TUE, False, "2023-09-03", "day"),
    ("in mid-August", TUE, False, "2023-08-01", "month"),
    ("last December", MON_JAN, False, "2023-12-01", "month"),
    ("in January", MON_JAN, False, "2024-01-01", "month"),
    ("since March", TUE, False, "2023-03-01", "month"),
    ("this month", TUE, False, "2023-09-01", "month"),
    ("last week", MON_OCT, False, "2023-09-01", "month"),
    ("two weeks ago", TUE, False, "2023-09-01", "month"),
    ("six months ago", TUE, False, "2023-03-01", "month"),
    # years, seasons, durations
    ("this year", TUE, False, "2023-01-01", "year"),
    ("earlier this year", MON_JAN, False, "2024-01-01", "year"),
    ("two years ago", TUE, False, "2021-01-01", "year"),
    ("early 2020", TUE, False, "2020-01-01", "year"),
    ("last winter", TUE, False, "2022-01-01", "year"),
    ("during 1988", TUE, False, "1988-01-01", "year"),
]


@pytest.mark.parametrize(("text", "base", "future", "expected", "precision"), CASES)
def test_expression(text, base, future, expected, precision):
    date, found_precision = resolve_text(text, base, future)
    assert (date.isoformat() if date else None, found_precision) == (expected, precision)


def test_table_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("text", ["during World War Two", "tomorrow", "soon", "in 12 hours", "a day after",
                                  "next week", "until 2030", "on the weekend", "recently", "in the coming days"])
def test_unresolved_past(text):
    date, precision = resolve_text(text, TUE)
    assert date is None


def test_no_future_dates_for_past_events():
    for mention in find_dates("on September 30, 2023 and in 2030", TUE):
        assert mention.date is None or mention.date <= TUE


def test_spans_point_into_the_text():
    text = "Russia brokered a ceasefire in 2020 and talks resumed on Monday."
    found = find_dates(text, TUE, offset=10)
    assert [(m.text, m.start - 10) for m in found] == [("in 2020", text.index("in 2020")), ("on Monday", text.index("on Monday"))]
