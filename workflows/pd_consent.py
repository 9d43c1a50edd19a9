"""Consent to the processing of personal data (152-ФЗ ст. 9 ч. 4, as amended from 01.09.2025).

A separate document (not a clause of another one) with the nine items of ст. 9 ч. 4:
the subject and his passport, a representative if any, the operator (the school), the
purpose, the list of data, the processor acting on the operator's instruction (the service
«Наставник»), the actions and ways of processing, the term and how to withdraw, the
signature. Nobody enters the bank of mentors and mentees without a signed one (П2 stages
2–3); withdrawing it is ``workflows.personal_data.withdraw``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, Erasure
from workflows.errors import RuleViolation
from workflows.guards import person_in_organization
from workflows.kinds import DocumentKind, KindNames
from workflows.people import person_of
from workflows.signatories import BASIS_CONSENT, PEN, Signatory, from_data
from workflows.states import DocState

NAME = "pd_consent"


def person_not_erased(session: Session, doc: Document) -> None:
    """Data of a person erased after withdrawal (152-ФЗ ст. 21 ч. 5) are not collected again."""
    person = person_of(session, doc.organization_id, doc.data.get("person_id"))
    if person is not None and person.erased_at is not None:
        raise RuleViolation("Персональные данные этого субъекта уничтожены после отзыва "
                            "согласия; внесите его в систему заново.", field="person_id")


def no_other_pd_consent_in_force(session: Session, doc: Document) -> None:
    """One subject has one consent in force; a new one is needed only after a withdrawal."""
    person = person_of(session, doc.organization_id, doc.data.get("person_id"))
    if person is None or person.pd_withdrawn_on is not None:
        return
    other = session.scalars(
        select(Document).where(
            Document.organization_id == doc.organization_id,
            Document.kind == NAME,
            Document.person_id == person.id,
            Document.state == DocState.SIGNED,
            Document.id != doc.id,
        )
    ).first()
    if other is not None:
        raise RuleViolation(
            f"У {person.full_name} уже есть действующее согласие на обработку персональных "
            f"данных № {other.number} от {other.doc_date:%d.%m.%Y}.", field="person_id")


def consent_given_again(session: Session, doc: Document) -> None:
    """A new signed consent after a withdrawal resumes processing; the pending erasure lapses."""
    person = person_of(session, doc.organization_id, doc.person_id)
    if person is None or person.pd_withdrawn_on is None:
        return
    for erasure in session.scalars(select(Erasure).where(
            Erasure.person_id == person.id, Erasure.erased_at.is_(None))):
        erasure.details = (f"Уничтожение не проводилось: субъект дал новое согласие "
                           f"(документ № {doc.id}).")
    person.pd_withdrawn_on = None


def processor() -> dict[str, str] | None:
    """The processor of the installation (``PD_PROCESSOR_NAME``, ``PD_PROCESSOR_ADDRESS``,
    see ``webforms.config``): who runs the service on the schools' instruction, or None when
    each school runs it itself."""
    if not has_app_context():
        return None
    name = (current_app.config.get("PD_PROCESSOR_NAME") or "").strip()
    address = (current_app.config.get("PD_PROCESSOR_ADDRESS") or "").strip()
    return {"name": name, "address": address} if name else None


def _context(session: Session, doc: Document) -> dict[str, Any]:
    return {"processor": processor()}


def _title(data: dict[str, Any]) -> str:
    return f"Согласие на обработку персональных данных: {data.get('person_name', '')}".strip()


KIND = DocumentKind(
    name=NAME,
    title="Согласие на обработку персональных данных",
    names=KindNames("согласие на обработку персональных данных",
                    "согласия на обработку персональных данных"),
    heading="СОГЛАСИЕ",
    journal="consents",
    make_title=_title,
    context=_context,
    signatories=(Signatory("subject", "Субъект персональных данных", PEN, BASIS_CONSENT,
                           from_data("person_id")),),
    subject="person_id",
    rules=(person_in_organization("person_id", who="Педагог, дающий согласие",
                                  clause="152-ФЗ ст. 9", name="person_belongs_to_organization"),
           person_not_erased, no_other_pd_consent_in_force),
    effects={"sign": (consent_given_again,)},
)
