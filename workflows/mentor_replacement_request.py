"""A mentee's request to replace the mentor (П1 §5.1).

The mentee may apply to the curator and the head of the organization with a request to
replace the mentor; the signed request is the ground for a new pairing order. Route: the
curator's visa, then the head's resolution (signature).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, MentoringGroup, Person
from workflows.consents import signed_of
from workflows.errors import RuleViolation
from workflows.kinds import DocumentKind, Journal, register
from workflows.people import name_in, person_of
from workflows.programs import groups_of_mentee
from workflows.states import DocState

NAME = "mentor_replacement_request"


def people_belong_to_organization(session: Session, doc: Document) -> None:
    """The mentee and the mentors named are pedagogues of this organization (П1 §5.1)."""
    for key, who in (("person_id", "Наставляемый"), ("current_mentor_id", "Текущий наставник"),
                     ("proposed_mentor_id", "Предлагаемый наставник")):
        pid = doc.data.get(key)
        if pid is None and key == "proposed_mentor_id":
            continue
        if person_of(session, doc.organization_id, pid) is None:
            raise RuleViolation(f"{who} не найден в вашей организации.", field=key)


def is_a_mentee(session: Session, doc: Document) -> None:
    """Only a mentee asks: of an active pair or group, or with a signed participation consent."""
    person = person_of(session, doc.organization_id, doc.data.get("person_id"))
    if person is None or active_groups_of_mentee(session, person) or \
            signed_of(session, person, "participant_consent") is not None:
        return
    raise RuleViolation(
        f"{person.full_name} не является наставляемым: нет действующей наставнической пары "
        f"или группы и подписанного согласия на участие в программе наставничества.",
        field="person_id")


def current_mentor_is_the_mentor(session: Session, doc: Document) -> None:
    """The mentor to replace is the mentee's mentor in an active pair or group, if any."""
    person = person_of(session, doc.organization_id, doc.data.get("person_id"))
    current = doc.data.get("current_mentor_id")
    if person is None:
        return
    if current == person.id:
        raise RuleViolation("Наставляемый не может быть своим наставником: выберите текущего "
                            "наставника.", field="current_mentor_id")
    mentors = {g.mentor_id for g in active_groups_of_mentee(session, person)}
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


def active_groups_of_mentee(session: Session, person: Person) -> list[MentoringGroup]:
    return groups_of_mentee(session, person.organization_id, person.id)


def mentors_context(session: Session, doc: Document) -> dict[str, Any]:
    """``extra.current_mentor``, ``extra.proposed_mentor`` (or None), ``extra.curator``."""
    def ctx(pid: Any) -> dict[str, Any] | None:
        person = person_of(session, doc.organization_id, pid)
        return person.as_context() if person is not None else None

    order = session.scalars(select(Document).where(
        Document.organization_id == doc.organization_id, Document.kind == "curator_order",
        Document.state == DocState.SIGNED).order_by(Document.signed_at.desc())).first()
    return {"current_mentor": ctx(doc.data.get("current_mentor_id")),
            "proposed_mentor": ctx(doc.data.get("proposed_mentor_id")),
            "curator": ctx(order.person_id) if order is not None else None}


def _title(data: dict[str, Any]) -> str:
    return f"Ходатайство о замене наставника: {data.get('person_name', '')}".strip()


GUARDS = (people_belong_to_organization, is_a_mentee, current_mentor_is_the_mentor,
          proposed_mentor_differs)

KIND = register(
    DocumentKind(
        name=NAME,
        title="Ходатайство наставляемого о замене наставника",
        heading="ХОДАТАЙСТВО",
        journal=Journal("statements", "Журнал регистрации заявлений", "-з"),
        make_title=_title,
        subject_person=lambda data: data.get("person_id"),
        route=("curator", "head"),
        guards={"submit": GUARDS, "sign": GUARDS},
        context=mentors_context,
    )
)
