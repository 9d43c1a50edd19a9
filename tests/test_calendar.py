"""Working days for notices (ТК РФ ст. 351.8)."""

from datetime import date

from workflows.calendar import add_working_days, is_working_day, working_days_between


def test_weekends_are_skipped():
    monday, thursday, friday = date(2026, 9, 7), date(2026, 9, 10), date(2026, 9, 11)
    assert working_days_between(monday, thursday) == 3
    assert working_days_between(friday, date(2026, 9, 16)) == 3  # Mon, Tue, Wed
    assert working_days_between(thursday, monday) == 0
    assert add_working_days(friday, 3) == date(2026, 9, 16)


def test_fixed_holidays_of_article_112_are_not_working_days():
    assert not is_working_day(date(2026, 11, 4))  # Wednesday, День народного единства
    assert working_days_between(date(2026, 11, 2), date(2026, 11, 5)) == 2
    assert working_days_between(date(2026, 12, 30), date(2027, 1, 11)) == 2  # 31.12, 11.01
