"""Working days, for the notices the law counts in them (ТК РФ ст. 351.8: three working days).

A working day here is a weekday that is not one of the fixed non-working holidays of
ТК РФ ст. 112 ч. 1 (1–6 and 8 January, 7 January, 23 February, 8 March, 1 and 9 May,
12 June, 4 November). Not modelled: the yearly government decree that moves days off
(e.g. a holiday on a Saturday moved to a Monday) and the working Saturdays it creates; a
notice computed here may therefore be one day short around such transfers, never across
an ordinary week.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

FIXED_HOLIDAYS = frozenset({
    (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8),
    (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4),
})


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a fixed holiday of ТК РФ ст. 112."""
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end <= start``).

    A period counted in days begins on the day after the event (ТК РФ ст. 14): a notice
    given on Monday 7 September leaves 3 working days by Thursday 10 September.
    """
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def add_working_days(start: date, days: int) -> date:
    """The date on which ``days`` working days after ``start`` have passed."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day


def as_date(value: Any) -> date | None:
    """A date from form data (ISO string) or a date; None if absent or malformed."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
