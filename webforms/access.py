"""The one loader of documents by id, scoped to the user's organization (404 otherwise)."""

from __future__ import annotations

from typing import Any

from storage.db import db_session
from storage.models import Document, Person
from storage.roles import Role
from webforms.auth import current_org_id, current_roles, user
from workflows import documents
from workflows.errors import NotAllowed
from workflows.lifecycle import AUTHORS


def document_or_404(document_id: int) -> Document:
    """The document of the current organization, or NotFound (404)."""
    return documents.load(db_session(), current_org_id(), document_id)


def check_may_author(data: dict[str, Any] | None = None) -> None:
    """Clerks, curators and the director write any document; a teacher only his own."""
    roles = current_roles()
    if not roles & AUTHORS:
        raise NotAllowed("Создавать и изменять документы может делопроизводитель, куратор, "
                         "руководитель или педагог (свои документы).")
    if roles & {Role.CLERK, Role.CURATOR, Role.DIRECTOR, Role.ADMIN}:
        return
    if data is not None and data.get("person_id") != user().person_id:
        raise NotAllowed("Педагог может оформить документ только от своего имени.")


def people_choices() -> list[Person]:
    """The pedagogues of the organization, for the selects of a form.

    Everyone of the organization is listed (a mentee names his mentor); who may write a
    document about whom is checked by ``check_may_author`` when the form is sent.
    """
    from sqlalchemy import select

    q = select(Person).where(Person.organization_id == current_org_id(),
                             Person.erased_at.is_(None))
    return list(db_session().scalars(q.order_by(Person.last_name, Person.first_name)))
