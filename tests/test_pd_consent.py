"""The personal-data consent: a separate document with the nine items of 152-ФЗ ст. 9 ч. 4."""

from __future__ import annotations

import pytest

from storage.db import db_session
from storage.models import Document
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
    assert "сервиса «Наставник»" in text
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
        with pytest.raises(RuleViolation, match="У Седых Ирина Павловна уже есть действующее "
                                                "согласие на обработку"):
            f.walk(again, "submit")
        db_session().rollback()
        assert db_session().get(Document, again.id).state == "draft"


def test_erased_subject_gives_no_new_consent(app):
    from datetime import UTC, datetime

    with app.app_context():
        doc = f.draft("pd_consent", pd_data(f.person("Гоголь").id))
        f.person("Гоголь").erased_at = datetime.now(UTC)
        db_session().commit()
        with pytest.raises(RuleViolation, match="уничтожены после отзыва согласия"):
            f.walk(doc, "submit")
        db_session().rollback()
        assert db_session().get(Document, doc.id).state == "draft"


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
