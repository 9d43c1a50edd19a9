"""Withdrawal of the personal-data consent and erasure of the data (152-ФЗ ст. 9 ч. 2, ст. 21 ч. 5).

``withdraw`` stops the processing at once: the person's withdrawal date is recorded, the
person leaves the bank of mentors and mentees, and every unsigned document naming the
person is cancelled with a comment in the audit log. Cancelling rather than silently
dropping the person from a list was chosen because a changed list would change the
content other people have already given their visas to; the author makes a new document
without the person. Signed documents are archival and stay as they are.

``erase_due`` destroys the data once the 30 days of ст. 21 ч. 5 have passed (calendar days,
not moved off a day off: ``workflows.calendar.erasure_deadline``): the person's
row and login are anonymized, their data is scrubbed from unsigned and cancelled
documents and from bank entries, and the ``Erasure`` row records what was done. Signed
documents (kept under the law on archives) and the audit log (a hash chain that must not
change) are left untouched.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import BankEntry, Document, Erasure, Person, User
from storage.roles import Role
from workflows import audit, documents
from workflows.calendar import erasure_deadline
from workflows.errors import RuleViolation
from workflows.kinds import get_kind
from workflows.people import name_in, person_of
from workflows.states import DocState

ERASED_NAME = "Субъект ПДн удалён"
# form fields that hold the subject's own data, besides the names
PERSONAL_FIELDS = ("address", "passport_series", "passport_number", "passport_date",
                   "passport_issuer", "representative_name", "representative_address",
                   "representative_passport", "representative_authority", "request",
                   "reason", "competences")
UNSIGNED = (DocState.DRAFT, DocState.IN_APPROVAL, DocState.APPROVED, DocState.RETURNED)


def not_withdrawn_yet(person: Person) -> None:
    """A consent is withdrawn once; a second withdrawal is a mistake (152-ФЗ ст. 9 ч. 2)."""
    if person.pd_withdrawn_on is not None:
        raise RuleViolation(
            f"{person.full_name} уже отозвал(а) согласие на обработку персональных данных "
            f"{person.pd_withdrawn_on:%d.%m.%Y}.", field="person_id")


def withdraw(session: Session, person: Person, on: date, actor: User | None) -> Erasure:
    """Record the withdrawal of ``person``'s consent on ``on``; return the pending erasure.

    Raises RuleViolation if already withdrawn or erased. The caller commits.
    """
    not_withdrawn_yet(person)
    if person.erased_at is not None:
        raise RuleViolation("Данные этого субъекта уже уничтожены.", field="person_id")
    now = datetime.now(UTC)
    person.pd_withdrawn_on = on
    for entry in session.scalars(select(BankEntry).where(
            BankEntry.person_id == person.id, BankEntry.withdrawn_at.is_(None))):
        entry.withdrawn_at = now
    comment = (f"Отменён: субъект персональных данных, указанный в документе, отозвал "
               f"согласие на их обработку {on:%d.%m.%Y} (152-ФЗ ст. 9 ч. 2, ст. 21 ч. 5).")
    for doc in unsigned_documents_naming(session, person):
        documents.transition(session, doc, "cancel", actor=actor, roles=frozenset(Role),
                             comment=comment)
    due = erasure_deadline(on)
    erasure = Erasure(organization_id=person.organization_id, person_id=person.id,
                      withdrawn_on=on, due_on=due.day)
    session.add(erasure)
    session.flush()
    audit.append(session, organization_id=person.organization_id, document_id=None,
                 actor=actor, action="pd_withdraw", from_state=None, to_state=None,
                 comment=f"Отзыв согласия на обработку ПДн: субъект № {person.id}, "
                         f"уничтожение до {erasure.due_on:%d.%m.%Y} ({due.how}).")
    return erasure


def erase_due(session: Session, today: date) -> list[Erasure]:
    """Erase the data of every person whose erasure is due by ``today``; return those done.

    An erasure whose person gave a new consent meanwhile (``pd_withdrawn_on`` cleared by
    ``workflows.pd_consent``) is skipped. Idempotent. The caller commits.
    """
    due = session.scalars(
        select(Erasure).join(Person, Person.id == Erasure.person_id).where(
            Erasure.erased_at.is_(None), Erasure.due_on <= today,
            Person.pd_withdrawn_on.is_not(None))
        .order_by(Erasure.id)
    ).all()
    for erasure in due:
        _erase(session, erasure)
    return list(due)


def _erase(session: Session, erasure: Erasure) -> None:
    person = person_of(session, erasure.organization_id, erasure.person_id)
    spellings = _spellings(person)
    scrubbed, kept = [], []
    for doc in documents_naming(session, person):
        if doc.state == DocState.SIGNED:
            kept.append(doc.id)
            continue
        _scrub(doc, person, spellings)
        scrubbed.append(doc.id)
        audit.append(session, organization_id=doc.organization_id, document_id=doc.id,
                     actor=None, action="pd_erase", from_state=doc.state, to_state=doc.state,
                     comment="Персональные данные субъекта уничтожены (152-ФЗ ст. 21 ч. 5).",
                     content_hash=doc.content_hash or "")
    for entry in session.scalars(select(BankEntry).where(BankEntry.person_id == person.id)):
        entry.competences, entry.category = "", ""
    logins = session.scalars(select(User).where(User.person_id == person.id)).all()
    for user in logins:
        user.last_name, user.first_name, user.middle_name = ERASED_NAME, "", ""
        user.position, user.is_active = "", False
    now = datetime.now(UTC)
    person.last_name, person.first_name, person.middle_name = ERASED_NAME, "", ""
    person.gender, person.position, person.subject, person.email = None, "", "", ""
    person.hire_date, person.service_years, person.achievements = None, None, []
    person.mentee_categories = []
    person.erased_at = now
    erasure.erased_at = now
    erasure.details = (
        f"Обезличена запись о субъекте № {person.id}"
        f"{'; учётная запись отключена и обезличена' if logins else ''}; "
        f"обезличены неподписанные и отменённые документы: {_ids(scrubbed)}; "
        f"подписанные документы (архивное хранение) не изменялись: {_ids(kept)}.")
    session.flush()


def documents_naming(session: Session, person: Person,
                     states: Iterable[DocState] = ()) -> list[Document]:
    """Documents of the person's organization whose subject is ``person`` or whose data
    names the person's id (any ``…_id`` field equal to it, any ``…_ids`` list holding it)."""
    q = select(Document).where(Document.organization_id == person.organization_id)
    if states:
        q = q.where(Document.state.in_([str(s) for s in states]))
    return [d for d in session.scalars(q.order_by(Document.id))
            if d.person_id == person.id or _names(d.data, person.id)]


def unsigned_documents_naming(session: Session, person: Person) -> list[Document]:
    return documents_naming(session, person, UNSIGNED)


def _names(value: Any, pid: int, key: str = "") -> bool:
    if isinstance(value, dict):
        return any(_names(v, pid, k) for k, v in value.items())
    if isinstance(value, list):
        if key.endswith("_ids"):
            return pid in value
        return any(_names(v, pid, key) for v in value)
    return key.endswith("_id") and value == pid


def _spellings(person: Person) -> list[str]:
    """Ways a document may spell the person's name: every case, and with initials."""
    names = {person.full_name, f"{person.last_name} {person.first_name[:1]}."
                                 f"{person.middle_name[:1]}."}
    for case in ("genitive", "dative", "accusative", "instrumental", "prepositional"):
        try:
            names.add(name_in(person, case))
        except ValueError:
            pass
    return sorted((n for n in names if n.strip(" .")), key=len, reverse=True)


def _scrub(doc: Document, person: Person, spellings: list[str]) -> None:
    data = _replace_names(doc.data, spellings)
    if doc.person_id == person.id:
        for key in PERSONAL_FIELDS:
            if key in data:
                data[key] = ""
        data["person"] = {"id": person.id, "last_name": ERASED_NAME, "first_name": "",
                          "middle_name": "", "gender": None, "position": "", "subject": ""}
        data["person_name"] = ERASED_NAME
    doc.data = data
    doc.title = get_kind(doc.kind).make_title(data)
    doc.content_hash = documents.content_hash(doc)


def _replace_names(value: Any, spellings: list[str]) -> Any:
    if isinstance(value, dict):
        return {k: _replace_names(v, spellings) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_names(v, spellings) for v in value]
    if isinstance(value, str):
        for name in spellings:
            value = value.replace(name, ERASED_NAME)
    return value


def _ids(ids: list[int]) -> str:
    return ", ".join(f"№ {i}" for i in ids) if ids else "нет"


def pending_or_done(session: Session, person: Person) -> Erasure | None:
    """The person's latest erasure record, if any."""
    return session.scalars(select(Erasure).where(Erasure.person_id == person.id)
                           .order_by(Erasure.id.desc())).first()
