"""Dates by the law: terms of ГК РФ ст. 190–193 and working days by the production calendar
(ТК РФ ст. 112 and the government's transfers, kept as data per year)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.helpers import documents as f
from tests.helpers.documents import person_id
from tests.helpers.http import login_as, post
from tests.helpers.kinds import pd_data
from workflows import calendar
from workflows.calendar import (
    add_working_days,
    deadline_after,
    erasure_deadline,
    is_working_day,
    last_day,
    notice_end,
    term_end,
    term_expiry,
    term_length,
    working_days_between,
    year_calendar,
)
from workflows.errors import RuleViolation
from workflows.guards import term_within
from workflows.mentor_resignation import notice_of_three_working_days
from workflows.program_termination import GROUND_PARTICIPANT, MENTEE
from workflows.program_termination import one_side_gives_three_working_days_notice as notice_rule

DATA = Path(calendar.__file__).parent / "production_calendar"
DECREE_2026 = ("постановление Правительства РФ от 24.09.2025 № 1466 «О переносе выходных дней в "
               "2026 году»")


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def doc(**data) -> SimpleNamespace:
    return SimpleNamespace(data=data)


# --- terms: ГК РФ ст. 190–192 ---------------------------------------------------------------

def test_a_month_term_ending_in_a_shorter_month_ends_on_its_last_day():
    assert term_end(date(2026, 1, 31), months=1) == date(2026, 2, 28)
    assert term_end(date(2028, 1, 31), months=1) == date(2028, 2, 29)  # a leap year
    assert term_end(date(2026, 1, 15), months=1) == date(2026, 2, 15)  # the corresponding day


def test_a_year_term_from_29_february_ends_on_28_february():
    assert term_end(date(2028, 2, 29), years=1) == date(2029, 2, 28)
    assert term_end(date(2026, 9, 1), years=1) == date(2027, 9, 1)


def test_a_term_given_by_its_first_day_ends_the_day_before_the_corresponding_day():
    assert last_day(date(2026, 9, 1), months=3) == date(2026, 11, 30)
    assert last_day(date(2026, 9, 1), years=1) == date(2027, 8, 31)
    assert last_day(date(2026, 3, 1), months=1) == date(2026, 3, 31)
    # no corresponding day in the last month: that month's last day (ст. 192 ч. 3)
    assert last_day(date(2026, 3, 31), months=1) == date(2026, 4, 30)
    assert last_day(date(2026, 11, 30), months=3) == date(2027, 2, 28)
    assert last_day(date(2028, 2, 29), years=1) == date(2029, 2, 28)


def test_term_length_counts_whole_months_as_last_day_does():
    assert term_length(date(2026, 3, 31), date(2026, 4, 30)) == "1 месяц"
    assert term_length(date(2026, 9, 1), date(2027, 8, 31)) == "1 год"
    assert term_length(date(2026, 9, 1), date(2026, 11, 10)) == "2 месяца 10 дней"
    assert term_length(date(2026, 11, 30), date(2027, 2, 27)) == "2 месяца 29 дней"
    assert term_length(date(2026, 9, 1), date(2026, 9, 1)) == "1 день"


PROGRAM = term_within(what="Срок программы", at_least_months=3)


@pytest.mark.parametrize(("start", "end"), [
    ("2026-11-30", "2027-02-28"),  # exactly 3 months: 30 February does not exist
    ("2028-02-29", "2029-02-28"),  # exactly 1 year from 29 February
    ("2025-11-01", "2026-10-31"),  # 1 year ending on a Saturday: not moved, still allowed
])
def test_the_program_s_bounds_of_3_months_and_1_year_are_exact(start, end):
    PROGRAM(None, doc(start_date=start, end_date=end))


@pytest.mark.parametrize(("start", "end", "message"), [
    ("2026-11-30", "2027-02-27", "Срок программы — 2 месяца 29 дней (с 30.11.2026 по 27.02.2027)"
     ", а по п. 1.3 Положения он должен быть от 3 месяцев до 1 года: окончание не ранее "
     "28.02.2027 и не позднее 29.11.2027."),
    ("2028-02-29", "2029-03-01", "окончание не ранее 28.05.2028 и не позднее 28.02.2029."),
    # ст. 193 is not applied to the program's end: 31.10.2026 is a Saturday, yet the program
    # may not run to Monday 02.11.2026
    ("2025-11-01", "2026-11-02", "не позднее 31.10.2026."),
])
def test_a_program_outside_its_bounds_is_refused(start, end, message):
    with pytest.raises(RuleViolation) as err:
        PROGRAM(None, doc(start_date=start, end_date=end))
    assert err.value.message.endswith(message)


# --- ГК РФ ст. 193: where it applies and where it does not --------------------------------

def test_a_deadline_ending_on_a_day_off_moves_to_the_next_working_day():
    moved = term_expiry(date(2027, 1, 2))  # Saturday of the New-Year holidays
    assert moved.day == date(2027, 1, 11)
    assert "02.01.2027 — нерабочий, срок истекает в ближайший рабочий день 11.01.2027 " \
           "(ст. 193 ГК РФ)" in moved.how
    assert term_expiry(date(2026, 9, 15)).day == date(2026, 9, 15)  # a Tuesday stays
    assert deadline_after(date(2026, 9, 26), days=14).day == date(2026, 10, 12)  # Sat 10.10


def test_the_erasure_deadline_is_thirty_calendar_days_and_not_moved():
    due = erasure_deadline(date(2026, 9, 10))
    assert due.day == date(2026, 10, 10) and not is_working_day(due.day)  # a Saturday
    assert due.how == ("30 календарных дней со дня отзыва 10.09.2026 (ч. 5 ст. 21 "
                       "Федерального закона № 152-ФЗ); 10.10.2026 — нерабочий день, но этот "
                       "срок на рабочий день не переносится")


# --- working days: ТК РФ ст. 112 and the decrees ---------------------------------------------

def test_weekends_are_skipped():
    monday, thursday, friday = date(2026, 9, 7), date(2026, 9, 10), date(2026, 9, 11)
    assert working_days_between(monday, thursday) == 3
    assert working_days_between(friday, date(2026, 9, 16)) == 3  # Mon, Tue, Wed
    assert working_days_between(thursday, monday) == 0
    assert add_working_days(friday, 3) == date(2026, 9, 16)


def test_fixed_holidays_of_article_112_are_not_working_days():
    assert not is_working_day(date(2026, 11, 4))  # Wednesday, День народного единства
    assert working_days_between(date(2026, 11, 2), date(2026, 11, 5)) == 2
    # 31.12.2026 moved from 04.01.2026 by the decree, then 1–8 January 2027
    assert working_days_between(date(2026, 12, 30), date(2027, 1, 12)) == 2  # 11.01, 12.01


def test_a_holiday_on_a_weekend_moves_the_day_off_to_the_next_working_day():
    assert not is_working_day(date(2026, 3, 9))  # 8 March 2026 is a Sunday
    assert not is_working_day(date(2026, 5, 11))  # 9 May 2026 is a Saturday
    assert not is_working_day(date(2027, 5, 3))  # 1 May 2027, a Saturday
    assert not is_working_day(date(2027, 5, 10))  # 9 May 2027, a Sunday
    assert not is_working_day(date(2027, 6, 14))  # 12 June 2027, a Saturday
    assert is_working_day(date(2027, 5, 4)) and is_working_day(date(2027, 5, 11))
    # except the January holidays: 2 and 3 January 2027 (weekend) move only by a decree
    assert is_working_day(date(2027, 1, 11))
    # a weekend holiday the decree moves elsewhere is not moved again: 23.02.2025 → 08.05.2025
    assert is_working_day(date(2025, 2, 24)) and not is_working_day(date(2025, 5, 8))


def test_the_transfers_of_2025_by_decree_1335():
    off = {date(2025, 5, 2), date(2025, 5, 8), date(2025, 6, 13), date(2025, 11, 3),
           date(2025, 12, 31)}
    assert not any(is_working_day(d) for d in off)
    assert is_working_day(date(2025, 11, 1))  # the Saturday made a working day
    assert "№ 1335" in year_calendar(2025).decree
    weekday_off = {d for d in year_calendar(2025).days_off if d.weekday() < 5}
    assert weekday_off - off == {date(2025, 1, d) for d in (1, 2, 3, 6, 7, 8)} | {
        date(2025, 5, 1), date(2025, 5, 9), date(2025, 6, 12), date(2025, 11, 4)}


def test_the_transfers_of_2026():
    assert not is_working_day(date(2026, 1, 9)) and not is_working_day(date(2026, 12, 31))
    assert year_calendar(2026).decree == DECREE_2026
    weekday_off = {d for d in year_calendar(2026).days_off if d.weekday() < 5}
    assert weekday_off == {date(2026, 1, d) for d in (1, 2, 5, 6, 7, 8, 9)} | {
        date(2026, 2, 23), date(2026, 3, 9), date(2026, 5, 1), date(2026, 5, 11),
        date(2026, 6, 12), date(2026, 11, 4), date(2026, 12, 31)}


def test_2027_has_no_sourced_decree_and_says_so():
    cal = year_calendar(2027)
    assert cal.loaded and cal.decree is None
    assert json.loads((DATA / "2027.json").read_text(encoding="utf-8"))["transfers"] == []
    assert cal.warning == ("постановление Правительства РФ о переносе выходных дней в 2027 году "
                           "не загружено: переносы выходных не учтены")


@pytest.mark.parametrize("path", sorted(DATA.glob("*.json")), ids=lambda p: p.stem)
def test_each_year_s_data_is_consistent(path):
    """The file is its year's; every transfer moves a weekend day of that year to a weekday
    of it; the working days computed equal the total the source states."""
    data = json.loads(path.read_text(encoding="utf-8"))
    year = int(path.stem)
    assert data["year"] == year and data["source"] and data["note"]
    for t in data["transfers"]:
        source, target = date.fromisoformat(t["from"]), date.fromisoformat(t["to"])
        assert source.year == target.year == year
        assert source.weekday() >= 5 and target.weekday() < 5, t
    assert (data["decree"] is None) == (not data["transfers"] and data["working_days"] is None)
    if data["working_days"] is not None:
        assert sum(is_working_day(d) for d in days_of(year)) == data["working_days"]


@pytest.fixture
def extra_dir(tmp_path, monkeypatch):
    """A folder of calendar files added to the installation's, forgotten afterwards."""
    monkeypatch.setattr(calendar, "DATA_DIRS", (*calendar.DATA_DIRS, tmp_path))
    calendar.reload()
    yield tmp_path
    monkeypatch.undo()
    calendar.reload()


def test_a_year_is_added_from_a_file_without_code(extra_dir):
    assert is_working_day(date(2028, 1, 10))  # Monday: no transfers known for 2028
    assert year_calendar(2028).warning
    # test data, not a real decree: 1 January 2028 (a Saturday) moved to Monday 10 January
    (extra_dir / "2028.json").write_text(json.dumps({
        "year": 2028, "decree": "тестовое постановление № 1", "source": "тест",
        "transfers": [{"from": "2028-01-01", "to": "2028-01-10"}], "working_days": None,
        "note": "тест"}), encoding="utf-8")
    calendar.reload()
    assert not is_working_day(date(2028, 1, 10))
    assert year_calendar(2028).warning == ""
    assert "с учётом переноса выходных дней (тестовое постановление № 1)" in \
        notice_end(date(2028, 1, 6), 3).how


def test_an_unknown_year_is_counted_by_article_112_and_the_user_is_told():
    counted = notice_end(date(2028, 12, 28), 3)
    assert counted.day == date(2029, 1, 10)  # 29.12, then after 1–8 January 9.01, 10.01
    assert counted.how.endswith("по праздникам ст. 112 ТК РФ на 2029 год (производственный "
                                "календарь на 2029 год не загружен: переносы выходных не "
                                "учтены)")
    assert "производственный календарь на 2028 год не загружен: переносы выходных не учтены" \
        in counted.how


# --- shown where it decides a date ----------------------------------------------------------

def test_the_resignation_notice_says_how_it_was_counted():
    with pytest.raises(RuleViolation) as err:
        # 30.12, then 31.12 (moved day off) and 1–10 January 2027 off: 11.01, 12.01
        notice_of_three_working_days(None, doc(statement_date="2026-12-29",
                                               desired_date="2026-12-31"))
    assert err.value.message.endswith(
        "не ранее 12.01.2027. Счёт: 3 рабочих дня после 29.12.2026 по производственному "
        f"календарю на 2026 год с учётом переноса выходных дней ({DECREE_2026}); по праздникам "
        "ст. 112 ТК РФ на 2027 год (постановление Правительства РФ о переносе выходных дней в "
        "2027 году не загружено: переносы выходных не учтены).")


def test_the_termination_notice_says_how_it_was_counted():
    with pytest.raises(RuleViolation) as err:
        notice_rule(None, doc(ground=GROUND_PARTICIPANT, initiator=MENTEE,
                              notice_date="2026-03-05", end_date="2026-03-10"))
    # 6 March, then 8 March (Sunday) moves the day off to Monday 9 March: 6, 10, 11
    assert err.value.message.endswith(
        "завершить можно не ранее 11.03.2026, а указано 10.03.2026. Счёт: 3 рабочих дня после "
        f"05.03.2026 по производственному календарю на 2026 год с учётом переноса выходных дней "
        f"({DECREE_2026}).")


def test_the_erasure_message_says_how_its_date_was_counted(client, app):
    with app.app_context():
        f.signed("pd_consent", pd_data(f.person("Кравец").id))
    pid = person_id(app, "Кравец")
    login_as(client, "curator")
    done = post(client, f"/people/{pid}/withdraw-pd", {"withdrawn_on": "10.09.2026"},
                follow_redirects=True)
    assert done.status_code == 200
    how = ("не позднее 10.10.2026 (30 календарных дней со дня отзыва 10.09.2026 (ч. 5 ст. 21 "
           "Федерального закона № 152-ФЗ); 10.10.2026 — нерабочий день, но этот срок на рабочий "
           "день не переносится).")
    assert f"данные будут уничтожены {how}" in done.get_data(as_text=True)  # the message
    page = client.get(f"/people/{pid}").get_data(as_text=True)
    assert f"Данные будут уничтожены {how}" in page  # and the person's page, later
