"""A mentor's statement on resigning the duties of mentor (П1 §4.1; ТК РФ ст. 351.8)."""

from __future__ import annotations

from datetime import date

import pytest

from storage.db import db_session
from storage.models import Document, GroupMember, MentoringGroup
from tests import factories as f
from tests.conftest import login_as, post
from tests.test_mentoring_agreement import agreement_data
from tests.test_pd_consent import docx_text, finish, signed_copy
from workflows.errors import RuleViolation
from workflows.rendering import render_document

FORM = "/documents/new/mentor_resignation"


def resignation(mentor: str = "Иванова", **extra) -> dict:
    return {"person_id": f.person(mentor).id, "statement_date": "2026-09-07",
            "desired_date": "2026-09-10", "reason": "переход на работу в другую смену",
            **extra}


def active_group(mentor: str, *mentees: str) -> MentoringGroup:
    group = MentoringGroup(organization_id=f.school().id, mentor_id=f.person(mentor).id,
                           form="традиционная форма наставничества",
                           start_date=date(2026, 9, 1), end_date=date(2027, 5, 31),
                           pay="5000.00", status="active")
    group.members = [GroupMember(mentee_id=f.person(m).id) for m in mentees]
    db_session().add(group)
    db_session().commit()
    return group


def test_draft_and_signed_copy(app):
    with app.app_context():
        active_group("Иванова", "Седых", "Гоголь")
        doc = f.draft("mentor_resignation", resignation())
        draft = docx_text(render_document(db_session(), doc, final=False))
        finish(doc)
        final = docx_text(signed_copy(doc))
        number = doc.number
    assert "ПРОЕКТ" in draft and "№ _______" in draft
    for text in (draft, final):
        assert "МОУ СШ № 5" in text and "ЗАЯВЛЕНИЕ" in text
        assert "о сложении обязанностей наставника" in text
        assert "Директору МОУ СШ № 5" in text and "И.С. Петрову" in text
        assert "Куратору системы наставничества" in text
        assert "от Ивановой Марии Петровны," in text
        assert ("прошу сложить с меня обязанности наставника в отношении Седых Ирины Павловны, "
                "Гоголя Никиты Андреевича с 10 сентября 2026 г.") in text
        assert "Причина: переход на работу в другую смену" in text
        assert "приказ о закреплении наставнических пар (групп)" in text
        assert "«7» сентября 2026 г." in text and "М.П. Иванова" in text
        assert "г. Волгоград" in text
    assert "ПРОЕКТ" not in final and f"№ {number}" in final
    assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in final


def test_a_signed_agreement_makes_a_mentor_too(app):
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
        with pytest.raises(RuleViolation) as err:
            f.walk(doc, "submit")
        db_session().rollback()
        assert err.value.message == (
            "Дата сложения обязанностей — не ранее чем через три рабочих дня после подачи "
            "заявления (ст. 351.8 ТК РФ): не ранее 10.09.2026.")
        assert db_session().get(Document, doc.id).state == "draft"
        friday = f.draft("mentor_resignation", resignation(statement_date="2026-09-11",
                                                           desired_date="2026-09-15"))
        with pytest.raises(RuleViolation, match="не ранее 16.09.2026"):
            f.walk(friday, "submit")


def test_only_a_mentor_resigns(app):
    with app.app_context():
        doc = f.draft("mentor_resignation", resignation("Седых"))
        with pytest.raises(RuleViolation) as err:
            f.walk(doc, "submit")
        db_session().rollback()
        assert err.value.message == (
            "Седых Ирина Павловна не является наставником: нет действующей наставнической "
            "пары или группы и подписанного дополнительного соглашения о наставничестве.")
        assert db_session().get(Document, doc.id).state == "draft"


def test_http_teacher_writes_her_own_statement_and_form_error(client, app):
    with app.app_context():
        active_group("Иванова", "Седых")
        data = resignation()
    login_as(client, "ivanova")
    bad = post(client, FORM, {**data, "desired_date": "", "reason": ""})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "«Дата сложения обязанностей наставника»: Поле обязательно для заполнения." in page
    assert "«Причина»: Поле обязательно для заполнения." in page
    ok = post(client, FORM, data)
    assert ok.status_code == 302, ok.get_data(as_text=True)
    doc_id = int(ok.headers["Location"].rsplit("/", 1)[1])
    assert post(client, f"/documents/{doc_id}/act/submit").status_code == 302
    with app.app_context():
        assert db_session().get(Document, doc_id).state == "in_approval"
