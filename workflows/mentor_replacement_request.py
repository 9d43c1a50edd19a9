"""A mentee's request to replace the mentor (П1 §5.1).

The mentee may apply to the curator and the head of the organization with a request to
replace the mentor; the signed request is the ground for a new pairing order. Route: the
curator's visa, then the head's resolution (signature).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from storage.models import Document
from workflows.consents import latest_signed
from workflows.errors import RuleViolation
from workflows.guards import person_in_organization, takes_part
from workflows.kinds import DocumentKind
from workflows.people import name_in, person_of
from workflows.programs import groups_of_mentee
from workflows.signatories import BASIS_STATEMENT, PEN, Signatory, from_data

NAME = "mentor_replacement_request"


def current_mentor_is_the_mentor(session: Session, doc: Document) -> None:
    """The mentor to replace is the mentee's mentor in an active pair or group, if any."""
    person = person_of(session, doc.organization_id, doc.data.get("person_id"))
    current = doc.data.get("current_mentor_id")
    if person is None:
        return
    if current == person.id:
        raise RuleViolation("Наставляемый не может быть своим наставником: выберите текущего "
                            "наставника.", field="current_mentor_id")
    mentors = {g.mentor_id for g in groups_of_mentee(session, person.organization_id, person.id)}
    if mentors and current not in mentors:
        mentor = person_of(session, doc.organization_id, current)
        raise RuleViolation(
            f"{mentor.full_name if mentor else 'Выбранный педагог'} не является наставником "
            f"{name_in(person, 'genitive')} в действующей наставнической паре или группе.",
            field="current_mentor_id")


def proposed_mentor_differs(session: Session, doc: Document) -> None:
    """The proposed mentor is neither the mentee himself nor the mentor to be replaced."""
    proposed = doc.data.get("proposed_mentor_id")
    if proposed is None:
        return
    if proposed == doc.data.get("person_id"):
        raise RuleViolation("Наставляемый не может предложить наставником себя.",
                            field="proposed_mentor_id")
    if proposed == doc.data.get("current_mentor_id"):
        raise RuleViolation("Предлагаемый наставник совпадает с текущим: выберите другого "
                            "педагога или оставьте поле пустым.", field="proposed_mentor_id")


def mentors_context(session: Session, doc: Document) -> dict[str, Any]:
    """``extra.current_mentor``, ``extra.proposed_mentor`` (or None), ``extra.curator``."""
    def ctx(pid: Any) -> dict[str, Any] | None:
        person = person_of(session, doc.organization_id, pid)
        return person.as_context() if person is not None else None

    order = latest_signed(session, doc.organization_id, "curator_order")
    return {"current_mentor": ctx(doc.data.get("current_mentor_id")),
            "proposed_mentor": ctx(doc.data.get("proposed_mentor_id")),
            "curator": ctx(order.person_id) if order is not None else None}


def _title(data: dict[str, Any]) -> str:
    return f"Ходатайство о замене наставника: {data.get('person_name', '')}".strip()


KIND = DocumentKind(
    name=NAME,
    title="Ходатайство наставляемого о замене наставника",
    heading="ХОДАТАЙСТВО",
    journal="statements",
    make_title=_title,
    signatories=(Signatory("author", "Наставляемый, подавший ходатайство", PEN,
                           BASIS_STATEMENT, from_data("person_id")),),
    subject="person_id",
    route=("curator", "head"),
    rules=(
        # the mentee and the mentors named are pedagogues of this organization (П1 §5.1)
        person_in_organization("person_id", who="Наставляемый", clause="П1 §5.1",
                               name="mentee_in_organization"),
        person_in_organization("current_mentor_id", who="Текущий наставник", clause="П1 §5.1",
                               name="current_mentor_in_organization"),
        person_in_organization("proposed_mentor_id", who="Предлагаемый наставник",
                               optional=True, clause="П1 §5.1",
                               name="proposed_mentor_in_organization"),
        takes_part("person_id", as_who="наставляемым", groups=groups_of_mentee,
                   paper="participant_consent", name="is_a_mentee",
                   paper_words="согласия на участие в программе наставничества"),
        current_mentor_is_the_mentor, proposed_mentor_differs),
    context=mentors_context,
)
