"""Accepting and withdrawing the organization's regulation on simple electronic signatures,
each with its audit entry, and the head's list of who accepted which version when.

The rules (which acceptance counts, the password asked again) live in
``signatures.agreement``; this module adds what every action of the service has: a row in
the organization's audit chain (``workflows.audit``). The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from signatures import agreement, esign_regulation
from storage.models import EsignAcceptance, Membership, User
from storage.roles import Role
from workflows import audit

ACCEPT, WITHDRAW = "esign_accept", "esign_withdraw"


def accept(session: Session, user: User, organization_id: int,
           password: str) -> EsignAcceptance:
    """The user accepts the text in force after entering her password again."""
    acceptance = agreement.accept(session, user, organization_id, password)
    audit.append(session, organization_id=organization_id, document_id=None, actor=user,
                 action=ACCEPT, from_state=None, to_state=None,
                 comment=f"Присоединение к Положению о простой электронной подписи, "
                         f"редакция {esign_regulation.current().version_label}, SHA-256 "
                         f"текста {acceptance.text_sha256}.")
    return acceptance


def withdraw(session: Session, user: User, organization_id: int) -> EsignAcceptance:
    """The user stops using ПЭП in the organization."""
    acceptance = agreement.withdraw(session, user, organization_id)
    audit.append(session, organization_id=organization_id, document_id=None, actor=user,
                 action=WITHDRAW, from_state=None, to_state=None,
                 comment=f"Отказ от использования простой электронной подписи "
                         f"(присоединение к редакции {acceptance.text_version} отозвано).")
    return acceptance


@dataclass(frozen=True)
class Row:
    """One user of the organization on the head's list."""

    user: User
    roles: frozenset[Role]
    latest: EsignAcceptance | None  # newest acceptance, any version, withdrawn or not
    in_force: bool  # she may sign with ПЭП now

    @property
    def signs(self) -> bool:
        """Whether she may sign at all: the inspector only reads."""
        return bool(self.roles - {Role.INSPECTOR})

    @property
    def status(self) -> str:
        if not self.signs:
            return "Только просмотр: документы не подписывает"
        if self.in_force:
            return "Присоединение к действующей редакции"
        if self.latest is None:
            return "Нет присоединения"
        if self.latest.withdrawn_at is not None:
            return "Отказ от простой электронной подписи"
        return "Присоединение только к прежней редакции"


def rows(session: Session, organization_id: int) -> list[Row]:
    """Every user with a role in the organization, by name, with her acceptance state."""
    memberships = session.scalars(
        select(Membership).where(Membership.organization_id == organization_id)).all()
    roles: dict[int, set[Role]] = {}
    for m in memberships:
        roles.setdefault(m.user_id, set()).add(Role(m.role))
    users = session.scalars(select(User).where(User.id.in_(roles))).all()
    newest: dict[int, EsignAcceptance] = {}
    for acceptance in session.scalars(
            select(EsignAcceptance).where(EsignAcceptance.organization_id == organization_id)
            .order_by(EsignAcceptance.accepted_at, EsignAcceptance.id)):
        newest[acceptance.user_id] = acceptance  # the last one wins
    return [Row(u, frozenset(roles[u.id]), newest.get(u.id), agreement.counts(newest.get(u.id)))
            for u in sorted(users, key=lambda u: (u.full_name, u.id))]
