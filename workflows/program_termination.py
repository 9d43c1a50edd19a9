"""Order ending a personalized program (П1 §7.1; ТК РФ ст. 351.8).

A program ends on one of three grounds: its plan is fulfilled; the initiative of the
mentor or the mentee, or their mutual decision (for valid reasons); the curator's
initiative (improper execution). An early end by one side is noticed in writing at least
three working days ahead (ТК РФ ст. 351.8). The end stops the mentor's extra duties and pay,
so it is the head's order on the main activity. Route: the curator's visa, the director's
signature; signing ends the program and its pair/group.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Document
from storage.states import ProgramStatus
from workflows.acknowledgments import named_in
from workflows.calendar import as_date, notice_end, working_days_between
from workflows.errors import RuleViolation
from workflows.guards import deadlines_not_past, not_backdated
from workflows.kinds import DocumentKind
from workflows.programs import (
    curator_of,
    end_group,
    program_context,
    program_is_running,
    program_of,
)
from workflows.signatories import head
from workflows.vocabulary import (
    GROUND_COMPLETED,
    GROUND_CURATOR,
    GROUND_PARTICIPANT,
    TERMINATION_GROUNDS,
)

NAME = "program_termination"
MENTOR, MENTEE, BOTH, CURATOR = ("наставник", "наставляемый",
                                 "наставник и наставляемый (обоюдное решение)", "куратор")
INITIATORS = (MENTOR, MENTEE, BOTH, CURATOR)
NOTICE_WORKING_DAYS = 3

def _program(session: Session, doc: Document):
    return program_of(session, doc.organization_id, doc.data.get("program_id"))


def ground_is_one_of_three(session: Session, doc: Document) -> None:
    """The record states one of the three grounds of П1 §7.1."""
    if doc.data.get("ground") not in TERMINATION_GROUNDS:
        raise RuleViolation("Укажите одно из трёх оснований завершения программы из п. 7.1 "
                            "Положения.", field="ground")


def initiator_fits_ground(session: Session, doc: Document) -> None:
    """The participants' ground names who took the initiative; the curator's is the curator's."""
    ground, initiator = doc.data.get("ground"), doc.data.get("initiator") or ""
    if ground == GROUND_PARTICIPANT and initiator not in (MENTOR, MENTEE, BOTH):
        raise RuleViolation("Для основания «по инициативе наставника или наставляемого» "
                            "укажите инициатора: наставник, наставляемый или обоюдное решение.",
                            field="initiator")
    if ground == GROUND_CURATOR and initiator not in ("", CURATOR):
        raise RuleViolation("Основание «по инициативе куратора»: инициатором должен быть "
                            "указан куратор.", field="initiator")


def reason_is_given(session: Session, doc: Document) -> None:
    """The curator's ground (improper execution) and the participants' ground (valid
    reasons) carry their reason (П1 §7.1)."""
    ground = doc.data.get("ground")
    if ground in (GROUND_CURATOR, GROUND_PARTICIPANT) and not (doc.data.get("reason") or
                                                              "").strip():
        which = "по инициативе куратора" if ground == GROUND_CURATOR else \
            "по инициативе наставника или наставляемого"
        raise RuleViolation(f"Для завершения {which} укажите причину (п. 7.1 Положения).",
                            field="reason")


def end_within_term(session: Session, doc: Document) -> None:
    """The program ends inside its term; going past it is an extension (П1 §7.2)."""
    program, end = _program(session, doc), as_date(doc.data.get("end_date"))
    if program is None:
        return
    if end is None or end < program.start_date:
        raise RuleViolation(f"Дата завершения должна быть не раньше начала программы "
                            f"({program.start_date:%d.%m.%Y}).", field="end_date")
    if end > program.end_date:
        raise RuleViolation(
            f"Дата завершения {end:%d.%m.%Y} позже срока программы ({program.end_date:%d.%m.%Y})"
            f": чтобы работать дольше, оформите продление (п. 7.2 Положения).",
            field="end_date")


def one_side_gives_three_working_days_notice(session: Session, doc: Document) -> None:
    """An early end on the initiative of one side is noticed in writing at least three
    working days ahead (ТК РФ ст. 351.8)."""
    if doc.data.get("ground") != GROUND_PARTICIPANT or \
            doc.data.get("initiator") not in (MENTOR, MENTEE):
        return
    notice, end = as_date(doc.data.get("notice_date")), as_date(doc.data.get("end_date"))
    if notice is None:
        raise RuleViolation("Досрочное завершение по инициативе одной стороны: укажите дату "
                            "письменного предупреждения (ст. 351.8 ТК РФ).", field="notice_date")
    if end is None:
        return
    if working_days_between(notice, end) < NOTICE_WORKING_DAYS:
        earliest = notice_end(notice, NOTICE_WORKING_DAYS)
        raise RuleViolation(
            f"Досрочное завершение по инициативе одной стороны: предупреждение от "
            f"{notice:%d.%m.%Y} должно быть сделано не менее чем за три рабочих дня (ст. 351.8 "
            f"ТК РФ), поэтому завершить можно не ранее {earliest.day:%d.%m.%Y}, а указано "
            f"{end:%d.%m.%Y}. Счёт: {earliest.how}.", field="end_date")


def plan_fulfilled_by_end(session: Session, doc: Document) -> None:
    """«Plan fulfilled» is a ground only once the plan's last activity is due (П1 §7.1)."""
    program, end = _program(session, doc), as_date(doc.data.get("end_date"))
    if doc.data.get("ground") != GROUND_COMPLETED or program is None or end is None:
        return
    days = [as_date(r.get("end_date")) or as_date(r.get("start_date"))
            for r in program.plan.get("items", [])]
    last = max((d for d in days if d is not None), default=None)
    if last is not None and last > end:
        raise RuleViolation(
            f"Основание «завершение плана в полном объёме» невозможно: последнее мероприятие "
            f"плана назначено на {last:%d.%m.%Y}, позже даты завершения {end:%d.%m.%Y}. "
            f"Выберите другое основание или измените дату.", field="ground")


def end_program(session: Session, doc: Document) -> None:
    """On signing: the program is completed (plan fulfilled) or ended early; its pair ends."""
    program = _program(session, doc)
    end = as_date(doc.data["end_date"])
    ground = doc.data["ground"]
    program.status = ProgramStatus.COMPLETED if ground == GROUND_COMPLETED \
        else ProgramStatus.ENDED_EARLY
    program.ended_on = end
    program.end_ground = ground
    end_group(program.group, end)
    session.flush()


def done_activities(program, doc: Document) -> list[str]:
    """The plan's activities done by the order's date (its date once signed, else today)
    and by the end it orders: the results the order may state as facts («итоги … только
    когда они есть»); an activity without an end is done on its start."""
    if program is None:
        return []
    end = as_date(doc.data.get("end_date"))
    by = min(d for d in (doc.doc_date or date.today(), end) if d is not None)
    done = []
    for row in program.plan.get("items", []):
        last = as_date(row.get("end_date")) or as_date(row.get("start_date"))
        if last is not None and last <= by and (row.get("activity") or "").strip():
            done.append(row["activity"].strip())
    return done


def results_only_once_they_exist(session: Session, doc: Document) -> None:
    """Results are stated as facts only once some exist (П1 §7.1, §8.2: results are summed
    up when the program ends): typed results with no activity of the plan done by the
    order's date and its end are refused; the order then leaves them to the final report."""
    if not (doc.data.get("results") or "").strip():
        return
    program = _program(session, doc)
    if program is None or done_activities(program, doc):
        return
    day = doc.doc_date or date.today()
    raise RuleViolation(f"Итоги реализации программы указаны, но ни одно мероприятие её плана "
                        f"не выполнено к дате приказа ({day:%d.%m.%Y}): итогов ещё нет — "
                        f"уберите их, в приказе будет сказано, что итоги будут подведены в "
                        f"итоговом аналитическом отчёте куратора.", field="results")


def termination_context(session: Session, doc: Document) -> dict[str, Any]:
    """``extra.program``, ``extra.mentor``, ``extra.mentees``, ``extra.early`` (the order
    ends it before its plan is done: «прекратить досрочно с …») and ``extra.done`` (the
    activities done, see ``done_activities``) for the template."""
    program = _program(session, doc)
    return {**program_context(session, program),
            "curator": curator_of(session, program.group) if program else None,
            "early": doc.data.get("ground") != GROUND_COMPLETED,
            "done": done_activities(program, doc)}


def _title(data: dict[str, Any]) -> str:
    return f"О завершении персонализированной программы наставничества № " \
           f"{data.get('program_id')}"


KIND = DocumentKind(
    name=NAME,
    title="Завершение программы наставничества",
    heading="ПРИКАЗ",
    journal="main",
    make_title=_title,
    signatories=(head(),),
    route=("curator",),
    rules=(program_is_running, ground_is_one_of_three, initiator_fits_ground, reason_is_given,
           end_within_term, one_side_gives_three_working_days_notice, plan_fulfilled_by_end,
           results_only_once_they_exist),
    sign_rules=(deadlines_not_past({"results_due_date": "Срок подведения итогов реализации "
                                                        "программы"},
                                   name="results_due_date_not_past"),
                # the order ends the program from a day to come, not «задним числом»: a
                # program already over on paper is ended by an order of that day, not later
                not_backdated("end_date", what="Дата завершения реализации программы",
                              name="end_not_backdated")),
    effects={"sign": (end_program,)},
    retention_permanent=True,
    context=termination_context,
    acknowledgers=named_in("participants", "curator"),
)
