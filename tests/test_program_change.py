"""Extension or correction of a program (П1 §7.2): the participants agree, then it applies."""

from __future__ import annotations

from datetime import date

import pytest

from storage.db import db_session
from storage.models import Person, Program
from storage.roles import Role
from tests.helpers.documents import check_refused, draft, refused, state, user, walk
from tests.helpers.docx import rendered
from tests.helpers.pairs import END, START, plan, running_program
from workflows import documents
from workflows.program_change import EXTENSION, FORM, PLAN

TEACHER = frozenset({Role.TEACHER})


def change(program: Program, change_type=EXTENSION, **data):
    return draft("program_change", {"program_id": program.id, "change_type": change_type,
                                    "reason": "наставляемая была на больничном", "new_forms": [],
                                    "new_plan": [], **data})


def agree(doc, *logins: str) -> None:
    for login in logins:
        documents.transition(db_session(), doc, "approve", actor=user(login), roles=TEACHER)
        db_session().commit()


def through_route(doc, *participants: str):
    walk(doc, "submit")
    agree(doc, *participants)
    walk(doc, "approve", actor="curator")
    return walk(doc, "sign")


def test_an_extension_agreed_by_everyone_moves_the_end(app):
    with app.app_context():
        program = running_program("Иванова", "Кравец", "Гоголь")
        doc = change(program, new_end_date="2027-08-31")
        text = rendered(doc, final=False)
        for part in ("ПРОЕКТ", "УТВЕРЖДАЮ", "ЛИСТ ИЗМЕНЕНИЙ",
                     "ЛИСТ ИЗМЕНЕНИЙ\n", "\nв персонализированную программу наставничества от ",
                     "с листом изменений от __________ № _____ в персонализированную программу",
                     "по обоюдному согласию наставника Ивановой Марии Петровны и наставляемых "
                     "Кравец Любови Ивановны, Гоголя Никиты Андреевича",
                     "(срок реализации с 01.09.2026 по 31.05.2027)",
                     "1. Продлить срок реализации программы до 31 августа 2027 г. (продление № 1).",
                     "Обоснование: наставляемая была на больничном", "ЛИСТ ОЗНАКОМЛЕНИЯ"):
            assert part in text, part
        walk(doc, "submit")
        assert doc.data["mentor_id"] == user("ivanova").person_id
        assert doc.data["mentee_ids"] == [user("kravets").person_id, user("gogol").person_id]
        agree(doc, "ivanova", "kravets", "gogol")
        assert "Учитель\t____________ Н.А. Гоголь" in rendered(doc, final=False)
        walk(doc, "approve", actor="curator")
        walk(doc, "sign")
        assert doc.number.endswith("-пн")
        db_session().refresh(program)
        assert program.end_date == date(2027, 8, 31) and program.extended_times == 1
        assert "ДОКУМЕНТ ПОДПИСАН" in rendered(doc, final=True)


def test_the_curator_waits_for_every_participant(app):
    with app.app_context():
        program = running_program("Иванова", "Кравец", "Гоголь")
        doc = change(program, new_end_date="2027-08-31")
        walk(doc, "submit")
        agree(doc, "ivanova", "kravets")
        message = refused(doc, "approve", actor="curator", roles=frozenset({Role.CURATOR}))
        assert "Наставник и наставляемые: Гоголь Никита Андреевич" in message
        assert state(doc) == "in_approval"


def test_signing_needs_the_agreement_of_all_participants_in_this_round(app):
    with app.app_context():
        program = running_program("Иванова", "Кравец")
        doc = change(program, new_end_date="2027-08-31")
        through_route(doc, "ivanova", "kravets")  # signed: now a second record
        again = change(program, new_end_date="2027-08-31", change_type=PLAN,
                       new_plan=plan(("Мастер-класс", date(2027, 6, 1), None)))
        walk(again, "submit")
        agree(again, "ivanova", "kravets")
        walk(again, "approve", actor="curator")
        # a participant is added to the group after the visas were given
        from storage.models import GroupMember

        gogol = db_session().query(Person).filter_by(last_name="Гоголь").one()
        program.group.members.append(GroupMember(mentee_id=gogol.id))
        db_session().commit()
        message = refused(again, "sign")
        assert message == ("Изменение программы возможно только по обоюдному согласию "
                           "наставника и наставляемых (п. 7.2 Положения): не дали согласия — "
                           "Гоголь Никита Андреевич.")
        assert state(again) == "approved"


@pytest.mark.parametrize(("changes", "message"), [
    pytest.param({"new_end_date": "2027-05-01"},
                 "Продление: новая дата окончания 01.05.2027 должна быть позже текущей даты "
                 "окончания программы 31.05.2027.", id="extension_must_move_the_end_later"),
    pytest.param({"new_end_date": "2027-10-01"},
                 "Программа не может длиться больше одного года (п. 1.3 Положения): начало "
                 "01.09.2026, поэтому окончание не позднее 31.08.2027, а указано 01.10.2027. "
                 "Для дальнейшей работы составьте новую программу.",
                 id="extension_keeps_the_program_within_a_year"),
    pytest.param({}, "Для изменения «продление срока реализации программы» укажите новую дату "
                     "окончания программы.", id="extension_needs_a_new_end_date"),
    pytest.param({"change_type": PLAN, "new_plan": plan(("Семинар", date(2026, 8, 20), None))},
                 "Мероприятие 1 плана «Семинар» (с 20.08.2026 по 20.08.2026) выходит за срок "
                 "программы (с 01.09.2026 по 31.05.2027).",
                 id="corrected_plan_stays_inside_the_term"),
])
def test_a_change_is_refused_and_the_program_keeps_its_term(app, changes, message):
    with app.app_context():
        program = running_program()
        check_refused(change(program, **changes), message, whole=True, stays="draft")
        db_session().refresh(program)
        assert program.end_date == END


def test_plan_and_form_corrections_apply_without_counting_an_extension(app):
    with app.app_context():
        program = running_program()
        through_route(change(program, change_type=PLAN,
                             new_plan=plan(("Мастер-класс", date(2027, 2, 1), None))),
                      "ivanova", "kravets")
        through_route(change(program, change_type=FORM,
                             new_forms=["ситуационное наставничество"]), "ivanova", "kravets")
        db_session().refresh(program)
        assert [i["activity"] for i in program.plan["items"]] == ["Мастер-класс"]
        assert program.forms["forms"] == ["ситуационное наставничество"]
        assert program.forms["directions"] == ["методика обучения и преподавания"]
        assert program.extended_times == 0 and program.end_date == END
        assert program.start_date == START


def test_only_a_running_program_changes(app):
    with app.app_context():
        program = running_program()
        program.status = "completed"
        db_session().commit()
        doc = change(program, new_end_date="2027-08-31")
        check_refused(doc, (
            f"Программа наставничества № {program.id} не реализуется (состояние: завершена): "
            f"изменить или завершить можно только действующую программу."),
                      whole=True, stays="draft")
