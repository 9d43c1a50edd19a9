"""Acknowledgment of signed documents (ознакомление, ТК РФ ст. 22 ч. 2, ст. 68 ч. 3).

The employer acquaints each employee an order concerns with it, under her signature; a local
normative act — the Положение the regulation order approves — concerns every pedagogue. A
kind declares who must acknowledge (``DocumentKind.acknowledgers``: ``named_in`` the people
its text names, or ``every_pedagogue``); the one who signed the document is not asked.

A person acknowledges in the service after she has opened the document (``opened``, then
``acknowledge`` with ``method="click"``: her simple electronic signature, so only under the
organization's accepted ПЭП regulation), or the clerk records her hand signature on the paper
sheet (``method="paper"``, with the date she wrote and, if there is one, the scan). Each
acknowledgment is an audit entry, and files a new version of the лист ознакомления in the
archive (DOCX, then PDF/A when PDF is enabled, ``file_sheet_pdf``); earlier versions stay.
``status`` is who has acknowledged and who has not, for the director.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from doc_templates import pdf
from doc_templates.acknowledgment_sheet import Sheet, SheetLine, render
from signatures import agreement, scans
from storage.blobs import blobs
from storage.db import new_session
from storage.models import (
    Acknowledgment,
    Document,
    Membership,
    Organization,
    Person,
    Signature,
    StoredFile,
    User,
)
from storage.roles import Role
from workflows import audit, sealing
from workflows.errors import NotAllowed, RuleViolation
from workflows.filing import file_document, file_name
from workflows.kinds import all_kinds, get_kind
from workflows.scoping import row_of, rows_of
from workflows.states import DocState

LOCAL_TZ = ZoneInfo("Europe/Volgograd")  # the service's local time (webforms.filters)
METHODS = {"click": "в электронной форме", "paper": "на бумаге"}
PAPER_RECORDERS = frozenset({Role.CLERK, Role.DIRECTOR, Role.ADMIN})
SHEET_ROLE = re.compile(r"ack_sheet_(docx|pdf):(\d+)")
# the document a sheet names, in the instrumental case, by the kind's heading
WITH = {"ПРИКАЗ": "приказом", "ДОРОЖНАЯ КАРТА": "дорожной картой",
        "ЛИСТ ИЗМЕНЕНИЙ": "листом изменений"}
PEP_BASIS = ("Отметка «в электронной форме» — простая электронная подпись работника в "
             "системе «Наставник» по Положению об использовании простой электронной подписи "
             "(63-ФЗ ст. 6 ч. 2, ст. 9).")


class AckStatus(NamedTuple):
    """One person who must acknowledge (or did): when she opened and acknowledged, how."""

    person: Person
    opened_at: datetime | None
    acknowledged_at: datetime | None
    method: str | None  # click | paper | None (not yet)


# -- who must acknowledge: the kinds' declarations ---------------------------------------

def named_in(*keys: str, subject: bool = False) -> Callable[[Session, Document], list[int]]:
    """Those the document names: the people under ``keys`` of its kind's template context
    (the same people its own sheet lists), and its subject (``doc.person_id``) if
    ``subject``."""
    def acknowledgers(session: Session, doc: Document) -> list[int]:
        kind = get_kind(doc.kind)
        extra = kind.context(session, doc) if kind.context and keys else {}
        ids = [doc.person_id] if subject and doc.person_id else []
        for key in keys:
            value = extra.get(key)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict) and item.get("id"):
                    ids.append(int(item["id"]))
        return list(dict.fromkeys(ids))
    acknowledgers.__doc__ = f"Those the document names ({', '.join(keys) or 'its subject'})."
    return acknowledgers


def every_pedagogue(session: Session, doc: Document) -> list[int]:
    """Every pedagogue of the organization (a local normative act concerns them all), by
    name; not those whose data is erased, whose consent to processing is withdrawn, or who
    left (an archived card)."""
    return list(session.scalars(select(Person.id).where(
        Person.organization_id == doc.organization_id, Person.erased_at.is_(None),
        Person.pd_withdrawn_on.is_(None), Person.archived_at.is_(None))
        .order_by(Person.last_name, Person.first_name, Person.id)))


def _signers(session: Session, docs: list[Document]) -> dict[int, set[int]]:
    """People who signed each document: they need not acknowledge what they signed."""
    users = {d.id: {d.signed_by_id} - {None} for d in docs}
    people: dict[int, set[int]] = {d.id: set() for d in docs}
    for sig in session.scalars(select(Signature).where(
            Signature.document_id.in_([d.id for d in docs]))):
        people[sig.document_id].add(sig.person_id)
        users[sig.document_id].add(sig.user_id)
    every_user = set().union(*users.values()) - {None}
    person_of_user = {uid: pid for uid, pid in session.execute(select(
        User.id, User.person_id).where(User.id.in_(every_user)))} if every_user else {}
    return {doc_id: ({person_of_user.get(u) for u in users[doc_id]} | people[doc_id]) - {None}
            for doc_id in people}


def _required_of(session: Session, docs: list[Document]) -> dict[int, list[Person]]:
    """``required`` of several documents of one organization, their common reads once."""
    asked = [d for d in docs if d.state == DocState.SIGNED
             and get_kind(d.kind).acknowledgers is not None]
    if not asked:
        return {d.id: [] for d in docs}
    signers, shared, ids = _signers(session, asked), {}, {}
    for doc in asked:
        find = get_kind(doc.kind).acknowledgers
        if find is every_pedagogue:  # the same for every act of the organization
            shared.setdefault(doc.organization_id, find(session, doc))
            found = shared[doc.organization_id]
        else:
            found = find(session, doc)
        ids[doc.id] = [i for i in found if i not in signers[doc.id]]
    people = rows_of(session, Person, asked[0].organization_id,
                     {i for found in ids.values() for i in found})
    return {d.id: [people[i] for i in ids.get(d.id, ()) if i in people
                   and people[i].erased_at is None] for d in docs}


def required(session: Session, doc: Document) -> list[Person]:
    """Who must acknowledge ``doc``, in the kind's order (nobody before it is signed)."""
    return _required_of(session, [doc])[doc.id]


def records(session: Session, doc: Document) -> dict[int, Acknowledgment]:
    """The records of ``doc`` (opened, acknowledged, how, the scan) by person id."""
    return _records_of(session, [doc])[doc.id]


def _records_of(session: Session, docs: list[Document]) -> dict[int, dict[int, Acknowledgment]]:
    out: dict[int, dict[int, Acknowledgment]] = {d.id: {} for d in docs}
    if docs:
        for a in session.scalars(select(Acknowledgment).where(
                Acknowledgment.document_id.in_(list(out)),
                Acknowledgment.organization_id == docs[0].organization_id)):
            out[a.document_id][a.person_id] = a
    return out


def status(session: Session, doc: Document) -> list[AckStatus]:
    """Everyone who must acknowledge ``doc``, and anyone who did though no longer listed:
    (person, opened_at, acknowledged_at, method)."""
    return status_of(session, [doc])[doc.id]


def status_of(session: Session, docs: list[Document]) -> dict[int, list[AckStatus]]:
    """``status`` of several documents of one organization, by document id."""
    required_of, records_of = _required_of(session, docs), _records_of(session, docs)
    out = {}
    for doc in docs:
        by_person, people = records_of[doc.id], list(required_of[doc.id])
        listed = {p.id for p in people}
        people += [a.person for pid, a in sorted(by_person.items()) if pid not in listed]
        out[doc.id] = [AckStatus(p, *((a.opened_at, a.acknowledged_at, a.method)
                                      if (a := by_person.get(p.id)) else (None, None, None)))
                       for p in people]
    return out


def must_acknowledge(session: Session, doc: Document, person_id: int | None) -> bool:
    """Whether the person is on the list of ``doc`` (acknowledged already or not)."""
    return person_id is not None and any(p.id == person_id for p in required(session, doc))


def is_listed(session: Session, doc: Document, person_id: int | None) -> bool:
    """Whether the person must acknowledge ``doc`` or has: she may then read it."""
    if person_id is None or doc.state != DocState.SIGNED \
            or get_kind(doc.kind).acknowledgers is None:
        return False
    return any(s.person.id == person_id for s in status(session, doc))


def waiting_for(session: Session, organization_id: int, person_id: int | None
                ) -> list[tuple[Document, AckStatus]]:
    """The signed documents of the organization the person must acknowledge, with her
    line (acknowledged ones too: the page lists both), newest first."""
    if person_id is None:
        return []
    docs = asking(session, organization_id)
    lines = status_of(session, docs)
    out = []
    for doc in docs:
        mine = [s for s in lines[doc.id] if s.person.id == person_id]
        if mine:
            out.append((doc, mine[0]))
    return out


def asking(session: Session, organization_id: int) -> list[Document]:
    """The organization's signed documents whose kinds ask for acknowledgment, newest
    first."""
    kinds = [k.name for k in all_kinds() if k.acknowledgers is not None]
    return list(session.scalars(select(Document).where(
        Document.organization_id == organization_id, Document.state == DocState.SIGNED,
        Document.kind.in_(kinds)).order_by(Document.signed_at.desc(), Document.id.desc())))


# -- opening and acknowledging -----------------------------------------------------------

def _check(session: Session, doc: Document, person: Person) -> None:
    """The refusals every step shares: same organization, signed, on the list."""
    if person.organization_id != doc.organization_id:
        raise NotAllowed("Документ другой организации: ознакомиться с ним может только "
                         "работник этой организации.")
    if doc.state != DocState.SIGNED:
        raise RuleViolation(f"С документом можно ознакомиться только после его подписания; "
                            f"сейчас он в состоянии «{DocState(doc.state).label}».")
    if person.id not in {p.id for p in required(session, doc)}:
        raise NotAllowed(f"{person.full_name} не входит в число тех, кто должен "
                         f"ознакомиться с этим документом.")


def record_of(session: Session, doc: Document, person: Person) -> Acknowledgment | None:
    """The person's record for ``doc`` (opened, acknowledged), if any."""
    return records(session, doc).get(person.id)


def opened(session: Session, doc: Document, person: Person) -> Acknowledgment:
    """Record that ``person`` opened the signed ``doc`` (the first time only)."""
    _check(session, doc, person)
    row = records(session, doc).get(person.id)
    if row is not None:
        if row.opened_at is None:
            row.opened_at = datetime.now(UTC)
            session.flush()
        return row
    row = Acknowledgment(organization_id=doc.organization_id, document_id=doc.id,
                         person_id=person.id, opened_at=datetime.now(UTC))
    try:
        with session.begin_nested():  # a second tab opening it at the same moment
            session.add(row)
    except IntegrityError:
        return records(session, doc)[person.id]
    return row


def record_opening(doc: Document, person: Person) -> None:
    """``opened`` in a writing session of its own, committed: for a page that is a GET,
    whose session only reads (``webforms.reading``); the caller's read has ended."""
    with new_session() as session:
        opened(session, row_of(session, Document, doc.organization_id, doc.id),
               row_of(session, Person, doc.organization_id, person.id))
        session.commit()


def acknowledge(session: Session, doc: Document, person: Person, *, actor: User,
                method: str = "click", file: bytes | None = None, filename: str = "скан",
                on: date | None = None) -> Acknowledgment:
    """Record that ``person`` acknowledged ``doc``: by her own click after opening it, or on
    paper as recorded by the clerk (``on``: the date she wrote; ``file``: the scan of the
    signed sheet). Files the new version of the sheet; the caller commits."""
    if method not in METHODS:
        raise RuleViolation("Способ ознакомления: в электронной форме или на бумаге.")
    _member_roles(session, actor, doc.organization_id)  # refuses another organization's
    _check(session, doc, person)
    session.execute(select(Document.id).where(Document.id == doc.id).with_for_update())
    row = records(session, doc).get(person.id)
    if row is not None and row.acknowledged_at is not None:
        raise RuleViolation(f"{person.full_name} уже {_acknowledged(person)} с документом "
                            f"{local_time(row.acknowledged_at):%d.%m.%Y} "
                            f"({METHODS.get(row.method or '', row.method)}).")
    now = datetime.now(UTC)
    if method == "click":
        if actor.person_id != person.id:
            raise NotAllowed("Отметить ознакомление в электронной форме может только сам "
                             "работник; ознакомление на бумаге вносит делопроизводитель.")
        if row is None or row.opened_at is None:
            raise RuleViolation("Сначала откройте документ и прочитайте его: отметка об "
                                "ознакомлении ставится после открытия документа.")
        agreement.require_accepted(session, actor, doc.organization_id)
        at, comment = now, "в электронной форме (простая электронная подпись)"
    else:
        at, comment, stored = _paper(session, doc, person, actor, file, filename, on)
    if row is None:
        row = Acknowledgment(organization_id=doc.organization_id, document_id=doc.id,
                             person_id=person.id)
        session.add(row)
    row.acknowledged_at, row.method, row.user_id = at, method, actor.id
    if method == "paper":
        row.file_id = stored.id if stored else None
    session.flush()
    audit.append(session, organization_id=doc.organization_id, document_id=doc.id,
                 actor=actor, action="acknowledge", from_state=doc.state, to_state=doc.state,
                 comment=f"Ознакомление: {person.full_name} — {comment}",
                 content_hash=doc.content_hash or "")
    file_sheet(session, doc)
    return row


def _member_roles(session: Session, actor: User, organization_id: int) -> set[Role]:
    roles = {Role(r) for r in session.scalars(select(Membership.role).where(
        Membership.user_id == actor.id, Membership.organization_id == organization_id))}
    if not roles:
        raise NotAllowed("Документ другой организации: отметить ознакомление с ним вы не "
                         "можете.")
    return roles


def _paper(session: Session, doc: Document, person: Person, actor: User,
           file: bytes | None, filename: str, on: date | None
           ) -> tuple[datetime, str, StoredFile | None]:
    """The paper route's checks and scan: (when, the audit's words, the stored scan)."""
    if not _member_roles(session, actor, doc.organization_id) & PAPER_RECORDERS:
        raise NotAllowed("Ознакомление на бумаге вносит делопроизводитель или руководитель.")
    today = datetime.now(LOCAL_TZ).date()
    on = on or today
    if on > today:
        raise RuleViolation(f"Дата ознакомления {on:%d.%m.%Y} ещё не наступила.", field="on")
    if doc.doc_date and on < doc.doc_date:
        raise RuleViolation(f"Дата ознакомления {on:%d.%m.%Y} раньше даты документа "
                            f"({doc.doc_date:%d.%m.%Y}): ознакомиться можно только с "
                            f"подписанным документом.", field="on")
    stored = None
    if file is not None:  # an empty file is refused (scans.check), not taken for none
        scan = scans.check(file, filename)
        stored = scans.store(session, doc, scan, file, role=f"scan:ack:{person.id}",
                             filename=f"Лист ознакомления (подписи) — {person.full_name}")
    at = datetime.now(UTC) if on == today else \
        datetime.combine(on, time(12), LOCAL_TZ).astimezone(UTC)
    comment = f"на бумаге, {on:%d.%m.%Y}" + (f"; скан SHA-256 {stored.sha256}" if stored else "")
    return at, comment, stored


def _acknowledged(person: Person) -> str:
    return {"m": "ознакомлен", "f": "ознакомлена"}.get(person.gender or "", "ознакомлен(а)")


def local_time(at: datetime) -> datetime:
    """``at`` in the service's local time (stored times are UTC; SQLite gives them naive)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(LOCAL_TZ)


# -- the sheet ---------------------------------------------------------------------------

def sheet(session: Session, doc: Document, *, version: int | None = None) -> Sheet:
    """The лист ознакомления of ``doc`` as it stands (``version``: its number in the
    archive, if it is to be filed)."""
    org = session.get(Organization, doc.organization_id)
    kind = get_kind(doc.kind)
    rows = status(session, doc)
    by_person = records(session, doc)
    lines = tuple(SheetLine(
        name=s.person.full_name,
        position=s.person.position + (f" ({s.person.subject})" if s.person.subject else ""),
        acknowledged_on=local_time(s.acknowledged_at).date() if s.acknowledged_at else None,
        mark=_mark(session, s, by_person.get(s.person.id))) for s in rows)
    done = sum(1 for s in rows if s.acknowledged_at)
    what = WITH.get(kind.heading, "документом")
    dated = f" от {doc.doc_date:%d.%m.%Y}" if doc.doc_date else ""
    numbered = f" № {doc.number}" if doc.number else ""
    now = datetime.now(LOCAL_TZ)
    notes = [f"Ознакомлены: {done} из {len(rows)}."]
    if version is not None:
        notes.append(f"Редакция листа № {version} от {now:%d.%m.%Y %H:%M}; предыдущие "
                     f"редакции хранятся в архиве.")
    if doc.content_hash:
        notes.append(f"Хеш содержания подписанного документа (SHA-256): {doc.content_hash}.")
    if any(s.method == "click" for s in rows):
        notes.append(PEP_BASIS)
    return Sheet(organization=org.full_name, short_name=org.short_name,
                 subject=f"с {what} {org.short_name}{dated}{numbered} «{doc.title}»",
                 lines=lines, notes=tuple(notes), permanent=kind.retention_permanent)


def _mark(session: Session, line: AckStatus, row: Acknowledgment | None) -> str:
    if line.acknowledged_at is None or row is None:
        return ""
    word = _acknowledged(line.person).capitalize()
    if line.method == "click":
        return (f"{word} в электронной форме (простая электронная подпись), "
                f"{local_time(line.acknowledged_at):%d.%m.%Y %H:%M}")
    scan = session.get(StoredFile, row.file_id) if row.file_id else None
    return "Собственноручная подпись на бумажном листе" + \
        (f" (скан в архиве, SHA-256 {scan.sha256[:16]}…)" if scan else "")


def sheet_docx(session: Session, doc: Document) -> bytes:
    """The sheet as it stands, not filed: to print and sign by hand."""
    return render(sheet(session, doc))


def sheet_versions(session: Session, doc: Document) -> dict[int, dict[str, StoredFile]]:
    """The filed versions of the sheet: number → {"docx": file, "pdf": file}."""
    out: dict[int, dict[str, StoredFile]] = {}
    for f in session.scalars(select(StoredFile).where(StoredFile.document_id == doc.id)
                             .order_by(StoredFile.id)):
        found = SHEET_ROLE.fullmatch(f.role)
        if found:
            out.setdefault(int(found[2]), {})[found[1]] = f
    return out


def _sheet_name(doc: Document, version: int, ext: str) -> str:
    return f"Лист ознакомления — {file_name(doc, ext).rsplit('.', 1)[0]}, редакция " \
           f"{version}.{ext}"


def file_sheet(session: Session, doc: Document) -> StoredFile:
    """File the next version of the sheet (DOCX); the earlier ones are kept."""
    version = max(sheet_versions(session, doc), default=0) + 1
    stored = file_document(session, doc, render(sheet(session, doc, version=version)),
                           role=f"ack_sheet_docx:{version}")
    stored.filename = _sheet_name(doc, version, "docx")
    session.flush()
    return stored


def file_sheet_pdf(doc: Document, actor_id: int | None = None) -> StoredFile | None:
    """The PDF/A copy of the newest version of ``doc``'s sheet, if PDF is enabled and it
    has none yet. Runs after the caller committed, in sessions of its own; no transaction is
    open while LibreOffice converts. ConversionFailed propagates (the DOCX stays)."""
    if not current_app.config.get("PDF_ENABLED"):
        return None
    org_id, doc_id = doc.organization_id, doc.id
    with new_session(read_only=True) as session:
        doc = row_of(session, Document, org_id, doc_id)
        versions = sheet_versions(session, doc) if doc is not None else {}
        if not versions:
            return None
        version = max(versions)
        if "pdf" in versions[version] or "docx" not in versions[version]:
            return versions[version].get("pdf")
        docx = blobs().get(versions[version]["docx"].sha256)
    converted = pdf.convert(docx, pdfa=True)
    with new_session(read_only=True) as session:  # sealed before the write lock
        pdf_bytes = sealing.seal_archived(session, org_id, converted)
    with new_session() as session:
        doc = row_of(session, Document, org_id, doc_id)
        already = sheet_versions(session, doc).get(version, {}).get("pdf")
        if already is not None:
            return already
        stored = file_document(session, doc, pdf_bytes, role=f"ack_sheet_pdf:{version}",
                               ext="pdf", sealed=True)
        stored.filename = _sheet_name(doc, version, "pdf")
        seal = sealing.SEALED if pdf_bytes is not converted else sealing.NOT_SEALED
        audit.append(session, organization_id=doc.organization_id, document_id=doc.id,
                     actor=session.get(User, actor_id) if actor_id else None, action="pdf",
                     from_state=doc.state, to_state=doc.state,
                     comment=f"Лист ознакомления, редакция {version}: PDF/A-2b{seal}",
                     content_hash=doc.content_hash or "")
        session.commit()
        return stored
