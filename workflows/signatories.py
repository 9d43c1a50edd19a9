"""Who signs a document: each kind declares its signatories, and this module finds the
parties of one document — the people behind them, who of them has signed and who still has
to, in the order they sign.

A ``Signatory`` is a line of a kind's declaration (``DocumentKind.signatories``): the part
it plays (the head, the person a consent is from, the employee, the mentor, every
mentee...), the methods the law lets it sign by and the legal basis of them, shown on the
page. A ``Party`` is one signatory of one document, with its person and the account that
may sign with ПЭП. Every party other than the head signs first, the head last; the document
is signed when every party has (``workflows.signing.record`` and the ``sign`` arrow).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, Membership, Organization, Signature, User
from storage.roles import Role
from workflows.kinds import get_kind
from workflows.people import person_of
from workflows.states import DocState

METHODS = ("simple", "paper", "qualified")
METHOD_LABELS = {
    "simple": "простая электронная подпись",
    "paper": "собственноручная подпись на бумаге",
    "qualified": "усиленная квалифицированная электронная подпись",
    "seal": "электронная печать организации",
}
# the parts signed by the head of the organization (any user holding the director's role
# there signs as it): they sign last
HEAD_PARTS = frozenset({"head", "employer"})
# who may file another party's paper original or qualified signature (a clerk's task)
RECORDERS = frozenset({Role.CLERK, Role.DIRECTOR, Role.ADMIN})

# the legal bases the kinds name (shown on the document's page beside the methods)
BASIS_CONSENT = ("Согласие в форме электронного документа, подписанного электронной подписью, "
                 "равнозначно согласию на бумаге (152-ФЗ ст. 9 ч. 4); простая электронная "
                 "подпись — по Положению об использовании простой электронной подписи "
                 "(63-ФЗ ст. 6 ч. 2, ст. 9), либо собственноручная подпись на бумаге.")
BASIS_STATEMENT = ("Внутренний документ: простая электронная подпись по Положению об "
                   "использовании простой электронной подписи (63-ФЗ ст. 6 ч. 2, ст. 9) либо "
                   "собственноручная подпись на бумаге.")
BASIS_LABOUR = ("Документ по трудовым отношениям: на бумаге либо в электронном виде с усиленной "
                "квалифицированной электронной подписью (ТК РФ ст. 22.1–22.3); простая "
                "электронная подпись не применяется.")
BASIS_HEAD = ("Распорядительный документ руководителя: простая электронная подпись по "
              "Положению об использовании простой электронной подписи (63-ФЗ ст. 6 ч. 2, "
              "ст. 9), собственноручная подпись на бумаге или усиленная квалифицированная "
              "электронная подпись (63-ФЗ ст. 6 ч. 1).")
BASIS_PROGRAM = ("Программу согласуют наставник и каждый наставляемый (П1 §5.1), утверждает "
                 "руководитель: простая электронная подпись по Положению об использовании "
                 "простой электронной подписи (63-ФЗ ст. 6 ч. 2, ст. 9) либо подпись на бумаге.")

PEN = ("simple", "paper")  # ПЭП or paper
HEAD_METHODS = ("simple", "paper", "qualified")
LABOUR = ("paper", "qualified")

# the people a signatory stands for in one document: ids of persons of its organization
People = Callable[[Session, Document], Iterable[Any]]


def from_data(key: str) -> People:
    """The person (or people) the document's data names under ``key``."""
    def people(session: Session, doc: Document) -> list[Any]:
        value = doc.data.get(key)
        return list(value) if isinstance(value, (list, tuple)) else [value]
    people.__doc__ = f"the person of the data's «{key}»"
    return people


@dataclass(frozen=True)
class Signatory:
    """One line of a kind's signatories: the part, its label, the methods the law allows it
    (the first is the default) and their basis, and how to find its person(s) — ``people``
    (None: the head of the organization); ``many`` makes one party per person, keyed
    ``part:<person id>``."""

    part: str  # head | author | subject | employee | employer | mentor | mentee | curator
    label: str  # Russian, e.g. «Педагог, давший согласие», «Руководитель»
    methods: tuple[str, ...]
    basis: str
    people: People | None = None
    many: bool = False

    def __post_init__(self) -> None:
        unknown = [m for m in self.methods if m not in METHODS]
        if unknown or not self.methods:
            raise ValueError(f"signatory {self.part}: methods {self.methods!r}")
        if (self.people is None) != (self.part in HEAD_PARTS):
            raise ValueError(f"signatory {self.part}: the head parts alone have no people")

    @property
    def is_head(self) -> bool:
        return self.part in HEAD_PARTS


def head(label: str = "Руководитель", methods: tuple[str, ...] = HEAD_METHODS,
         basis: str = BASIS_HEAD, part: str = "head") -> Signatory:
    """The head of the organization, signing last."""
    return Signatory(part, label, methods, basis)


@dataclass(frozen=True)
class Party:
    """One signatory of one document: ``key`` is the ``Signature.party`` string."""

    key: str
    part: str
    label: str
    person_id: int | None
    user_id: int | None  # the account that may sign with ПЭП (the head: a director's)
    name: str
    position: str
    methods: tuple[str, ...]
    basis: str
    is_head: bool = False

    @property
    def method_labels(self) -> list[str]:
        return [METHOD_LABELS[m] for m in self.methods]

    def is_user(self, user: User, roles: Iterable[Role]) -> bool:
        """Whether ``user`` (with ``roles`` in the document's organization) is this party:
        her own person, or for the head any holder of the director's role."""
        if self.is_head:
            return Role.DIRECTOR in set(roles)
        return self.person_id is not None and user.person_id == self.person_id


def parties(session: Session, doc: Document) -> list[Party]:
    """Every party of ``doc``, signed or not, in signing order (the head last)."""
    out: list[Party] = []
    for signatory in get_kind(doc.kind).signatories:
        if signatory.is_head:
            out.append(_head_party(session, doc, signatory))
            continue
        ids = [i for i in dict.fromkeys(signatory.people(session, doc)) if i]
        for pid in ids:
            person = person_of(session, doc.organization_id, pid)
            if person is None:
                continue
            key = f"{signatory.part}:{person.id}" if signatory.many else signatory.part
            account = session.scalars(select(User).where(
                User.person_id == person.id, User.is_active.is_(True))
                .order_by(User.id)).first()
            out.append(Party(key, signatory.part, signatory.label, person.id,
                             account.id if account else None, person.full_name,
                             person.position, signatory.methods, signatory.basis))
    return sorted(out, key=lambda p: p.is_head)


def _head_party(session: Session, doc: Document, signatory: Signatory) -> Party:
    org = session.get(Organization, doc.organization_id)
    director = session.scalars(select(User).join(Membership).where(
        Membership.organization_id == doc.organization_id, Membership.role == Role.DIRECTOR,
        User.is_active.is_(True)).order_by(User.id)).first()
    name = " ".join(n for n in (org.head_last_name, org.head_first_name,
                                org.head_middle_name) if n)
    return Party(signatory.part, signatory.part, signatory.label,
                 director.person_id if director else None, director.id if director else None,
                 name or (director.full_name if director else ""), org.head_position,
                 signatory.methods, signatory.basis, is_head=True)


def signatures_of(session: Session, doc: Document) -> list[Signature]:
    """The signatures made on ``doc``, oldest first (rows carried over by migration 0009
    included)."""
    return list(session.scalars(select(Signature).where(
        Signature.document_id == doc.id).order_by(Signature.signed_at, Signature.id)))


def pending(session: Session, doc: Document) -> list[Party]:
    """Who still has to sign ``doc``, in signing order; none once it is signed or
    cancelled."""
    if doc.state in (DocState.SIGNED, DocState.CANCELLED):
        return []
    return still_to_sign(doc, parties(session, doc),
                         {s.party for s in signatures_of(session, doc)})


def still_to_sign(doc: Document, everyone: Iterable[Party], signed: Iterable[str]
                  ) -> list[Party]:
    """``pending`` from the parties and the signed party keys the caller has loaded."""
    if doc.state in (DocState.SIGNED, DocState.CANCELLED):
        return []
    signed = set(signed)
    return [p for p in everyone if p.key not in signed]


def next_for(session: Session, doc: Document, user: User, roles: Iterable[Role],
             waiting: list[Party] | None = None) -> Party | None:
    """The pending party ``user`` may sign as now (the head only once the others have
    signed), or None; ``waiting``: ``pending`` if the caller has it already."""
    waiting = pending(session, doc) if waiting is None else waiting
    roles = frozenset(roles)
    others = [p for p in waiting if not p.is_head]
    return next((p for p in waiting if p.is_user(user, roles)
                 and (not p.is_head or not others)), None)


def roles_of(session: Session, user: User, organization_id: int) -> frozenset[Role]:
    """The roles ``user`` holds in the organization (who she is as a party, and whose
    visa she gives on her own document: ``approval_routes.skipped``)."""
    return frozenset(Role(r) for r in session.scalars(select(Membership.role).where(
        Membership.user_id == user.id, Membership.organization_id == organization_id)))


def names(waiting: Iterable[Party]) -> str:
    """«Педагог, давший согласие (Седых Ирина Павловна), Руководитель (...)»."""
    return ", ".join(f"{p.label} ({p.name})" if p.name else p.label for p in waiting)
