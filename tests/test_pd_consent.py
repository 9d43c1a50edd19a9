"""The personal-data consent: a separate document with the nine items of 152-ФЗ ст. 9 ч. 4."""

from __future__ import annotations

import pytest

from storage.db import db_session
from tests.helpers import documents as f
from tests.helpers.documents import signed_copy
from tests.helpers.docx import docx_text
from tests.helpers.http import login_as, post
from tests.helpers.kinds import pd_data
from workflows.errors import RuleViolation
from workflows.rendering import render_document

FORM = "/documents/new/pd_consent"


def test_draft_has_the_nine_items_and_no_number(app):
    with app.app_context():
        doc = f.draft("pd_consent", pd_data(f.person("Седых").id))
        text = docx_text(render_document(db_session(), doc, final=False))
    for n, words in enumerate(("Субъект персональных данных: Седых Ирина Павловна",
                               "Представитель субъекта персональных данных: не участвует",
                               "Оператор персональных данных: Муниципальное",
                               "Цель обработки персональных данных",
                               "Перечень персональных данных",
                               "Лицо, осуществляющее обработку персональных данных по поручению",
                               "Перечень действий с персональными данными",
                               "Срок действия согласия: до прекращения трудовых отношений",
                               "Подпись субъекта персональных данных"), start=1):
        assert f"{n}. {words}" in text, n
    assert "ПРОЕКТ" in text and "СОГЛАСИЕ" in text and "на обработку персональных данных" in text
    assert "серия 18 20 № 123456, выдан 14.05.2020 ГУ МВД" in text
    assert "адрес: 400000, г. Волгоград, ул. Школьная, д. 5" in text  # the operator's
    assert "6. Лицо, осуществляющее обработку персональных данных по поручению оператора: " \
        "обработка персональных данных другому лицу не поручается" in text  # none configured
    assert "отозвано" in text and "тридцати дней" in text
    # the person's document: addressed to the head by name, from her, no letterhead or number
    assert text.startswith("ПРОЕКТ\nДиректору МОУ СШ № 5\nИ.С. Петрову\nот Седых Ирины "
                           "Павловны,\nучителя русского языка\nСОГЛАСИЕ")
    assert "№ _______" not in text and "Вх." not in text
    assert "«1» сентября 2026 г." in text and "И.П. Седых" in text
    assert "ДОКУМЕНТ ПОДПИСАН" not in text


def test_representative_is_named_when_given(app):
    with app.app_context():
        doc = f.draft("pd_consent", pd_data(
            f.person("Седых").id, representative_name="Седых Павел Ильич",
            representative_address="г. Волжский", representative_passport="18 00 000001",
            representative_authority="доверенность от 01.08.2026 № 34АА1"))
        text = docx_text(render_document(db_session(), doc, final=False))
    assert "2. Представитель субъекта персональных данных: Седых Павел Ильич" in text
    assert "доверенность от 01.08.2026 № 34АА1" in text
    assert "(его представителя)" in text


def test_signed_copy_has_number_and_esign_mark(app):
    with app.app_context():
        doc = f.signed("pd_consent", pd_data(f.person("Седых").id))
        assert doc.state == "signed" and doc.number.endswith("-с")
        text = docx_text(signed_copy(doc))
    assert "ПРОЕКТ" not in text
    assert f"№ {doc.number}" in text
    assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text
    assert "9. Подпись субъекта персональных данных" in text


def test_a_second_consent_in_force_is_refused(app):
    with app.app_context():
        f.signed("pd_consent", pd_data(f.person("Седых").id))
        again = f.draft("pd_consent", pd_data(f.person("Седых").id))
        f.check_refused(again, "У Седых Ирина Павловна уже есть действующее согласие на "
                        "обработку", error=RuleViolation, stays="draft")


def test_erased_subject_gives_no_new_consent(app):
    from datetime import UTC, datetime

    with app.app_context():
        doc = f.draft("pd_consent", pd_data(f.person("Гоголь").id))
        f.person("Гоголь").erased_at = datetime.now(UTC)
        db_session().commit()
        f.check_refused(doc, "уничтожены после отзыва согласия", error=RuleViolation,
                        stays="draft")


def test_http_create_and_form_error_naming_the_field(client, app):
    with app.app_context():
        pid = f.person("Кравец").id
    login_as(client, "clerk")
    bad = post(client, FORM, {**pd_data(pid), "passport_series": "", "passport_date": "32.13.2020"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "«Серия паспорта»: Поле обязательно для заполнения." in page
    assert "«Дата выдачи паспорта»: Введите дату в формате ДД.ММ.ГГГГ." in page
    assert "ул. Мира, д. 1, кв. 2" in page  # what was typed is kept
    ok = post(client, FORM, pd_data(pid))
    assert ok.status_code == 302, ok.get_data(as_text=True)
    doc_id = int(ok.headers["Location"].rsplit("/", 1)[1])
    preview = client.get(f"/documents/{doc_id}/preview.docx")
    assert "1. Субъект персональных данных: Кравец Любовь Ивановна" in docx_text(preview.data)


def test_contract_minimum_signs_with_blanks_to_fill_by_hand(app):
    """Other kinds' tests make consents with only person_id and statement_date."""
    with app.app_context():
        doc = f.signed("pd_consent", {"person_id": f.person("Шевчук").id,
                                      "statement_date": "2026-09-01"})
        text = docx_text(signed_copy(doc))
    assert "паспорт серия ____ № ________, выдан __________" in text
    assert "8. Срок действия согласия: до достижения целей обработки" in text


PROCESSOR = {"PD_PROCESSOR_NAME": "Общество с ограниченной ответственностью «Наставник-Сервис» "
                                  "(ИНН 3444000001)",
             "PD_PROCESSOR_ADDRESS": "400066, г. Волгоград, пр-т им. В.И. Ленина, д. 1, оф. 7"}


def _nine_items(text: str) -> dict[int, str]:
    """Item n of the consent: its numbered paragraph (152-ФЗ ст. 9 ч. 4 п. n)."""
    lines = text.split("\n")
    return {n: next(line for line in lines if line.startswith(f"{n}. ")) for n in range(1, 10)}


def _consent_text(app, *, final: bool, **data) -> str:
    with app.app_context():
        doc = (f.signed if final else f.draft)("pd_consent", pd_data(f.person("Седых").id,
                                                                     **data))
        return docx_text(signed_copy(doc) if final else
                         render_document(db_session(), doc, final=False))


@pytest.mark.parametrize("final", [False, True], ids=["draft", "signed"])
def test_each_of_the_nine_items_says_its_values(app, final):
    """152-ФЗ ст. 9 ч. 4 пп. 1–9, each in its numbered clause, with the values known."""
    for key, value in PROCESSOR.items():
        app.config[key] = value
    items = _nine_items(_consent_text(app, final=final))
    assert items[1] == ("1. Субъект персональных данных: Седых Ирина Павловна, учитель русского "
                        "языка; адрес регистрации: 400001, г. Волгоград, ул. Мира, д. 1, кв. 2; "
                        "паспорт серия 18 20 № 123456, выдан 14.05.2020 ГУ МВД России по "
                        "Волгоградской области.")
    assert items[2] == ("2. Представитель субъекта персональных данных: не участвует, согласие "
                        "дано субъектом лично.")
    assert items[3] == ("3. Оператор персональных данных: Муниципальное общеобразовательное "
                        "учреждение «Средняя школа № 5 Дзержинского района Волгограда» "
                        "(МОУ СШ № 5), адрес: 400000, г. Волгоград, ул. Школьная, д. 5, "
                        "ИНН 3443000005, ОГРН 1023402000005.")
    assert items[4].startswith("4. Цель обработки персональных данных: организация и "
                               "обеспечение реализации системы наставничества")
    assert items[5].startswith("5. Перечень персональных данных, на обработку которых даётся "
                               "согласие: фамилия, имя, отчество;")
    assert items[6] == ("6. Лицо, осуществляющее обработку персональных данных по поручению "
                        "оператора: " + PROCESSOR["PD_PROCESSOR_NAME"] + ", адрес: "
                        + PROCESSOR["PD_PROCESSOR_ADDRESS"] + "; это лицо обрабатывает "
                        "персональные данные по поручению оператора только в указанных целях, "
                        "с соблюдением конфиденциальности и требований статьи 19 Федерального "
                        "закона «О персональных данных».")
    assert items[7].startswith("7. Перечень действий с персональными данными и общее описание "
                               "способов обработки: сбор, запись")
    assert "использование, передача (предоставление, доступ) лицу, осуществляющему обработку " \
           "по поручению оператора, обезличивание" in items[7]
    assert "обработка смешанная" in items[7]
    assert items[8].startswith("8. Срок действия согласия: до прекращения трудовых отношений. "
                               "Согласие может быть отозвано мною в любой момент письменным "
                               "заявлением")
    assert "тридцати дней" in items[8]
    assert items[9] == "9. Подпись субъекта персональных данных:"
    assert all("None" not in item and "____" not in item for item in items.values())


def test_without_a_processor_the_operator_processes_itself(app):
    """No PD_PROCESSOR_NAME: item 6 says so; no empty «поручено …», no transfer in item 7."""
    app.config["PD_PROCESSOR_NAME"] = app.config["PD_PROCESSOR_ADDRESS"] = ""
    text = _consent_text(app, final=True)
    items = _nine_items(text)
    assert items[6] == ("6. Лицо, осуществляющее обработку персональных данных по поручению "
                        "оператора: обработка персональных данных другому лицу не поручается, "
                        "персональные данные обрабатывает оператор самостоятельно.")
    assert "передача" not in items[7] and "использование, обезличивание" in items[7]
    assert "None" not in text and "адрес: ;" not in text and "Наставник-Сервис" not in text
    assert "поручено" not in text and "по поручению оператора:." not in text


def test_representative_is_item_two_with_his_document(app):
    items = _nine_items(_consent_text(
        app, final=False, representative_name="Седых Павел Ильич",
        representative_address="404130, г. Волжский, ул. Мира, д. 3",
        representative_passport="18 00 000001, выдан 01.02.2010 ОУФМС",
        representative_authority="доверенность от 01.08.2026 № 34АА1"))
    assert items[2] == ("2. Представитель субъекта персональных данных: Седых Павел Ильич, "
                        "адрес: 404130, г. Волжский, ул. Мира, д. 3, паспорт: 18 00 000001, "
                        "выдан 01.02.2010 ОУФМС, действующий на основании: доверенность от "
                        "01.08.2026 № 34АА1.")
    assert items[9] == "9. Подпись субъекта персональных данных (его представителя):"


def test_operator_without_an_address_leaves_a_line_to_fill(app):
    """The organization's record without an address: a blank to fill, not a missing item."""
    from storage.models import Organization

    with app.app_context():
        org = db_session().get(Organization, f.person("Седых").organization_id)
        org.address, org.inn, org.ogrn = "", "", ""
        db_session().commit()
    item = _nine_items(_consent_text(app, final=False))[3]
    assert item.endswith("(МОУ СШ № 5), адрес: ______________.")


@pytest.mark.parametrize("given", ["PD_PROCESSOR_NAME", "PD_PROCESSOR_ADDRESS"])
def test_processor_name_without_address_is_refused_at_start(given, tmp_path):
    from webforms import create_app

    with pytest.raises(ValueError, match="Задайте вместе PD_PROCESSOR_NAME и "
                                         "PD_PROCESSOR_ADDRESS"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "PDF_ENABLED": False,
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                    "STORAGE_DIR": str(tmp_path), given: PROCESSOR[given]})
