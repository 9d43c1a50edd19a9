"""The consent to distribution of personal data (152-ФЗ ст. 10.1): a kind of its own, for
publication on the school's website (П1 §8.1)."""

from __future__ import annotations

from doc_templates.texts.pd_distribution_consent import DATA_LIST, PURPOSE, TERM
from storage.db import db_session
from tests.helpers import documents as f
from tests.helpers.documents import signed_copy
from tests.helpers.docx import docx_text
from tests.helpers.http import login_as, post
from tests.helpers.kinds import pd_data
from workflows.errors import RuleViolation
from workflows.rendering import render_document

FORM = "/documents/new/pd_distribution_consent"


def distribution_data(person_id: int, **extra) -> dict:
    return {"person_id": person_id, "statement_date": "2026-09-02",
            "contact": "+7 (8442) 00-00-05, sedykh@school5.ru",
            "website": "https://school5.ru/nastavnichestvo",
            # the form's texts, offered filled in (a browser posts them back)
            "purpose": PURPOSE, "data_list": DATA_LIST, "term": TERM, **extra}


def _items(text: str) -> dict[int, str]:
    lines = text.split("\n")
    return {n: next(line for line in lines if line.startswith(f"{n}. ")) for n in range(1, 10)}


def test_signed_copy_says_every_item_with_its_values(app):
    with app.app_context():
        f.signed("pd_consent", pd_data(f.person("Седых").id))
        doc = f.signed("pd_distribution_consent", distribution_data(f.person("Седых").id))
        assert doc.number.endswith("-с")
        text = docx_text(signed_copy(doc))
    items = _items(text)
    assert "на обработку персональных данных, разрешённых субъектом персональных данных для " \
           "распространения" in text
    assert items[1] == ("1. Субъект персональных данных: Седых Ирина Павловна, учитель "
                        "русского языка; контактная информация: +7 (8442) 00-00-05, "
                        "sedykh@school5.ru.")
    assert items[2].endswith("(МОУ СШ № 5), адрес: 400000, г. Волгоград, ул. Школьная, д. 5, "
                             "ИНН 3443000005, ОГРН 1023402000005.")
    assert items[3].endswith("официальный сайт https://school5.ru/nastavnichestvo.")
    assert items[4].startswith("4. Цель распространения персональных данных: информирование")
    assert "пункт 8.1 Положения" in items[4]
    assert items[5].startswith("5. Персональные данные, разрешённые для распространения: "
                               "фамилия, имя, отчество; должность")
    assert items[6].endswith("«О персональных данных»): не устанавливаю.")
    assert items[7].startswith("7. Срок действия согласия: до окончания учебного года")
    assert "потребовать прекратить передачу" in items[8] and "статьи 10.1" in items[8]
    assert items[9] == "9. Подпись субъекта персональных данных:"
    assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text
    assert "None" not in text and "{{" not in text


def test_conditions_are_printed_when_given(app):
    with app.app_context():
        f.signed("pd_consent", pd_data(f.person("Седых").id))
        doc = f.draft("pd_distribution_consent", distribution_data(
            f.person("Седых").id, conditions="запрещаю передачу данных третьим лицам"))
        text = docx_text(render_document(db_session(), doc, final=False))
    assert "): запрещаю передачу данных третьим лицам." in text
    assert "ПРОЕКТ" in text


def test_refused_without_a_consent_to_processing(app):
    with app.app_context():
        doc = f.draft("pd_distribution_consent", distribution_data(f.person("Кравец").id))
        f.check_refused(doc, "Нельзя оформить согласие на распространение от Кравец Любови "
                        "Ивановны", error=RuleViolation, stays="draft")


def test_a_second_signed_one_is_refused(app):
    with app.app_context():
        f.signed("pd_consent", pd_data(f.person("Седых").id))
        f.signed("pd_distribution_consent", distribution_data(f.person("Седых").id))
        again = f.draft("pd_distribution_consent", distribution_data(f.person("Седых").id))
        f.check_refused(again, "уже есть согласие на распространение", error=RuleViolation,
                        stays="draft")


def test_http_form_names_the_missing_field(client, app):
    with app.app_context():
        pid = f.person("Седых").id
    login_as(client, "clerk")
    bad = post(client, FORM, {**distribution_data(pid), "website": ""})
    assert bad.status_code == 422
    assert "«Адрес сайта оператора, на котором размещаются данные»: Поле обязательно для " \
           "заполнения." in bad.get_data(as_text=True)
    ok = post(client, FORM, distribution_data(pid))
    assert ok.status_code == 302, ok.get_data(as_text=True)
    doc_id = int(ok.headers["Location"].rsplit("/", 1)[1])
    preview = docx_text(client.get(f"/documents/{doc_id}/preview.docx").data)
    assert "3. Информационный ресурс оператора" in preview
    assert "официальный сайт https://school5.ru/nastavnichestvo." in preview


def test_data_left_out_leave_lines_to_fill(app):
    """A document made without the form (only person and date) prints lines to fill."""
    with app.app_context():
        doc = f.draft("pd_distribution_consent", {"person_id": f.person("Седых").id,
                                                   "statement_date": "2026-09-02"})
        text = docx_text(render_document(db_session(), doc, final=False))
    assert "контактная информация: ______________." in text
    assert "официальный сайт ______________." in text
    assert "7. Срок действия согласия: до окончания учебного года" in text
