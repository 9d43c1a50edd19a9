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
from workflows.calendar import as_date
from workflows.consents import signed_of
from workflows.errors import RuleViolation
from workflows.kinds import DocumentKind, Journal, register
from workflows.people import name_in, person_of
from workflows.programs import last_day

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


def mentor_belongs_to_organization(session: Session, doc: Document) -> None:
    """The agreement is made with a pedagogue of this organization (ТК РФ ст. 351.8)."""
    if _mentor(session, doc) is None:
        raise RuleViolation("Наставник не найден в вашей организации.", field="person_id")


def mentor_consent_on_file(session: Session, doc: Document) -> None:
    """No one is appointed mentor without his signed written consent (§4.4.2, П1 §3.2)."""
    mentor = _mentor(session, doc)
    if mentor is not None and signed_of(session, mentor, "mentor_consent") is None:
        raise RuleViolation(
            f"Нельзя назначить наставником {name_in(mentor, 'accusative')}: нет подписанного "
            f"письменного согласия на назначение наставником (п. 4.4.2 Положения).",
            field="person_id")


def at_least_one_mentee(session: Session, doc: Document) -> None:
    """Mentoring is done in respect of a named mentee or mentees (ТК РФ ст. 351.8)."""
    if not doc.data.get("mentee_ids"):
        raise RuleViolation("В соглашении не указан ни один наставляемый.", field="mentee_ids")


def mentees_belong_to_organization(session: Session, doc: Document) -> None:
    """Mentees are pedagogues of the same organization (§5.2.3)."""
    for pid in doc.data.get("mentee_ids") or ():
        if person_of(session, doc.organization_id, pid) is None:
            raise RuleViolation("Наставляемый не найден в вашей организации.",
                                field="mentee_ids")


def mentor_is_not_own_mentee(session: Session, doc: Document) -> None:
    """A mentor is not his own mentee (П1 §6)."""
    mentor = _mentor(session, doc)
    if mentor is not None and mentor.id in (doc.data.get("mentee_ids") or ()):
        raise RuleViolation(
            f"Наставник не может быть своим наставляемым: исключите "
            f"{name_in(mentor, 'accusative')} из списка наставляемых.", field="mentee_ids")


def term_is_within_a_year(session: Session, doc: Document) -> None:
    """The term is stated, ends after it starts, and lasts at most one year (§1.3)."""
    start, end = as_date(doc.data.get("start_date")), as_date(doc.data.get("end_date"))
    if start is None or end is None:
        raise RuleViolation("Укажите срок наставничества: даты начала и окончания.",
                            field="end_date")
    if end <= start:
        raise RuleViolation("Срок наставничества: дата окончания должна быть позже даты "
                            "начала.", field="end_date")
    if end > last_day(start, years=1):
        raise RuleViolation(f"Срок наставничества не может превышать одного года (п. 1.3 "
                            f"Положения): окончание не позднее "
                            f"{last_day(start, years=1):%d.%m.%Y}.", field="end_date")


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


GUARDS = (mentor_belongs_to_organization, mentor_consent_on_file, at_least_one_mentee,
          mentees_belong_to_organization, mentor_is_not_own_mentee, term_is_within_a_year,
          pay_is_stated)

KIND = register(
    DocumentKind(
        name=NAME,
        title="Дополнительное соглашение к трудовому договору о наставничестве",
        heading="ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ",
        journal=Journal("agreements", "Журнал регистрации соглашений к трудовым договорам",
                        "-дс"),
        make_title=_title,
        subject_person=lambda data: data.get("person_id"),
        guards={"submit": GUARDS, "sign": GUARDS},
        context=mentees_context,
    )
)
