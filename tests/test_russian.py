"""Russian formatting: dates, names by case, initials, money, plurals, Jinja filters."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from jinja2.sandbox import SandboxedEnvironment

from doc_templates.russian import (
    Case,
    date_long,
    date_numeric,
    date_quoted,
    decline,
    initials_surname,
    jinja_filters,
    money,
    plural,
    surname_initials,
)

JUNE_5 = date(2026, 6, 5)


def test_dates():
    assert date_numeric(JUNE_5) == "05.06.2026"
    assert date_long(JUNE_5) == "5 июня 2026 г."
    assert date_quoted(JUNE_5) == "«5» июня 2026 г."
    assert date_long(date(2025, 3, 21)) == "21 марта 2025 г."
    assert date_long(date(2025, 8, 18)) == "18 августа 2025 г."
    assert date_numeric(datetime(2026, 12, 31, 23, 59)) == "31.12.2026"


def test_dates_refuse_non_dates():
    with pytest.raises(TypeError):
        date_long("2026-06-05")


# (full name, genitive, dative, accusative, instrumental, prepositional)
NAMES = [
    ("Иванова Мария Петровна", "Ивановой Марии Петровны", "Ивановой Марии Петровне",
     "Иванову Марию Петровну", "Ивановой Марией Петровной", "Ивановой Марии Петровне"),
    ("Шевчук Анна Игоревна", "Шевчук Анны Игоревны", "Шевчук Анне Игоревне",
     "Шевчук Анну Игоревну", "Шевчук Анной Игоревной", "Шевчук Анне Игоревне"),
    ("Шевчук Олег Игоревич", "Шевчука Олега Игоревича", "Шевчуку Олегу Игоревичу",
     "Шевчука Олега Игоревича", "Шевчуком Олегом Игоревичем", "Шевчуке Олеге Игоревиче"),
    ("Петрова-Водкина Ольга Сергеевна", "Петровой-Водкиной Ольги Сергеевны",
     "Петровой-Водкиной Ольге Сергеевне", "Петрову-Водкину Ольгу Сергеевну",
     "Петровой-Водкиной Ольгой Сергеевной", "Петровой-Водкиной Ольге Сергеевне"),
    ("Дурново Пётр Николаевич", "Дурново Петра Николаевича", "Дурново Петру Николаевичу",
     "Дурново Петра Николаевича", "Дурново Петром Николаевичем", "Дурново Петре Николаевиче"),
    ("Седых Ирина Павловна", "Седых Ирины Павловны", "Седых Ирине Павловне",
     "Седых Ирину Павловну", "Седых Ириной Павловной", "Седых Ирине Павловне"),
    ("Гоголь Никита Андреевич", "Гоголя Никиты Андреевича", "Гоголю Никите Андреевичу",
     "Гоголя Никиту Андреевича", "Гоголем Никитой Андреевичем", "Гоголе Никите Андреевиче"),
    ("Кравец Любовь Ивановна", "Кравец Любови Ивановны", "Кравец Любови Ивановне",
     "Кравец Любовь Ивановну", "Кравец Любовью Ивановной", "Кравец Любови Ивановне"),
]  # fmt: skip
CASES = [Case.GENITIVE, Case.DATIVE, Case.ACCUSATIVE, Case.INSTRUMENTAL, Case.PREPOSITIONAL]


@pytest.mark.parametrize("row", NAMES, ids=[row[0] for row in NAMES])
def test_decline_by_case(row):
    last, first, middle = row[0].split()
    assert decline(last, first, middle, Case.NOMINATIVE) == row[0]
    for case, expected in zip(CASES, row[1:], strict=True):
        assert decline(last, first, middle, case) == expected, case


def test_decline_accepts_case_names_and_explicit_gender():
    assert decline("Шевчук", "Анна", "Игоревна", "dative", gender="f") == "Шевчук Анне Игоревне"
    assert decline("Шевчук", "Олег", "Игоревич", "dative", gender="m") == "Шевчуку Олегу Игоревичу"
    # gender given explicitly decides for a surname alone ambiguous in form
    assert decline("Кравец", "Саша", "", "dative", gender="m") == "Кравцу Саше"
    assert decline("Кравец", "Саша", "", "dative", gender="f") == "Кравец Саше"


def test_decline_without_patronymic():
    assert decline("Иванов", "Иван", "", Case.GENITIVE) == "Иванова Ивана"
    assert decline("Иванова", "Мария", None, Case.INSTRUMENTAL) == "Ивановой Марией"


def test_decline_refuses_unknown_case_and_gender():
    with pytest.raises(ValueError):
        decline("Иванов", "Иван", "Иванович", "vocative")
    with pytest.raises(ValueError):
        decline("Иванов", "Иван", "Иванович", Case.DATIVE, gender="x")


def test_initials():
    assert initials_surname("Иванова", "Мария", "Петровна") == "М.П. Иванова"
    assert surname_initials("Иванова", "Мария", "Петровна") == "Иванова М.П."
    assert initials_surname("Иванова", "Мария", "Петровна", case=Case.DATIVE) == "М.П. Ивановой"
    assert surname_initials("Шевчук", "Олег", "Игоревич", case="genitive") == "Шевчука О.И."
    assert initials_surname("Шевчук", "Анна", "Игоревна", case=Case.DATIVE) == "А.И. Шевчук"
    assert initials_surname("Седых", "Ирина", "") == "И. Седых"
    assert initials_surname("Дурново", "Пётр", "Николаевич") == "П.Н. Дурново"
    assert initials_surname("Смит", "Анна-Мария", "") == "А.-М. Смит"
    assert "\u00a0" not in initials_surname("Иванова", "Мария", "Петровна")


def test_money():
    assert money(Decimal("5000")) == "5 000,00 руб."
    assert money(5000) == "5 000,00 руб."
    assert money(Decimal("1234567.891")) == "1 234 567,89 руб."
    assert money(Decimal("0.005")) == "0,01 руб."
    assert money(999) == "999,00 руб."
    assert money(Decimal("-1500.5")) == "-1 500,50 руб."
    with pytest.raises(TypeError):
        money(5000.0)


@pytest.mark.parametrize(
    ("n", "word"),
    [(0, "месяцев"), (1, "месяц"), (2, "месяца"), (4, "месяца"), (5, "месяцев"),
     (11, "месяцев"), (12, "месяцев"), (14, "месяцев"), (21, "месяц"), (22, "месяца"),
     (101, "месяц"), (111, "месяцев"), (112, "месяцев")],
)  # fmt: skip
def test_plural(n, word):
    assert plural(n, "месяц", "месяца", "месяцев") == word


def test_jinja_filters_in_a_sandbox():
    filters = jinja_filters()
    assert {
        "date_numeric", "date_long", "date_quoted", "genitive", "dative", "accusative",
        "instrumental", "prepositional", "initials", "surname_initials", "money",
    } <= filters.keys()  # fmt: skip
    env = SandboxedEnvironment(autoescape=True)
    env.filters.update(filters)
    mentor = {"last_name": "Иванова", "first_name": "Мария", "middle_name": "Петровна"}
    mentee = {"last_name": "Шевчук", "first_name": "Олег", "middle_name": "", "gender": "m"}
    template = env.from_string(
        "{{ d|date_numeric }}; {{ d|date_long }}; {{ d|date_quoted }}; "
        "Назначить {{ mentor|accusative }} наставником {{ mentee|genitive }}; "
        "{{ mentor|instrumental }}; {{ mentee|dative }}; о {{ mentor|prepositional }}; "
        "{{ mentor|initials }}; {{ mentor|initials('dative') }}; {{ mentee|surname_initials }}; "
        "{{ pay|money }}; {{ n }} {{ n|plural('месяц', 'месяца', 'месяцев') }}"
    )
    text = template.render(d=JUNE_5, mentor=mentor, mentee=mentee, pay=Decimal(5000), n=6)
    assert text == (
        "05.06.2026; 5 июня 2026 г.; «5» июня 2026 г.; "
        "Назначить Иванову Марию Петровну наставником Шевчука Олега; "
        "Ивановой Марией Петровной; Шевчуку Олегу; о Ивановой Марии Петровне; "
        "М.П. Иванова; М.П. Ивановой; Шевчук О.; "
        "5 000,00 руб.; 6 месяцев"
    )


def test_person_filter_needs_names():
    with pytest.raises(ValueError):
        jinja_filters()["dative"]({"last_name": "Иванова"})
