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
from workflows.calendar import as_date
from workflows.errors import RuleViolation
from workflows.kinds import DocumentKind, Journal, register
from workflows.programs import (
    STATUS_LABELS,
    group_of,
    last_day,
    participants_context,
    term_length,
)
from workflows.scoping import row_of

NAME = "mentoring_program"
PROGRAMS_JOURNAL = Journal("programs", "Журнал регистрации программ наставничества", "-пн")


def group_is_active_here(session: Session, doc: Document) -> None:
    """A program is written for an active pair/group of this organization (П1 §6.2)."""
    group = group_of(session, doc.organization_id, doc.data.get("group_id"))
    if group is None:
        raise RuleViolation(f"Наставническая пара/группа № {doc.data.get('group_id')} не "
                            f"найдена в вашей организации.", field="group_id")
    if group.status != "active":
        raise RuleViolation(
            f"Наставническая пара/группа № {group.id} не действует (состояние: "
            f"{STATUS_LABELS.get(group.status, group.status)}): программа составляется для "
            f"пары, закреплённой подписанным приказом.", field="group_id")


def one_running_program_per_group(session: Session, doc: Document) -> None:
    """A pair/group carries out one personalized program at a time (§1.3)."""
    group = group_of(session, doc.organization_id, doc.data.get("group_id"))
    running = session.scalars(select(Program).where(
        Program.organization_id == doc.organization_id,
        Program.group_id == group.id, Program.status == "active")).first() \
        if group is not None else None
    if running is not None and running.document_id != doc.id:
        source = row_of(session, Document, doc.organization_id, running.document_id)
        number = f" № {source.number}" if source and source.number else ""
        raise RuleViolation(
            f"У пары/группы № {running.group_id} уже реализуется программа{number} (до "
            f"{running.end_date:%d.%m.%Y}): продлите или скорректируйте её, либо сначала "
            f"оформите её завершение.", field="group_id")


def term_from_three_months_to_a_year(session: Session, doc: Document) -> None:
    """The program lasts from 3 months to 1 year (§1.3, the definition of the program),
    counting both its first and its last day."""
    start, end = as_date(doc.data.get("start_date")), as_date(doc.data.get("end_date"))
    if start is None or end is None or end <= start:
        raise RuleViolation("Срок программы: дата окончания должна быть позже даты начала.",
                            field="end_date")
    shortest, longest = last_day(start, months=3), last_day(start, years=1)
    if not shortest <= end <= longest:
        raise RuleViolation(
            f"Срок программы — {term_length(start, end)} (с {start:%d.%m.%Y} по "
            f"{end:%d.%m.%Y}), а по п. 1.3 Положения он должен быть от 3 месяцев до 1 года: "
            f"окончание не ранее {shortest:%d.%m.%Y} и не позднее {longest:%d.%m.%Y}.",
            field="end_date")


def activities_inside_term(session: Session, doc: Document) -> None:
    """Every activity of the plan lies inside the program's term (§1.3)."""
    check_plan_inside(doc.data.get("plan") or [], as_date(doc.data.get("start_date")),
                      as_date(doc.data.get("end_date")), field="plan")


def check_plan_inside(plan: list[dict[str, Any]], start, end, *, field: str) -> None:
    """RuleViolation naming the first activity of ``plan`` outside ``start``–``end``."""
    if start is None or end is None:
        return
    for n, row in enumerate(plan, 1):
        a_start = as_date(row.get("start_date"))
        a_end = as_date(row.get("end_date")) or a_start
        if a_start is None:
            continue
        if a_start < start or a_end > end or a_end < a_start:
            raise RuleViolation(
                f"Мероприятие {n} плана «{row.get('activity', '')}» (с {a_start:%d.%m.%Y} по "
                f"{a_end:%d.%m.%Y}) выходит за срок программы (с {start:%d.%m.%Y} по "
                f"{end:%d.%m.%Y}).", field=field)


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
    program.status = "active"
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


def _title(data: dict[str, Any]) -> str:
    return f"Персонализированная программа наставничества (пара/группа № {data.get('group_id')})"


GUARDS = (group_is_active_here, one_running_program_per_group, term_from_three_months_to_a_year,
          activities_inside_term)

KIND = register(
    DocumentKind(
        name=NAME,
        title="Персонализированная программа наставничества",
        heading="ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА",
        journal=PROGRAMS_JOURNAL,
        make_title=_title,
        route=("curator", "head"),
        guards={"submit": GUARDS, "sign": GUARDS},
        effects={"sign": (activate_program,)},
        context=program_context,
    )
)
