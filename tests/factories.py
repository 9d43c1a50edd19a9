"""Small helpers to make the data tests need, through the real workflow API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.db import db_session
from storage.models import Document, Organization, Person, User
from storage.roles import Role
from workflows import documents

ALL_ROLES = frozenset(Role)


def user(login: str) -> User:
    return db_session().scalars(select(User).where(User.login == login)).one()


def person(last_name: str) -> Person:
    return db_session().scalars(select(Person).where(Person.last_name == last_name)).one()


def school() -> Organization:
    return db_session().scalars(select(Organization).where(
        Organization.short_name == "МОУ СШ № 5")).one()


def draft(kind: str, data: dict[str, Any], *, author: str = "clerk") -> Document:
    """A new draft of ``kind`` in the demo school, committed."""
    doc = documents.create(db_session(), organization_id=school().id, kind=kind, data=data,
                           author=user(author))
    db_session().commit()
    return doc


def walk(doc: Document, *actions: str, actor: str = "director", comment: str = "") -> Document:
    """Take ``actions`` in order as ``actor`` (with every role, so only rules can refuse)."""
    for action in actions:
        documents.transition(db_session(), doc, action, actor=user(actor), roles=ALL_ROLES,
                             comment=comment)
        db_session().commit()
    return doc


def signed(kind: str, data: dict[str, Any]) -> Document:
    """A document of ``kind`` taken through its whole route to signed."""
    doc = draft(kind, data)
    from workflows.routes import route_steps  # visas of the route, if the kind has any

    walk(doc, "submit")
    for _ in route_steps(db_session(), doc):
        walk(doc, "approve")
    if doc.state != "approved":
        walk(doc, "approve")
    return walk(doc, "sign")


def refused(doc: Document, action: str, *, actor: str = "director",
            roles=ALL_ROLES) -> str:
    """Try ``action``; return the refusal's Russian message, the session rolled back."""
    from workflows.errors import NastavnikError

    try:
        documents.transition(db_session(), doc, action, actor=user(actor), roles=roles)
    except NastavnikError as exc:
        db_session().rollback()
        return exc.message
    raise AssertionError(f"«{action}» was not refused")


def state(doc: Document) -> str:
    """The document's state as stored now."""
    db_session().expire_all()
    return db_session().get(Document, doc.id).state


def docx_text(data: bytes) -> str:
    """Every paragraph, table cell and header line of a DOCX, one per line."""
    import io

    from docx import Document as read_docx

    d = read_docx(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in d.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)
