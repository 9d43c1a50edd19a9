"""A participant's consent to take part in a mentoring program (§4.4.3, П1 §3.3, §6.2).

Pairs and groups are formed with the written consent of their participants; the mentee
consents to taking part in a personalized program and to the extra duties it brings.
The personal-data consent comes first: without it the service may not hold the request.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from storage.models import Document
from workflows.consents import signed_of
from workflows.errors import RuleViolation
from workflows.kinds import DocumentKind, Journal, register
from workflows.mentor_consent import person_belongs_to_organization
from workflows.people import name_in, person_of

NAME = "participant_consent"


def pd_consent_on_file(session: Session, doc: Document) -> None:
    """Personal data are processed only with a signed, not withdrawn consent (152-ФЗ ст. 9)."""
    person = person_of(session, doc.organization_id, doc.data.get("person_id"))
    if person is not None and signed_of(session, person, "pd_consent") is None:
        raise RuleViolation(
            f"Нельзя оформить согласие на участие от {name_in(person, 'genitive')}: нет "
            f"подписанного согласия на обработку персональных данных.", field="person_id")


def _title(data: dict[str, Any]) -> str:
    return f"Согласие на участие в программе наставничества: {data.get('person_name', '')}"\
        .strip()


KIND = register(
    DocumentKind(
        name=NAME,
        title="Согласие на участие в программе наставничества",
        heading="СОГЛАСИЕ",
        journal=Journal("consents", "Журнал регистрации согласий", "-с"),
        make_title=_title,
        subject_person=lambda data: data.get("person_id"),
        guards={
            "submit": (person_belongs_to_organization, pd_consent_on_file),
            "sign": (person_belongs_to_organization, pd_consent_on_file),
        },
    )
)
