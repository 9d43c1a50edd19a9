"""The life every document shares, declared as a table of arrows.

    draft ──submit──▶ in_approval ──approve──▶ approved ──sign──▶ signed
      ▲                  │   │                    │  │
      │               return └───────┐         return│
      │                  ▼           ▼             ▼  │
      └──edit──── returned       cancelled ◀──cancel──┘   (cancel: any state before signed)

A kind may narrow who takes an arrow (``DocumentKind.roles``) and add guards and effects
(``DocumentKind.guards`` / ``effects``); the arrows themselves are the same for every kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.roles import Role
from workflows.states import DocState

S = DocState
AUTHORS = frozenset({Role.CLERK, Role.CURATOR, Role.DIRECTOR, Role.TEACHER, Role.ADMIN})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button a user presses, in Russian
    sources: frozenset[DocState]
    target: DocState
    roles: frozenset[Role]
    needs_comment: bool = False
    needs_password: bool = False  # re-authentication for a simple electronic signature


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", "Отправить на согласование", frozenset({S.DRAFT}), S.IN_APPROVAL,
                   AUTHORS),
        # who gives the next visa is decided by the route (workflows/routes.py); the
        # document stays in approval until the last visa of the route is given
        Transition("approve", "Согласовать (поставить визу)", frozenset({S.IN_APPROVAL}),
                   S.APPROVED, frozenset(Role)),
        Transition("return", "Вернуть на доработку", frozenset({S.IN_APPROVAL, S.APPROVED}),
                   S.RETURNED, frozenset({Role.DIRECTOR, Role.CURATOR}), needs_comment=True),
        Transition("edit", "Исправить", frozenset({S.RETURNED}), S.DRAFT, AUTHORS),
        Transition("sign", "Подписать", frozenset({S.APPROVED}), S.SIGNED,
                   frozenset({Role.DIRECTOR}), needs_password=True),
        Transition("cancel", "Отменить", frozenset({S.DRAFT, S.RETURNED, S.IN_APPROVAL,
                                                    S.APPROVED}), S.CANCELLED,
                   AUTHORS, needs_comment=True),
    )
}
