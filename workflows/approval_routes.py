"""Approval routes: the visas (согласование) a document collects before the signature.

A kind declares its default route as codes of ``VISAS`` (``DocumentKind.route``); an
organization may choose other optional visas for a kind (``RouteSetting``); visas marked
``required`` (e.g. the participants' agreement of П1 §7.2) stay whatever it chooses.
Visas are collected in the order of the route, one round per submission: a return to
the author voids the round, the next submission starts a new one. When the last visa is
given the document is approved and waits for its signatories (the ``approve`` arrow of
``workflows.lifecycle``: whoever's visa is due takes it, and it stays in approval while
visas are awaited).

No one visas his own document (``skipped``): a step given by a role is skipped when the
document's author holds that role, or when that role signs the document itself (the head
approves by signing, the curator signs her report); the route shows each skipped step
with the reason. The participants' agreement (a people step) is never skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from doc_templates.russian import initials_surname
from storage.models import Document, Person, RouteSetting, User, Visa
from storage.roles import Role
from workflows.errors import Conflict, NotAllowed, ValidationError
from workflows.kinds import get_kind
from workflows.people import person_of
from workflows.signatories import roles_of


@dataclass(frozen=True)
class VisaStep:
    code: str
    label: str  # who gives it, in Russian: «Куратор», «Наставник и наставляемые»
    roles: frozenset[Role] = frozenset()
    # or: each of these people (through their user accounts) must give it
    people: Callable[[Session, Document], list[int]] | None = None
    required: bool = False
    # the parts of signatories (``workflows.signatories``) whose signature stands for it
    signed_by: frozenset[str] = frozenset()


def _participants(session: Session, doc: Document) -> list[int]:
    """The mentor and every mentee the document names (П1 §7.2)."""
    ids = [doc.data.get("mentor_id")] + list(doc.data.get("mentee_ids") or [])
    return [int(i) for i in ids if i]


VISAS: dict[str, VisaStep] = {
    s.code: s
    for s in (
        VisaStep("participants", "Наставник и наставляемые", people=_participants,
                 required=True),
        VisaStep("curator", "Куратор", frozenset({Role.CURATOR}),
                 signed_by=frozenset({"curator"})),
        VisaStep("clerk", "Делопроизводитель", frozenset({Role.CLERK})),
        VisaStep("head", "Руководитель", frozenset({Role.DIRECTOR}),
                 signed_by=frozenset({"head", "employer"})),
    )
}
OPTIONAL_VISAS = tuple(code for code, s in VISAS.items() if not s.required)


def configured_route(session: Session, doc_or_org: Document | int, kind_name: str | None = None
                     ) -> list[VisaStep]:
    """The visas of a kind in an organization: its own choice, plus the required ones."""
    if isinstance(doc_or_org, Document):
        org_id, kind_name = doc_or_org.organization_id, doc_or_org.kind
    else:
        org_id = doc_or_org
    kind = get_kind(kind_name)
    setting = session.get(RouteSetting, (org_id, kind.name))
    codes = list(kind.route)
    if setting is not None:
        chosen = [c for c in setting.steps.get("steps", []) if c in OPTIONAL_VISAS]
        codes = [c for c in kind.route if VISAS[c].required] + chosen
    return [VISAS[c] for c in codes]


def choose_route(session: Session, organization_id: int, kind_name: str,
                 codes: Iterable[str]) -> RouteSetting:
    """Set an organization's optional visas for a kind (in the given order)."""
    codes = list(dict.fromkeys(codes))
    unknown = [c for c in codes if c not in OPTIONAL_VISAS]
    if unknown:
        raise ValidationError("Неизвестный этап согласования.",
                              {"steps": [f"Нет такого этапа: «{c}»." for c in unknown]})
    setting = session.get(RouteSetting, (organization_id, kind_name)) or RouteSetting(
        organization_id=organization_id, kind=kind_name)
    setting.steps = {"steps": codes}
    session.add(setting)
    return setting


def visas_of(session: Session, doc: Document, round_: int | None = None) -> list[Visa]:
    rnd = doc.approval_round if round_ is None else round_
    return list(session.scalars(select(Visa).where(Visa.document_id == doc.id,
                                                   Visa.round == rnd).order_by(Visa.id)))


@dataclass
class Pending:
    step: VisaStep
    person_ids: list[int]  # for people steps: who has not yet agreed


def skipped(session: Session, doc: Document) -> dict[str, str]:
    """The steps of the route no one gives on ``doc``, by code, each with the reason shown
    on the route («пропущено: …»): the author's own role, or a role that signs it."""
    kind = get_kind(doc.kind)
    parts = {s.part for s in kind.signatories}
    author_roles = roles_of(session, doc.author, doc.organization_id)
    out = {}
    for step in configured_route(session, doc):
        if step.people is not None:
            continue
        if step.signed_by & parts:
            out[step.code] = (f"{step.label.lower()} подписывает документ сам(а), своя виза "
                              "не ставится")
        elif step.roles & author_roles:
            out[step.code] = f"автор документа — {step.label.lower()}, своя виза не ставится"
    return out


def pending(session: Session, doc: Document) -> list[Pending]:
    """The visas still missing in the current round, in route order (``skipped`` steps
    left out)."""
    given = visas_of(session, doc)
    out = []
    skip = skipped(session, doc)
    for step in configured_route(session, doc):
        if step.code in skip:
            continue
        done = [v for v in given if v.step == step.code]
        if step.people is not None:
            need = [p for p in step.people(session, doc) if p not in {v.person_id for v in done}]
            if need:
                out.append(Pending(step, need))
        elif not done:
            out.append(Pending(step, []))
    return out


def route_steps(session: Session, doc: Document) -> list[VisaStep]:
    return configured_route(session, doc)


def can_give(session: Session, doc: Document, user: User, roles: Iterable[Role]) -> bool:
    """True if the visa the route awaits now is this user's to give."""
    first = next(iter(pending(session, doc)), None)
    return first is not None and _matches(first, user, set(roles))


def _matches(p: Pending, user: User, roles: set[Role]) -> bool:
    if p.step.people is not None:
        return user.person_id in p.person_ids
    return bool(roles & p.step.roles)


def refuse_out_of_turn(session: Session, doc: Document) -> NoReturn:
    """The refusal of a visa that is not this user's to give: Conflict (409) when every
    visa is given already (someone approved meanwhile), else NotAllowed (403) naming the
    step and who gives it."""
    waiting = pending(session, doc)
    if not waiting:
        raise Conflict("Документ уже согласовал другой пользователь. Обновите страницу.")
    first = waiting[0]
    who = first.step.label
    if first.step.people is not None:
        names = [p.full_name for p in session.scalars(
            select(Person).where(Person.id.in_(first.person_ids)))]
        who = f"{who}: {', '.join(names)}"
    raise NotAllowed(f"Сейчас документ на визе у другого участника ({who}). "
                     f"Ваша виза пока не требуется.")


def give_visa(session: Session, doc: Document, user: User, roles: Iterable[Role]) -> str:
    """Record the user's visa on the current step; return the step's label.

    The refusals of ``refuse_out_of_turn`` if it is not this user's turn.
    """
    waiting = pending(session, doc)
    if not waiting or not _matches(waiting[0], user, set(roles)):
        refuse_out_of_turn(session, doc)
    first = waiting[0]
    person = person_of(session, doc.organization_id, user.person_id)
    session.add(Visa(document_id=doc.id, round=doc.approval_round, step=first.step.code,
                     person_id=user.person_id if first.step.people is not None else None,
                     user_id=user.id, signer_name=user.full_name,
                     signer_position=(person.position if person else user.position) or ""))
    session.flush()
    return first.step.label


def visa_context(session: Session, doc: Document) -> list[dict[str, object]]:
    """Visas of the last round as templates print them (ГОСТ Р 7.0.97-2025, requisite 24):
    position, initials and surname («Е.В. Сидорова»), date; ``full_name`` too."""
    out = []
    for v in visas_of(session, doc):
        u = v.user
        name = initials_surname(u.last_name, u.first_name, u.middle_name) if u else v.signer_name
        out.append({"position": v.signer_position, "name": name, "full_name": v.signer_name,
                    "date": v.at.date(), "step": VISAS[v.step].label if v.step in VISAS
                    else v.step})
    return out
