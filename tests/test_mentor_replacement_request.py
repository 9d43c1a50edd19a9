"""A mentee's request to replace the mentor (П1 §5.1)."""

from __future__ import annotations

import pytest

from storage.db import db_session
from tests.helpers import documents as f
from tests.helpers.docx import docx_text
from tests.helpers.kinds import active_group, participant_data, pd_data
from tests.helpers.pages import submitted_by_form
from tests.helpers.statements import check_draft_and_signed_copy
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
        check_draft_and_signed_copy(f.draft("mentor_replacement_request", request_data()), (
            "МОУ СШ № 5", "ХОДАТАЙСТВО", "о замене наставника",
            "Куратору реализации программ наставничества", "Директору МОУ СШ № 5",
            "И.С. Петрову", "от Седых Ирины Павловны,", "учителя русского языка",
            "прошу заменить закреплённого за мной наставника Иванову Марию Петровну, "
            "учителя математики.", "Причина: расхождение графиков работы.",
            "Прошу назначить моим наставником Шевчука Олега Игоревича, учителя физики, с его "
            "согласия.",
            "«1» октября 2026 г.", "И.П. Седых"))


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
    stored = submitted_by_form(
        client, app, "clerk", FORM, {**data, "proposed_mentor_id": ""},
        {"current_mentor_id": "", "proposed_mentor_id": "x"},
        ("«Текущий наставник»: Поле обязательно для заполнения.",
         "«Предлагаемый наставник»: Выберите педагога из списка."))
    assert stored["proposed_mentor_id"] is None
