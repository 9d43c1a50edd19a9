"""The supplementary agreement on mentoring (ТК РФ ст. 351.8, 60.2, 151)."""

from __future__ import annotations

import pytest

from storage.db import db_session
from tests.helpers import documents as f
from tests.helpers.kinds import agreement_data
from tests.helpers.pages import submitted_by_form
from tests.helpers.statements import check_draft_and_signed_copy
from workflows.errors import RuleViolation
from workflows.signatories import signatures_of

FORM = "/documents/new/mentoring_agreement"


def test_draft_and_signed_copy_state_content_term_form_pay(demo, app):
    with app.app_context():
        doc = f.draft("mentoring_agreement", agreement_data())  # Иванова's consent is signed
        check_draft_and_signed_copy(doc, (
            "МОУ СШ № 5", "ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ", "к трудовому договору от 26.08.2019 № 17",
            "в лице директора Петрова Ивана Сергеевича, действующего на основании Устава",
            "Иванова Мария Петровна, учитель математики, именуемая",
            "1) Седых Ирины Павловны, учителя русского языка;",
            "2) Гоголя Никиты Андреевича, учителя истории.",
            "Экземпляр соглашения получила:",
            "2. Содержание наставничества: разработка и реализация",
            "3. Форма наставничества: наставничество в группе.",
            "4. Срок наставничества: с 7 сентября 2026 г. по 31 мая 2027 г.",
            "5 000,00", "не менее чем за три рабочих дня", "Работодатель:", "Работник:",
            "____________ И.С. Петров", "____________ М.П. Иванова", "г. Волгоград"),
            "submit", "sign")  # no visa of the head: he signs it, after the employee
        assert doc.number.endswith("-дс")
        # a labour document (ТК РФ ст. 22.1–22.3): both sides sign on paper, not with ПЭП
        assert [(s.part, s.method) for s in signatures_of(db_session(), doc)] \
            == [("employee", "paper"), ("employer", "paper")]


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
def test_guards_refuse_with_their_message(demo, app, changes, message, mentor):
    with app.app_context():
        data = agreement_data(mentor, mentees=("Гоголь",) if mentor != "Гоголь" else ("Седых",))
        if changes.pop("self", False):
            data["mentee_ids"] = [f.person(mentor).id, f.person("Гоголь").id]
        doc = f.draft("mentoring_agreement", {**data, **changes})
        f.check_refused(doc, message, whole=True, stays="draft", error=RuleViolation)


def test_http_happy_path_and_form_error(demo, client, app):
    with app.app_context():
        data = agreement_data("Шевчук", mentees=("Кравец",))
    submitted_by_form(client, app, "clerk", FORM, data, {"pay": "пять тысяч", "mentee_ids": []}, (
        "«Доплата за наставничество, руб. в месяц»: Введите сумму числом",
        "«Наставляемые»: Выберите хотя бы одного наставляемого."),
        submitted="approved")  # the head signs it: no visa of his own


def test_a_mentor_of_another_school_is_refused(app):
    """The form already lists only the school's people; the guard holds for data changed
    behind its back too (an API client, an edited draft)."""
    with app.app_context():
        doc = f.draft("mentoring_agreement", agreement_data())
        stranger = f.user("clerk12").person_id
        doc.data = {**doc.data, "person_id": stranger}
        db_session().commit()
        f.check_refused(doc, "Наставник не найден в вашей организации.", whole=True, stays="draft",
                        error=RuleViolation)
