"""A document's DOCX: its rendering context, then its template filled with it.

``doc_templates`` turns a template and a plain mapping into DOCX; what the mapping holds
for a document — its organization, heading, number, signature mark, visas, form data and
what the kind's ``context`` hook adds — is workflow knowledge, and lives here.
``render_document`` picks the organization's active uploaded template of the kind, if any,
else the built-in one; a final render records which on the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from doc_templates.context import organization_context, revive_dates
from doc_templates.render import document_template, render_file
from storage.models import Document, Organization, TemplateVersion, User
from workflows.approval_routes import visa_context
from workflows.kinds import get_kind


def document_context(session: Session, doc: Document, *, final: bool,
                     signer: User | None = None) -> dict[str, Any]:
    """What the template of ``doc`` sees (the names ``doc_templates.context`` lists)."""
    org = session.get(Organization, doc.organization_id)
    kind = get_kind(doc.kind)
    esign = None
    if final and doc.signature_id:
        signer = signer or (session.get(User, doc.signed_by_id) if doc.signed_by_id else None)
        esign = {
            "signer": signer.full_name if signer else "",
            "position": (signer.position if signer else "") or org.head_position,
            "signed_at": doc.signed_at,
            "signature_id": doc.signature_id,
        }
    return {
        "org": organization_context(org),
        "head": org.head,
        "doc": {
            "heading": kind.heading,
            "title": doc.title,
            "number": doc.number if final else None,
            "date": doc.doc_date if final else None,
            "is_draft": not final,
        },
        "esign": esign,
        "visas": visa_context(session, doc),
        "data": revive_dates(doc.data),
        "extra": revive_dates(kind.context(session, doc)) if kind.context else {},
    }


@dataclass(frozen=True)
class DocumentRender:
    """Everything a document's render needs, read from the database; ``run`` needs none.

    So a caller can read inside its transaction, end it, and render (an uploaded template
    may take seconds in its process) without holding a database lock.
    """

    template: bytes | Path
    context: dict[str, Any]
    version: TemplateVersion | None

    def run(self) -> bytes:
        return render_file(self.template, self.context,
                           uploaded=self.version is not None)


def document_render(session: Session, doc: Document, *, final: bool,
                    signer: User | None = None) -> DocumentRender:
    """What rendering ``doc`` takes: its template and context (see ``render_document``)."""
    context = document_context(session, doc, final=final, signer=signer)
    template, version = document_template(session, doc.organization_id, doc.kind)
    return DocumentRender(template, context, version)


def render_document(session: Session, doc: Document, *, final: bool,
                    signer: User | None = None) -> bytes:
    """The document's DOCX: a draft marked ПРОЕКТ, or the final registered copy.

    The final copy records on the document which template version it was rendered from
    (``template_version_id``; None for the built-in template).
    """
    job = document_render(session, doc, final=final, signer=signer)
    docx = job.run()
    if final:
        doc.template_version_id = job.version.id if job.version else None
    return docx
