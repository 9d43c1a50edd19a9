"""A document's DOCX: its rendering context, then its template filled with it.

``doc_templates`` turns a template and a plain mapping into DOCX; what the mapping holds
for a document — its organization, heading, number, signature marks, visas, form data and
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
from storage.models import Document, Organization, TemplateVersion
from workflows.approval_routes import visa_context
from workflows.kinds import get_kind
from workflows.signatories import HEAD_PARTS, METHOD_LABELS, signatures_of


def esign_marks(session: Session, doc: Document) -> dict[str, dict[str, Any]]:
    """The mark of each signature made on ``doc``, by party key (``Signature.party``):
    signer, position, method and its Russian label, time, keyed id (ПЭП only), SHA-256 of
    the file signed. A template prints a party's mark in that party's signature place."""
    org = session.get(Organization, doc.organization_id)
    return {s.party: {
        "signer": s.signer_name,
        "position": s.signer_position or (org.head_position if s.part in HEAD_PARTS else ""),
        "method": s.method, "method_label": METHOD_LABELS.get(s.method, s.method),
        "signed_at": s.signed_at, "signature_id": s.signature_id, "sha256": s.sha256,
    } for s in signatures_of(session, doc)}


def _head_mark(session: Session, doc: Document,
               esigns: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """``esign``: the head's simple-signature mark; for a kind the head does not sign (a
    consent, a statement) the mark of its one signatory's simple signature, the one
    signature place such a template has."""
    simple = {k: m for k, m in esigns.items() if m["method"] == "simple"}
    heads = [m for k, m in simple.items() if k in HEAD_PARTS]
    if heads:
        return heads[0]
    if any(s.is_head for s in get_kind(doc.kind).signatories) or not simple:
        return None
    return list(simple.values())[-1]


def document_context(session: Session, doc: Document, *, final: bool) -> dict[str, Any]:
    """What the template of ``doc`` sees (the names ``doc_templates.context`` lists)."""
    org = session.get(Organization, doc.organization_id)
    kind = get_kind(doc.kind)
    esigns = esign_marks(session, doc) if final else {}
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
        "esign": _head_mark(session, doc, esigns),
        "esigns": esigns,
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


def document_render(session: Session, doc: Document, *, final: bool) -> DocumentRender:
    """What rendering ``doc`` takes: its template and context (see ``render_document``)."""
    context = document_context(session, doc, final=final)
    template, version = document_template(session, doc.organization_id, doc.kind)
    return DocumentRender(template, context, version)


def render_document(session: Session, doc: Document, *, final: bool) -> bytes:
    """The document's DOCX: a draft marked ПРОЕКТ, or the final registered copy.

    The final copy records on the document which template version it was rendered from
    (``template_version_id``; None for the built-in template).
    """
    job = document_render(session, doc, final=final)
    docx = job.run()
    if final:
        doc.template_version_id = job.version.id if job.version else None
    return docx
