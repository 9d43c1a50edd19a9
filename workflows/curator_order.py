"""Order appointing the curator of the mentoring programs (§4.4.4, П1 §3.3–3.4).

The head appoints the curator from among the deputy heads. The order names the curator
(declined by case), the date of the appointment, what the curator is to do and by when
(the roadmap, the bank of mentors and mentees, the final report), and keeps control with
the head. Route: the clerk drafts it, the director approves and signs it; it is an order
on the main activity, kept permanently.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from storage.models import Document
from workflows.acknowledgments import named_in
from workflows.calendar import as_date
from workflows.consents import latest_signed
from workflows.errors import RuleViolation
from workflows.guards import (
    deadlines_not_past,
    deputy_head,
    not_backdated,
    person_in_organization,
)
from workflows.kinds import DocumentKind
from workflows.signatories import head

NAME = "curator_order"
# the deadlines of the order, in the order its points name them
DEADLINES = {
    "roadmap_due_date": "разработать дорожную карту (план мероприятий)",
    "bank_due_date": "сформировать банк наставников и наставляемых",
    "report_due_date": "представить итоговый аналитический отчёт",
}


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


def regulation_order(session: Session, organization_id: int) -> Document | None:
    """The latest signed order approving the school's Положение, if there is one."""
    return latest_signed(session, organization_id, "regulation_order")


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


KIND = DocumentKind(
    name=NAME,
    title="Приказ о назначении куратора реализации программ наставничества",
    heading="ПРИКАЗ",
    journal="main",
    make_title=_title,
    signatories=(head(),),
    subject="person_id",
    rules=(
        person_in_organization("person_id", who="Куратор", clause="П1 §3.4",
                               where="среди работников вашей организации",
                               name="curator_in_organization"),
        deputy_head("person_id", name="curator_is_deputy_head",
                    refusal="Куратором может быть назначен только заместитель руководителя "
                            "(§4.4.4 Положения)"),
        deadlines_after_appointment,
    ),
    # the deadlines first: their refusal names the term gone by, not only the start
    sign_rules=(deadlines_not_past({
                    "roadmap_due_date": "Срок разработки дорожной карты",
                    "bank_due_date": "Срок формирования банка наставников и наставляемых",
                    "report_due_date": "Срок представления итогового аналитического отчёта",
                }, name="curator_deadlines_not_past"),
                not_backdated("start_date", what="Дата назначения куратора",
                              name="appointment_not_backdated")),
    retention_permanent=True,
    context=curator_context,
    acknowledgers=named_in(subject=True),
)
