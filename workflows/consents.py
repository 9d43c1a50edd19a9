"""Which signed consents and agreements (the papers) a person has on file.

Consents are documents; "on file" means a signed document of that kind about the person
(``Document.person_id``) in the organization. A personal-data consent stops counting once
withdrawn (``Person.pd_withdrawn_on``). The papers' Russian names are their kinds'
(``DocumentKind.names``). ``latest_signed`` finds the organization's signed order in force
(the curator's appointment, the approved Положение) the same way.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, Person
from workflows.kinds import get_kind
from workflows.states import DocState

# what a mentor and a mentee need on file to enter a pairing order (§4.4.2–4.4.3, П1 §6.2;
# ТК РФ ст. 351.8), and every paper the bank page shows
MENTOR_PAPERS = ("pd_consent", "mentor_consent", "mentoring_agreement")
MENTEE_PAPERS = ("pd_consent", "participant_consent")
PAPERS = ("pd_consent", "mentor_consent", "participant_consent", "mentoring_agreement")


def latest_signed(session: Session, organization_id: int, kind: str,
                  person_id: int | None = None) -> Document | None:
    """The organization's latest signed document of ``kind`` (about ``person_id``, if
    given), or None."""
    query = select(Document).where(Document.organization_id == organization_id,
                                   Document.kind == kind, Document.state == DocState.SIGNED)
    if person_id is not None:
        query = query.where(Document.person_id == person_id)
    return session.scalars(query.order_by(Document.signed_at.desc())).first()


def signed_of(session: Session, person: Person, kind: str) -> Document | None:
    """The latest signed document of ``kind`` about ``person``, or None."""
    if kind == "pd_consent" and person.pd_withdrawn_on is not None:
        return None
    return latest_signed(session, person.organization_id, kind, person.id)


def labels() -> dict[str, str]:
    """Each paper's name as a list shows it («согласие на обработку …»), by kind."""
    return {kind: get_kind(kind).names.nominative for kind in PAPERS}


def lacking(session: Session, person: Person, papers: tuple[str, ...]) -> str:
    """What ``person`` lacks of ``papers``, as a refusal says it: «нет подписанного
    согласия …» (one), «нет подписанных документов: …, …» (several); "" if none."""
    names = [get_kind(k).names.genitive for k in papers if signed_of(session, person, k) is None]
    if not names:
        return ""
    return f"нет подписанного {names[0]}" if len(names) == 1 else \
        f"нет подписанных документов: {', '.join(names)}"
