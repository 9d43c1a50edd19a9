"""Creating, editing and moving documents along their life: the one service under the pages,
the API, the queue and the batches.

``transition`` is the one door through which a document changes state, editing included
(``update`` takes the ``edit`` arrow). It applies a row of ``workflows.lifecycle`` in one
order: the arrow exists and leaves the current state; the document was not changed
meanwhile (version); the user may take it (roles, the visa the route awaits, or — for the
signature — the party's own rules, ``workflows.signing.check``); the comment; the kind's
guards (the regulation's rules); the arrow's built-in effects (``EFFECTS``); if a partial
branch holds (a signature while other parties have still to sign) its target and no more;
else the completing effects, the kind's effects and the target (the first branch whose
condition holds); the audit row. ``act`` is what a user's request does: re-authentication
when the arrow asks for the password, then ``transition``; it answers the follow-up jobs.
The caller commits, then queues them (``start_jobs``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from signatures import agreement, simple
from signatures.content import content_hash
from storage.archive import files_of
from storage.blobs import blobs
from storage.models import AuditEntry, Document, Signature, StoredFile, User, Visa
from storage.roles import Role
from workflows import approval_routes, audit, jobs, lifecycle, scoping, signatories, signing
from workflows.errors import Conflict, NotAllowed, NotFound, RuleViolation, ValidationError
from workflows.filing import file_document
from workflows.journals import next_number
from workflows.kinds import DocumentKind, get_kind
from workflows.lifecycle import AUTHORS, TRANSITIONS, Transition
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


def create_once(session: Session, *, token: str | None, organization_id: int, kind: str,
                data: dict[str, Any], author: User) -> tuple[Document, bool]:
    """``create``, or the draft this ``token`` already made (a form sent twice, an API call
    retried): ``(document, created)``. The caller commits.

    The token is stored prefixed with the author's id (``Document.create_token``, unique
    per organization), so one user's token never names another user's document; a
    concurrent twin is settled by that constraint (the session is rolled back and the
    twin's document returned). Conflict (409) if the token made a document of another
    kind. Without a token every call creates.
    """
    stored = f"{author.id}:{token}" if token else None
    found = _made_with(session, organization_id, stored, kind) if stored else None
    if found is not None:
        return found, False
    try:
        return create(session, organization_id=organization_id, kind=kind, data=data,
                      author=author, create_token=stored), True
    except IntegrityError:
        session.rollback()
        found = _made_with(session, organization_id, stored, kind) if stored else None
        if found is None:
            raise
        return found, False


def _made_with(session: Session, organization_id: int, stored: str,
               kind: str) -> Document | None:
    found = session.scalars(select(Document).where(
        Document.organization_id == organization_id,
        Document.create_token == stored)).first()
    if found is not None and found.kind != kind:
        raise Conflict("Эта форма (ключ идемпотентности) уже создала документ другого вида.")
    return found


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
           roles: Iterable[Role], expected_version: int | None = None) -> Document:
    """Replace a draft's data: the ``edit`` arrow (a returned document becomes a draft).

    ValidationError (422) for ids not of the organization, as ``create``; the refusals of
    ``transition`` otherwise.
    """
    with _stale_is_conflict(session):
        _take(session, doc, "edit", actor=actor, roles=roles, comment="",
              expected_version=expected_version, data=data)
    return doc


def available(session: Session, doc: Document, user: User,
              roles: Iterable[Role]) -> list[Transition]:
    """The arrows this user could take from the document's current state (``takes_form``
    ones included: the page offers those as its form, not as a button)."""
    kind, roles = get_kind(doc.kind), frozenset(roles)
    return [t for t in TRANSITIONS.values()
            if doc.state in t.sources and _may_take(session, doc, t, kind, user, roles)]


def _may_take(session: Session, doc: Document, t: Transition, kind: DocumentKind, user: User,
              roles: frozenset[Role]) -> bool:
    return bool(roles & kind.roles_for(t.action)) or (
        t.visa_due and approval_routes.can_give(session, doc, user, roles)) or (
        t.signature_due and signatories.next_for(session, doc, user, roles) is not None)


@dataclass(frozen=True)
class Outcome:
    """An arrow taken for a user: the document, its row of the table, and the follow-up jobs
    to queue once the caller has committed, each ``(job name, *args)`` (``start_jobs``)."""

    doc: Document
    transition: Transition
    jobs: tuple[tuple[Any, ...], ...] = ()


def act(session: Session, doc: Document, action: str, *, actor: User, roles: Iterable[Role],
        comment: str = "", password: str = "", reauthenticated: bool = False,
        expected_version: int | None = None) -> Outcome:
    """Take the arrow ``action`` as a user's request does.

    When the arrow needs the password, the user re-authenticates first (``reauthenticate``:
    it ends the caller's transaction) unless the caller did it already for several
    documents (``reauthenticated``). Then ``transition``, with its refusals. The answer
    lists the arrow's jobs (e.g. ``("convert_signed_to_pdf", doc.id, actor.id)``) if it
    completed (``completed_jobs``). The signature is the user's own simple one
    (``workflows.signing.own_request``).
    """
    t = arrow(action)
    if t.needs_password and not reauthenticated:
        reauthenticate(session, actor, password)
    transition(session, doc, action, actor=actor, roles=roles, comment=comment,
               expected_version=expected_version)
    return Outcome(doc, t, completed_jobs(doc, t, actor))


def completed_jobs(doc: Document, t: Transition, actor: User) -> tuple[tuple[Any, ...], ...]:
    """The follow-up jobs of ``t`` just taken on ``doc``: none while a partial branch left
    it unfinished (a signature with parties still to sign)."""
    if any(b.partial and doc.state == b.target != t.target for b in t.branches):
        return ()
    return tuple((job, doc.id, actor.id) for job in t.jobs)


def reauthenticate(session: Session, actor: User, password: str) -> None:
    """Check the signer's own password (``signatures.simple``: NotAllowed 403, and 429 once
    the account's wrong signing passwords are used up).

    The caller's transaction is committed first: on SQLite a writing transaction holds
    the write lock, and the password check (scrypt, ~0.1 s) must not hold it. Call this
    before writing anything.
    """
    session.commit()
    simple.require_reauthentication(actor, password or "")


def start_jobs(follow_ups: Iterable[tuple[Any, ...]]) -> dict[str, jobs.Outcome]:
    """Queue each follow-up job (without Redis: run it now), once the caller has committed;
    what became of each, by job name. Never raises for the queue (``jobs.enqueue``)."""
    return {job[0]: jobs.enqueue(*job) for job in follow_ups}


def pdf_again(doc: Document, actor: User) -> tuple[tuple[Any, ...], ...]:
    """The job that makes (again) the PDF/A copy of a signed document; RuleViolation for
    any other."""
    if doc.state != DocState.SIGNED:
        raise RuleViolation("PDF-копию архива создают для подписанного документа.")
    return (("convert_signed_to_pdf", doc.id, actor.id),)


def arrow(action: str) -> Transition:
    """The row of ``action``, or NotFound."""
    t = TRANSITIONS.get(action)
    if t is None:
        raise NotFound(f"Неизвестное действие: «{action}».")
    return t


def transition(session: Session, doc: Document, action: str, *, actor: User,
               roles: Iterable[Role], comment: str = "",
               expected_version: int | None = None,
               signature: signing.Request | None = None) -> Document:
    """Take the arrow ``action``; raise a NastavnikError (state unchanged) if refused.

    An arrow taken by saving the form (``edit``) is refused here: that is ``update``. The
    signature arrow records ``signature`` (``workflows.signing.record``), without one the
    actor's own simple signature.
    Conflict (409) if another user changed the document since ``expected_version`` or
    concurrently with this call; the session is then rolled back.
    """
    with _stale_is_conflict(session):
        _take(session, doc, action, actor=actor, roles=roles, comment=comment,
              expected_version=expected_version, data=None, signature=signature)
    return doc


def _take(session: Session, doc: Document, action: str, *, actor: User, roles: Iterable[Role],
          comment: str, expected_version: int | None, data: dict[str, Any] | None,
          signature: signing.Request | None = None) -> None:
    """Apply the row of ``action``: arrow, permit, comment, guards, effects, target, audit."""
    t = arrow(action)
    if t.takes_form != (data is not None):
        raise RuleViolation(f"Действие «{t.label}» выполняют, сохраняя форму документа."
                            if t.takes_form else f"Действие «{t.label}» не меняет данные.")
    _check_version(doc, expected_version)
    state, kind, roles = DocState(doc.state), get_kind(doc.kind), frozenset(roles)
    if state not in t.sources:
        raise RuleViolation(t.wrong_state(state))
    party = None
    if t.signature_due:
        signature = signature or signing.own_request(session, doc, actor, roles)
        party = signing.check(session, doc, signature, actor, roles)
    elif not _may_take(session, doc, t, kind, actor, roles):
        _refuse(session, doc, t, kind)
    if t.before_signatures:
        _refuse_if_signed(session, doc, t)
    move = Move(session, doc, actor, roles, _comment(t, comment), data, signature, party)
    for guard in kind.guards.get(action, ()):
        guard(session, doc)
    for effect in t.effects:
        EFFECTS[effect](move)
    doc.state = _target(session, doc, t, kind, move)
    session.flush()
    audit.append(session, organization_id=doc.organization_id, document_id=doc.id, actor=actor,
                 action=action, from_state=state, to_state=doc.state, comment=move.comment,
                 content_hash=doc.content_hash or "")


def _target(session: Session, doc: Document, t: Transition, kind: DocumentKind,
            move: Move) -> DocState:
    """Where the arrow leads: a partial branch's target as soon as its condition holds
    (nothing more is done); else, once the completing and the kind's effects are done,
    the first branch whose condition holds, or the arrow's own target."""
    partial = next((b.target for b in t.branches
                    if b.partial and CONDITIONS[b.when](move.session, doc)), None)
    if partial is not None:
        return partial
    for effect in t.completing:
        EFFECTS[effect](move)
    for kind_effect in kind.effects.get(t.action, ()):
        kind_effect(session, doc)
    return next((b.target for b in t.branches
                 if not b.partial and CONDITIONS[b.when](session, doc)), t.target)


def _refuse_if_signed(session: Session, doc: Document, t: Transition) -> None:
    made = signatories.signatures_of(session, doc)
    if made:
        raise RuleViolation(
            f"Действие «{t.label}» невозможно: документ уже подписали — "
            f"{', '.join(s.signer_name for s in made)}. Подписи относятся к этому тексту; "
            "если документ нужно изменить, отмените его и создайте новый.")


def _refuse(session: Session, doc: Document, t: Transition, kind: DocumentKind) -> None:
    allowed = kind.roles_for(t.action)
    if not allowed:  # the route alone decides: say whose visa it awaits
        approval_routes.refuse_out_of_turn(session, doc)
    names = ", ".join(sorted(r.label.lower() for r in allowed))
    raise NotAllowed(f"Действие «{t.label}» для этого документа может выполнить только: "
                     f"{names}.")


def _comment(t: Transition, comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        message = f"Комментарий: не больше {MAX_COMMENT} знаков."
        raise ValidationError(message, {"comment": [message]})
    if t.needs_comment and not comment:
        raise ValidationError("Укажите причину в комментарии.",
                              {"comment": ["Комментарий обязателен для этого действия."]})
    return comment


@dataclass
class Move:
    """An arrow being taken, as the built-in effects see it (an effect may set the
    audit row's ``comment``)."""

    session: Session
    doc: Document
    actor: User
    roles: frozenset[Role]
    comment: str
    data: dict[str, Any] | None
    signature: signing.Request | None = None  # the sign arrow's, with its checked party
    party: signatories.Party | None = None


def _new_round(move: Move) -> None:
    move.doc.approval_round = (move.doc.approval_round or 0) + 1


def _save_data(move: Move) -> None:
    """The form's data (ids checked against the organization), title, subject, hash."""
    session, doc, kind = move.session, move.doc, get_kind(move.doc.kind)
    scoping.check(session, doc.organization_id, kind.name, move.data)
    doc.data = _with_person_names(session, doc.organization_id, move.data)
    doc.title = kind.make_title(doc.data)
    doc.person_id = kind.subject_person(doc.data)
    doc.content_hash = content_hash(doc)


def _give_visa(move: Move) -> None:
    step = approval_routes.give_visa(move.session, move.doc, move.actor, move.roles)
    move.comment = move.comment or f"Виза: {step.lower()}"


def _number(move: Move) -> None:
    """The next number of the kind's journal (if it has one) and today's date."""
    doc, journal, today = move.doc, get_kind(move.doc.kind).journal, date.today()
    if journal is not None:
        seq = next_number(move.session, doc.organization_id, journal.code, today.year)
        doc.journal, doc.reg_year, doc.reg_seq = journal.code, today.year, seq
        doc.number = journal.format(seq)
    doc.doc_date = today


def _record_signature(move: Move) -> None:
    """The party's ``Signature`` row (``workflows.signing.write``); the audit row says who
    signed as whom, and how."""
    sig = signing.write(move.session, move.doc, move.signature, move.party, move.actor)
    move.doc.updated_at = sig.signed_at  # a new version: two last signatures do not both
    # see the other still pending (the second gets a Conflict and signs again)
    move.comment = move.comment or (f"Подпись: {move.party.label.lower()} — {sig.signer_name}"
                                    f" ({signatories.METHOD_LABELS[sig.method]})")


def _sign(move: Move) -> None:
    """The registration: time, the user whose signature completed it, the content hash
    (number and date included) and the keyed id over them (``signatures.simple.status``)."""
    doc = move.doc
    doc.signed_at = datetime.now(UTC)
    doc.signed_by_id = move.actor.id
    doc.content_hash = content_hash(doc)
    doc.signature_id = simple.signature_id(doc.id, doc.content_hash, move.actor.id,
                                           doc.signed_at)
    doc.signature_key_id = simple.key_id()
    move.session.flush()


def _file_signed(move: Move) -> None:
    """The final DOCX (number, every party's signature mark) rendered and filed."""
    docx = render_document(move.session, move.doc, final=True)
    file_document(move.session, move.doc, docx, role="signed_docx")


def _keep_comment(move: Move) -> None:
    move.doc.last_comment = move.comment


def _void_signing_copy(move: Move) -> None:
    signing.void_signing_copy(move.session, move.doc)


EFFECTS: dict[lifecycle.Effect, Callable[[Move], None]] = {
    lifecycle.NEW_ROUND: _new_round, lifecycle.SAVE_DATA: _save_data,
    lifecycle.GIVE_VISA: _give_visa, lifecycle.NUMBER: _number, lifecycle.SIGN: _sign,
    lifecycle.FILE_SIGNED: _file_signed, lifecycle.KEEP_COMMENT: _keep_comment,
    lifecycle.RECORD_SIGNATURE: _record_signature,
    lifecycle.VOID_SIGNING_COPY: _void_signing_copy,
}
CONDITIONS: dict[lifecycle.Condition, Callable[[Session, Document], bool]] = {
    lifecycle.ROUTE_COMPLETE: lambda session, doc: not approval_routes.pending(session, doc),
    lifecycle.VISAS_PENDING: lambda session, doc: bool(approval_routes.pending(session, doc)),
    lifecycle.SIGNATURES_PENDING: lambda session, doc: bool(signatories.pending(session, doc)),
}


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


@dataclass(frozen=True)
class Signatures:
    """The «Подписи» section of a page: every party, the signature each made (by party
    key) with its check (ПЭП: ``signatures.simple.signature_status``), signatures of no
    party of the kind's list (the head's, carried over from before issue 9), and the party
    the user signs as now (``mine``: the sign form), if any, and whether she may use ПЭП
    (``accepted``: she has joined the organization's regulation)."""

    parties: list[signatories.Party]
    made: dict[str, Signature]
    statuses: dict[str, str]
    others: list[Signature]
    waiting: list[signatories.Party]
    mine: signatories.Party | None
    accepted: bool


def signatures_section(session: Session, doc: Document, user: User,
                       roles: frozenset[Role]) -> Signatures:
    everyone = signatories.parties(session, doc)
    made = {s.party: s for s in signatories.signatures_of(session, doc)}
    waiting = signatories.still_to_sign(doc, everyone, made)
    mine = signatories.next_for(session, doc, user, roles, waiting) \
        if doc.state == DocState.APPROVED else None
    return Signatures(
        parties=everyone, made=made,
        statuses={k: str(simple.signature_status(s)) for k, s in made.items()
                  if s.method == "simple"},
        others=[s for k, s in made.items() if k not in {p.key for p in everyone}
                and s.method != "seal"],  # the organization's seal: documents/_seal.html
        waiting=waiting, mine=mine,
        accepted=agreement.accepted(session, user, doc.organization_id) is not None)


@dataclass(frozen=True)
class DocumentPage:
    """What a document's page shows to one user."""

    doc: Document
    kind: DocumentKind
    history: list[AuditEntry]
    actions: list[Transition]  # buttons: the available arrows not taken by the form nor
    # the signature (the «Подписи» section has its form)
    files: list[StoredFile]
    checks: dict[str, Any] | None  # of a signed copy: signature and stored files
    route: list[approval_routes.VisaStep]
    skipped: dict[str, str]  # steps of the route no one gives, with why
    visas: list[Visa]
    waiting: list[approval_routes.Pending]
    signing: Signatures
    successors: list[Document]  # new editions of a signed document
    may_write: bool
    editable: bool


def page(session: Session, doc: Document, user: User, roles: Iterable[Role]) -> DocumentPage:
    """The page of ``doc`` for ``user`` (who may see it: the caller loaded it)."""
    roles = frozenset(roles)
    files = files_of(session, doc)
    checks = None
    if doc.state == DocState.SIGNED:  # what an inspector wants to know of a signed copy
        checks = {"signature": simple.verify(doc), "signature_status": simple.status(doc),
                  "files": all(blobs().intact(f.sha256) for f in files)}
    return DocumentPage(
        doc=doc, kind=get_kind(doc.kind), files=files, checks=checks,
        history=list(session.scalars(select(AuditEntry).where(
            AuditEntry.document_id == doc.id).order_by(AuditEntry.id))),
        actions=[t for t in available(session, doc, user, roles)
                 if not t.takes_form and not t.signature_due],
        route=approval_routes.configured_route(session, doc),
        skipped=approval_routes.skipped(session, doc),
        signing=signatures_section(session, doc, user, roles),
        visas=approval_routes.visas_of(session, doc),
        waiting=approval_routes.pending(session, doc)
        if doc.state == DocState.IN_APPROVAL else [],
        successors=list(session.scalars(select(Document).where(
            Document.supersedes_id == doc.id,
            Document.organization_id == doc.organization_id))),
        may_write=bool(roles & AUTHORS), editable=doc.state in EDITABLE_STATES)


def documents_of(session: Session, organization_id: int, *, states: Iterable[DocState] = (),
                 kind: str | None = None) -> list[Document]:
    q = select(Document).where(Document.organization_id == organization_id)
    if states:
        q = q.where(Document.state.in_([str(s) for s in states]))
    if kind:
        q = q.where(Document.kind == kind)
    return list(session.scalars(q.order_by(Document.updated_at.desc(), Document.id.desc())))
