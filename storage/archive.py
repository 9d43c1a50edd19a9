"""The archive: files of documents, kept in the blob store and listed in ``stored_files``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.blobs import blobs
from storage.models import Document, StoredFile

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def file_name(doc: Document, ext: str) -> str:
    """A name a clerk recognises: «Согласие № 3-с от 05.06.2026.docx»."""
    from workflows.kinds import get_kind

    base = get_kind(doc.kind).heading.capitalize()
    if doc.number:
        base += f" № {doc.number}"
    if doc.doc_date:
        base += f" от {doc.doc_date:%d.%m.%Y}"
    else:
        base += f" (проект, id {doc.id})"
    return f"{base}.{ext}".replace("/", "-")


def file_document(session: Session, doc: Document, data: bytes, *, role: str,
                  ext: str = "docx") -> StoredFile:
    """Store ``data`` for ``doc`` under its SHA-256; one file per (document, role)."""
    sha = blobs().put(data)
    existing = session.scalars(select(StoredFile).where(
        StoredFile.document_id == doc.id, StoredFile.role == role)).first()
    if existing is not None:
        if existing.sha256 == sha:
            return existing
        if role.startswith("signed"):
            raise RuntimeError("a signed copy is never replaced")
        session.delete(existing)
    stored = StoredFile(organization_id=doc.organization_id, document_id=doc.id, sha256=sha,
                        role=role, filename=file_name(doc, ext), media_type=MEDIA_TYPES[ext],
                        size=len(data))
    session.add(stored)
    session.flush()
    return stored


def files_of(session: Session, doc: Document) -> list[StoredFile]:
    return list(session.scalars(select(StoredFile).where(StoredFile.document_id == doc.id)
                                .order_by(StoredFile.id)))
