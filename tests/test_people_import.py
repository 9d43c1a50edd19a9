"""Loading a staff list into the bank (issue 10 point 1): a real XLSX made with openpyxl
and a Windows-1251 CSV, previewed row by row (added, updated, same, wrong with its
reasons), nothing saved before «Загрузить», exactly the preview saved after; files that
are not staff lists refused with 400 in Russian; the export is safe from CSV injection."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta

from openpyxl import Workbook
from sqlalchemy import func, select

from storage.db import db_session
from storage.models import AuditEntry, Person
from tests.helpers.http import login_as, post
from tests.helpers.pages import answers
from workflows import staff_import

TOMORROW = date.today() + timedelta(days=1)


def staff_xlsx() -> bytes:
    """A staff list as a school keeps it: a title above the table, one «ФИО» column, a
    date cell, a formula, a column the import does not know."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Список педагогических работников МОУ СШ № 5 на 01.09.2026"])
    sheet.append(["№", "ФИО", "Пол", "Должность", "Предмет", "Дата приёма",
                  "Педагогический стаж (лет)", "Табельный номер"])
    sheet.append([1, "Иванова Мария Петровна", "ж", "Учитель", "математика",
                  datetime(2002, 9, 1), 24, "0017"])
    sheet.append([2, "Новикова Анна Сергеевна", None, "учитель начальных классов", None,
                  "01.09.2023", "2 года", "0102"])
    sheet.append([3, "Пупкин Вася", None, "Учитель", None, None, None, None])
    sheet.append([4, "Сидоров Олег Иванович", "м", "Завхоз", None, None, None, None])
    sheet.append([5, "КРАВЕЦ Любовь Ивановна", "Ж", "учитель", "начальные классы", None,
                  None, None])
    sheet.append([6, "Орлов Пётр Ильич", "м", "Педагог-организатор", None,
                  TOMORROW.strftime("%d.%m.%Y"), "=2+2", None])
    sheet.append([7, "Новикова Анна Сергеевна", "ж", "Учитель", None, "01.09.2023", None,
                  None])
    sheet.append([None] * 8)  # a blank row inside the table is skipped, lines still count
    sheet.append([8, "Зайцев Игорь Олегович", "м", "Тьютор", None, None, "=2+2", None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str):
    return post(client, "/people/import", {"file": (io.BytesIO(data), name)},
                content_type="multipart/form-data")


def token_of(page: str) -> str:
    return re.search(r'name="preview" value="([^"]+)"', page).group(1)


def rows_of(page: str) -> dict[str, str]:
    """Line number → the text of its preview row."""
    out = {}
    for row in re.findall(r'<tr class="plan-\w+">(.*?)</tr>', page, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        out[text.split()[0]] = text
    return out


def people(app) -> dict[str, Person]:
    with app.app_context():
        found = db_session().scalars(select(Person)).all()
        for p in found:
            db_session().expunge(p)
        return {p.full_name: p for p in found}


def test_an_xlsx_is_previewed_row_by_row_and_nothing_is_saved(app, client):
    login_as(client, "clerk")
    before = people(app)
    preview = upload(client, staff_xlsx(), "Сотрудники.xlsx")
    page = answers(preview, 200, "Будет добавлено: <strong>2</strong>",
                   "обновлено: <strong>1</strong>", "без изменений: 1",
                   "с ошибками (не загружаются): <strong>4</strong>",
                   "Не учтены: «№», «Табельный номер»")
    rows = rows_of(page)
    assert "будет обновлён" in rows["3"] and \
        "изменится: Дата приёма на работу, Педагогический стаж, лет" in rows["3"]
    assert "будет добавлен" in rows["4"] and "пол определён по отчеству" in rows["4"]
    assert "должность «учитель начальных классов» прочитана как «Учитель», предмет " \
           "«начальных классов»" in rows["4"]
    assert "ошибка" in rows["5"] and "«Пол»: Поле обязательно для заполнения." in rows["5"]
    assert "«Должность»: Должности «Завхоз» нет в списке" in rows["6"]
    assert "без изменений" in rows["7"]
    assert f"Дата приёма на работу {TOMORROW:%d.%m.%Y} ещё не наступила" in rows["8"]
    assert "строка повторяет строку 4 (те же ФИО)" in rows["9"]
    assert "будет добавлен" in rows["11"]  # the formula cell is read as its (no) value
    assert people(app).keys() == before.keys()
    assert people(app)["Иванова Мария Петровна"].hire_date is None


def test_load_saves_exactly_the_preview(app, client):
    login_as(client, "clerk")
    page = upload(client, staff_xlsx(), "Сотрудники.xlsx").get_data(as_text=True)
    saved = post(client, "/people/import/confirm", {"preview": token_of(page)},
                 follow_redirects=True)
    answers(saved, 200, "Список загружен: добавлено 2, обновлено 1.")
    now = people(app)
    ivanova = now["Иванова Мария Петровна"]
    assert (ivanova.hire_date, ivanova.service_years, ivanova.subject) == \
        (date(2002, 9, 1), 24, "математика")
    novikova = now["Новикова Анна Сергеевна"]
    assert (novikova.gender, novikova.position, novikova.subject, novikova.hire_date,
            novikova.service_years) == ("f", "Учитель", "начальных классов",
                                        date(2023, 9, 1), 2)
    zaitsev = now["Зайцев Игорь Олегович"]
    assert zaitsev.service_years is None  # «=2+2» was not evaluated
    for wrong in ("Пупкин Вася", "Сидоров Олег Иванович", "Орлов Пётр Ильич"):
        assert wrong not in now
    with app.app_context():  # one audit row for the list, naming cards by number only
        row = db_session().scalars(select(AuditEntry).where(
            AuditEntry.action == "people_import")).one()
        assert row.comment == (f"Загрузка списка сотрудников: внесены педагоги № {novikova.id}, "
                               f"№ {zaitsev.id}; изменены карточки № {ivanova.id}.")
    # the same preview again is refused: what it saw has changed since
    again = post(client, "/people/import/confirm", {"preview": token_of(page)})
    answers(again, 409, "Список не загружен: с момента предпросмотра изменились данные",
            "строка 3: карточку «Иванова Мария Петровна» изменили после предпросмотра",
            "строка 4: Новикова Анна Сергеевна уже есть в списке педагогов")
    with app.app_context():
        assert db_session().scalar(select(func.count(Person.id)).where(
            Person.last_name == "Новикова")) == 1


def test_a_card_changed_after_the_preview_stops_the_whole_load(app, client):
    login_as(client, "curator")
    page = upload(client, staff_xlsx(), "Сотрудники.xlsx").get_data(as_text=True)
    ivanova = people(app)["Иванова Мария Петровна"]
    changed = post(client, f"/people/{ivanova.id}/edit", {
        "last_name": "Иванова", "first_name": "Мария", "middle_name": "Петровна",
        "gender": "f", "position": "Методист"})
    assert changed.status_code == 302
    refused = post(client, "/people/import/confirm", {"preview": token_of(page)})
    answers(refused, 409, "строка 3: карточку «Иванова Мария Петровна» изменили после "
                          "предпросмотра", "Загрузите файл снова.")
    assert "Новикова Анна Сергеевна" not in people(app)  # nothing of it was saved
    page = upload(client, staff_xlsx(), "Сотрудники.xlsx").get_data(as_text=True)
    assert post(client, f"/people/{ivanova.id}/archive").status_code == 302
    answers(post(client, "/people/import/confirm", {"preview": token_of(page)}), 409,
            "строка 3: карточку «Иванова Мария Петровна» изменили после предпросмотра")


def test_a_forged_or_someone_elses_preview_is_refused(app, client):
    login_as(client, "clerk")
    page = upload(client, staff_xlsx(), "Сотрудники.xlsx").get_data(as_text=True)
    token = token_of(page)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    answers(post(client, "/people/import/confirm", {"preview": forged}), 400,
            "Предпросмотр устарел или повреждён: загрузите файл снова.")
    login_as(client, "curator")
    answers(post(client, "/people/import/confirm", {"preview": token}), 403,
            "Этот предпросмотр сделан другим пользователем")
    assert "Новикова Анна Сергеевна" not in people(app)


def test_a_cp1251_csv_with_semicolons(app, client):
    text = ("Фамилия;Имя;Отчество;Пол;Должность;Дата приема на работу;Пед. стаж\r\n"
            "Ёлкина;Дарья;Олеговна;ж;Педагог-психолог;02.09.2024;3\r\n"
            "иванова;мария;петровна;ж;Учитель;;\r\n"
            "Смирнов;Илья;;м;зам. директора по УВР;01.09.2019;12 лет\r\n"
            "Соколов;;Петрович;м;Учитель;;\r\n")
    login_as(client, "clerk")
    page = answers(upload(client, text.encode("cp1251"), "staff.csv"), 200,
                   "CSV, строк: 4", "Будет добавлено: <strong>2</strong>",
                   "без изменений: 1", "с ошибками (не загружаются): <strong>1</strong>")
    rows = rows_of(page)
    assert "«Имя»: Поле обязательно для заполнения." in rows["5"]
    assert "без изменений" in rows["3"]  # matched in spite of case
    post(client, "/people/import/confirm", {"preview": token_of(page)})
    now = people(app)
    assert now["Ёлкина Дарья Олеговна"].service_years == 3
    assert now["Смирнов Илья"].position == \
        "Заместитель директора по учебно-воспитательной работе"


def test_a_utf8_csv_with_a_bom_and_commas_matches_e_as_yo(app, client):
    text = "\ufeffФамилия,Имя,Отчество,Пол,Должность\nЕлкина,Дарья,,ж,Учитель\n"
    login_as(client, "clerk")
    assert post(client, "/people/new", {"last_name": "Ёлкина", "first_name": "Дарья",
                                        "gender": "f", "position": "Тьютор"}
                ).status_code == 302
    page = answers(upload(client, text.encode("utf-8"), "staff.csv"), 200,
                   "обновлено: <strong>1</strong>")
    assert "изменится: Должность" in rows_of(page)["2"]


def test_files_that_are_not_staff_lists_are_400_in_russian(app, client):
    login_as(client, "clerk")
    cases = [
        (b"%PDF-1.7 a document", "список.pdf",
         "Загрузите список сотрудников в формате XLSX или CSV."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "список.xls",
         "Это файл старого формата Excel (.xls)"),
        (_docx(), "список.docx", "Это не книга Excel (.xlsx)"),
        (b"PK\x03\x04 broken", "список.xlsx",
         "Файл повреждён или не является книгой Excel (.xlsx)."),
        (b"", "empty.csv", "Файл пустой"),
        ("Номер;Сумма\n1;2\n".encode(), "money.csv", "Не найдена строка заголовков"),
        (b"x" * (staff_import.MAX_BYTES + 1), "big.csv", "Файл больше 2 МБ"),
        (("Фамилия;Имя\n" + "Петров;Иван\n" * (staff_import.MAX_ROWS + 1)).encode(),
         "long.csv", f"В списке больше {staff_import.MAX_ROWS} строк"),
        (("Фамилия;Имя\n" + ";\n" * 5000 + "Петров;Иван\n" * staff_import.MAX_ROWS
          + "Сидоров;Пётр\n").encode(), "gaps.csv", "В списке больше"),
    ]
    for data, name, message in cases:
        answers(upload(client, data, name), 400, message)
    answers(post(client, "/people/import", {}), 400, "Выберите файл со списком сотрудников")


def _docx() -> bytes:
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_the_export_reads_back_and_is_safe_from_csv_injection(app, client):
    login_as(client, "clerk")
    assert post(client, "/people/new", {
        "last_name": "Формулова", "first_name": "Ольга", "gender": "f",
        "position": "Учитель", "subject": "=HYPERLINK(\"http://x\";\"1\")",
        "hire_date": "01.09.2020"}).status_code == 302
    exported = client.get("/people/export.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    text = exported.get_data().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][:5] == ["Фамилия", "Имя", "Отчество", "Пол", "Должность"]
    row = next(r for r in table if r[0] == "Формулова")
    assert row[5] == "'=HYPERLINK(\"http://x\";\"1\")"  # text to a spreadsheet, not a formula
    assert ["Петров", "Иван", "Сергеевич", "м", "Директор"] in [r[:5] for r in table]
    # the export loads back without a change: the «'» it put is taken off
    answers(upload(client, exported.get_data(), "Педагоги.csv"), 200,
            "Будет добавлено: <strong>0</strong>", "обновлено: <strong>0</strong>",
            "с ошибками (не загружаются): <strong>0</strong>", "Загружать нечего")
    login_as(client, "ivanova")
    answers(client.get("/people/export.csv"), 403, "Выгружать список педагогов может только")


def test_the_import_page_says_how_rows_are_matched(app, client):
    login_as(client, "curator")
    answers(client.get("/people/import"), 200, "Загрузка списка сотрудников",
            "сопоставляется с карточкой по фамилии, имени и отчеству",
            "Формулы не вычисляются")
    login_as(client, "ivanova")
    answers(client.get("/people/import"), 403, "Загружать списки сотрудников может только:")
