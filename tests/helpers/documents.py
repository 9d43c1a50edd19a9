"""The demo school's rows and documents made through the real workflow API: drafts, walks
along the route, signatures by every party, refusals and what stays unchanged after them,
the signed copy on file."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.blobs import blobs
from storage.db import db_session
from storage.models import Document, Organization, Person, StoredFile, User
from storage.roles import Role
from webforms import demo_signing
from workflows import documents, signatories
from workflows.errors import NastavnikError

ALL_ROLES = frozenset(Role)


def user(login: str) -> User:
    return db_session().scalars(select(User).where(User.login == login)).one()


def person(last_name: str) -> Person:
    return db_session().scalars(select(Person).where(Person.last_name == last_name)).one()


def person_id(app, last_name: str) -> int:
    """The id of the person, read in a context of its own (for HTTP tests)."""
    with app.app_context():
        return person(last_name).id


def organization(short_name: str = "МОУ СШ № 5") -> Organization:
    """An organization of the school fixture, by default the demo school."""
    return db_session().scalars(select(Organization).where(
        Organization.short_name == short_name)).one()


def draft(kind: str, data: dict[str, Any], *, author: str = "clerk") -> Document:
    """A new draft of ``kind`` in the demo school, committed."""
    doc = documents.create(db_session(), organization_id=organization().id, kind=kind,
                           data=data, author=user(author))
    db_session().commit()
    return doc


def walk(doc: Document, *actions: str, actor: str = "director", comment: str = "") -> Document:
    """Take ``actions`` in order as ``actor`` (with every role, so only rules can refuse);
    ``sign`` is every party's signature (``sign_all``), ``actor`` filing the paper ones."""
    for action in actions:
        if action == "sign":
            sign_all(doc, recorder=actor)
            continue
        documents.transition(db_session(), doc, action, actor=user(actor), roles=ALL_ROLES,
                             comment=comment)
        db_session().commit()
    return doc


def sign_all(doc: Document, recorder: str = "clerk") -> Document:
    """Every party still to sign signs, in order, each committed: with ПЭП under her own
    account where the kind allows it and she has one, else on paper, ``recorder`` (a clerk
    or the head of the document's organization) filing the scan
    (``webforms.demo_signing.sign_next``). A refusal is raised, the caller rolls back."""
    while doc.state == "approved":
        demo_signing.sign_next(db_session(), doc, user(recorder))
        db_session().commit()
    return doc


def signer(doc: Document) -> str:
    """The login of the next party to sign ``doc`` (the director for the head, and for a
    party without an account)."""
    party = signatories.pending(db_session(), doc)[0]
    return db_session().get(User, party.user_id).login if party.user_id else "director"


def signed(kind: str, data: dict[str, Any]) -> Document:
    """A document of ``kind`` taken through its whole route to signed, by every party."""
    return finish(draft(kind, data))


def finish(doc: Document) -> Document:
    """Take an existing draft through its route to signed (visas as the route asks, then
    every party's signature)."""
    walk(doc, "submit")
    while doc.state == "in_approval":
        walk(doc, "approve")
    return sign_all(doc)


def refused(doc: Document, action: str, *, actor: str | None = None, roles=ALL_ROLES,
            error: type[NastavnikError] = NastavnikError) -> str:
    """Try ``action`` as ``actor`` (by default the director; for ``sign`` the next party to
    sign, with ПЭП); return the refusal's Russian message (an ``error``), the session
    rolled back."""
    if actor is None:
        actor = signer(doc) if action == "sign" and doc.state == "approved" else "director"
    try:
        documents.transition(db_session(), doc, action, actor=user(actor), roles=roles)
    except error as exc:
        db_session().rollback()
        return exc.message
    raise AssertionError(f"«{action}» was not refused")


def check_refused(doc: Document, message: str, action: str = "submit", *,
                  whole: bool = False, none_of: type | None = None,
                  stays: str | None = None,
                  error: type[NastavnikError] = NastavnikError) -> None:
    """``action`` is refused (by an ``error``) with ``message`` (in the refusal, or all of
    it if ``whole``), the document's state is unchanged (and is ``stays``, if given) and, if
    given, no row of ``none_of`` was made."""
    before = state(doc)
    if whole:
        assert refused(doc, action, error=error) == message
    else:
        assert message in refused(doc, action, error=error)
    assert state(doc) == before
    if stays is not None:
        assert state(doc) == stays
    if none_of is not None:
        assert not db_session().scalars(select(none_of)).all()


def state(doc: Document) -> str:
    """The document's state as stored now."""
    db_session().expire_all()
    return db_session().get(Document, doc.id).state


def signed_copy(doc: Document) -> bytes:
    """The DOCX filed in the archive when ``doc`` was signed."""
    stored = db_session().scalars(select(StoredFile).where(
        StoredFile.document_id == doc.id, StoredFile.role == "signed_docx")).one()
    return blobs().get(stored.sha256)
