"""Database models: organizations, users and their roles, people, documents, audit, files.

Typed SQLAlchemy 2 models. Constraint names come from the naming convention so that
Alembic migrations can refer to them on every backend (SQLite included).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.roles import Role
from storage.states import DocState

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    inn: Mapped[str] = mapped_column(String(12), default="")
    ogrn: Mapped[str] = mapped_column(String(15), default="")
    head_position: Mapped[str] = mapped_column(String(200), default="Директор")
    # how an application addresses the head: «Директору», «Заведующему»
    head_position_dative: Mapped[str] = mapped_column(String(200), default="Директору")
    head_last_name: Mapped[str] = mapped_column(String(100), default="")
    head_first_name: Mapped[str] = mapped_column(String(100), default="")
    head_middle_name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def head(self) -> dict[str, str]:
        return {
            "last_name": self.head_last_name,
            "first_name": self.head_first_name,
            "middle_name": self.head_middle_name,
            "position": self.head_position,
            "position_dative": self.head_position_dative,
        }


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    # a password given by someone else (workflows/people_logins.py): the user sets his own
    must_change_password: Mapped[bool] = mapped_column(default=False)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class UserSession(Base):
    """One login of a user. The cookie carries a random token, the row only its SHA-256;
    logging out, a new password or deactivation ends the row (``ended_at``)."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class Membership(Base):
    """One role of one user in one organization."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organization_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    role: Mapped[Role] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship()


class Person(Base):
    """A pedagogue of an organization: a possible mentor or mentee."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    gender: Mapped[str | None] = mapped_column(String(1))
    position: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    is_deputy_head: Mapped[bool] = mapped_column(default=False)  # заместитель руководителя
    pd_withdrawn_on: Mapped[date | None] = mapped_column(Date)  # personal-data consent withdrawn
    erased_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the card of the bank (issue 10, workflows/people_bank.py): 0010
    hire_date: Mapped[date | None] = mapped_column(Date)
    service_years: Mapped[int | None] = mapped_column(Integer)  # pedagogical service, years
    achievements: Mapped[list[str]] = mapped_column(JSON, default=list)  # §5.2.1, mentors
    mentee_categories: Mapped[list[str]] = mapped_column(JSON, default=list)  # §5.2.3
    archived_at: Mapped[datetime | None] = mapped_column()  # left the lists, documents kept

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def as_context(self) -> dict[str, Any]:
        """The person as templates and stored form data see it."""
        return {
            "id": self.id,
            "last_name": self.last_name,
            "first_name": self.first_name,
            "middle_name": self.middle_name,
            "gender": self.gender,
            "position": self.position,
            "subject": self.subject,
        }


class Document(Base):
    """One document of one kind, through its whole life."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("organization_id", "journal", "reg_year", "reg_seq"),
                      UniqueConstraint("organization_id", "create_token"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(50), index=True)
    state: Mapped[DocState] = mapped_column(String(20), default=DocState.DRAFT, index=True)
    title: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    journal: Mapped[str | None] = mapped_column(String(50))
    reg_year: Mapped[int | None] = mapped_column(Integer)
    reg_seq: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(50))
    doc_date: Mapped[date | None] = mapped_column(Date)
    signed_at: Mapped[datetime | None] = mapped_column()
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signature_id: Mapped[str | None] = mapped_column(String(64))
    signature_key_id: Mapped[str | None] = mapped_column(String(16))  # None: before 0008
    content_hash: Mapped[str | None] = mapped_column(String(64))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    last_comment: Mapped[str] = mapped_column(Text, default="")
    approval_round: Mapped[int] = mapped_column(Integer, default=0)
    # the uploaded template the signed copy was rendered from (None: the built-in one)
    template_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("template_versions.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # the one-time token of the create form (or the API's Idempotency-Key) that made it:
    # a second submit of the same form finds this document instead of making another
    create_token: Mapped[str | None] = mapped_column(String(100))

    organization: Mapped[Organization] = relationship()
    person: Mapped[Person | None] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])
    files: Mapped[list[StoredFile]] = relationship(
        back_populates="document", order_by="StoredFile.id"
    )

    __mapper_args__ = {"version_id_col": version}


class AuditEntry(Base):
    """One transition of one document; rows of an organization form a hash chain."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(50))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_id: Mapped[str | None] = mapped_column(String(16))  # None: plain SHA-256, before 0008

    actor: Mapped[User | None] = relationship()


class AuditHead(Base):
    """The last link of an organization's audit chain; its row lock serialises appends."""

    __tablename__ = "audit_heads"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id"), primary_key=True
    )
    last_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer, default=0)
    key_id: Mapped[str | None] = mapped_column(String(16))
    mac: Mapped[str | None] = mapped_column(String(64))  # HMAC of the head (workflows/audit)


class JournalCounter(Base):
    """The last registration number taken in one journal of one organization in one year."""

    __tablename__ = "journal_counters"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id"), primary_key=True
    )
    journal: Mapped[str] = mapped_column(String(50), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class StoredFile(Base):
    """A file of a document, kept in the blob store under its SHA-256."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="files")


class BankEntry(Base):
    """A person in the bank of mentors or of mentees (П2 stages 2–3).

    Entering the bank needs a signed personal-data consent; withdrawing that consent
    takes the entry out (``withdrawn_at``).
    """

    __tablename__ = "bank_entries"
    __table_args__ = (UniqueConstraint("organization_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    role: Mapped[str] = mapped_column(String(10))  # "mentor" | "mentee"
    category: Mapped[str] = mapped_column(String(300), default="")  # §5.2.3, mentees
    # a mentor's experience, or a mentee's request
    competences: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column()

    person: Mapped[Person] = relationship()


class MentoringGroup(Base):
    """A mentoring pair (one mentee) or group (two or more), made active by a pairing order."""

    __tablename__ = "mentoring_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    form: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    pay: Mapped[str] = mapped_column(String(50), default="")  # «5 000,00 руб. в месяц» / %
    status: Mapped[str] = mapped_column(String(20), default="proposed")  # proposed|active|ended
    order_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    ended_on: Mapped[date | None] = mapped_column(Date)

    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id])
    members: Mapped[list[GroupMember]] = relationship(back_populates="group",
                                                      cascade="all, delete-orphan")


class GroupMember(Base):
    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_groups.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("people.id"))

    group: Mapped[MentoringGroup] = relationship(back_populates="members")
    mentee: Mapped[Person] = relationship()


class Program(Base):
    """A personalized mentoring program of one pair or group (§1.3: 3 months to 1 year)."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_groups.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    # {"forms": [...], "directions": [...]}
    forms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    plan: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"items": [{activity, date, …}]}
    expected_results: Mapped[str] = mapped_column(Text, default="")
    # draft | active | completed | ended_early
    status: Mapped[str] = mapped_column(String(20), default="draft")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    extended_times: Mapped[int] = mapped_column(Integer, default=0)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_ground: Mapped[str] = mapped_column(Text, default="")
    results_published_at: Mapped[datetime | None] = mapped_column()

    group: Mapped[MentoringGroup] = relationship()


class Erasure(Base):
    """The record that a person's data was erased after consent withdrawal (152-ФЗ ст. 21 ч. 5)."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    withdrawn_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    erased_at: Mapped[datetime | None] = mapped_column()
    details: Mapped[str] = mapped_column(Text, default="")


class Visa(Base):
    """One visa (согласование) given to a document in one round of approval."""

    __tablename__ = "visas"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(30))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(300))
    signer_position: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class RouteSetting(Base):
    """An organization's choice of visas for one kind (codes of
    ``workflows.approval_routes.VISAS``)."""

    __tablename__ = "route_settings"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(50), primary_key=True)
    steps: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"steps": ["curator", ...]}


class TemplateVersion(Base):
    """A DOCX template an organization uploaded for one kind; one version per upload.

    The file lives in the blob store under ``sha256``; at most one version of a kind is
    active in an organization (none: the built-in template is used).
    """

    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("organization_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_active: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    uploaded_by: Mapped[User | None] = relationship()


class Signature(Base):
    """One party's signature on a document: who signed, as which party, how and what.

    ``party`` is the key of the signatory in the kind's list (``head``, ``author``,
    ``mentee:17``), unique per document; ``part`` what the party is in the document
    (``head``, ``employee``, ``employer``, ``author``, ``mentor``, ``mentee``, ``curator``).
    ``method``: ``simple`` (ПЭП under the organization's regulation), ``paper`` (a scan of
    the hand-signed original), ``qualified`` (a detached CMS signature uploaded) or ``seal``.
    ``sha256`` is the hash of the exact file signed (the signing copy for ``simple`` and
    ``qualified``, the scan for ``paper``); ``signature_id`` the keyed HMAC of a simple
    signature under ``key_id`` (storage/keys.py).
    """

    __tablename__ = "signatures"
    __table_args__ = (UniqueConstraint("document_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    party: Mapped[str] = mapped_column(String(60))
    part: Mapped[str] = mapped_column(String(30))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who signed/uploaded
    signer_name: Mapped[str] = mapped_column(String(300))
    signer_position: Mapped[str] = mapped_column(String(300), default="")
    method: Mapped[str] = mapped_column(String(20))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sha256: Mapped[str] = mapped_column(String(64))
    signature_id: Mapped[str | None] = mapped_column(String(64))
    key_id: Mapped[str | None] = mapped_column(String(16))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))  # scan, .sig
    certificate: Mapped[dict[str, Any] | None] = mapped_column()  # subject, serial, validity

    user: Mapped[User | None] = relationship()
    file: Mapped[StoredFile | None] = relationship()


class EsignAcceptance(Base):
    """A user's acceptance of her organization's regulation on simple electronic signatures
    (63-ФЗ ст. 9 ч. 2): the date and the version of the text she accepted."""

    __tablename__ = "esign_acceptances"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)
    text_version: Mapped[str] = mapped_column(String(40))
    text_sha256: Mapped[str] = mapped_column(String(64))
    withdrawn_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship()


class Acknowledgment(Base):
    """A person's acknowledgment (ознакомление, ТК РФ ст. 22, 68) of a signed document:
    when she opened it and when she acknowledged it, in the service or on paper."""

    __tablename__ = "acknowledgments"
    __table_args__ = (UniqueConstraint("document_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    opened_at: Mapped[datetime | None] = mapped_column()
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    method: Mapped[str | None] = mapped_column(String(20))  # click | paper
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who recorded it
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))  # paper sheet

    person: Mapped[Person] = relationship()


class SealCertificate(Base):
    """The organization's certificate that seals its archived PDFs (PAdES): a development
    one made by ``flask seal dev-certificate`` or a PKCS#12 the head uploaded. The PKCS#12
    lives in the blob store under ``pkcs12_sha256``, encrypted under a passphrase derived
    from the integrity key; ``chain_pem`` holds the issuing certificates (the trust roots
    of ``flask archive verify``)."""

    __tablename__ = "seal_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))  # development | uploaded
    subject: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(500), default="")
    serial: Mapped[str] = mapped_column(String(100))
    not_before: Mapped[datetime] = mapped_column()
    not_after: Mapped[datetime] = mapped_column()
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the certificate's DER
    pkcs12_sha256: Mapped[str] = mapped_column(String(64))
    chain_pem: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanActivity(Base):
    """One activity of a running program's plan, as it is carried out (issue 10; П1 §4.1):
    planned, then done (when, a short note, an optional evidence file) or missed. A mentee's
    done activity counts once her mentor confirms it. Made from the approved program's plan
    when it is signed; the signed document itself is never changed."""

    __tablename__ = "plan_activities"
    __table_args__ = (UniqueConstraint("program_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, … as in the approved plan
    activity: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    responsible: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")  # planned | done | missed
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime | None] = mapped_column()
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column()


class PlanProposal(Base):
    """A plan row a participant proposes for the draft of her program (issue 10, П1 §5.1:
    the mentor and the mentee write the program with the curator); the curator accepts it
    into the draft or declines it with a reason."""

    __tablename__ = "plan_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    row: Mapped[dict[str, Any]] = mapped_column(default=dict)  # a row of the form's plan table
    status: Mapped[str] = mapped_column(String(20), default="proposed")  # | accepted | declined
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """A notice to one user, in the app and by e-mail when SMTP is configured (issue 10):
    a document waits for her, a notice period runs, a program ends within 14 days, an
    erasure of personal data is due. ``key`` names the event, so it is made once."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()
    emailed_at: Mapped[datetime | None] = mapped_column()
