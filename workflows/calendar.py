"""Dates by the law: terms in months and years (ГК РФ ст. 190–193) and working days by the
official production calendar (ТК РФ ст. 112 and the government's yearly transfers).

Which rule applies where, and why:

* **The program's term** (§1.3 «от 3 месяцев до 1 года», ``last_day`` / ``term_length``)
  is a period of work given by its first day: a term «с 01.09.2026» of 3 months runs «по
  30.11.2026». Its first day is the day after the date that fixes its start (ГК ст. 191),
  so it ends the day before the day corresponding to its first day in the last month or
  year (ст. 192 ч. 1, 3; «с 01.03» + 1 month «по 31.03», as ТК ст. 14 counts a term that
  begins on a date); where the last month has no corresponding day, on that month's last
  day (ст. 192 ч. 3): «с 31.03» + 1 month «по 30.04», «с 29.02.2028» + 1 year «по
  28.02.2029» (the old count, first day + period − 1 day, ended these one day short).
  ``term_end`` is the plain ГК count from an event: 31.01 + 1 month → 28.02 (29.02 in a
  leap year), 29.02 + 1 year → 28.02. The term end is NOT moved off a
  non-working day (ст. 193): ст. 193 lets an *action* due on a day off be done on the next
  working day, whereas the program's end bounds how long mentoring lasts; moving it would
  let a one-year program run past its year.
* **Deadlines and notices** (``term_expiry``, ``deadline_after``): ст. 193 ГК, and ТК
  ст. 14 ч. 4 for labour terms, move the last day of a term falling on a non-working day
  to the next working day; the demo's orders take their deadlines from ``deadline_after``,
  so none falls on a day off (the review found «в срок до 02.01.2027»). A notice counted in
  working days (ТК ст. 351.8: «не менее чем за три рабочих дня», ``notice_end``) ends on a
  working day by construction.
* **The erasure of personal data** (152-ФЗ ст. 21 ч. 5, ``erasure_deadline``): «в срок, не
  превышающий тридцати дней» — calendar days, not moved: 152-ФЗ has no rule moving its
  terms, and erasing on the thirtieth day even if it is a Sunday is never late, whereas
  relying on ст. 193 might be.

Working days: a day is a working day unless it is a Saturday or Sunday, a non-working
holiday of ТК ст. 112 ч. 1, a weekday to which a holiday falling on a weekend moved the
day off (ч. 2, except the January holidays, whose weekend days the government moves), or
a day off the year's decree moved (ч. 5; a Saturday it moved away from becomes a working
day). The decrees are data, one file a year in ``workflows/production_calendar/`` (see
its docstring); a year without a file is computed by ст. 112 alone and every count that
touches it says «производственный календарь на 2028 год не загружен: переносы выходных не
учтены».
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from doc_templates.russian import plural

# ТК РФ ст. 112 ч. 1: (month, day) of the non-working holidays
FIXED_HOLIDAYS = frozenset({
    (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8),
    (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4),
})
# the folders holding one <year>.json each; an installation adds its own by the variable
DATA_DIRS: tuple[Path, ...] = (Path(__file__).parent / "production_calendar",) + tuple(
    Path(p) for p in os.environ.get("NASTAVNIK_CALENDAR_DIR", "").split(os.pathsep) if p)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class YearCalendar:
    """One year's ``days_off`` (its weekends but those made working days, its holidays and
    the days off moved to weekdays); ``decree``, the citation of the transfers, None when
    no decree is loaded; ``loaded``, whether a data file for the year exists at all."""
    year: int
    days_off: frozenset[date]
    decree: str | None
    loaded: bool

    @property
    def warning(self) -> str:
        """What the user is told when the transfers of the year are not known ('' if they are)."""
        if self.decree:
            return ""
        if not self.loaded:
            return (f"производственный календарь на {self.year} год не загружен: переносы "
                    f"выходных не учтены")
        return (f"постановление Правительства РФ о переносе выходных дней в {self.year} году "
                f"не загружено: переносы выходных не учтены")

    @property
    def basis(self) -> str:
        """How this year's working days are known, for the user: «по производственному
        календарю на 2026 год с учётом переноса выходных дней (постановление …)», or by
        ст. 112 alone with the warning."""
        if self.decree:
            return (f"по производственному календарю на {self.year} год с учётом переноса "
                    f"выходных дней ({self.decree})")
        return f"по праздникам ст. 112 ТК РФ на {self.year} год ({self.warning})"


def _data_file(year: int) -> Path | None:
    found = [d / f"{year}.json" for d in DATA_DIRS if (d / f"{year}.json").is_file()]
    return found[-1] if found else None


def _days_off(year: int, transfers: Iterable[tuple[date, date]]) -> frozenset[date]:
    holidays = {date(year, m, d) for m, d in FIXED_HOLIDAYS}
    days = [date(year, 1, 1) + timedelta(days=i)
            for i in range((date(year, 12, 31) - date(year, 1, 1)).days + 1)]
    off = holidays | {d for d in days if d.weekday() >= 5}
    moved_from = set()
    for source, target in transfers:
        moved_from.add(source)
        if source not in holidays:
            off.discard(source)  # a Saturday the decree made a working day
        off.add(target)
    for holiday in sorted(holidays):
        if holiday.month == 1 or holiday.weekday() < 5 or holiday in moved_from:
            continue  # ч. 2: the January holidays' weekend days are moved by the decree only
        day = holiday + DAY
        while day in off:
            day += DAY
        off.add(day)
    return frozenset(off)


@cache
def year_calendar(year: int) -> YearCalendar:
    """The year's calendar: from its data file if there is one, else ст. 112 alone."""
    path = _data_file(year)
    if path is None:
        return YearCalendar(year, _days_off(year, ()), decree=None, loaded=False)
    data = json.loads(path.read_text(encoding="utf-8"))
    transfers = [(date.fromisoformat(t["from"]), date.fromisoformat(t["to"]))
                 for t in data.get("transfers", [])]
    return YearCalendar(year, _days_off(year, transfers), decree=data.get("decree") or None,
                        loaded=True)


def reload() -> None:
    """Forget the years read so far (after a data file was added or changed)."""
    year_calendar.cache_clear()


def is_working_day(day: date) -> bool:
    """Not a day off of the production calendar of ``day``'s year."""
    return day not in year_calendar(day.year).days_off


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end <= start``).

    A period counted in days begins on the day after the event (ТК РФ ст. 14): a notice
    given on Monday 7 September leaves 3 working days by Thursday 10 September.
    """
    count, day = 0, start + DAY
    while day <= end:
        count += is_working_day(day)
        day += DAY
    return count


def add_working_days(start: date, days: int) -> date:
    """The date on which ``days`` working days after ``start`` have passed."""
    day = start
    while days > 0:
        day += DAY
        days -= is_working_day(day)
    return day


def calendar_basis(start: date, end: date) -> str:
    """How the working days of ``start``–``end`` were counted, each year's ``basis``."""
    return "; ".join(year_calendar(y).basis for y in range(start.year, max(start, end).year + 1))


@dataclass(frozen=True)
class Counted:
    """A date the law counts, with the words saying how it was counted."""
    day: date
    how: str


def notice_end(given: date, days: int) -> Counted:
    """The earliest day a notice of ``days`` working days given on ``given`` allows."""
    day = add_working_days(given, days)
    unit = plural(days, "рабочий день", "рабочих дня", "рабочих дней")
    return Counted(day, f"{days} {unit} после {given:%d.%m.%Y} {calendar_basis(given, day)}")


def term_expiry(last: date) -> Counted:
    """ГК РФ ст. 193 (ТК РФ ст. 14 ч. 4): a term whose last day is a day off ends on the next
    working day. For deadlines and notices only, never for the program's term (see above)."""
    day = last
    while not is_working_day(day):
        day += DAY
    if day == last:
        return Counted(day, f"последний день срока {last:%d.%m.%Y} — рабочий")
    return Counted(day, f"последний день срока {last:%d.%m.%Y} — нерабочий, срок истекает в "
                        f"ближайший рабочий день {day:%d.%m.%Y} (ст. 193 ГК РФ) "
                        f"{calendar_basis(last, day)}")


def deadline_after(event: date, **period: int) -> Counted:
    """A deadline of ``period`` (days=10, months=1) counted from ``event`` (ГК ст. 191–193)."""
    return term_expiry(term_end(event, **period))


def due_default(period: dict[str, int] | None) -> date:
    """A form's default for a date it asks: a deadline ``period`` after today (counted by
    ``deadline_after``, so it never falls on a day off nor before the signing day), else
    today."""
    return deadline_after(date.today(), **period).day if period else date.today()


ERASURE_DAYS = 30


def erasure_deadline(withdrawn_on: date) -> Counted:
    """152-ФЗ ст. 21 ч. 5: the data is destroyed within 30 days of the withdrawal; calendar
    days, not moved to a working day (see the module's docstring)."""
    day = withdrawn_on + timedelta(days=ERASURE_DAYS)
    how = (f"{ERASURE_DAYS} календарных дней со дня отзыва {withdrawn_on:%d.%m.%Y} "
           f"(ч. 5 ст. 21 Федерального закона № 152-ФЗ)")
    if not is_working_day(day):
        how += (f"; {day:%d.%m.%Y} — нерабочий день, но этот срок на рабочий день не "
                f"переносится")
    return Counted(day, how)


def as_date(value: Any) -> date | None:
    """A date from form data (ISO string) or a date; None if absent or malformed."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def term_end(event: date, **period: int) -> date:
    """ГК РФ ст. 191–192: a term of ``period`` counted from ``event`` (it begins the next day)
    ends on the corresponding day of the last month or year, or on that month's last day
    if it has no such day: 31.01 + 1 month → 28.02 (29.02 in a leap year), 29.02 + 1 year →
    28.02."""
    return event + relativedelta(**period)


def last_day(start: date, **period: int) -> date:
    """The last day of a term of ``period`` (months=3, years=1) whose first day is ``start``:
    the day before the day corresponding to ``start`` in the last month or year, or that
    month's last day when it has no corresponding day (ГК ст. 192 ч. 3): «с 01.09.2026» +
    3 months → «по 30.11.2026», «с 31.03» + 1 month → «по 30.04». Not moved off a day off."""
    corresponding = start + relativedelta(**period)
    return corresponding if corresponding.day != start.day else corresponding - DAY


def term_length(start: date, end: date) -> str:
    """«2 месяца 10 дней», «1 год»: the length of the term ``start``–``end``, both days
    included, in whole months by ``last_day`` (so a term is «3 месяца» exactly when it ends
    on ``last_day(start, months=3)``) and the days past the last whole month."""
    months = 0
    while last_day(start, months=months + 1) <= end:
        months += 1
    days = (end - (last_day(start, months=months) if months else start - DAY)).days
    parts = []
    if months >= 12:
        years, months = divmod(months, 12)
        parts.append(f"{years} {plural(years, 'год', 'года', 'лет')}")
    if months:
        parts.append(f"{months} {plural(months, 'месяц', 'месяца', 'месяцев')}")
    if days or not parts:
        parts.append(f"{days} {plural(days, 'день', 'дня', 'дней')}")
    return " ".join(parts)
