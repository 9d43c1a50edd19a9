"""Sample documents of each kind: previews, the ``flask render`` CLI, checking uploads.

The top layer composes them because a sample takes every layer: the kind's heading, title
and context hook (``workflows``), its form schema (``webforms.forms``) and the sample
values and checks of ``doc_templates``. ``sample_context(kind)`` has the same shape as
``workflows.rendering.document_context`` (org, head, doc, esign, visas, data, extra) with
realistic Russian values; ``data`` is built from the kind's form schema, field by field.
With a session and an organization the organization's own requisites and people are used,
and the kind's ``context`` hook fills ``extra`` as it would for a real document.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from doc_templates import sandbox_process, uploads, versions
from doc_templates.samples import (
    SAMPLE_PEOPLE,
    form_sample,
    sample_requisites,
    scratch_organization,
)
from storage.errors import TemplateProblem
from storage.models import Document, Organization, Person, TemplateVersion, User
from webforms.forms import FORMS
from workflows.kinds import get_kind


def form_fields(kind: str) -> dict[str, Any] | None:
    """The fields of ``kind``'s form schema, or None for a kind without a form."""
    return dict(FORMS[kind]().fields) if kind in FORMS else None


def sample_data(kind: str, people: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Form data of ``kind`` filled with sample values, plus what the engine adds."""
    return form_sample(form_fields(kind) or {}, people)


def sample_context(kind: str, session: Session | None = None,
                   organization: Organization | None = None,
                   data: dict[str, Any] | None = None, *, final: bool = True
                   ) -> dict[str, Any]:
    """A whole rendering context for ``kind`` (see the module docstring).

    Without an organization (or a session) the sample organization and its three sample
    people are put in a scratch in-memory database, so the kind's context hook runs as it
    would for a real document.
    """
    if session is None or organization is None or organization.id is None:
        with scratch_organization() as (scratch, org):
            return _context(kind, scratch, org, data, final)
    return _context(kind, session, organization, data, final)


def _context(kind: str, session: Session, org: Organization, data: dict[str, Any] | None,
             final: bool) -> dict[str, Any]:
    k = get_kind(kind)
    found = session.scalars(select(Person).where(Person.organization_id == org.id,
                                                 Person.erased_at.is_(None))
                            .order_by(Person.id).limit(3)).all()
    people = [p.as_context() for p in found] or SAMPLE_PEOPLE
    data = dict(data) if data is not None else sample_data(kind, people)
    extra: dict[str, Any] = {}
    if k.context:
        transient = Document(organization_id=org.id, kind=kind, data=data, title="")
        try:
            extra = k.context(session, transient) or {}
        except Exception:  # a hook may need rows only a real document has
            extra = {}
        finally:
            if transient in session:
                session.expunge(transient)
    return sample_requisites(org, heading=k.heading, title=k.make_title(data), data=data,
                             extra=extra, final=final)


def allowed_names(kind: str) -> dict[str, set[str] | None]:
    """What a template of ``kind`` may use: top-level name → its keys (None: unchecked)."""
    fields = form_fields(kind)
    return uploads.allowed_names(sample_context(kind), None if fields is None else set(fields))


def check_template(kind: str, data: bytes) -> list[str]:
    """The variables the template uses (``data.duties``, ``org``…), if it is acceptable
    (see ``doc_templates.uploads``). NotFound for an unknown kind.

    Raises TemplateProblem with a Russian message naming the first problem found
    (TemplateLimit if checking it exceeded a limit of time, memory or size).
    """
    if len(data) > uploads.MAX_BYTES:
        raise TemplateProblem(f"Файл шаблона больше {uploads.MAX_BYTES // (1024 * 1024)} МБ.")
    get_kind(kind)  # NotFound for an unknown kind
    return sandbox_process.check(data, allowed_names(kind), sample_context(kind))


def add_version(session: Session, organization_id: int, kind: str, data: bytes, *,
                filename: str, uploaded_by: User | None, notes: str = "") -> TemplateVersion:
    """Check ``data`` (TemplateProblem if refused), then store it as the next version
    (``doc_templates.versions.add``).

    The check runs first, in a limited child process (up to TEMPLATE_RENDER_TIMEOUT
    seconds), before the session is used: a caller should end its transaction before
    calling (on SQLite an open transaction holds the write lock).
    """
    check_template(kind, data)
    return versions.add(session, organization_id, kind, data, filename=filename,
                        uploaded_by=uploaded_by, notes=notes)
