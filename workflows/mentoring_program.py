"""Personalized mentoring program of one pair or group (§1.3; П1 §3.4, §3.5, §5.1).

A short program, from 3 months to 1 year: the forms and types of mentoring, its
participants, directions, a plan of activities with dates and the expected results. The
mentor and mentee(s) write it with the curator; it is agreed by the curator and approved
by the director. Signing (approval) makes it the pair's running program.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, Program
from storage.states import ProgramStatus
from workflows.calendar import as_date, term_length
from workflows.errors import RuleViolation
from workflows.guards import term_within
from workflows.kinds import DocumentKind
from workflows.programs import (
    check_plan_inside,
    group_is_active,
    group_of,
    mentee_ids,
    participants_context,
)
from workflows.scoping import row_of
from workflows.signatories import BASIS_PROGRAM, PEN, Signatory, head

NAME = "mentoring_program"


def one_running_program_per_group(session: Session, doc: Document) -> None:
    """A pair/group carries out one personalized program at a time (§1.3)."""
    group = group_of(session, doc.organization_id, doc.data.get("group_id"))
    running = session.scalars(select(Program).where(
        Program.organization_id == doc.organization_id,
        Program.group_id == group.id, Program.status == ProgramStatus.ACTIVE)).first() \
        if group is not None else None
    if running is not None and running.document_id != doc.id:
        source = row_of(session, Document, doc.organization_id, running.document_id)
        number = f" № {source.number}" if source and source.number else ""
        raise RuleViolation(
            f"У пары/группы № {running.group_id} уже реализуется программа{number} (до "
            f"{running.end_date:%d.%m.%Y}): продлите или скорректируйте её, либо сначала "
            f"оформите её завершение.", field="group_id")


def activities_inside_term(session: Session, doc: Document) -> None:
    """Every activity of the plan lies inside the program's term (§1.3)."""
    check_plan_inside(doc.data.get("plan") or [], as_date(doc.data.get("start_date")),
                      as_date(doc.data.get("end_date")), field="plan")


def activate_program(session: Session, doc: Document) -> None:
    """On approval by the director: the program becomes the pair's running program."""
    program = session.scalars(select(Program).where(Program.document_id == doc.id)).first() \
        or Program(organization_id=doc.organization_id, document_id=doc.id)
    program.group_id = int(doc.data["group_id"])
    program.start_date = as_date(doc.data["start_date"])
    program.end_date = as_date(doc.data["end_date"])
    program.forms = {"forms": list(doc.data.get("forms") or []),
                     "directions": list(doc.data.get("directions") or [])}
    program.plan = {"items": list(doc.data.get("plan") or [])}
    program.expected_results = doc.data.get("expected_results", "")
    program.status = ProgramStatus.ACTIVE
    session.add(program)
    session.flush()


def program_context(session: Session, doc: Document) -> dict[str, Any]:
    """``extra.mentor``, ``extra.mentees``, ``extra.order`` (the pairing order) for the template."""
    group = group_of(session, doc.organization_id, doc.data.get("group_id"))
    order = row_of(session, Document, doc.organization_id, group.order_id) if group else None
    return {
        **participants_context(session, group),
        "order": {"number": order.number or "", "doc_date": order.doc_date} if order else None,
        "term": term_length(as_date(doc.data.get("start_date")),
                            as_date(doc.data.get("end_date")))
        if as_date(doc.data.get("start_date")) and as_date(doc.data.get("end_date")) else "",
    }


def program_mentor(session: Session, doc: Document) -> list[int]:
    """The pair's/group's mentor, who agrees the program (П1 §5.1)."""
    group = group_of(session, doc.organization_id, doc.data.get("group_id"))
    return [group.mentor_id] if group is not None else []


def program_mentees(session: Session, doc: Document) -> list[int]:
    """Every mentee of the pair/group, each agreeing the program (П1 §5.1)."""
    group = group_of(session, doc.organization_id, doc.data.get("group_id"))
    return mentee_ids(group) if group is not None else []


def _title(data: dict[str, Any]) -> str:
    return f"Персонализированная программа наставничества (пара/группа № {data.get('group_id')})"


KIND = DocumentKind(
    name=NAME,
    title="Персонализированная программа наставничества",
    heading="ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА",
    journal="programs",
    make_title=_title,
    signatories=(Signatory("mentor", "Наставник", PEN, BASIS_PROGRAM, program_mentor),
                 Signatory("mentee", "Наставляемый", PEN, BASIS_PROGRAM, program_mentees,
                           many=True),
                 head("Руководитель (утверждает)")),
    route=("curator", "head"),
    rules=(group_is_active, one_running_program_per_group,
           term_within(what="Срок программы", at_least_months=3,
                       name="term_from_three_months_to_a_year"),
           activities_inside_term),
    effects={"sign": (activate_program,)},
    context=program_context,
)
