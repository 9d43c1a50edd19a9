"""Every loader of the pages by id (``*_or_404``), scoped to the user's organization (404
otherwise) through ``workflows.scoping.row_of`` lookups, and what a user may see of the
organization: staff everything, a teacher what concerns her as a party (her documents, her
pairs/groups and their programs). No view filters by organization itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g
from sqlalchemy import select

from storage.db import db_session
from storage.models import (
    Document,
    MentoringGroup,
    Person,
    Program,
    SealCertificate,
    StoredFile,
    TemplateVersion,
)
from storage.roles import Role
from webforms.auth import current_org_id, current_roles, user
from webforms.errors import HTTP_MESSAGES
from workflows import acknowledgments, batches, documents, people, people_bank, programs, scoping
from workflows.errors import NotAllowed, NotFound
from workflows.lifecycle import AUTHORS
from workflows.scoping import Target

# Roles that see every document of their organization; anyone else (a teacher) sees only
# the documents that concern him: personal data of colleagues is not his to read.
STAFF = frozenset({Role.CLERK, Role.CURATOR, Role.DIRECTOR, Role.ADMIN, Role.INSPECTOR})


@dataclass(frozen=True)
class Party:
    """What makes a teacher a party to a document: who she is, and her pairs/groups and
    their programs (as mentor or mentee, in any state)."""

    user_id: int
    person_id: int | None
    group_ids: frozenset[int]
    program_ids: frozenset[int]

    def concerned_by(self, doc: Document) -> bool:
        """Author, subject (``doc.person_id``), a person named in one of the form's person
        fields (rows included), or the document is about her own pair/group or program."""
        if doc.author_id == self.user_id:
            return True
        if self.person_id is None:
            return False
        if doc.person_id == self.person_id:
            return True
        kind, data = doc.kind, doc.data or {}
        return self.person_id in scoping.ids_of(kind, data, Target.PERSON) \
            or bool(scoping.ids_of(kind, data, Target.GROUP) & self.group_ids) \
            or bool(scoping.ids_of(kind, data, Target.PROGRAM) & self.program_ids)


def party() -> Party:
    """The current user as a party to documents (computed once per request)."""
    if "nastavnik_party" not in g:
        me, session, org_id = user(), db_session(), current_org_id()
        groups = frozenset(grp.id for grp in programs.groups_of_participant(
            session, org_id, me.person_id)) if me.person_id is not None else frozenset()
        progs = frozenset(p.id for p in programs.programs_of_groups(session, org_id, groups))
        g.nastavnik_party = Party(me.id, me.person_id, groups, progs)
    return g.nastavnik_party


def is_staff() -> bool:
    return bool(current_roles() & STAFF)


def may_see(doc: Document) -> bool:
    """Staff see the organization's documents; a teacher those that concern her as a party
    (``Party.concerned_by``) or must acknowledge (``workflows.acknowledgments``) — not a
    document whose some ``*_id`` equals her person id."""
    return is_staff() or party().concerned_by(doc) or \
        acknowledgments.is_listed(db_session(), doc, party().person_id)


def document_or_404(document_id: int) -> Document:
    """The document of the current organization that this user may see, or NotFound (404)."""
    doc = documents.load(db_session(), current_org_id(), document_id)
    if not may_see(doc):
        raise NotFound("Документ не найден.")
    return doc


def openable_documents(ids: list[int]) -> tuple[list[int], list[int]]:
    """(the ids this user may open, the ids he may not), each through ``document_or_404``."""
    allowed, refused = [], []
    for doc_id in dict.fromkeys(ids):
        try:
            allowed.append(document_or_404(doc_id).id)
        except NotFound:
            refused.append(doc_id)
    return allowed, refused


def stored_file_or_404(doc: Document, file_id: int) -> StoredFile:
    """A stored file of ``doc`` (already loaded for this user), or NotFound."""
    stored = db_session().get(StoredFile, scoping.as_id(file_id) or 0)
    if stored is None or stored.document_id != doc.id:
        raise NotFound(HTTP_MESSAGES[404])
    return stored


def person_or_404(person_id: int) -> Person:
    """The pedagogue of the current organization, or NotFound (also for other
    organizations')."""
    person = people.person_of(db_session(), current_org_id(), person_id)
    if person is None:
        raise NotFound("Педагог не найден.")
    return person


def group_or_404(group_id: int) -> MentoringGroup:
    """The pair/group of the current organization, or NotFound."""
    group = programs.group_of(db_session(), current_org_id(), group_id)
    if group is None:
        raise NotFound("Наставническая пара/группа не найдена.")
    return group


def program_or_404(program_id: int) -> Program:
    """The program of the current organization, or NotFound (404)."""
    program = programs.program_of(db_session(), current_org_id(), program_id)
    if program is None:
        raise NotFound("Программа наставничества не найдена.")
    return program


def template_version_or_404(version_id: int, kind: str | None = None) -> TemplateVersion:
    """The uploaded template version of the current organization (of ``kind``, if given),
    or NotFound."""
    version = scoping.row_of(db_session(), TemplateVersion, current_org_id(), version_id)
    if version is None or (kind is not None and version.kind != kind):
        raise NotFound("Версия шаблона не найдена.")
    return version


def seal_certificate_or_404(certificate_id: int) -> SealCertificate:
    """A seal certificate of the current organization, or NotFound."""
    row = scoping.row_of(db_session(), SealCertificate, current_org_id(), certificate_id)
    if row is None:
        raise NotFound("Сертификат печати не найден.")
    return row


def batch_or_404(batch_id: str) -> dict[str, Any]:
    """The batch this user started in this organization, or NotFound (anyone else's,
    staff included)."""
    return batches.load(current_org_id(), user().id, batch_id)


def visible_documents(**filters: Any) -> list[Document]:
    """The organization's documents this user may see (``documents_of`` filters)."""
    docs = documents.documents_of(db_session(), current_org_id(), **filters)
    return docs if is_staff() else [d for d in docs if party().concerned_by(d)]


def visible_groups() -> list[MentoringGroup]:
    """Pairs/groups of the organization this user may see: all for staff, a teacher's own."""
    session, org_id = db_session(), current_org_id()
    if is_staff():
        return programs.all_groups(session, org_id)
    return [grp for grp in programs.groups_of_participant(session, org_id, party().person_id)
            ] if party().person_id is not None else []


def visible_programs() -> list[Program]:
    """Programs of the organization this user may see: all for staff, those of her pairs."""
    session, org_id = db_session(), current_org_id()
    if is_staff():
        return programs.all_programs(session, org_id)
    return programs.programs_of_groups(session, org_id, set(party().group_ids))


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
    q = select(Person).where(Person.organization_id == current_org_id(),
                             Person.erased_at.is_(None))
    return people_bank.choosable(list(db_session().scalars(q)))  # archived out, Russian order
