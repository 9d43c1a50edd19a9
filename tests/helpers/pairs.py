"""Helpers for the tests of pairs, groups and programs: consents on file, rows, documents."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from storage.db import db_session
from storage.models import Document, MentoringGroup, Program
from tests.helpers.documents import person, signed, user
from workflows.calendar import deadline_after
from workflows.states import DocState

MENTOR_PAPERS = ("pd_consent", "mentor_consent", "mentoring_agreement")
MENTEE_PAPERS = ("pd_consent", "participant_consent")
START, END = date(2026, 9, 1), date(2027, 5, 31)
# the order's due date, counted from today: an order sets no deadline already past
PROGRAMS_DUE = deadline_after(date.today(), days=14).day


def on_file(last_name: str, *kinds: str) -> None:
    """Signed documents of ``kinds`` about the person, as ``consents.signed_of`` reads them."""
    p = person(last_name)
    for kind in kinds:
        db_session().add(Document(
            organization_id=p.organization_id, kind=kind, state=DocState.SIGNED,
            title=f"{kind}: {p.full_name}", data={"person_id": p.id}, person_id=p.id,
            author_id=user("clerk").id, signed_at=datetime.now(UTC)))
    db_session().commit()


def ready(mentor: str, *mentees: str) -> None:
    """Every consent and agreement the pairing order asks of these people."""
    on_file(mentor, *MENTOR_PAPERS)
    for m in mentees:
        on_file(m, *MENTEE_PAPERS)


def pair(mentor: str, *mentees: str, form: str = "традиционная форма наставничества",
         start: date = START, end: date = END, pay: str = "5000.00") -> dict[str, Any]:
    return {"mentor_id": person(mentor).id, "mentee_ids": [person(m).id for m in mentees],
            "form": form, "start_date": start.isoformat(), "end_date": end.isoformat(),
            "pay": pay}


def order_data(*pairs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"pairs": list(pairs), "curator_id": person("Сидорова").id,
            "programs_due_date": PROGRAMS_DUE.isoformat(), "replaces_order_id": None, **extra}


def signed_order(*pairs: dict[str, Any], **extra: Any) -> Document:
    return signed("pairing_order", order_data(*pairs, **extra))


def groups_of(order: Document) -> list[MentoringGroup]:
    return list(db_session().scalars(select(MentoringGroup).where(
        MentoringGroup.order_id == order.id).order_by(MentoringGroup.id)))


def plan(*rows: tuple[str, date, date | None]) -> list[dict[str, Any]]:
    return [{"activity": a, "start_date": s.isoformat(),
             **({"end_date": e.isoformat()} if e else {}), "responsible": "наставник",
             "result": "освоены приёмы"} for a, s, e in rows]


DEFAULT_PLAN = (("Диагностика затруднений", date(2026, 9, 1), date(2026, 9, 15)),
                ("Взаимопосещение уроков", date(2026, 10, 1), date(2027, 4, 30)),
                ("Итоговое занятие", date(2027, 5, 20), None))


def program_data(group: MentoringGroup, start: date = START, end: date = END,
                 rows=DEFAULT_PLAN) -> dict[str, Any]:
    return {"group_id": group.id, "start_date": start.isoformat(), "end_date": end.isoformat(),
            "forms": ["традиционная форма наставничества"],
            "directions": ["методика обучения и преподавания"],
            "difficulties": "затруднения в организации групповой работы на уроке",
            "plan": plan(*rows), "expected_results": "наставляемый ведёт уроки самостоятельно"}


def running_program(mentor: str = "Иванова", *mentees: str) -> Program:
    """A signed pairing order and a signed program for the pair ``mentor`` — ``mentees``."""
    mentees = mentees or ("Кравец",)
    ready(mentor, *mentees)
    order = signed_order(pair(mentor, *mentees, form="наставничество в группе"
                              if len(mentees) > 1 else "традиционная форма наставничества"))
    doc = signed("mentoring_program", program_data(groups_of(order)[0]))
    return program_of(doc)


def program_of(doc: Document) -> Program:
    return db_session().scalars(select(Program).where(Program.document_id == doc.id)).one()
