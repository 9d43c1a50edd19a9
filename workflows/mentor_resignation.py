"""A mentor's statement asking to be relieved of the duties of mentor (П1 §4.1).

The mentor may address the curator and the head «с просьбой о сложении с него обязанностей
наставника»; under ТК РФ ст. 351.8 he ends mentoring early with at least three working
days' written notice. The signed statement is the ground for a new pairing order.
Route: the curator's visa, then the head's resolution (signature).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, MentoringGroup, Person
from workflows.calendar import add_working_days, as_date, working_days_between
from workflows.consents import signed_of
from workflows.errors import RuleViolation
from workflows.kinds import DocumentKind, Journal, register
from workflows.people import person_of

NAME = "mentor_resignation"
NOTICE_WORKING_DAYS = 3


def person_belongs_to_organization(session: Session, doc: Document) -> None:
    """The statement comes from a pedagogue of this organization (П1 §4.1)."""
    if person_of(session, doc.organization_id, doc.data.get("person_id")) is None:
        raise RuleViolation("Педагог, подающий заявление, не найден в вашей организации.",
                            field="person_id")


def is_a_mentor(session: Session, doc: Document) -> None:
    """Only a mentor resigns: of an active pair or group, or under a signed agreement."""
    person = person_of(session, doc.organization_id, doc.data.get("person_id"))
    if person is None:
        return
    if active_groups_of_mentor(session, person) or \
            signed_of(session, person, "mentoring_agreement") is not None:
        return
    raise RuleViolation(
        f"{person.full_name} не является наставником: нет действующей наставнической пары "
        f"или группы и подписанного дополнительного соглашения о наставничестве.",
        field="person_id")


def notice_of_three_working_days(session: Session, doc: Document) -> None:
    """The date of leaving is at least 3 working days after the statement (ТК РФ ст. 351.8)."""
    given, leaving = as_date(doc.data.get("statement_date")), as_date(doc.data.get("desired_date"))
    if given is None or leaving is None:
        raise RuleViolation("Укажите дату заявления и дату сложения обязанностей.",
                            field="desired_date")
    if working_days_between(given, leaving) < NOTICE_WORKING_DAYS:
        raise RuleViolation(
            f"Дата сложения обязанностей — не ранее чем через три рабочих дня после подачи "
            f"заявления (ст. 351.8 ТК РФ): не ранее "
            f"{add_working_days(given, NOTICE_WORKING_DAYS):%d.%m.%Y}.", field="desired_date")


def active_groups_of_mentor(session: Session, person: Person) -> list[MentoringGroup]:
    return list(session.scalars(select(MentoringGroup).where(
        MentoringGroup.organization_id == person.organization_id,
        MentoringGroup.mentor_id == person.id, MentoringGroup.status == "active")))


def mentees_context(session: Session, doc: Document) -> dict[str, Any]:
    """``extra.mentees``: mentees of the mentor's active groups, else of his agreement."""
    person = person_of(session, doc.organization_id, doc.data.get("person_id"))
    if person is None:
        return {"mentees": []}
    ids = [m.mentee_id for g in active_groups_of_mentor(session, person) for m in g.members]
    if not ids:
        agreement = signed_of(session, person, "mentoring_agreement")
        ids = list(agreement.data.get("mentee_ids") or []) if agreement else []
    people = [person_of(session, doc.organization_id, i) for i in dict.fromkeys(ids)]
    return {"mentees": [p.as_context() for p in people if p is not None]}


def _title(data: dict[str, Any]) -> str:
    return f"Заявление о сложении обязанностей наставника: {data.get('person_name', '')}"\
        .strip()


GUARDS = (person_belongs_to_organization, is_a_mentor, notice_of_three_working_days)

KIND = register(
    DocumentKind(
        name=NAME,
        title="Заявление наставника о сложении обязанностей",
        heading="ЗАЯВЛЕНИЕ",
        journal=Journal("statements", "Журнал регистрации заявлений", "-з"),
        make_title=_title,
        subject_person=lambda data: data.get("person_id"),
        route=("curator", "head"),
        guards={"submit": GUARDS, "sign": GUARDS},
        context=mentees_context,
    )
)
