"""The supplementary agreement on mentoring (ТК РФ ст. 351.8, 60.2, 151)."""

from __future__ import annotations

import pytest

from storage.db import db_session
from storage.models import Document
from tests import factories as f
from tests.conftest import login_as, post
from tests.test_pd_consent import docx_text, signed_copy
from workflows.errors import RuleViolation
from workflows.rendering import render_document

FORM = "/documents/new/mentoring_agreement"


def agreement_data(mentor: str = "Иванова", mentees=("Седых", "Гоголь"), **extra) -> dict:
    return {"person_id": f.person(mentor).id, "agreement_date": "2026-09-05",
            "labor_contract_number": "17", "labor_contract_date": "2019-08-26",
            "mentee_ids": [f.person(m).id for m in mentees],
            "form": "наставничество в группе", "start_date": "2026-09-07",
            "end_date": "2027-05-31", "pay": "5000.00",
            "content": "разработка и реализация персонализированной программы", **extra}


def test_draft_and_signed_copy_state_content_term_form_pay(app):
    with app.app_context():
        doc = f.draft("mentoring_agreement", agreement_data())  # Иванова's consent is signed
        draft = docx_text(render_document(db_session(), doc, final=False))
        f.walk(doc, "submit", "approve", "sign")
        final = docx_text(signed_copy(doc))
        number = doc.number
    assert "ПРОЕКТ" in draft and "№ _______" in draft
    for text in (draft, final):
        assert "МОУ СШ № 5" in text and "ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ" in text
        assert "к трудовому договору от 26.08.2019 № 17" in text
        assert "в лице руководителя Петрова Ивана Сергеевича" in text
        assert "Иванова Мария Петровна, учитель (математика), именуемая" in text
        assert "1) Седых Ирины Павловны, учитель (русский язык);" in text
        assert "2) Гоголя Никиты Андреевича, учитель (история);" in text
        assert "2. Содержание наставничества: разработка и реализация" in text
        assert "3. Форма наставничества: наставничество в группе." in text
        assert "4. Срок наставничества: с 7 сентября 2026 г. по 31 мая 2027 г." in text
        assert "5 000,00" in text
        assert "не менее чем за три рабочих дня" in text
        assert "Работодатель:" in text and "Работник:" in text
        assert "____________ И.С. Петров" in text and "____________ М.П. Иванова" in text
        assert "г. Волгоград" in text
    assert "ПРОЕКТ" not in final and f"№ {number}" in final and number.endswith("-дс")
    assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in final


@pytest.mark.parametrize(("changes", "message", "mentor"), [
    ({}, "Нельзя назначить наставником Седых Ирину Павловну: нет подписанного письменного "
         "согласия на назначение наставником (п. 4.4.2 Положения).", "Седых"),
    ({"end_date": "2026-09-01"}, "Срок наставничества: дата окончания должна быть позже даты "
                                 "начала.", "Иванова"),
    ({"end_date": "2027-09-08"}, "Срок наставничества не может превышать одного года (п. 1.3 "
                                 "Положения): окончание не позднее 06.09.2027.", "Иванова"),
    ({"pay": "0.00"}, "Укажите размер доплаты за наставничество больше нуля (ст. 151 и 351.8 "
                      "ТК РФ).", "Иванова"),
    ({"mentee_ids": []}, "В соглашении не указан ни один наставляемый.", "Иванова"),
    ({"self": True}, "Наставник не может быть своим наставляемым: исключите Иванову Марию "
                     "Петровну из списка наставляемых.", "Иванова"),
])
def test_guards_refuse_with_their_message(app, changes, message, mentor):
    with app.app_context():
        data = agreement_data(mentor, mentees=("Гоголь",) if mentor != "Гоголь" else ("Седых",))
        if changes.pop("self", False):
            data["mentee_ids"] = [f.person(mentor).id, f.person("Гоголь").id]
        doc = f.draft("mentoring_agreement", {**data, **changes})
        with pytest.raises(RuleViolation) as err:
            f.walk(doc, "submit")
        db_session().rollback()
        assert err.value.message == message
        assert db_session().get(Document, doc.id).state == "draft"


def test_http_happy_path_and_form_error(client, app):
    with app.app_context():
        data = agreement_data("Шевчук", mentees=("Кравец",))
    login_as(client, "clerk")
    bad = post(client, FORM, {**data, "pay": "пять тысяч", "mentee_ids": []})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "«Доплата за наставничество, руб. в месяц»: Введите сумму числом" in page
    assert "«Наставляемые»: Выберите хотя бы одного наставляемого." in page
    ok = post(client, FORM, data)
    assert ok.status_code == 302, ok.get_data(as_text=True)
    doc_id = int(ok.headers["Location"].rsplit("/", 1)[1])
    assert post(client, f"/documents/{doc_id}/act/submit").status_code == 302
    with app.app_context():
        assert db_session().get(Document, doc_id).state == "in_approval"


def test_a_mentor_of_another_school_is_refused(app):
    """The form already lists only the school's people; the guard holds for data changed
    behind its back too (an API client, an edited draft)."""
    with app.app_context():
        doc = f.draft("mentoring_agreement", agreement_data())
        stranger = f.user("clerk12").person_id
        doc.data = {**doc.data, "person_id": stranger}
        db_session().commit()
        with pytest.raises(RuleViolation) as err:
            f.walk(doc, "submit")
        db_session().rollback()
        assert err.value.message == "Наставник не найден в вашей организации."
        assert db_session().get(Document, doc.id).state == "draft"
