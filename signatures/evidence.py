"""Files a signature rests on — a scan of the hand-signed original, a detached CMS
signature — kept in the blob store as uploaded and listed as files of the document.

They are never replaced (a role is used once per document): the signature record holds the
hash of the file, and the archive check (``flask archive verify``) rereads it like any
other file of the document.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.blobs import blobs
from storage.errors import RuleViolation
from storage.models import Document, StoredFile


def file_evidence(session: Session, doc: Document, data: bytes, *, role: str, filename: str,
                  media_type: str) -> StoredFile:
    """Store ``data`` by its SHA-256 and list it as ``doc``'s file ``role`` (``scan:head``,
    ``scan:copy``, ``sig:mentee:17``…); RuleViolation if the document has that file."""
    taken = session.scalars(select(StoredFile.id).where(
        StoredFile.document_id == doc.id, StoredFile.role == role)).first()
    if taken is not None:
        raise RuleViolation("Этот файл уже загружен для документа; загруженные сканы и "
                            "подписи не заменяются.")
    stored = StoredFile(organization_id=doc.organization_id, document_id=doc.id,
                        sha256=blobs().put(data), role=role, filename=filename,
                        media_type=media_type, size=len(data))
    session.add(stored)
    session.flush()
    return stored
