"""A login for a pedagogue of the bank: a first password, shown once, role «Педагог».

The clerk, the curator or the head gives it (``webforms.writers``). The password is made
here from ``secrets``, only its hash is stored (``storage.passwords``), and it is returned
to the caller once, to be shown on the answer page and never again; giving a new one
(a lost password) replaces the hash, switches the login back on and ends its sessions
(``webforms.login_sessions`` ends them on any change of the hash). Whoever gave it knows
it, and a password is what a simple electronic signature re-asks (63-ФЗ ст. 9: its key is
the signer's alone), so the user must set his own before anything else
(``must_change_password``; ``change_own``). The user row is bound to
the card (``person_id``), so the teacher sees what concerns her.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Membership, Person, User
from storage.passwords import check_password, hash_password
from storage.roles import Role
from workflows.errors import RuleViolation, ValidationError
from workflows.people_bank import logins_of, may_change, record

# no look-alikes (0/O, 1/l/I): the password is read off a screen and typed
ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_GROUPS, GROUP_LENGTH = 3, 4  # «k7Qm-Xa3p-92Rt»: 71 bits
LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,49}$")
LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                 ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n",
                  "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y",
                  "", "e", "iu", "ia"], strict=True))


def first_password() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH))
                    for _ in range(PASSWORD_GROUPS))


def latin(text: str) -> str:
    """Russian letters in Latin ones (passport style), other characters dropped."""
    out = "".join(LATIN.get(ch, ch) for ch in text.lower())
    return re.sub(r"[^a-z0-9]", "", out)


def suggested_login(session: Session, person: Person) -> str:
    """«ivanova.mp», or «ivanova.mp2»… if taken."""
    base = (latin(person.last_name) or "pedagog")[:30]
    initials = latin(person.first_name)[:1] + latin(person.middle_name)[:1]
    stem = f"{base}.{initials}" if initials else base
    candidate, n = stem, 1
    while _taken(session, candidate):
        n += 1
        candidate = f"{stem}{n}"
    return candidate


def _taken(session: Session, login: str) -> bool:
    return session.scalars(select(User.id).where(User.login == login)).first() is not None


def give(session: Session, person: Person, actor: User | None, login: str = ""
         ) -> tuple[User, str]:
    """A new login of ``person`` (role teacher in her organization) and its first
    password, in clear for this once. Refused if she has one already, or is archived."""
    may_change(person)
    if person.archived_at is not None:
        raise RuleViolation(f"{person.full_name} в архиве: учётная запись не выдаётся.")
    existing = logins_of(session, person)
    if existing:
        raise RuleViolation(f"У педагога уже есть учётная запись «{existing[0].login}». "
                            f"Если пароль утерян, выдайте новый пароль.")
    login = (login or "").strip().lower() or suggested_login(session, person)
    if not LOGIN.match(login):
        raise ValidationError("Учётная запись не выдана.", {"login": [
            "Логин: от 3 до 50 знаков — латинские буквы, цифры, точка, дефис или "
            "подчёркивание, начиная с буквы или цифры."]})
    if _taken(session, login):
        raise ValidationError("Учётная запись не выдана.", {"login": [
            f"Логин «{login}» уже занят: выберите другой."]})
    password = first_password()
    user = User(login=login, password_hash=hash_password(password),
                last_name=person.last_name, first_name=person.first_name,
                middle_name=person.middle_name, position=person.position,
                person_id=person.id, is_active=True, must_change_password=True)
    user.memberships.append(Membership(organization_id=person.organization_id,
                                       role=Role.TEACHER))
    session.add(user)
    session.flush()
    record(session, person.organization_id, actor, "login_issued",
           f"Педагогу № {person.id} выдана учётная запись № {user.id} (роль «Педагог»).")
    return user, password


def new_password(session: Session, person: Person, actor: User | None) -> tuple[User, str]:
    """A new first password for the person's login; the old one and its sessions end."""
    may_change(person)
    if person.archived_at is not None:
        raise RuleViolation(f"{person.full_name} в архиве: сначала верните карточку из "
                            f"архива.")
    existing = logins_of(session, person)
    if not existing:
        raise RuleViolation("У педагога ещё нет учётной записи: выдайте её.")
    user, password = existing[0], first_password()
    user.password_hash = hash_password(password)
    user.is_active, user.must_change_password = True, True
    session.flush()
    record(session, person.organization_id, actor, "password_reset",
           f"Учётной записи № {user.id} педагога № {person.id} выдан новый пароль.")
    return user, password


MIN_LENGTH = 10


def change_own(session: Session, user: User, current: str, new: str, repeated: str, *,
               organization_id: int) -> None:
    """The user's own new password, after his current one; ValidationError by field. The
    audit row goes to the organization he acts in. The caller commits (which ends every
    session of the user, this one too)."""
    problems: dict[str, list[str]] = {}
    if not check_password(user, current):
        problems["current"] = ["Текущий пароль введён неверно."]
    if len(new) < MIN_LENGTH:
        problems["new"] = [f"Новый пароль — не короче {MIN_LENGTH} знаков."]
    elif new.strip().lower() == user.login.lower() or new == current:
        problems["new"] = ["Новый пароль должен отличаться от логина и от текущего пароля."]
    elif len(new) > 200:
        problems["new"] = ["Новый пароль — не длиннее 200 знаков."]
    if new != repeated:
        problems["repeated"] = ["Пароли не совпадают: введите новый пароль дважды одинаково."]
    if problems:
        raise ValidationError("Пароль не изменён.", problems)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    session.flush()
    record(session, organization_id, user, "password_changed",
           f"Пользователь № {user.id} задал свой пароль.")
