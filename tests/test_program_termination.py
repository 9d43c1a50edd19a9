"""Ending a program (П1 §7.1; ТК РФ ст. 351.8) and publishing its results (П1 §8.2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from doc_templates.russian import date_long
from storage.db import db_session
from storage.models import Program
from tests.helpers.documents import check_refused, draft, signed, state, user, walk
from tests.helpers.docx import rendered
from tests.helpers.http import login_as, post
from tests.helpers.pages import answers
from tests.helpers.pairs import running_program
from workflows.calendar import add_working_days, working_days_between
from workflows.errors import RuleViolation
from workflows.program_termination import (
    BOTH,
    CURATOR,
    MENTEE,
    MENTOR,
)
from workflows.programs import publish_results
from workflows.vocabulary import GROUND_COMPLETED, GROUND_CURATOR, GROUND_PARTICIPANT


def ending(program: Program, ground=GROUND_COMPLETED, end="2027-05-31", **data):
    return draft("program_termination", {"program_id": program.id, "ground": ground,
                                         "end_date": end, "results_due_date": "2027-06-10",
                                         "initiator": "", "reason": "", **data})


def test_working_days_skip_weekends_and_holidays():
    assert working_days_between(date(2026, 11, 9), date(2026, 11, 12)) == 3  # Mon → Thu
    assert working_days_between(date(2026, 11, 13), date(2026, 11, 16)) == 1  # Fri → Mon
    assert working_days_between(date(2026, 11, 2), date(2026, 11, 5)) == 2  # 4 Nov is a holiday
    assert add_working_days(date(2026, 11, 2), 3) == date(2026, 11, 6)
    # 31.12.2026 is a day off moved from 04.01.2026: 11.01, 12.01, 13.01
    assert add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 13)


def test_plan_fulfilled_completes_the_program_and_ends_the_pair(app):
    with app.app_context():
        program = running_program("Иванова", "Кравец")
        doc = ending(program, results="наставляемая провела открытый урок")
        text = rendered(doc, final=False)
        for part in ("ПРОЕКТ", "ПРИКАЗ", "(МОУ СШ № 5)",
                     "О завершении персонализированной программы наставничества",
                     "пунктом 7.1 Положения", f"основание: {GROUND_COMPLETED}",
                     "Итоги реализации программы: наставляемая провела открытый урок",
                     "ПРИКАЗЫВАЮ:", "1. Завершить 31 мая 2027 г. реализацию персонализированной "
                     "программы наставничества наставника Ивановой Марии Петровны и "
                     "наставляемой Кравец Любови Ивановны",
                     "выполнение наставником Ивановой Марией Петровной",
                     "Куратору реализации программ наставничества Сидоровой Елене Викторовне в "
                     "срок до 10 июня 2027 г.",
                     "4. Контроль за исполнением настоящего приказа оставляю за собой.",
                     "И.С. Петров", "ЛИСТ ОЗНАКОМЛЕНИЯ"):
            assert part in text, part
        assert "досрочно" not in text
        signed_doc = walk(doc, "submit", "approve", "sign")
        assert signed_doc.number.endswith("-од")
        assert f"№ {signed_doc.number}" in rendered(signed_doc, final=True)
        db_session().refresh(program)
        assert program.status == "completed" and program.ended_on == date(2027, 5, 31)
        assert program.end_ground == GROUND_COMPLETED
        assert program.group.status == "ended" and program.group.ended_on == date(2027, 5, 31)


def test_an_early_end_on_a_mentee_s_notice(app):
    with app.app_context():
        program = running_program()
        # noticed today, ended three working days later: a day to come, not backdated
        end = add_working_days(date.today(), 3)
        doc = signed("program_termination", {
            "program_id": program.id, "ground": GROUND_PARTICIPANT, "initiator": MENTEE,
            "reason": "переезд в другой город", "notice_date": date.today().isoformat(),
            "end_date": end.isoformat(),
            "results_due_date": (date.today() + timedelta(days=10)).isoformat()})
        assert doc.state == "signed"
        db_session().refresh(program)
        assert program.status == "ended_early" and program.ended_on == end
        assert f"1. Прекратить досрочно с {date_long(end)} реализацию" in rendered(doc, final=True)


def test_an_end_date_already_past_is_refused_at_signing(app):
    """end_not_backdated: the order does not end a program «задним числом»."""
    with app.app_context():
        program = running_program()
        yesterday = date.today() - timedelta(days=1)
        doc = ending(program, GROUND_CURATOR, end=yesterday.isoformat(), initiator=CURATOR,
                     reason="наставник не выполняет план",
                     results_due_date=(date.today() + timedelta(days=10)).isoformat())
        walk(doc, "submit", "approve")
        check_refused(doc, (
            f"Дата завершения реализации программы ({yesterday:%d.%m.%Y}) раньше даты "
            f"подписания приказа ({date.today():%d.%m.%Y}): приказ не издаётся задним числом "
            f"— укажите дату не ранее сегодняшней."), action="sign", whole=True,
            stays="approved")
        db_session().refresh(program)
        assert program.status == "active" and program.group.status == "active"


@pytest.mark.parametrize(("ground", "end", "data", "message"), [
    pytest.param(GROUND_PARTICIPANT, "2026-11-05",
                 {"initiator": MENTOR, "reason": "болезнь", "notice_date": "2026-11-02"},
                 "Досрочное завершение по инициативе одной стороны: предупреждение от "
                 "02.11.2026 должно быть сделано не менее чем за три рабочих дня (ст. 351.8 ТК "
                 "РФ), поэтому завершить можно не ранее 06.11.2026, а указано 05.11.2026. "
                 "Счёт: 3 рабочих дня после 02.11.2026 по производственному календарю на 2026 "
                 "год с учётом переноса выходных дней (постановление Правительства РФ от "
                 "24.09.2025 № 1466 «О переносе выходных дней в 2026 году»).",
                 id="one_side_notices_three_working_days_ahead"),
    pytest.param(GROUND_PARTICIPANT, "2026-11-05", {"initiator": MENTEE, "reason": "болезнь"},
                 "Досрочное завершение по инициативе одной стороны: укажите дату письменного "
                 "предупреждения (ст. 351.8 ТК РФ).", id="one_side_must_state_the_notice"),
    pytest.param(GROUND_CURATOR, "2026-12-01", {"initiator": CURATOR},
                 "Для завершения по инициативе куратора укажите причину (п. 7.1 Положения).",
                 id="the_curator_s_ground_carries_a_reason"),
    pytest.param(GROUND_PARTICIPANT, "2026-12-01", {"reason": "болезнь"},
                 "Для основания «по инициативе наставника или наставляемого» укажите "
                 "инициатора: наставник, наставляемый или обоюдное решение.",
                 id="the_participants_ground_names_the_initiator"),
    pytest.param("по собственному желанию", "2027-05-31", {},
                 "Укажите одно из трёх оснований завершения программы из п. 7.1 Положения.",
                 id="the_ground_is_one_of_the_three"),
    pytest.param(GROUND_COMPLETED, "2027-05-10", {},
                 "Основание «завершение плана в полном объёме» невозможно: последнее "
                 "мероприятие плана назначено на 20.05.2027, позже даты завершения 10.05.2027. "
                 "Выберите другое основание или измените дату.",
                 id="plan_fulfilled_only_when_its_last_activity_is_due"),
    pytest.param(GROUND_COMPLETED, "2027-06-30", {},
                 "Дата завершения 30.06.2027 позже срока программы (31.05.2027): чтобы работать "
                 "дольше, оформите продление (п. 7.2 Положения).",
                 id="the_end_lies_within_the_term"),
])
def test_an_ending_breaking_a_rule_is_refused(app, ground, end, data, message):
    """Submitting is refused with exactly ``message``; the program and its group still run."""
    with app.app_context():
        program = running_program()
        check_refused(ending(program, ground, end, **data), message, whole=True)
        db_session().refresh(program)
        assert program.status == "active" and program.group.status == "active"


def test_a_mutual_decision_needs_no_notice(app):
    with app.app_context():
        program = running_program()
        doc = ending(program, GROUND_PARTICIPANT, "2026-11-05", initiator=BOTH,
                     reason="смена нагрузки")
        walk(doc, "submit")
        assert state(doc) == "in_approval"


def test_results_are_published_only_after_the_end(app):
    with app.app_context():
        program = running_program()
        with pytest.raises(RuleViolation) as err:
            publish_results(db_session(), program, user("curator"))
        assert err.value.message == ("Результаты программы публикуются только после её "
                                     "завершения (п. 8.2 Положения).")
        db_session().rollback()
        assert program.results_published_at is None
        walk(ending(program), "submit", "approve", "sign")
        program.ended_on = date.today() + timedelta(days=10)  # ended on paper, date ahead
        db_session().commit()
        with pytest.raises(RuleViolation) as err:
            publish_results(db_session(), program, user("curator"))
        assert f"программа завершается {program.ended_on:%d.%m.%Y}" in err.value.message
        db_session().rollback()
        program.ended_on = date.today() - timedelta(days=1)  # the end date has come
        db_session().commit()
        publish_results(db_session(), program, user("curator"))
        db_session().commit()
        assert program.results_published_at is not None


def test_http_publish_on_the_programs_page(client, app):
    with app.app_context():
        program_id = running_program().id
    login_as(client, "curator")
    page = client.get("/programs").get_data(as_text=True)
    assert "Кравец Любовь Ивановна" in page and "реализуется" in page
    answers(post(client, f"/programs/{program_id}/publish"), 409,
            "публикуются только после её завершения")
    login_as(client, "ivanova")
    assert post(client, f"/programs/{program_id}/publish").status_code == 403
    with app.app_context():
        program = db_session().get(Program, program_id)
        walk(ending(program), "submit", "approve", "sign")
        program.ended_on = date.today() - timedelta(days=1)  # the end date has come
        db_session().commit()
    login_as(client, "director")
    assert post(client, f"/programs/{program_id}/publish").status_code == 302
    assert "опубликованы" in client.get("/programs").get_data(as_text=True)
    login_as(client, "director12")  # another school does not see it
    assert post(client, f"/programs/{program_id}/publish").status_code == 404


def test_a_results_date_already_past_is_refused_at_signing(app):
    """results_due_date_not_past: the curator is not told to sum up «в срок до» a day gone
    by; the program and its pair still run."""
    with app.app_context():
        program = running_program()
        yesterday = date.today() - timedelta(days=1)
        doc = ending(program, results_due_date=yesterday.isoformat())
        walk(doc, "submit", "approve")
        check_refused(doc, (
            f"Срок подведения итогов реализации программы ({yesterday:%d.%m.%Y}) уже прошёл на "
            f"дату подписания приказа ({date.today():%d.%m.%Y}): укажите срок не ранее даты "
            f"подписания."), action="sign", whole=True, stays="approved")
        db_session().refresh(program)
        assert program.status == "active" and program.group.status == "active"


def test_results_are_stated_only_once_they_exist(app):
    """An early end states no results typed for nothing done: with no results given, the
    activities of the plan done by the order's date are named; with none done either, the
    results are left to the curator's final report."""
    with app.app_context():
        program = running_program()  # its plan's diagnostics ended 15.09.2026
        text = rendered(ending(program, GROUND_CURATOR, date.today().isoformat(),
                               initiator=CURATOR, reason="план не исполняется"), final=False)
        assert (f"1. Прекратить досрочно с {date_long(date.today())} реализацию "
                f"персонализированной программы") in text
        assert "Выполнены мероприятия плана программы: «Диагностика затруднений»." in text
        assert "«Взаимопосещение уроков»" not in text  # runs to 30.04.2027: not done
        program.plan = {"items": [{**row, "start_date": "2027-01-11", "end_date": "2027-02-26"}
                                  for row in program.plan["items"]]}
        db_session().commit()
        text = rendered(ending(program, GROUND_CURATOR, date.today().isoformat(),
                               initiator=CURATOR, reason="план не исполняется"), final=False)
        assert "Выполнены мероприятия" not in text and "Итоги реализации программы:" not in text
        assert ("Итоги реализации программы будут подведены в итоговом аналитическом отчёте "
                "куратора о реализации системы наставничества.") in text


def test_results_typed_before_anything_is_done_are_refused(app):
    """results_only_once_they_exist: with no activity of the plan done by the order's date,
    typed results are refused; the draft and the program are unchanged."""
    with app.app_context():
        program = running_program()
        program.plan = {"items": [{**row, "start_date": "2027-01-11", "end_date": "2027-02-26"}
                                  for row in program.plan["items"]]}
        db_session().commit()
        doc = ending(program, GROUND_CURATOR, date.today().isoformat(), initiator=CURATOR,
                     reason="план не исполняется", results="освоены приёмы планирования")
        check_refused(doc, (
            f"Итоги реализации программы указаны, но ни одно мероприятие её плана не выполнено "
            f"к дате приказа ({date.today():%d.%m.%Y}): итогов ещё нет — уберите их, в приказе "
            f"будет сказано, что итоги будут подведены в итоговом аналитическом отчёте "
            f"куратора."), whole=True, stays="draft")
        db_session().refresh(program)
        assert program.status == "active" and program.group.status == "active"
