"""Working days, for the notices the law counts in them (ТК РФ ст. 351.8: three working days).

A working day here is a weekday that is not one of the fixed non-working holidays of
ТК РФ ст. 112 ч. 1 (1–6 and 8 January, 7 January, 23 February, 8 March, 1 and 9 May,
12 June, 4 November). Not modelled: the yearly government decree that moves days off
(e.g. a holiday on a Saturday moved to a Monday) and the working Saturdays it creates; a
notice computed here may therefore be one day short around such transfers, never across
an ordinary week.

Terms (``last_day``, ``term_length``) count both their first and their last day, as the
regulation's «от 3 месяцев до 1 года» does.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from doc_templates.russian import plural

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


def last_day(start: date, **period: int) -> date:
    """The last day of a term of ``period`` (months=3, years=1) starting on ``start``:
    a term «с 01.09.2026» of 3 months runs «по 30.11.2026» inclusive."""
    return start + relativedelta(**period) - timedelta(days=1)


def term_length(start: date, end: date) -> str:
    """«2 месяца 10 дней»: the length of the term ``start``–``end``, both days included."""
    delta = relativedelta(end + timedelta(days=1), start)
    months = delta.years * 12 + delta.months
    parts = []
    if months:
        parts.append(f"{months} {plural(months, 'месяц', 'месяца', 'месяцев')}")
    if delta.days or not parts:
        parts.append(f"{delta.days} {plural(delta.days, 'день', 'дня', 'дней')}")
    return " ".join(parts)
