"""Consent to the distribution of personal data (152-ФЗ ст. 10.1): what may be published.

The consent to processing (``workflows.pd_consent``) does not cover publication; the
Положение (П1 §8.1) puts the base of mentors and mentees and the programs' results on the
school's website, which needs this separate consent, drawn up apart from any other
(ст. 10.1 ч. 1): the subject, his contact, the operator with its ИНН and ОГРН, the website,
the purpose, the data allowed, the subject's conditions and bans (ч. 9), the term, and the
right to stop the distribution at any time (ч. 12). A subject with a signed consent to
processing gives it; one in force at a time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document
from workflows.errors import RuleViolation
from workflows.guards import papers_on_file, person_in_organization
from workflows.kinds import DocumentKind, KindNames
from workflows.people import person_of
from workflows.signatories import BASIS_CONSENT, PEN, Signatory, from_data
from workflows.states import DocState

NAME = "pd_distribution_consent"


def one_in_force(session: Session, doc: Document) -> None:
    """One subject has one consent to distribution signed; a second would blur what he allows."""
    person = person_of(session, doc.organization_id, doc.data.get("person_id"))
    if person is None:
        return
    other = session.scalars(select(Document).where(
        Document.organization_id == doc.organization_id, Document.kind == NAME,
        Document.person_id == person.id, Document.state == DocState.SIGNED,
        Document.id != doc.id)).first()
    if other is not None:
        raise RuleViolation(
            f"У {person.full_name} уже есть согласие на распространение персональных данных "
            f"№ {other.number} от {other.doc_date:%d.%m.%Y}.", field="person_id")


def _title(data: dict[str, Any]) -> str:
    return ("Согласие на распространение персональных данных: "
            f"{data.get('person_name', '')}").strip()


KIND = DocumentKind(
    name=NAME,
    title="Согласие на распространение персональных данных",
    names=KindNames("согласие на распространение персональных данных",
                    "согласия на распространение персональных данных"),
    heading="СОГЛАСИЕ",
    journal="consents",
    make_title=_title,
    signatories=(Signatory("subject", "Субъект персональных данных", PEN, BASIS_CONSENT,
                           from_data("person_id")),),
    subject="person_id",
    rules=(person_in_organization("person_id", who="Педагог, дающий согласие",
                                  clause="152-ФЗ ст. 10.1", name="person_belongs_to_organization"),
           papers_on_file("person_id", ("pd_consent",), case="genitive",
                          refusal="Нельзя оформить согласие на распространение от {name}",
                          name="pd_consent_on_file"),
           one_in_force),
)
