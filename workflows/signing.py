"""Recording signatures: one door for every method, and the exact file the parties sign.

``record`` is the door: a party's signature by ПЭП (``simple``), a scan of the hand-signed
original (``paper``) or a detached qualified signature (``qualified``) is checked here
(``check``) and written through the ``sign`` arrow of the lifecycle, which stays in
``approved`` until the last party has signed and then registers the document (number,
content hash, signed copy, jobs). A user's own simple signature from a page or the API
is the same arrow taken without a request (``workflows.documents.act``): the request is
then hers (``own_request``).

``signing_copy`` is the file every party signs: rendered once, when the first party needs
it, as the document will be registered but without its number and date (those come with
the last signature); PDF/A when PDF is enabled (the DOCX if LibreOffice fails: the
signature must not wait for it), otherwise DOCX. Each simple or qualified
signature holds its SHA-256.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from doc_templates import pdf
from signatures import agreement, simple
from storage.models import Document, Signature, StoredFile, User
from storage.roles import Role
from workflows.errors import Conflict, ConversionFailed, NotAllowed, RuleViolation
from workflows.filing import file_document
from workflows.rendering import render_document
from workflows.signatories import (
    METHOD_LABELS,
    METHODS,
    RECORDERS,
    Party,
    names,
    parties,
    roles_of,
    signatures_of,
    still_to_sign,
)
from workflows.states import DocState

log = logging.getLogger(__name__)
SIGNING_COPY = "signing_copy"  # the StoredFile role of the file the parties sign


@dataclass(frozen=True)
class Request:
    """A signature to record: the party (its ``Signature.party`` key), the method, the
    SHA-256 of the file signed, and for paper or qualified signatures the scan or the
    detached signature filed and the certificate's details."""

    party: str
    method: str
    sha256: str
    file: StoredFile | None = None
    certificate: dict[str, Any] | None = None


def record(session: Session, doc: Document, party_key: str, *, method: str, actor: User,
           sha256: str, file: StoredFile | None = None,
           certificate: dict[str, Any] | None = None,
           roles: Iterable[Role] | None = None) -> Signature:
    """Record ``party_key``'s signature by ``method`` (recorded by ``actor``, whose roles in
    the organization are read unless given) through the ``sign`` arrow; the document
    becomes signed when this was the last party. The refusals of ``check`` (RuleViolation
    409, NotAllowed 403, Russian), the document unchanged. A simple signature through this
    door is the caller's to re-authenticate first (``workflows.documents.act`` asks the
    password of every ПЭП). The caller commits, then queues the jobs
    (``workflows.documents.start_jobs`` of ``completed_jobs``)."""
    # a real cycle: the lifecycle's sign arrow writes the signatures checked here
    from workflows import documents

    request = Request(party_key, method, sha256, file, certificate)
    documents.transition(session, doc, "sign", actor=actor,
                         roles=roles_of(session, actor, doc.organization_id)
                         if roles is None else roles, signature=request)
    return session.scalars(select(Signature).where(
        Signature.document_id == doc.id, Signature.party == party_key)).one()


def own_request(session: Session, doc: Document, actor: User,
                roles: Iterable[Role]) -> Request:
    """The simple signature ``actor`` gives as the party she is in ``doc`` (her own person,
    or the head), of the signing copy. NotAllowed if she is no party still to sign."""
    roles, everyone = frozenset(roles), parties(session, doc)
    done = {s.party for s in signatures_of(session, doc)}
    waiting = still_to_sign(doc, everyone, done)
    mine = [p for p in everyone if p.is_user(actor, roles)]
    if not mine:
        raise NotAllowed("Ваша подпись на этом документе не требуется. Его подписывают: "
                         f"{names(waiting) or 'другие участники'}.")
    party = next((p for p in mine if p.key not in done), mine[0])
    head_waits = party.is_head and any(not p.is_head for p in waiting)
    sha = signing_copy(session, doc).sha256 if party.key not in done and \
        "simple" in party.methods and not head_waits else ""
    return Request(party.key, "simple", sha)


def check(session: Session, doc: Document, request: Request, actor: User,
          roles: Iterable[Role]) -> Party:
    """The party of ``request`` if ``actor`` may record it now; else RuleViolation (409) for
    an unknown or already signed party, a method the party does not accept, the head
    before the others, a file other than the signing copy; NotAllowed (403) for a user who
    is not the party (a simple signature is given by the party herself; another's paper or
    qualified signature is filed by a clerk or the head) or has not accepted the ПЭП
    regulation."""
    roles = frozenset(roles)
    everyone = {p.key: p for p in parties(session, doc)}
    party = everyone.get(request.party)
    if party is None:
        raise RuleViolation(f"У этого документа нет стороны «{request.party}»: его "
                            f"подписывают: {names(everyone.values())}.")
    done = {s.party: s for s in signatures_of(session, doc)}
    if party.key in done:
        first = done[party.key]
        raise RuleViolation(f"{party.label} ({first.signer_name}) уже подписал(а) документ "
                            f"{first.signed_at:%d.%m.%Y} ({METHOD_LABELS[first.method]}). "
                            "Повторная подпись той же стороны не ставится.")
    if request.method not in METHODS or request.method not in party.methods:
        raise RuleViolation(f"«{party.label}» подписывает этот документ только так: "
                            f"{' или '.join(party.method_labels)}. Основание: {party.basis}")
    others = [p for p in still_to_sign(doc, everyone.values(), done) if not p.is_head]
    if party.is_head and others:
        raise RuleViolation(f"«{party.label}» подписывает документ последним: ещё не "
                            f"подписали — {names(others)}.")
    if request.method == "simple":
        _check_simple(session, doc, request, party, actor, roles)
    elif not (party.is_user(actor, roles) or roles & RECORDERS):
        raise NotAllowed(f"Подпись стороны «{party.label}» ({party.name}) на бумаге или "
                         "квалифицированной электронной подписью прикладывает сама сторона, "
                         "делопроизводитель или руководитель.")
    elif not request.sha256:
        raise RuleViolation("Приложите файл подписи: скан подписанного оригинала или "
                            "файл квалифицированной подписи.")
    return party


def _check_simple(session: Session, doc: Document, request: Request, party: Party,
                  actor: User, roles: frozenset[Role]) -> None:
    if not party.is_user(actor, roles):
        who = "руководитель организации" if party.is_head else f"{party.name} сам(а)"
        raise NotAllowed(f"Простой электронной подписью за сторону «{party.label}» "
                         f"подписывает только {who} под своей учётной записью.")
    agreement.require_accepted(session, actor, doc.organization_id)
    if request.sha256 != signing_copy(session, doc).sha256:
        raise RuleViolation("Подписывается не тот файл: экземпляр для подписания изменился. "
                            "Обновите страницу и подпишите документ заново.")


def write(session: Session, doc: Document, request: Request, party: Party,
          actor: User) -> Signature:
    """The ``Signature`` row of a checked request: who signed (the user for ПЭП, the party's
    person otherwise), her part, the time, the method, the file's SHA-256 and, for ПЭП,
    the keyed id."""
    now = datetime.now(UTC)
    own = request.method == "simple"
    sig = Signature(
        organization_id=doc.organization_id, document_id=doc.id, party=party.key,
        part=party.part, person_id=actor.person_id if own and party.is_head
        else party.person_id, user_id=actor.id,
        signer_name=actor.full_name if own else party.name,
        signer_position=(actor.position if own and party.is_head else party.position) or "",
        method=request.method, signed_at=now, sha256=request.sha256,
        file_id=request.file.id if request.file is not None else None,
        certificate=request.certificate)
    if own:
        sig.signature_id = simple.party_signature_id(doc.id, party.key, request.sha256,
                                                     actor.id, now)
        sig.key_id = simple.key_id()
    session.add(sig)
    try:
        session.flush()
    except IntegrityError:  # the same party signed in another request meanwhile
        session.rollback()
        raise Conflict(f"{party.label} ({party.name}) уже подписал(а) документ в другом окне "
                       "или запросе. Обновите страницу.") from None
    return sig


def signing_copy(session: Session, doc: Document) -> StoredFile:
    """The exact file the parties sign: filed once (``signing_copy``), when first asked
    for while the document awaits signatures; PDF/A when PDF is enabled, else DOCX."""
    stored = session.scalars(select(StoredFile).where(
        StoredFile.document_id == doc.id, StoredFile.role == SIGNING_COPY)).first()
    if stored is not None:
        return stored
    if doc.state != DocState.APPROVED:
        raise RuleViolation("Экземпляр для подписания готовят, когда документ согласован "
                            "(все визы получены).")
    docx = render_document(session, doc, final=True)
    if has_app_context() and current_app.config.get("PDF_ENABLED"):
        try:
            return file_document(session, doc, pdf.convert(docx, pdfa=True),
                                 role=SIGNING_COPY, ext="pdf")
        except ConversionFailed as error:  # the parties sign the DOCX, kept as it is
            log.warning("signing copy of document %s kept as DOCX: %s", doc.id, error)
    return file_document(session, doc, docx, role=SIGNING_COPY)


def void_signing_copy(session: Session, doc: Document) -> None:
    """The signing copy no one has signed is dropped when the document goes back for
    changes: the next round renders its own."""
    for stored in session.scalars(select(StoredFile).where(
            StoredFile.document_id == doc.id, StoredFile.role == SIGNING_COPY)):
        session.delete(stored)
    session.flush()
