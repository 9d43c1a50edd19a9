"""Order appointing the curator of the mentoring programs (§4.4.4, П1 §3.3–3.4).

The head appoints the curator from among the deputy heads. The order names the curator
(declined by case), the date of the appointment, what the curator is to do and by when
(the roadmap, the bank of mentors and mentees, the final report), and keeps control with
the head. Route: the clerk drafts it, the director approves and signs it; it is an order
on the main activity, kept permanently.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, Person
from workflows.calendar import as_date
from workflows.errors import RuleViolation
from workflows.kinds import DocumentKind, Journal, register
from workflows.people import person_of
from workflows.states import DocState

NAME = "curator_order"
MAIN_JOURNAL = Journal("main", "Журнал регистрации приказов по основной деятельности", "-од")
DEPUTY_POSITIONS = ("заместитель директора", "заместитель руководителя",
                    "заместитель заведующего", "заместитель начальника")
# the deadlines of the order, in the order its points name them
DEADLINES = {
    "roadmap_due_date": "разработать дорожную карту (план мероприятий)",
    "bank_due_date": "сформировать банк наставников и наставляемых",
    "report_due_date": "представить итоговый аналитический отчёт",
}


def is_deputy(person: Person) -> bool:
    """A deputy head: so marked in the people bank, or so by position."""
    return bool(person.is_deputy_head) or \
        (person.position or "").strip().lower().startswith(DEPUTY_POSITIONS)


def curator_in_organization(session: Session, doc: Document) -> None:
    """The curator is a worker of this organization (П1 §3.4)."""
    if person_of(session, doc.organization_id, doc.data.get("person_id")) is None:
        raise RuleViolation("Куратор не найден среди работников вашей организации.",
                            field="person_id")


def curator_is_deputy_head(session: Session, doc: Document) -> None:
    """The curator is appointed from among the deputy heads (§4.4.4, П1 §3.4)."""
    person = person_of(session, doc.organization_id, doc.data.get("person_id"))
    if person is not None and not is_deputy(person):
        position = (person.position or "должность не указана").strip()
        raise RuleViolation(
            f"Куратором может быть назначен только заместитель руководителя (§4.4.4 "
            f"Положения); {person.full_name} — {position[:1].lower()}{position[1:]}.",
            field="person_id")


def deadlines_after_appointment(session: Session, doc: Document) -> None:
    """Every deadline of the order falls on or after the day the curator takes office."""
    start = as_date(doc.data.get("start_date"))
    if start is None:
        return
    for key, what in DEADLINES.items():
        due = as_date(doc.data.get(key))
        if due is not None and due < start:
            raise RuleViolation(f"Срок «{what}» ({due:%d.%m.%Y}) раньше даты назначения "
                                f"куратора ({start:%d.%m.%Y}).", field=key)


def appointment_not_backdated(session: Session, doc: Document) -> None:
    """An order takes effect on or after the day it is signed: no appointment «задним числом»."""
    start = as_date(doc.data.get("start_date"))
    if start is not None and start < date.today():
        raise RuleViolation(f"Дата назначения куратора ({start:%d.%m.%Y}) раньше даты подписания "
                            f"приказа ({date.today():%d.%m.%Y}): приказ не издаётся задним "
                            f"числом — укажите дату не ранее сегодняшней.", field="start_date")


def regulation_order(session: Session, organization_id: int) -> Document | None:
    """The latest signed order approving the school's Положение, if there is one."""
    return session.scalars(select(Document).where(
        Document.organization_id == organization_id, Document.kind == "regulation_order",
        Document.state == DocState.SIGNED).order_by(Document.signed_at.desc())).first()


def basis(session: Session, organization_id: int) -> dict[str, Any] | None:
    """The regulation order as the preamble cites it: number and date."""
    order = regulation_order(session, organization_id)
    return {"number": order.number, "doc_date": order.doc_date} if order else None


def curator_context(session: Session, doc: Document) -> dict[str, Any]:
    """``extra.basis``: the school's signed regulation order the preamble cites, or None."""
    return {"basis": basis(session, doc.organization_id)}


def _title(data: dict[str, Any]) -> str:
    name = data.get("person_name", "")
    return f"О назначении куратора реализации программ наставничества: {name}".strip()


GUARDS = (curator_in_organization, curator_is_deputy_head, deadlines_after_appointment)

KIND = register(
    DocumentKind(
        name=NAME,
        title="Приказ о назначении куратора реализации программ наставничества",
        heading="ПРИКАЗ",
        journal=MAIN_JOURNAL,
        make_title=_title,
        subject_person=lambda data: data.get("person_id"),
        guards={"submit": GUARDS, "sign": (*GUARDS, appointment_not_backdated)},
        retention_permanent=True,
        context=curator_context,
    )
)
