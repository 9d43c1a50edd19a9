"""The personalized mentoring program (§1.3): term, plan inside it, approval, activation."""

from __future__ import annotations

from datetime import date

import pytest

from storage.db import db_session
from storage.models import Program
from tests.helpers.documents import check_refused as refused_unchanged
from tests.helpers.documents import draft, refused, state, walk
from tests.helpers.docx import rendered
from tests.helpers.pairs import (
    DEFAULT_PLAN,
    END,
    START,
    groups_of,
    pair,
    program_data,
    program_of,
    ready,
    running_program,
    signed_order,
)
from workflows.errors import ValidationError


def assigned_group(mentor="Иванова", *mentees):
    mentees = mentees or ("Кравец",)
    ready(mentor, *mentees)
    return groups_of(signed_order(pair(mentor, *mentees)))[0]


def check_refused(doc, message: str, action: str = "submit") -> None:
    """``action`` is refused with ``message``, the state unchanged, no program made."""
    refused_unchanged(doc, message, action, none_of=Program)


def test_program_renders_with_every_part_and_activates_when_signed(app):
    with app.app_context():
        group = assigned_group()
        doc = draft("mentoring_program", program_data(group))
        text = rendered(doc, final=False)
        for part in ("ПРОЕКТ", "УТВЕРЖДАЮ", "(МОУ СШ № 5)",
                     "ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА",
                     "Срок реализации: с 1 сентября 2026 г. по 31 мая 2027 г. (9 месяцев)",
                     "наставника Ивановой Марии Петровны и наставляемой Кравец Любови Ивановны",
                     "Наставник: Иванова Мария Петровна, учитель математики.",
                     "Наставляемая: Кравец Любовь Ивановна, учитель начальных классов.",
                     "4. Выявленные профессиональные затруднения наставляемой",
                     "Традиционная форма наставничества.", "Методика обучения и преподавания.",
                     "Затруднения в организации групповой работы", "Взаимопосещение уроков",
                     "с 01.10.2026 по 30.04.2027", "20.05.2027", "ЛИСТ ОЗНАКОМЛЕНИЯ",
                     "Наставляемый ведёт уроки самостоятельно"):
            assert part in text, part
        walk(doc, "submit", "approve")  # the curator's visa; the head signs (no visa)
        assert state(doc) == "approved"
        walk(doc, "sign")
        final = rendered(doc, final=True)
        assert "ПРОЕКТ" not in final and f"№ {doc.number}" in final
        assert "Утверждена руководителем" not in final  # the stamp УТВЕРЖДАЮ says it once
        assert doc.number.endswith("-пн")
        assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in final
        program = program_of(doc)
        assert program.status == "active" and program.group_id == group.id
        assert (program.start_date, program.end_date) == (START, END)
        assert program.forms == {"forms": ["традиционная форма наставничества"],
                                 "directions": ["методика обучения и преподавания"]}
        assert [i["activity"] for i in program.plan["items"]] == [r[0] for r in DEFAULT_PLAN]


def test_the_route_is_curator_then_head(app):
    with app.app_context():
        from workflows.approval_routes import pending, skipped

        doc = draft("mentoring_program", program_data(assigned_group()))
        walk(doc, "submit")
        # the head approves by signing, after the mentor and mentees: no visa of his (issue 9)
        assert [p.step.code for p in pending(db_session(), doc)] == ["curator"]
        assert list(skipped(db_session(), doc)) == ["head"]


def test_a_term_shorter_than_three_months_is_refused_with_its_length(app):
    with app.app_context():
        doc = draft("mentoring_program", program_data(
            assigned_group(), end=date(2026, 11, 10),
            rows=(("Диагностика", date(2026, 9, 1), None),)))
        check_refused(doc, "Срок программы — 2 месяца 10 дней (с 01.09.2026 по 10.11.2026), а по "
                           "п. 1.3 Положения он должен быть от 3 месяцев до 1 года: окончание не "
                           "ранее 30.11.2026 и не позднее 31.08.2027.")


def test_the_term_counts_both_ends(app):
    with app.app_context():
        group = assigned_group()
        for end in (date(2026, 11, 30), date(2027, 8, 31)):  # exactly 3 months, exactly a year
            doc = draft("mentoring_program", program_data(
                group, end=end, rows=(("Диагностика", date(2026, 9, 1), None),)))
            walk(doc, "submit")
            assert state(doc) == "in_approval"
        doc = draft("mentoring_program", program_data(group, end=date(2027, 9, 1)))
        assert "Срок программы — 1 год 1 день (с 01.09.2026 по 01.09.2027)" \
            in refused(doc, "submit")


def test_a_term_longer_than_a_year_is_refused(app):
    with app.app_context():
        doc = draft("mentoring_program", program_data(assigned_group(), end=date(2027, 9, 15)))
        check_refused(doc, "Срок программы — 1 год 15 дней (с 01.09.2026 по 15.09.2027)")


def test_an_activity_outside_the_term_is_named(app):
    with app.app_context():
        rows = DEFAULT_PLAN + (("Открытый урок", date(2027, 6, 10), None),)
        doc = draft("mentoring_program", program_data(assigned_group(), rows=rows))
        check_refused(doc, "Мероприятие 4 плана «Открытый урок» (с 10.06.2027 по 10.06.2027) "
                           "выходит за срок программы (с 01.09.2026 по 31.05.2027).")


def test_the_group_must_be_active_and_of_this_organization(app):
    with app.app_context():
        group = assigned_group()
        with pytest.raises(ValidationError) as err:  # refused at save (workflows.scoping)
            draft("mentoring_program", {**program_data(group), "group_id": 9999})
        db_session().rollback()
        assert err.value.fields == {"group_id": [
            "«Наставническая пара/группа»: Наставническая пара/группа не найдена в вашей "
            "организации."]}
        doc = draft("mentoring_program", program_data(group))
        doc.data = {**doc.data, "group_id": 9999}  # changed behind the save: the guard holds
        db_session().commit()
        check_refused(doc, "Наставническая пара/группа № 9999 не найдена в вашей организации.")


def test_an_ended_group_gets_no_program(app):
    with app.app_context():
        group = assigned_group()
        group.status = "ended"
        db_session().commit()
        doc = draft("mentoring_program", program_data(group))
        check_refused(doc, f"Наставническая пара/группа № {group.id} не действует (состояние: "
                           f"прекращена)")


def test_one_running_program_per_group(app):
    with app.app_context():
        program = running_program()
        doc = draft("mentoring_program", program_data(program.group))
        before = state(doc)
        assert f"У пары/группы № {program.group_id} уже реализуется программа №" \
            in refused(doc, "submit")
        assert state(doc) == before
