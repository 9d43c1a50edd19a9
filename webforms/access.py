"""The one loader of documents by id, scoped to the user's organization (404 otherwise)."""

from __future__ import annotations

from typing import Any

from storage.db import db_session
from storage.models import Document, Person
from storage.roles import Role
from webforms.auth import current_org_id, current_roles, user
from workflows import documents
from workflows.errors import NotAllowed, NotFound
from workflows.lifecycle import AUTHORS

# Roles that see every document of their organization; anyone else (a teacher) sees only
# the documents that concern him: personal data of colleagues is not his to read.
STAFF = frozenset({Role.CLERK, Role.CURATOR, Role.DIRECTOR, Role.ADMIN, Role.INSPECTOR})


def _named_people(data: Any) -> set[int]:
    """Every person id a document's data names (``*_id``, ``*_ids``, also inside rows)."""
    found: set[int] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith("_id") and isinstance(value, int):
                found.add(value)
            elif key.endswith("_ids") and isinstance(value, list):
                found.update(v for v in value if isinstance(v, int))
            elif isinstance(value, (dict, list)):
                found |= _named_people(value)
    elif isinstance(data, list):
        for item in data:
            found |= _named_people(item)
    return found


def may_see(doc: Document) -> bool:
    """Staff see the organization's documents; a teacher those he wrote or is named in."""
    if current_roles() & STAFF:
        return True
    me = user()
    return doc.author_id == me.id or (me.person_id is not None and (
        doc.person_id == me.person_id or me.person_id in _named_people(doc.data)))


def document_or_404(document_id: int) -> Document:
    """The document of the current organization that this user may see, or NotFound (404)."""
    doc = documents.load(db_session(), current_org_id(), document_id)
    if not may_see(doc):
        raise NotFound("Документ не найден.")
    return doc


def visible_documents(**filters: Any) -> list[Document]:
    """The organization's documents this user may see (``documents_of`` filters)."""
    docs = documents.documents_of(db_session(), current_org_id(), **filters)
    return docs if current_roles() & STAFF else [d for d in docs if may_see(d)]


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
