"""Which signed consents and agreements a person has on file.

Consents are documents; "on file" means a signed document of that kind about the person
(``Document.person_id``) in the organization. A personal-data consent stops counting once
withdrawn (``Person.pd_withdrawn_on``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, Person
from workflows.states import DocState

KIND_LABELS = {
    "pd_consent": "согласие на обработку персональных данных",
    "mentor_consent": "письменное согласие на назначение наставником",
    "participant_consent": "согласие на участие в программе наставничества",
    "mentoring_agreement": "дополнительное соглашение о наставничестве",
}


def signed_of(session: Session, person: Person, kind: str) -> Document | None:
    """The latest signed document of ``kind`` about ``person``, or None."""
    if kind == "pd_consent" and person.pd_withdrawn_on is not None:
        return None
    return session.scalars(
        select(Document).where(
            Document.organization_id == person.organization_id,
            Document.kind == kind,
            Document.person_id == person.id,
            Document.state == DocState.SIGNED,
        ).order_by(Document.signed_at.desc())
    ).first()


def missing(session: Session, person: Person, kinds: tuple[str, ...]) -> list[str]:
    """Russian names of the consents of ``kinds`` that ``person`` lacks."""
    return [KIND_LABELS.get(k, k) for k in kinds if signed_of(session, person, k) is None]
