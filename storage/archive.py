"""The archive: files of documents, kept in the blob store and listed in ``stored_files``.

What a file is called and what a kind is titled are the workflows' (``workflows.filing``);
this module is given them.

``verify`` rereads the whole store (``flask archive verify``): damage is found by a scan, not
only when someone happens to open the document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.blobs import blobs
from storage.models import Document, Organization, StoredFile, TemplateVersion

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def store_file(session: Session, doc: Document, data: bytes, *, role: str, filename: str,
               ext: str = "docx") -> StoredFile:
    """Store ``data`` for ``doc`` under its SHA-256 as ``filename``; one file per (document,
    role). A signed copy is never replaced (RuntimeError). ``workflows.filing`` names the
    file and calls this."""
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
                        role=role, filename=filename, media_type=MEDIA_TYPES[ext],
                        size=len(data))
    session.add(stored)
    session.flush()
    return stored


def files_of(session: Session, doc: Document) -> list[StoredFile]:
    return list(session.scalars(select(StoredFile).where(StoredFile.document_id == doc.id)
                                .order_by(StoredFile.id)))


ROLE_LABELS = {"signed_docx": "подписанная копия DOCX", "signed_pdf": "подписанная копия PDF"}


@dataclass
class ArchiveReport:
    """What ``verify`` found: files checked, bytes read, and one line per bad file."""

    files: int = 0
    blobs: int = 0  # distinct blobs read (identical files are stored once)
    bytes: int = 0
    damaged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.damaged or self.missing)


def describe_document_file(stored: StoredFile, doc: Document, org: Organization,
                            titles: Mapping[str, str]) -> str:
    number = f" № {doc.number}" if doc.number else " без номера"
    title = titles.get(doc.kind, doc.kind)
    return (f"файл «{stored.filename}» ({ROLE_LABELS.get(stored.role, stored.role)}, "
            f"SHA-256 {stored.sha256[:16]}…) — документ «{title}»{number} "
            f"«{doc.title}» (id {doc.id}), организация «{org.short_name}»")


def _describe_template(version: TemplateVersion, org: Organization,
                       titles: Mapping[str, str]) -> str:
    title = titles.get(version.kind, version.kind)
    return (f"файл «{version.filename}» (шаблон DOCX, версия {version.version}, SHA-256 "
            f"{version.sha256[:16]}…) — шаблон вида «{title}», "
            f"организация «{org.short_name}»")


def verify(session: Session, organization_id: int | None = None, *,
           titles: Mapping[str, str]) -> ArchiveReport:
    """Reread every file of the archive (documents' files and uploaded templates) and check
    each against its SHA-256; name each damaged or missing one with what it belongs to
    (``titles``: the title of each kind of document, by name).

    Files are hashed in chunks; a blob shared by several rows is read once."""
    store, report = blobs(), ArchiveReport()
    seen: dict[str, bool | None] = {}  # sha256 → intact (None: missing)

    def check(sha256: str, describe) -> None:
        report.files += 1
        if sha256 not in seen:
            found = store.digest(sha256)
            seen[sha256] = None if found is None else found[0] == sha256
            if found is not None:
                report.blobs += 1
                report.bytes += found[1]
        if seen[sha256] is None:
            report.missing.append(describe())
        elif not seen[sha256]:
            report.damaged.append(describe())

    files = (select(StoredFile, Document, Organization)
             .join(Document, StoredFile.document_id == Document.id)
             .join(Organization, StoredFile.organization_id == Organization.id)
             .order_by(StoredFile.id))
    templates = (select(TemplateVersion, Organization)
                 .join(Organization, TemplateVersion.organization_id == Organization.id)
                 .order_by(TemplateVersion.id))
    if organization_id is not None:
        files = files.where(StoredFile.organization_id == organization_id)
        templates = templates.where(TemplateVersion.organization_id == organization_id)
    for stored, doc, org in session.execute(files.execution_options(yield_per=500)):
        check(stored.sha256,
              lambda s=stored, d=doc, o=org: describe_document_file(s, d, o, titles))
    for version, org in session.execute(templates.execution_options(yield_per=500)):
        check(version.sha256, lambda v=version, o=org: _describe_template(v, o, titles))
    return report
