"""Uploaded templates of an organization: versions of one kind, at most one active.

The bytes live in the blob store (content-addressed); a ``TemplateVersion`` row says whose,
for which kind, which number, and whether it is the one used from now on. Every lookup by
id goes through ``load`` scoped to the organization (NotFound otherwise).
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.blobs import blobs
from storage.errors import NotFound
from storage.models import TemplateVersion, User


def active_version(session: Session, organization_id: int, kind: str) -> TemplateVersion | None:
    """The organization's active uploaded template of ``kind``, or None (built-in)."""
    return session.scalars(select(TemplateVersion).where(
        TemplateVersion.organization_id == organization_id, TemplateVersion.kind == kind,
        TemplateVersion.is_active.is_(True))).first()


def versions_of(session: Session, organization_id: int, kind: str | None = None
                ) -> list[TemplateVersion]:
    q = select(TemplateVersion).where(TemplateVersion.organization_id == organization_id)
    if kind:
        q = q.where(TemplateVersion.kind == kind)
    return list(session.scalars(q.order_by(TemplateVersion.kind,
                                           TemplateVersion.version.desc())))


def load(session: Session, organization_id: int, version_id: int) -> TemplateVersion:
    """The version ``version_id`` of the organization, or NotFound (also for others')."""
    version = session.get(TemplateVersion, version_id)
    if version is None or version.organization_id != organization_id:
        raise NotFound("Версия шаблона не найдена.")
    return version


def add(session: Session, organization_id: int, kind: str, data: bytes, *, filename: str,
        uploaded_by: User | None, notes: str = "") -> TemplateVersion:
    """Store ``data``, record the next version. The caller has checked it
    (``webforms.samples.add_version`` checks, then calls this). The new version is not
    active until ``activate``; the caller commits.
    """
    number = (session.scalar(select(func.max(TemplateVersion.version)).where(
        TemplateVersion.organization_id == organization_id,
        TemplateVersion.kind == kind)) or 0) + 1
    version = TemplateVersion(organization_id=organization_id, kind=kind, version=number,
                              sha256=blobs().put(data), filename=filename[:300] or
                              f"{kind}.docx", uploaded_by_id=uploaded_by.id if uploaded_by
                              else None, notes=notes.strip()[:2000])
    session.add(version)
    session.flush()
    return version


def activate(session: Session, organization_id: int, kind: str,
             version: TemplateVersion | None) -> None:
    """Make ``version`` the one used for ``kind`` (None: back to the built-in template)."""
    session.execute(update(TemplateVersion).where(
        TemplateVersion.organization_id == organization_id, TemplateVersion.kind == kind)
        .values(is_active=False))
    if version is not None:
        version.is_active = True
    session.flush()
