"""Filing a document's files in the archive, under a name a clerk recognises.

The naming is the workflows' policy (it needs the kind's heading); storing the bytes is
``storage.archive``; the organization's seal on archived PDFs is ``workflows.sealing``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.archive import store_file
from storage.models import Document, StoredFile
from workflows import sealing
from workflows.kinds import all_kinds, get_kind


def file_name(doc: Document, ext: str) -> str:
    """A name a clerk recognises: «Согласие № 3-с от 05.06.2026.docx»."""
    base = get_kind(doc.kind).heading.capitalize()
    if doc.number:
        base += f" № {doc.number}"
    if doc.doc_date:
        base += f" от {doc.doc_date:%d.%m.%Y}"
    else:
        base += f" (проект, id {doc.id})"
    return f"{base}.{ext}".replace("/", "-")


def file_document(session: Session, doc: Document, data: bytes, *, role: str,
                  ext: str = "docx", sealed: bool = False) -> StoredFile:
    """Store ``data`` for ``doc`` under its SHA-256, named by ``file_name``; one file per
    (document, role); a signed copy is never replaced (RuntimeError).

    Every PDF the service makes for the archive (not the signing copy) is sealed with the
    organization's active certificate: here (``workflows.sealing``; ConversionFailed if
    that fails), unless ``sealed`` says the caller has sealed it already with
    ``sealing.seal_archived``, outside its writing transaction, so that no lock is held
    while it signs. The seal is recorded among the document's signatures
    (``sealing.record``)."""
    archived = ext == "pdf" and sealing.sealable(role)
    if archived and not sealed:
        data = sealing.seal_archived(session, doc.organization_id, data)
    stored = store_file(session, doc, data, role=role, filename=file_name(doc, ext), ext=ext)
    if archived:
        sealing.record(session, doc, stored, data)  # the seal among the signatures
    return stored


def kind_titles() -> dict[str, str]:
    """The title of every kind by its name, for ``storage.archive.verify``'s report."""
    return {kind.name: kind.title for kind in all_kinds()}
