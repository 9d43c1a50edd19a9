"""Supplementary agreement to the labour contract on mentoring (ТК РФ ст. 351.8, 60.2, 151).

Since 01.03.2025 mentoring is done with the employee's written consent on a supplementary
agreement that states its content, term, form and the pay for it; either side may end it
early with at least three working days' written notice. The pairing order refers to it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Document, Person
from workflows.errors import RuleViolation
from workflows.guards import papers_on_file, person_in_organization, term_within
from workflows.kinds import DocumentKind, KindNames
from workflows.people import name_in, person_of
from workflows.signatories import BASIS_LABOUR, LABOUR, Signatory, from_data, head

NAME = "mentoring_agreement"

DEFAULT_CONTENT = (
    "разработка совместно с наставляемым персонализированной программы наставничества и "
    "её реализация; оказание наставляемому помощи в профессиональной и должностной "
    "адаптации, в освоении и совершенствовании профессиональных знаний и навыков; "
    "посещение занятий наставляемого и их анализ; участие в мониторинге и оценке "
    "результатов программы наставничества"
)


def _mentor(session: Session, doc: Document) -> Person | None:
    return person_of(session, doc.organization_id, doc.data.get("person_id"))


def at_least_one_mentee(session: Session, doc: Document) -> None:
    """Mentoring is done in respect of a named mentee or mentees (ТК РФ ст. 351.8)."""
    if not doc.data.get("mentee_ids"):
        raise RuleViolation("В соглашении не указан ни один наставляемый.", field="mentee_ids")


def mentor_is_not_own_mentee(session: Session, doc: Document) -> None:
    """A mentor is not his own mentee (П1 §6)."""
    mentor = _mentor(session, doc)
    if mentor is not None and mentor.id in (doc.data.get("mentee_ids") or ()):
        raise RuleViolation(
            f"Наставник не может быть своим наставляемым: исключите "
            f"{name_in(mentor, 'accusative')} из списка наставляемых.", field="mentee_ids")


def pay_is_stated(session: Session, doc: Document) -> None:
    """Mentoring is paid: the agreement states the sum of the additional pay (ТК РФ ст. 151)."""
    try:
        pay = Decimal(str(doc.data.get("pay") or "0"))
    except InvalidOperation:
        pay = Decimal(0)
    if pay <= 0:
        raise RuleViolation("Укажите размер доплаты за наставничество больше нуля "
                            "(ст. 151 и 351.8 ТК РФ).", field="pay")


def mentees_context(session: Session, doc: Document) -> dict[str, Any]:
    """The mentees' names for the template: ``extra.mentees``."""
    mentees = [person_of(session, doc.organization_id, pid)
               for pid in doc.data.get("mentee_ids") or ()]
    return {"mentees": [m.as_context() for m in mentees if m is not None]}


def _title(data: dict[str, Any]) -> str:
    return ("Дополнительное соглашение о наставничестве: "
            f"{data.get('person_name', '')}").strip()


KIND = DocumentKind(
    name=NAME,
    title="Дополнительное соглашение к трудовому договору о наставничестве",
    names=KindNames("дополнительное соглашение о наставничестве",
                    "дополнительного соглашения к трудовому договору о наставничестве"),
    heading="ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ",
    journal="agreements",
    make_title=_title,
    signatories=(Signatory("employee", "Работник (наставник)", LABOUR, BASIS_LABOUR,
                           from_data("person_id")),
                 head("Работодатель (руководитель)", LABOUR, BASIS_LABOUR, part="employer")),
    subject="person_id",
    rules=(
        person_in_organization("person_id", who="Наставник", clause="ТК РФ ст. 351.8",
                               name="mentor_belongs_to_organization"),
        papers_on_file("person_id", ("mentor_consent",), clause="п. 4.4.2 Положения",
                       refusal="Нельзя назначить наставником {name}",
                       name="mentor_consent_on_file"),
        at_least_one_mentee,
        person_in_organization("mentee_ids", who="Наставляемый", many=True, clause="§5.2.3",
                               name="mentees_belong_to_organization"),
        mentor_is_not_own_mentee,
        term_within(what="Срок наставничества", ask_dates=True, name="term_is_within_a_year"),
        pay_is_stated,
    ),
    context=mentees_context,
)
