"""Personalized programs and their pairs/groups as data: lookup, participants, publication.

The program documents (``mentoring_program``, ``program_change``, ``program_termination``)
and the pairing order share what is here: finding a pair/group or program of the
organization, its mentor, mentees and curator, the guards that it is active or still
running and that a plan stays inside its term, and — П1 §8.2 — publishing its results
only after it ended.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.models import Document, GroupMember, MentoringGroup, Program, User
from storage.states import PROGRAM_ENDED, STATUS_LABELS, GroupStatus, ProgramStatus
from workflows import audit
from workflows.calendar import as_date
from workflows.errors import RuleViolation
from workflows.guards import is_active
from workflows.people import person_of
from workflows.scoping import row_of


def group_of(session: Session, organization_id: int, group_id: Any) -> MentoringGroup | None:
    """The pair/group ``group_id`` of the organization, or None (``scoping.row_of``)."""
    return row_of(session, MentoringGroup, organization_id, group_id)


def program_of(session: Session, organization_id: int, program_id: Any) -> Program | None:
    """The program ``program_id`` of the organization, or None (``scoping.row_of``)."""
    return row_of(session, Program, organization_id, program_id)


def all_groups(session: Session, organization_id: int) -> list[MentoringGroup]:
    """Every pair/group of the organization, in any state, oldest first."""
    return list(session.scalars(select(MentoringGroup).where(
        MentoringGroup.organization_id == organization_id).order_by(MentoringGroup.id)))


def all_programs(session: Session, organization_id: int) -> list[Program]:
    """Every program of the organization, in any state, oldest first."""
    return list(session.scalars(select(Program).where(
        Program.organization_id == organization_id).order_by(Program.id)))


def groups_of_participant(session: Session, organization_id: int, person_id: int
                          ) -> list[MentoringGroup]:
    """Pairs/groups of the organization, in any state, where the person is the mentor or
    a mentee (a teacher's own pairs)."""
    as_mentee = select(GroupMember.group_id).where(GroupMember.mentee_id == person_id)
    return list(session.scalars(select(MentoringGroup).where(
        MentoringGroup.organization_id == organization_id,
        or_(MentoringGroup.mentor_id == person_id, MentoringGroup.id.in_(as_mentee)))
        .order_by(MentoringGroup.id)))


def programs_of_groups(session: Session, organization_id: int, group_ids: set[int]
                       ) -> list[Program]:
    """Programs of the organization written for one of ``group_ids``."""
    return list(session.scalars(select(Program).where(
        Program.organization_id == organization_id,
        Program.group_id.in_(group_ids or {-1})).order_by(Program.id)))


def mentee_ids(group: MentoringGroup) -> list[int]:
    return [m.mentee_id for m in sorted(group.members, key=lambda m: m.id)]


def participants_context(session: Session, group: MentoringGroup | None) -> dict[str, Any]:
    """``mentor``, ``mentees`` and both (``participants``) of a pair/group, as templates
    see people."""
    if group is None:
        return {"mentor": None, "mentees": [], "participants": []}
    mentees = [m.as_context() for m in (person_of(session, group.organization_id, pid)
                                         for pid in mentee_ids(group)) if m is not None]
    mentor = group.mentor.as_context()
    return {"mentor": mentor, "mentees": mentees, "participants": [mentor, *mentees]}


def program_context(session: Session, program: Program | None) -> dict[str, Any]:
    """The program a change or termination refers to, with its approving document."""
    if program is None:
        return {"program": None, **participants_context(session, None)}
    source = row_of(session, Document, program.organization_id, program.document_id)
    return {
        "program": {
            "id": program.id, "start_date": program.start_date, "end_date": program.end_date,
            "forms": list(program.forms.get("forms", [])),
            "directions": list(program.forms.get("directions", [])),
            "plan": list(program.plan.get("items", [])),
            "status": STATUS_LABELS.get(program.status, program.status),
            "number": source.number if source else "",
            "doc_date": source.doc_date if source else None,
            "extended_times": program.extended_times,
        },
        **participants_context(session, program.group),
    }


program_is_running = is_active(
    program_of, "program_id", what="Программа наставничества", not_found="не найдена",
    inactive="не реализуется", active=ProgramStatus.ACTIVE,
    because="изменить или завершить можно только действующую программу",
    name="program_is_running")

group_is_active = is_active(
    group_of, "group_id", what="Наставническая пара/группа", not_found="не найдена",
    inactive="не действует", active=GroupStatus.ACTIVE,
    because="программа составляется для пары, закреплённой подписанным приказом",
    name="group_is_active_here")


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


def curator_of(session: Session, group: MentoringGroup | None) -> dict[str, Any] | None:
    """The curator named in the order that assigned ``group`` (as templates see people)."""
    order = row_of(session, Document, group.organization_id, group.order_id) if group else None
    curator = person_of(session, order.organization_id, order.data.get("curator_id")) \
        if order else None
    return curator.as_context() if curator else None


def active_groups(session: Session, organization_id: int) -> list[MentoringGroup]:
    return list(session.scalars(select(MentoringGroup).where(
        MentoringGroup.organization_id == organization_id,
        MentoringGroup.status == GroupStatus.ACTIVE).order_by(MentoringGroup.id)))


def groups_of_mentor(session: Session, organization_id: int, person_id: int
                     ) -> list[MentoringGroup]:
    """Active pairs/groups the person is the mentor of."""
    return list(session.scalars(select(MentoringGroup).where(
        MentoringGroup.organization_id == organization_id, MentoringGroup.mentor_id == person_id,
        MentoringGroup.status == GroupStatus.ACTIVE)))


def groups_of_mentee(session: Session, organization_id: int, person_id: int
                     ) -> list[MentoringGroup]:
    """Active pairs/groups the person is a mentee of."""
    return list(session.scalars(
        select(MentoringGroup).join(GroupMember).where(
            MentoringGroup.organization_id == organization_id,
            MentoringGroup.status == GroupStatus.ACTIVE, GroupMember.mentee_id == person_id)))


def publish_results(session: Session, program: Program, actor: User) -> Program:
    """Mark the program's results published on the school's site (П1 §8.1–8.2).

    RuleViolation if the program has not ended yet: results are published after the end.
    Publishing twice keeps the first date. The caller commits.
    """
    if program.status not in PROGRAM_ENDED:
        raise RuleViolation("Результаты программы публикуются только после её завершения "
                            "(п. 8.2 Положения).")
    if program.ended_on is not None and program.ended_on > date.today():
        raise RuleViolation(f"Результаты программы публикуются только после её завершения "
                            f"(п. 8.2 Положения): программа завершается "
                            f"{program.ended_on:%d.%m.%Y}.")
    if program.results_published_at is None:
        program.results_published_at = datetime.now(UTC)
        session.flush()
        audit.append(session, organization_id=program.organization_id,
                     document_id=program.document_id, actor=actor, action="publish",
                     from_state=None, to_state=None,
                     comment=f"Результаты программы № {program.id} опубликованы на сайте")
    return program


def end_group(group: MentoringGroup, on: date) -> None:
    if group.status != GroupStatus.ENDED:
        group.status = GroupStatus.ENDED
        group.ended_on = on
