"""A mentee's request to replace the mentor (П1 §5.1)."""

from __future__ import annotations

import pytest

from storage.db import db_session
from storage.models import Document
from tests.helpers import documents as f
from tests.helpers.docx import docx_text, draft_then_signed
from tests.helpers.http import form_refused_then_submitted, login_as
from tests.helpers.kinds import active_group, participant_data, pd_data
from workflows.errors import RuleViolation
from workflows.rendering import render_document

FORM = "/documents/new/mentor_replacement_request"


def request_data(mentee: str = "Седых", mentor: str = "Иванова", proposed: str | None = "Шевчук",
                 **extra) -> dict:
    return {"person_id": f.person(mentee).id, "statement_date": "2026-10-01",
            "current_mentor_id": f.person(mentor).id,
            "proposed_mentor_id": f.person(proposed).id if proposed else None,
            "reason": "расхождение графиков работы", **extra}


def test_draft_and_signed_copy(app):
    with app.app_context():
        active_group("Иванова", "Седых")
        doc = f.draft("mentor_replacement_request", request_data())
        draft, final = draft_then_signed(doc)
        number = doc.number
    assert "ПРОЕКТ" in draft and "№ _______" in draft
    for text in (draft, final):
        assert "МОУ СШ № 5" in text and "ХОДАТАЙСТВО" in text and "о замене наставника" in text
        assert "Куратору системы наставничества" in text
        assert "Директору МОУ СШ № 5" in text and "И.С. Петрову" in text
        assert "от Седых Ирины Павловны," in text
        assert "прошу заменить закреплённого за мной наставника Иванову Марию Петровну" in text
        assert "Причина: расхождение графиков работы" in text
        assert "Прошу назначить моим наставником Шевчука Олега Игоревича" in text
        assert "«1» октября 2026 г." in text and "И.П. Седых" in text
    assert "ПРОЕКТ" not in final and f"№ {number}" in final
    assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in final


def test_without_a_proposed_mentor_and_with_a_participation_consent(app):
    with app.app_context():
        pid = f.person("Гоголь").id
        f.signed("pd_consent", pd_data(pid))
        f.signed("participant_consent", participant_data(pid))
        doc = f.draft("mentor_replacement_request",
                      request_data("Гоголь", "Шевчук", proposed=None))
        f.walk(doc, "submit")
        text = docx_text(render_document(db_session(), doc, final=False))
    assert "Прошу подобрать мне другого наставника." in text


@pytest.mark.parametrize(("data", "message"), [
    ({"mentee": "Кравец"}, "Кравец Любовь Ивановна не является наставляемым: нет действующей "
                           "наставнической пары или группы и подписанного согласия на участие "
                           "в программе наставничества."),
    ({"proposed": "Седых"}, "Наставляемый не может предложить наставником себя."),
    ({"proposed": "Иванова"}, "Предлагаемый наставник совпадает с текущим: выберите другого "
                              "педагога или оставьте поле пустым."),
    ({"mentor": "Гоголь"}, "Гоголь Никита Андреевич не является наставником Седых Ирины "
                           "Павловны в действующей наставнической паре или группе."),
    ({"mentor": "Седых", "proposed": None}, "Наставляемый не может быть своим наставником: "
                                            "выберите текущего наставника."),
])
def test_guards_refuse_with_their_message(app, data, message):
    with app.app_context():
        active_group("Иванова", "Седых")
        doc = f.draft("mentor_replacement_request", request_data(**data))
        f.check_refused(doc, message, whole=True, stays="draft", error=RuleViolation)


def test_http_happy_path_and_form_error(client, app):
    with app.app_context():
        active_group("Иванова", "Седых")
        data = request_data()
    login_as(client, "clerk")
    doc_id = form_refused_then_submitted(
        client, FORM, {**data, "current_mentor_id": "", "proposed_mentor_id": "x"}, (
        "«Текущий наставник»: Поле обязательно для заполнения.",
        "«Предлагаемый наставник»: Выберите педагога из списка."),
        {**data, "proposed_mentor_id": ""})
    with app.app_context():
        doc = db_session().get(Document, doc_id)
        assert doc.state == "in_approval" and doc.data["proposed_mentor_id"] is None
