"""Creating, editing and moving documents along their life.

``transition`` is the one door through which a document changes state: it checks the
arrow exists, the role may take it, the document was not changed meanwhile (version),
the kind's guards (the regulation's rules) hold; then it applies the effects and writes
the audit row. The caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from signatures import simple
from signatures.content import content_hash
from storage.models import Document, User
from storage.roles import Role
from workflows import audit, routes, scoping
from workflows.errors import Conflict, NotAllowed, NotFound, RuleViolation, ValidationError
from workflows.filing import file_document
from workflows.journals import next_number
from workflows.kinds import get_kind
from workflows.lifecycle import TRANSITIONS, Transition
from workflows.people import person_of
from workflows.rendering import render_document
from workflows.states import EDITABLE_STATES, DocState


def load(session: Session, organization_id: int, document_id: int) -> Document:
    """The document ``document_id`` of the organization, or NotFound (also for other orgs')."""
    doc = scoping.row_of(session, Document, organization_id, document_id)
    if doc is None:
        raise NotFound("Документ не найден.")
    return doc


MAX_COMMENT = 2000  # a comment of a transition (return, cancel, visa)


def _with_person_names(session: Session, organization_id: int,
                       data: dict[str, Any]) -> dict[str, Any]:
    """Copy the person's name into the data, so the document says who it is about."""
    data = dict(data)
    pid = data.get("person_id")
    if pid is not None:
        person = person_of(session, organization_id, pid)
        if person is None:
            raise ValidationError("Проверьте поля формы.",
                                  {"person_id": ["Педагог не найден в вашей организации."]})
        data["person"] = person.as_context()
        data["person_name"] = person.full_name
    return data


def create(session: Session, *, organization_id: int, kind: str, data: dict[str, Any],
           author: User, create_token: str | None = None) -> Document:
    """A new draft of ``kind`` from validated form data.

    ValidationError (422) if the data names a person, document, pair/group or program not
    of the organization (``workflows.scoping.check``), in any field or table row.
    ``create_token`` (unique per organization) marks the form submit that made it; a
    second insert with the same token raises IntegrityError (``webforms.create_tokens``).
    """
    k = get_kind(kind)
    scoping.check(session, organization_id, k.name, data)
    data = _with_person_names(session, organization_id, data)
    doc = Document(organization_id=organization_id, kind=k.name, state=DocState.DRAFT,
                   title=k.make_title(data), data=data, author_id=author.id,
                   person_id=k.subject_person(data), create_token=create_token)
    doc.content_hash = content_hash(doc)
    session.add(doc)
    session.flush()
    audit.append(session, organization_id=organization_id, document_id=doc.id, actor=author,
                 action="create", from_state=None, to_state=DocState.DRAFT,
                 content_hash=doc.content_hash)
    return doc


def supersede(session: Session, doc: Document, *, author: User) -> Document:
    """A new draft that will replace the signed ``doc`` (a signed document is never edited)."""
    if doc.state != DocState.SIGNED:
        raise RuleViolation("Новую редакцию создают только для подписанного документа; "
                            "неподписанный документ можно исправить.")
    data = {k: v for k, v in doc.data.items() if k not in ("person", "person_name")}
    new = create(session, organization_id=doc.organization_id, kind=doc.kind, data=data,
                 author=author)
    new.supersedes_id = doc.id
    session.flush()
    return new


def update(session: Session, doc: Document, *, data: dict[str, Any], actor: User,
           expected_version: int | None = None) -> Document:
    """Replace a draft's data. A returned document becomes a draft again.

    ValidationError (422) for ids not of the organization, as ``create``.
    """
    _check_version(doc, expected_version)
    if doc.state not in EDITABLE_STATES:
        raise RuleViolation(f"Документ в состоянии «{DocState(doc.state).label}» изменять "
                            f"нельзя. Подписанный документ не редактируется: создайте новый.")
    k = get_kind(doc.kind)
    scoping.check(session, doc.organization_id, k.name, data)
    before = doc.state
    doc.data = _with_person_names(session, doc.organization_id, data)
    doc.title = k.make_title(doc.data)
    doc.person_id = k.subject_person(doc.data)
    doc.state = DocState.DRAFT
    doc.content_hash = content_hash(doc)
    with _stale_is_conflict(session):
        session.flush()
    audit.append(session, organization_id=doc.organization_id, document_id=doc.id, actor=actor,
                 action="edit", from_state=before, to_state=DocState.DRAFT,
                 content_hash=doc.content_hash)
    return doc


def available(session: Session, doc: Document, user: User,
              roles: Iterable[Role]) -> list[Transition]:
    """The arrows this user could take from the document's current state."""
    kind = get_kind(doc.kind)
    roles = set(roles)
    out = []
    for t in TRANSITIONS.values():
        if doc.state not in t.sources or t.action == "edit":
            continue
        if t.action == "approve":
            if routes.can_give(session, doc, user, roles):
                out.append(t)
        elif roles & kind.roles_for(t.action) or (
                t.action == "return" and routes.can_give(session, doc, user, roles)):
            out.append(t)
    return out


def transition(session: Session, doc: Document, action: str, *, actor: User,
               roles: Iterable[Role], comment: str = "",
               expected_version: int | None = None) -> Document:
    """Take the arrow ``action``; raise a NastavnikError (state unchanged) if refused.

    Conflict (409) if another user changed the document since ``expected_version`` or
    concurrently with this call; the session is then rolled back.
    """
    with _stale_is_conflict(session):
        return _transition(session, doc, action, actor=actor, roles=roles, comment=comment,
                           expected_version=expected_version)


def _transition(session: Session, doc: Document, action: str, *, actor: User,
                roles: Iterable[Role], comment: str, expected_version: int | None) -> Document:
    t = TRANSITIONS.get(action)
    if t is None:
        raise NotFound(f"Неизвестное действие: «{action}».")
    _check_version(doc, expected_version)
    kind = get_kind(doc.kind)
    state = DocState(doc.state)
    if state not in t.sources:
        raise RuleViolation(f"Действие «{t.label}» невозможно: документ в состоянии "
                            f"«{state.label}».")
    # the route decides who approves (give_visa below); whoever's visa is due may also return
    on_route = action == "return" and routes.can_give(session, doc, actor, roles)
    if action != "approve" and not on_route and not set(roles) & kind.roles_for(action):
        allowed = ", ".join(sorted(r.label.lower() for r in kind.roles_for(action)))
        raise NotAllowed(f"Действие «{t.label}» для этого документа может выполнить только: "
                         f"{allowed}.")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        message = f"Комментарий: не больше {MAX_COMMENT} знаков."
        raise ValidationError(message, {"comment": [message]})
    if t.needs_comment and not comment:
        raise ValidationError("Укажите причину в комментарии.",
                              {"comment": ["Комментарий обязателен для этого действия."]})
    for guard in kind.guards.get(action, ()):
        guard(session, doc)
    target = t.target
    if action == "submit":
        doc.approval_round = (doc.approval_round or 0) + 1
        if not routes.pending(session, doc):  # a route with no visas: straight to signing
            target = DocState.APPROVED
    elif action == "approve":
        step = routes.give_visa(session, doc, actor, roles)
        comment = comment or f"Виза: {step.lower()}"
        if routes.pending(session, doc):
            target = DocState.IN_APPROVAL
    elif action == "sign":
        _register_and_sign(session, doc, actor)
    for effect in kind.effects.get(action, ()):
        effect(session, doc)
    doc.state = target
    doc.last_comment = comment if action in ("return", "cancel") else doc.last_comment
    session.flush()
    audit.append(session, organization_id=doc.organization_id, document_id=doc.id, actor=actor,
                 action=action, from_state=state, to_state=target, comment=comment,
                 content_hash=doc.content_hash or "")
    return doc


def _register_and_sign(session: Session, doc: Document, signer: User) -> None:
    """Number, date, content hash, signature id, the final DOCX in the archive."""
    kind = get_kind(doc.kind)
    today = date.today()
    if kind.journal is not None:
        seq = next_number(session, doc.organization_id, kind.journal.code, today.year)
        doc.journal, doc.reg_year, doc.reg_seq = kind.journal.code, today.year, seq
        doc.number = kind.journal.format(seq)
    doc.doc_date = today
    doc.signed_at = datetime.now(UTC)
    doc.signed_by_id = signer.id
    doc.content_hash = content_hash(doc)
    doc.signature_id = simple.signature_id(doc.id, doc.content_hash, signer.id, doc.signed_at)
    doc.signature_key_id = simple.key_id()
    session.flush()
    docx = render_document(session, doc, final=True, signer=signer)
    file_document(session, doc, docx, role="signed_docx")


def _check_version(doc: Document, expected: int | None) -> None:
    if expected is not None and doc.version != expected:
        raise Conflict("Документ уже изменил другой пользователь. Обновите страницу и "
                       "повторите действие.")


@contextmanager
def _stale_is_conflict(session: Session) -> Iterator[None]:
    try:
        yield
    except StaleDataError:
        session.rollback()
        raise Conflict("Документ уже изменил другой пользователь. Обновите страницу и "
                       "повторите действие.") from None


def documents_of(session: Session, organization_id: int, *, states: Iterable[DocState] = (),
                 kind: str | None = None) -> list[Document]:
    q = select(Document).where(Document.organization_id == organization_id)
    if states:
        q = q.where(Document.state.in_([str(s) for s in states]))
    if kind:
        q = q.where(Document.kind == kind)
    return list(session.scalars(q.order_by(Document.updated_at.desc(), Document.id.desc())))
