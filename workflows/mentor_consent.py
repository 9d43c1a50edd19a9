"""Mentor's written consent (§4.4.2 and П1 §3.2 of the regulation; ТК РФ ст. 351.8).

A pedagogue consents in writing to being appointed mentor and to taking on the extra
duties of mentoring. Route: the clerk (or the teacher) drafts it, the director approves
and signs (registers) it. No one becomes a mentor without a signed consent on file.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document
from workflows.errors import RuleViolation
from workflows.guards import person_in_organization
from workflows.kinds import DocumentKind, KindNames
from workflows.signatories import BASIS_LABOUR, LABOUR, Signatory, from_data
from workflows.states import DocState

NAME = "mentor_consent"

DEFAULT_DUTIES = (
    "разработка совместно с наставляемым персонализированной программы наставничества; "
    "оказание наставляемому помощи в профессиональной и должностной адаптации, "
    "в освоении и совершенствовании профессиональных знаний и навыков; "
    "участие в мониторинге реализации персонализированной программы наставничества"
)


def no_other_consent_in_force(session: Session, doc: Document) -> None:
    """One pedagogue has one consent in force; a second one is a duplicate, not a new fact."""
    other = session.scalars(
        select(Document).where(
            Document.organization_id == doc.organization_id,
            Document.kind == NAME,
            Document.person_id == doc.data.get("person_id"),
            Document.state == DocState.SIGNED,
            Document.id != doc.id,
            Document.id != (doc.supersedes_id or 0),  # a new edition replaces its original
        )
    ).first()
    if other is not None:
        raise RuleViolation(
            f"У педагога уже есть подписанное согласие на назначение наставником "
            f"№ {other.number} от {other.doc_date:%d.%m.%Y}. Повторное согласие не требуется.",
            field="person_id",
        )


def _title(data: dict[str, Any]) -> str:
    return f"Согласие на назначение наставником: {data.get('person_name', '')}".strip()


KIND = DocumentKind(
    name=NAME,
    title="Согласие педагога на назначение наставником",
    names=KindNames("письменное согласие на назначение наставником",
                    "письменного согласия на назначение наставником"),
    heading="СОГЛАСИЕ",
    journal="consents",
    make_title=_title,
    signatories=(Signatory("employee", "Педагог, давший согласие", LABOUR, BASIS_LABOUR,
                           from_data("person_id")),),
    subject="person_id",
    rules=(person_in_organization("person_id", who="Педагог, дающий согласие",
                                  clause="§4.4.2", name="person_belongs_to_organization"),
           no_other_consent_in_force),
)
