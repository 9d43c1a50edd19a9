"""The life every document shares, declared as one table: each arrow, who may take it, what
it needs, what it does and where it leads.

    draft ──submit──▶ in_approval ──approve (the last visa)──▶ approved ──sign (the last)──▶ signed
      └──submit (no visa on the route)──────────────────────▶ approved
                      in_approval ──approve (visas still awaited)──▶ in_approval
                                  approved ──sign (parties still to sign)──▶ approved
    in_approval, approved ──return──▶ returned ──edit──▶ draft ──edit──▶ draft
    draft, returned, in_approval, approved ──cancel──▶ cancelled

One row per arrow (``Transition``): the states it leaves and the one it reaches —
``branches`` send it elsewhere when a ``Condition`` holds once its effects are done (submit
with no visa on the route goes straight to approved; approve stays in approval until the
last visa; sign stays approved until the last party has signed) —, who may take it
(``roles``, which a kind may narrow with ``DocumentKind.roles``; ``visa_due``: the user
whose visa the route awaits; ``signature_due``: a party still to sign,
``workflows.signatories``), what it needs (a comment, the signer's password, the form's
data), its built-in ``effects`` in order, the ``completing`` ones done only when it reaches
its own target (a ``partial`` branch leaves it unfinished: the number, the signed copy and
the jobs wait for the last signature), and the follow-up ``jobs`` the caller queues once
committed. A kind adds guards and effects (``DocumentKind.guards`` / ``effects``; a kind's
effects of an arrow run when it completes); the arrows are the same for every kind.
``workflows.documents.transition`` applies a row; ``workflows.describe`` draws the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.roles import Role
from workflows.states import DocState

AUTHORS = frozenset({Role.CLERK, Role.CURATOR, Role.DIRECTOR, Role.TEACHER, Role.ADMIN})


@dataclass(frozen=True)
class Effect:
    """What taking an arrow does, built into every kind (``workflows.documents.EFFECTS``
    applies each)."""

    code: str
    label: str  # in Russian, for docs/workflows.md


NEW_ROUND = Effect("new_round", "новый круг согласования")
SAVE_DATA = Effect("save_data", "данные формы сохраняются")
GIVE_VISA = Effect("give_visa", "виза текущего этапа маршрута")
NUMBER = Effect("number", "регистрационный номер по журналу вида и дата")
RECORD_SIGNATURE = Effect("record_signature", "подпись стороны: подписант, его роль в "
                          "документе, время, способ, SHA-256 подписанного файла")
SIGN = Effect("sign", "хеш содержания и идентификатор регистрации подписанного документа")
FILE_SIGNED = Effect("file_signed", "подписанный DOCX в архив")
KEEP_COMMENT = Effect("keep_comment", "комментарий остаётся на документе")
VOID_SIGNING_COPY = Effect("void_signing_copy", "экземпляр для подписания (ещё без подписей) "
                           "больше не действует")


@dataclass(frozen=True)
class Condition:
    """A fact about the document that sends an arrow to another state
    (``workflows.documents.CONDITIONS`` tells whether it holds)."""

    code: str
    label: str


ROUTE_COMPLETE = Condition("route_complete", "виз больше не нужно")
VISAS_PENDING = Condition("visas_pending", "ждут ещё виз")
SIGNATURES_PENDING = Condition("signatures_pending", "подписали ещё не все стороны")


@dataclass(frozen=True)
class Branch:
    """Reach ``target`` instead when ``when`` holds after the arrow's effects; ``partial``:
    the arrow is then not complete (its ``completing`` effects, the kind's effects and the
    jobs wait for the taker who completes it)."""

    when: Condition
    target: DocState
    partial: bool = False


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button a user presses, in Russian
    sources: frozenset[DocState]
    target: DocState
    roles: frozenset[Role] = frozenset()  # who takes it by role (a kind may narrow them)
    visa_due: bool = False  # also (or only, without roles) whoever's visa the route awaits
    signature_due: bool = False  # a party still to sign (``workflows.signatories.pending``)
    before_signatures: bool = False  # refused once any party has signed
    needs_comment: bool = False
    needs_password: bool = False  # re-authentication for a simple electronic signature
    takes_form: bool = False  # taken by saving the document's form (``documents.update``)
    effects: tuple[Effect, ...] = ()
    completing: tuple[Effect, ...] = ()  # only when it reaches ``target`` (not a branch)
    branches: tuple[Branch, ...] = ()  # the first whose condition holds wins
    jobs: tuple[str, ...] = ()  # ``workflows.jobs.JOBS`` names, each given (doc id, actor id)
    refusal: str = ""  # from a wrong state, with {state}; the default names the action

    def wrong_state(self, state: DocState) -> str:
        return (self.refusal or f"Действие «{self.label}» невозможно: документ в состоянии "
                "«{state}».").format(state=state.label)


S = DocState
BEFORE_SIGNATURE = frozenset({S.DRAFT, S.RETURNED, S.IN_APPROVAL, S.APPROVED})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", "Отправить на согласование", frozenset({S.DRAFT}), S.IN_APPROVAL,
                   AUTHORS, effects=(NEW_ROUND,),
                   branches=(Branch(ROUTE_COMPLETE, S.APPROVED),)),
        Transition("approve", "Согласовать (поставить визу)", frozenset({S.IN_APPROVAL}),
                   S.APPROVED, visa_due=True, effects=(GIVE_VISA,),
                   branches=(Branch(VISAS_PENDING, S.IN_APPROVAL),)),
        Transition("return", "Вернуть на доработку", frozenset({S.IN_APPROVAL, S.APPROVED}),
                   S.RETURNED, frozenset({Role.DIRECTOR, Role.CURATOR}), visa_due=True,
                   needs_comment=True, before_signatures=True,
                   effects=(KEEP_COMMENT, VOID_SIGNING_COPY)),
        Transition("edit", "Исправить", frozenset({S.DRAFT, S.RETURNED}), S.DRAFT, AUTHORS,
                   takes_form=True, effects=(SAVE_DATA,),
                   refusal="Документ в состоянии «{state}» изменять нельзя. Подписанный "
                           "документ не редактируется: создайте новый."),
        Transition("sign", "Подписать", frozenset({S.APPROVED}), S.SIGNED,
                   signature_due=True, needs_password=True, effects=(RECORD_SIGNATURE,),
                   branches=(Branch(SIGNATURES_PENDING, S.APPROVED, partial=True),),
                   completing=(NUMBER, SIGN, FILE_SIGNED), jobs=("convert_signed_to_pdf",),
                   refusal="Подписать документ можно, когда он согласован (все визы "
                           "получены); сейчас он в состоянии «{state}»."),
        Transition("cancel", "Отменить", BEFORE_SIGNATURE, S.CANCELLED, AUTHORS,
                   needs_comment=True, effects=(KEEP_COMMENT,)),
    )
}


def takers(t: Transition) -> frozenset[Role]:
    """Every role that may take ``t`` in some document: its roles, and with ``visa_due`` or
    ``signature_due`` any role (a visa or a signature may be due from anyone)."""
    return frozenset(Role) if t.visa_due or t.signature_due else t.roles
