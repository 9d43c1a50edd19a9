"""A mentor's statement on resigning the duties of mentor (П1 §4.1; ТК РФ ст. 351.8)."""

from __future__ import annotations

import pytest

from storage.db import db_session
from tests.helpers import documents as f
from tests.helpers.docx import docx_text
from tests.helpers.kinds import active_group, agreement_data
from tests.helpers.pages import submitted_by_form
from tests.helpers.statements import check_draft_and_signed_copy
from workflows.errors import RuleViolation
from workflows.rendering import render_document

FORM = "/documents/new/mentor_resignation"


def resignation(mentor: str = "Иванова", **extra) -> dict:
    return {"person_id": f.person(mentor).id, "statement_date": "2026-09-07",
            "desired_date": "2026-09-10", "reason": "переход на работу в другую смену",
            **extra}


def test_draft_and_signed_copy(app):
    with app.app_context():
        active_group("Иванова", "Седых", "Гоголь")
        check_draft_and_signed_copy(f.draft("mentor_resignation", resignation()), (
            "МОУ СШ № 5", "ЗАЯВЛЕНИЕ", "о сложении обязанностей наставника",
            "Директору МОУ СШ № 5", "И.С. Петрову", "Куратору реализации программ наставничества",
            "от Ивановой Марии Петровны,",
            "прошу сложить с меня обязанности наставника в отношении Седых Ирины Павловны, "
            "Гоголя Никиты Андреевича с 10 сентября 2026 г.",
            "Причина: переход на работу в другую смену",
            "приказ о закреплении наставнических пар (групп)",
            "«7» сентября 2026 г.", "М.П. Иванова"))


def test_a_signed_agreement_makes_a_mentor_too(demo, app):
    with app.app_context():
        f.signed("mentoring_agreement", agreement_data("Шевчук", mentees=("Кравец",)))
        doc = f.draft("mentor_resignation", resignation("Шевчук"))
        f.walk(doc, "submit")
        text = docx_text(render_document(db_session(), doc, final=False))
    assert "в отношении Кравец Любови Ивановны" in text


def test_notice_of_three_working_days(app):
    with app.app_context():
        active_group("Иванова", "Седых")
        doc = f.draft("mentor_resignation", resignation(desired_date="2026-09-09"))
        f.check_refused(doc, (
            "Дата сложения обязанностей — не ранее чем через три рабочих дня после подачи "
            "заявления (ст. 351.8 ТК РФ): не ранее 10.09.2026. Счёт: 3 рабочих дня после "
            "07.09.2026 по производственному календарю на 2026 год с учётом переноса выходных "
            "дней (постановление Правительства РФ от 24.09.2025 № 1466 «О переносе выходных "
            "дней в "
            "2026 году»)."),
                        whole=True, stays="draft", error=RuleViolation)
        friday = f.draft("mentor_resignation", resignation(statement_date="2026-09-11",
                                                           desired_date="2026-09-15"))
        with pytest.raises(RuleViolation, match="не ранее 16.09.2026"):
            f.walk(friday, "submit")


def test_only_a_mentor_resigns(app):
    with app.app_context():
        doc = f.draft("mentor_resignation", resignation("Седых"))
        f.check_refused(doc, (
            "Седых Ирина Павловна не является наставником: нет действующей наставнической "
            "пары или группы и подписанного дополнительного соглашения о наставничестве."),
                        whole=True, stays="draft", error=RuleViolation)


def test_http_teacher_writes_her_own_statement_and_form_error(client, app):
    with app.app_context():
        active_group("Иванова", "Седых")
        data = resignation()
    submitted_by_form(client, app, "ivanova", FORM, data, {"desired_date": "", "reason": ""}, (
        "«Дата сложения обязанностей наставника»: Поле обязательно для заполнения.",
        "«Причина»: Поле обязательно для заполнения."))
