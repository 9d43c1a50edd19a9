"""The cards of the bank of mentors and mentees (П2 stages 2–3): adding, changing,
archiving a pedagogue, finding him, and the order Russian readers expect.

A card holds what the regulation asks the curator to know: name and gender (documents
decline the name), position (a pedagogical one or not, ``workflows.people_vocabulary``),
subject, hire date, years of pedagogical service, a mentor's achievements (§5.2.1), a
mentee's categories (§5.2.3). The form and the import both end here, so both refuse the
same things with the same Russian messages, every problem at once (``ValidationError``
by field).

Names are compared folded (``fold``: case and ё/е do not count, nor extra spaces): one
organization holds one card per full name, unless the hire dates tell two namesakes apart.
Lists sort by ``sort_key``: ё right after е, as a Russian dictionary does (SQLite has no
such collation, so it is done here). An archived card leaves the lists and the choices of
the forms; its documents stay as they are. Every change is a row of the audit chain that
names the card by number, not by name (the audit is never erased, personal data may be).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import BankEntry, GroupMember, MentoringGroup, Person, User
from workflows import audit
from workflows.errors import RuleViolation, ValidationError
from workflows.people import name_in
from workflows.people_vocabulary import GENDERS, KIND_OF_ONE, position_kind

# the fields of a card, in the order of the form and of the import's columns
CARD_FIELDS = ("last_name", "first_name", "middle_name", "gender", "position", "subject",
               "email", "hire_date", "service_years", "achievements", "mentee_categories")
LISTS = ("achievements", "mentee_categories")
LIVE_GROUP = ("proposed", "active")


# -- folding and the Russian order ------------------------------------------------------

def fold(value: str | None) -> str:
    """``value`` as a search compares it: lower case, ё as е, single spaces."""
    return " ".join((value or "").lower().replace("ё", "е").split())


def russian_key(value: str | None) -> tuple[str, tuple[int, ...], str]:
    """Sorts as a Russian dictionary: «Елена» < «Ёлкин» < «Жуков» (ё is е at first, and
    after е when all else is equal), then lower case before upper."""
    low = (value or "").lower()
    return low.replace("ё", "е"), tuple(int(ch == "ё") for ch in low), value or ""


def sort_key(person: Person) -> tuple:
    return (russian_key(person.last_name), russian_key(person.first_name),
            russian_key(person.middle_name), person.id or 0)


def name_key(last: str, first: str, middle: str) -> str:
    """The folded full name a card is matched by."""
    return fold(f"{last} {first} {middle}")


def matches(person: Person, query: str) -> bool:
    """True if every word of ``query`` is in the full name, position, subject or e-mail."""
    words = fold(query).split()
    where = fold(" ".join((person.full_name, person.position or "", person.subject or "",
                           person.email or "")))
    return all(w in where for w in words)


def listed(people: list[Person], query: str = "", *, archived: bool = False) -> list[Person]:
    """The cards a list shows: not erased, archived or not, matching ``query``, sorted."""
    found = [p for p in people if p.erased_at is None and (p.archived_at is not None) ==
             archived and matches(p, query)]
    return sorted(found, key=sort_key)


def choosable(people: list[Person]) -> list[Person]:
    """The cards a form offers (neither archived nor erased), in the Russian order."""
    return listed(people)


def kind_label(person: Person) -> str:
    kind = position_kind(person.position or "")
    return KIND_OF_ONE[kind] if kind else "должность не из списка"


def is_pedagogue(person: Person) -> bool:
    return position_kind(person.position or "") == "teaching"


# -- the rules of a card -----------------------------------------------------------------

class Names:
    """The organization's cards (not erased) by folded full name, read once: an import
    checks a thousand rows against it without a query per row."""

    def __init__(self, session: Session, organization_id: int):
        self.by_key: dict[str, list[Person]] = {}
        for person in session.scalars(select(Person).where(
                Person.organization_id == organization_id, Person.erased_at.is_(None))):
            self.add(person)

    def add(self, person: Person) -> None:
        key = name_key(person.last_name, person.first_name, person.middle_name)
        self.by_key.setdefault(key, []).append(person)

    def same(self, key: str) -> list[Person]:
        return sorted(self.by_key.get(key, []), key=sort_key)


def problems(session: Session, organization_id: int, card: dict[str, Any], *,
             person: Person | None = None, today: date | None = None,
             names: Names | None = None) -> dict[str, list[str]]:
    """Every rule ``card`` (already of the right shape) breaks, by field; {} if none.

    ``person`` is the card being changed (None: a new one); ``names``, the organization's
    names if the caller holds them already."""
    today = today or date.today()
    found: dict[str, list[str]] = {}
    hired = card.get("hire_date")
    if hired is not None and hired > today:
        found["hire_date"] = [f"Дата приёма на работу {hired:%d.%m.%Y} ещё не наступила: "
                              f"укажите дату не позже сегодняшней ({today:%d.%m.%Y})."]
    if card.get("gender") not in GENDERS:
        found["gender"] = ["Укажите пол: «м» или «ж»."]
    twin = namesake(names or Names(session, organization_id), card, besides=person)
    if twin is not None:
        where = " (в архиве)" if twin.archived_at is not None else ""
        found["last_name"] = [
            f"{twin.full_name} уже есть в списке педагогов{where}. Если это другой человек "
            f"с теми же фамилией, именем и отчеством, укажите дату приёма на работу: "
            f"по ней их различат."]
    return found


def namesake(names: Names, card: dict[str, Any], *, besides: Person | None = None
             ) -> Person | None:
    """A card of the organization with the same folded full name that the hire dates do
    not tell apart (either has none, or they are equal), other than ``besides``."""
    if not card.get("last_name") or not card.get("first_name"):
        return None  # no name to compare yet
    key = name_key(card["last_name"], card["first_name"], card.get("middle_name", ""))
    hired = card.get("hire_date")
    for other in names.same(key):
        if besides is not None and other.id == besides.id:
            continue
        if hired is None or other.hire_date is None or other.hire_date == hired:
            return other
    return None


def refuse_if_any(found: dict[str, list[str]]) -> None:
    if found:
        raise ValidationError("Карточка не сохранена: исправьте ошибки в полях.", found)


def may_change(person: Person) -> None:
    """A card whose personal data is erased, or whose consent is withdrawn, is not edited."""
    if person.erased_at is not None:
        raise RuleViolation("Данные этого педагога уничтожены (152-ФЗ ст. 21 ч. 5): "
                            "карточку изменить нельзя.")
    if person.pd_withdrawn_on is not None:
        withdrew = "отозвала" if person.gender == "f" else "отозвал"
        raise RuleViolation(f"{person.full_name} {withdrew} согласие на обработку "
                            f"персональных данных {person.pd_withdrawn_on:%d.%m.%Y}: "
                            f"данные больше не обрабатываются и не изменяются.")


# -- adding, changing, archiving -----------------------------------------------------------

def add(session: Session, organization_id: int, card: dict[str, Any], actor: User | None,
        *, today: date | None = None, names: Names | None = None, audited: bool = True
        ) -> Person:
    """A new card of the organization; ValidationError with every problem. With
    ``audited=False`` the caller writes the audit row (an import writes one for all) and
    flushes. The caller commits."""
    refuse_if_any(problems(session, organization_id, card, today=today, names=names))
    person = Person(organization_id=organization_id)
    _fill(person, card)
    session.add(person)
    if names is not None:
        names.add(person)
    if audited:
        session.flush()
        record(session, organization_id, actor, "person_add",
               f"Внесён педагог № {person.id} (карточка).")
    return person


def update(session: Session, person: Person, card: dict[str, Any], actor: User | None, *,
           today: date | None = None, names: Names | None = None, audited: bool = True
           ) -> list[str]:
    """Change the card; returns the names of the fields that changed ([] if none)."""
    may_change(person)
    refuse_if_any(problems(session, person.organization_id, card, person=person,
                           today=today, names=names))
    changed = [name for name in CARD_FIELDS if name in card and
               _stored(card[name]) != _stored(getattr(person, name))]
    if changed:
        _fill(person, {name: card[name] for name in changed})
        session.flush()
        if audited:
            record(session, person.organization_id, actor, "person_edit",
                   f"Изменена карточка педагога № {person.id}: {', '.join(changed)}.")
    return changed


def _stored(value: Any) -> Any:
    """A value as the card keeps it: lists as lists, text with single spaces."""
    if isinstance(value, list | tuple):
        return list(value)
    return " ".join(value.split()) if isinstance(value, str) else value


def _fill(person: Person, card: dict[str, Any]) -> None:
    for name in CARD_FIELDS:
        if name not in card:
            continue
        value = _stored(card[name])
        setattr(person, name, [] if value is None and name in LISTS else value)


def live_groups(session: Session, person: Person) -> list[MentoringGroup]:
    """The pairs/groups not ended where ``person`` is the mentor or a mentee."""
    as_mentee = select(GroupMember.group_id).where(GroupMember.mentee_id == person.id)
    return list(session.scalars(select(MentoringGroup).where(
        MentoringGroup.organization_id == person.organization_id,
        MentoringGroup.status.in_(LIVE_GROUP),
        (MentoringGroup.mentor_id == person.id) | MentoringGroup.id.in_(as_mentee))
        .order_by(MentoringGroup.id)))


@dataclass(frozen=True)
class Archived:
    """What archiving a card switched off."""

    logins: int
    bank_entries: int


def archive(session: Session, person: Person, actor: User | None) -> Archived:
    """Take the card out of the lists and choices and out of the bank (its entries are
    withdrawn: back from the archive, the curator enters it again, consents checked anew);
    its logins are switched off (the sessions end). Refused while the person is in a pair
    or group not ended."""
    if person.archived_at is not None:
        raise RuleViolation(f"{person.full_name} уже в архиве.")
    if person.erased_at is not None:
        raise RuleViolation("Данные этого педагога уничтожены: карточка уже не в списках.")
    groups = live_groups(session, person)
    if groups:
        numbers = ", ".join(f"№ {g.id}" for g in groups)
        raise RuleViolation(
            f"Нельзя перевести в архив {name_in(person, 'accusative')}: "
            f"{'она участница' if person.gender == 'f' else 'он участник'} "
            f"действующих пар или групп наставничества ({numbers}). Сначала завершите их "
            f"программы или замените участника приказом о закреплении.")
    now = datetime.now(UTC)
    person.archived_at = now
    logins = [u for u in logins_of(session, person) if u.is_active]
    for login in logins:
        login.is_active = False
    entries = list(session.scalars(select(BankEntry).where(
        BankEntry.person_id == person.id, BankEntry.withdrawn_at.is_(None))))
    for entry in entries:
        entry.withdrawn_at = now
    session.flush()
    record(session, person.organization_id, actor, "person_archive",
           f"Педагог № {person.id} переведён в архив; отключено учётных записей: {len(logins)}; "
           f"исключён из банка (записей: {len(entries)}).")
    return Archived(len(logins), len(entries))


def restore(session: Session, person: Person, actor: User | None) -> None:
    """Bring an archived card back into the lists (its logins stay off until a new
    password is given)."""
    if person.archived_at is None:
        raise RuleViolation(f"{person.full_name} не в архиве.")
    twin = namesake(Names(session, person.organization_id), {
        "last_name": person.last_name, "first_name": person.first_name,
        "middle_name": person.middle_name, "hire_date": person.hire_date}, besides=person)
    if twin is not None and twin.archived_at is None:
        raise RuleViolation(f"В списке уже есть {twin.full_name}: вернуть из архива второго "
                            f"педагога с теми же ФИО нельзя, пока даты приёма их не различат.")
    person.archived_at = None
    session.flush()
    record(session, person.organization_id, actor, "person_restore",
           f"Педагог № {person.id} возвращён из архива.")


def logins_of(session: Session, person: Person) -> list[User]:
    return list(session.scalars(select(User).where(User.person_id == person.id)
                                .order_by(User.id)))


def record(session: Session, organization_id: int, actor: User | None, action: str,
           comment: str) -> None:
    """An audit row about cards (no document), naming them by number, never by name."""
    audit.append(session, organization_id=organization_id, document_id=None,
                 actor=actor, action=action, from_state=None, to_state=None, comment=comment)


@dataclass(frozen=True)
class Card:
    """A card as its page shows it."""

    person: Person
    kind: str
    gender: str
    logins: list[User]


def card_of(session: Session, person: Person) -> Card:
    return Card(person, kind_label(person), GENDERS.get(person.gender or "", "не указан"),
                logins_of(session, person))




def everyone(session: Session, organization_id: int) -> list[Person]:
    """Every card of the organization, for ``listed`` to choose from."""
    return list(session.scalars(select(Person).where(
        Person.organization_id == organization_id)))
