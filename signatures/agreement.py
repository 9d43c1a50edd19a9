"""The gate of the simple electronic signature: a user signs with ПЭП in an organization only
while she has accepted the version in force of its regulation (63-ФЗ ст. 6 ч. 2, ст. 9;
the text: ``signatures.esign_regulation``).

An acceptance counts when it is not withdrawn and its ``text_version`` and ``text_sha256``
are those of the text in force; a new version of the text (or any change of it) makes every
earlier acceptance stop counting, and the user is asked again. ``accept`` and ``withdraw``
record her decisions; the caller writes the audit entry and commits.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from signatures import esign_regulation, simple
from storage.errors import NotAllowed, RuleViolation
from storage.models import EsignAcceptance, Membership, User

PAGE = "/esign"  # where a user reads the regulation and accepts it (webforms/esign.py)
_WHERE = f"на странице «Простая электронная подпись» ({PAGE})"


def latest(session: Session, user: User, organization_id: int) -> EsignAcceptance | None:
    """The user's newest acceptance in the organization, of any version, withdrawn or not."""
    return session.scalars(
        select(EsignAcceptance)
        .where(EsignAcceptance.organization_id == organization_id,
               EsignAcceptance.user_id == user.id)
        .order_by(EsignAcceptance.accepted_at.desc(), EsignAcceptance.id.desc())
        .limit(1)
    ).first()


def counts(acceptance: EsignAcceptance | None) -> bool:
    """Whether an acceptance lets its user sign now: not withdrawn, of the text in force."""
    text = esign_regulation.current()
    return (acceptance is not None and acceptance.withdrawn_at is None
            and acceptance.text_version == text.version
            and acceptance.text_sha256 == text.sha256)


def accepted(session: Session, user: User, organization_id: int) -> EsignAcceptance | None:
    """The user's acceptance of the text in force, or None if she has not accepted it, has
    withdrawn it, or accepted an earlier version only."""
    acceptance = latest(session, user, organization_id)
    return acceptance if counts(acceptance) else None


def refusal(acceptance: EsignAcceptance | None) -> str:
    """Why a user whose newest acceptance is ``acceptance`` may not sign with ПЭП, and how
    to put it right, in Russian."""
    text = esign_regulation.current()
    if acceptance is None:
        return ("Простая электронная подпись вам недоступна: вы не присоединились к Положению "
                "об использовании простой электронной подписи. Ознакомьтесь с Положением и "
                f"подтвердите присоединение {_WHERE} или подпишите документ на бумаге.")
    if acceptance.withdrawn_at is not None:
        return ("Простая электронная подпись вам недоступна: "
                f"{acceptance.withdrawn_at:%d.%m.%Y} вы отказались от её использования. "
                f"Чтобы подписывать электронно, снова присоединитесь к Положению {_WHERE}, "
                "или подпишите документ на бумаге.")
    earlier = (f"к редакции {acceptance.text_version}"
               if acceptance.text_version != text.version else "к его прежнему тексту")
    return ("Простая электронная подпись вам недоступна: Положение об использовании простой "
            f"электронной подписи изменено (действует редакция {text.version_label}), а вы "
            f"присоединялись {earlier}. Ознакомьтесь с действующей редакцией и подтвердите "
            f"присоединение {_WHERE}.")


def require_accepted(session: Session, user: User, organization_id: int) -> None:
    """Raise NotAllowed (403, Russian, naming the page to accept on) unless the user's
    acceptance of the text in force counts. Called before every simple signature."""
    acceptance = latest(session, user, organization_id)
    if not counts(acceptance):
        raise NotAllowed(refusal(acceptance))


def _require_member(session: Session, user: User, organization_id: int) -> None:
    member = session.scalar(
        select(Membership.id).where(Membership.user_id == user.id,
                                    Membership.organization_id == organization_id).limit(1))
    if member is None:
        raise NotAllowed("Вы не работаете в этой организации: присоединиться к её Положению "
                         "о простой электронной подписи нельзя.")


def _require_password(user: User, password: str) -> None:
    """The key of the ПЭП is the password: accepting asks for it again, counted against the
    same limit of wrong passwords as signing (storage/attempts.py)."""
    try:
        simple.require_reauthentication(user, password or "")
    except NotAllowed:
        raise NotAllowed("Присоединение не записано: неверный пароль. Введите пароль своей "
                         "учётной записи.") from None


def accept(session: Session, user: User, organization_id: int, password: str,
           *, now: datetime | None = None) -> EsignAcceptance:
    """Record that the user accepted the text in force, after she entered her password
    again. Refuses (RuleViolation) if she has accepted it already."""
    _require_member(session, user, organization_id)
    _require_password(user, password)
    if accepted(session, user, organization_id) is not None:
        raise RuleViolation("Вы уже присоединились к действующей редакции Положения.")
    return record_acceptance(session, user, organization_id, now=now)


def record_acceptance(session: Session, user: User, organization_id: int,
                      *, now: datetime | None = None) -> EsignAcceptance:
    """Write the acceptance of the text in force without asking for the password: for
    ``accept``, which has asked, and for the demo seed, which makes its accounts itself."""
    text = esign_regulation.current()
    acceptance = EsignAcceptance(
        organization_id=organization_id, user_id=user.id,
        accepted_at=now or datetime.now(UTC),
        text_version=text.version, text_sha256=text.sha256)
    session.add(acceptance)
    session.flush()
    return acceptance


def withdraw(session: Session, user: User, organization_id: int,
             *, now: datetime | None = None) -> EsignAcceptance:
    """Record that the user stops using ПЭП in the organization: her acceptance in force is
    withdrawn now. Refuses (RuleViolation) if she has none in force."""
    acceptance = accepted(session, user, organization_id)
    if acceptance is None:
        raise RuleViolation("Отказываться не от чего: вы не присоединены к действующей "
                            "редакции Положения о простой электронной подписи.")
    acceptance.withdrawn_at = now or datetime.now(UTC)
    session.flush()
    return acceptance
