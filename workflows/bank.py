"""The bank of mentors and mentees (П2 stages 2–3): who may enter it, and the list itself.

Entering the bank is processing personal data, so it needs a signed, not withdrawn
personal-data consent; a mentor also needs his signed written consent to be appointed
(§4.4.2). Each rule is a named guard raising ``RuleViolation`` with a Russian message
naming the person. Withdrawing the personal-data consent (``workflows.personal_data``)
takes the person out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import BankEntry, Document, Person
from storage.states import BankRole
from workflows.consents import PAPERS, labels, lacking, signed_of
from workflows.errors import RuleViolation
from workflows.people import name_in
from workflows.vocabulary import BANK_ROLES, MENTEE_CATEGORIES

BANK_NAMES = {BankRole.MENTOR: "банк наставников", BankRole.MENTEE: "банк наставляемых"}


def consent_not_withdrawn(session: Session, person: Person, role: str) -> None:
    """A withdrawn consent ends processing (152-ФЗ ст. 9 ч. 2, ст. 21 ч. 5)."""
    if person.pd_withdrawn_on is not None:
        raise RuleViolation(
            f"Нельзя внести {name_in(person, 'accusative')} в {BANK_NAMES[role]}: согласие на "
            f"обработку персональных данных отозвано {person.pd_withdrawn_on:%d.%m.%Y}.",
            field="person_id")


def pd_consent_on_file(session: Session, person: Person, role: str) -> None:
    """Nobody enters the bank without a signed personal-data consent (П2 stages 2–3)."""
    _papers_on_file(session, person, role, ("pd_consent",))


def mentor_consent_on_file(session: Session, person: Person, role: str) -> None:
    """A mentor enters the bank of mentors with his signed written consent (§4.4.2)."""
    if role == BankRole.MENTOR:
        _papers_on_file(session, person, role, ("mentor_consent",))


def _papers_on_file(session: Session, person: Person, role: str, papers: tuple[str, ...]
                    ) -> None:
    what = lacking(session, person, papers)
    if what:
        raise RuleViolation(f"Нельзя внести {name_in(person, 'accusative')} в "
                            f"{BANK_NAMES[role]}: {what}.", field="person_id")


def category_of_mentee(category: str, role: str) -> None:
    """A mentee belongs to one of the categories of §5.2.3."""
    if role == BankRole.MENTEE and category not in MENTEE_CATEGORIES:
        raise RuleViolation("Укажите категорию наставляемого из перечня п. 5.2.3 Положения.",
                            field="category")


def not_in_bank_yet(session: Session, person: Person, role: str) -> None:
    """One person is in one bank once."""
    entry = _entry(session, person, role)
    if entry is not None and entry.withdrawn_at is None:
        raise RuleViolation(f"{person.full_name} уже в банке "
                            f"{'наставников' if role == BankRole.MENTOR else 'наставляемых'}.",
                            field="role")


GUARDS = (consent_not_withdrawn, pd_consent_on_file, mentor_consent_on_file, not_in_bank_yet)


def add(session: Session, person: Person, role: str, *, category: str = "",
        competences: str = "") -> BankEntry:
    """Put ``person`` in the bank as ``role`` ("mentor"/"mentee"); RuleViolation if refused.

    A person who left the bank earlier is put back on the same entry. The caller commits.
    """
    if role not in BANK_ROLES:
        raise RuleViolation("Выберите роль: наставник или наставляемый.", field="role")
    category_of_mentee(category, role)
    for guard in GUARDS:
        guard(session, person, role)
    entry = _entry(session, person, role)
    if entry is None:
        entry = BankEntry(organization_id=person.organization_id, person_id=person.id,
                          role=role)
        session.add(entry)
    entry.withdrawn_at = None
    entry.category = category if role == BankRole.MENTEE else ""
    entry.competences = competences
    session.flush()
    return entry


def _entry(session: Session, person: Person, role: str) -> BankEntry | None:
    return session.scalars(select(BankEntry).where(
        BankEntry.person_id == person.id, BankEntry.role == role)).first()


@dataclass
class Row:
    """One pedagogue as the bank page shows him."""

    person: Person
    consents: dict[str, Document | None]
    entries: dict[str, BankEntry] = field(default_factory=dict)  # active, by role
    withdrawn_on: date | None = None

    @property
    def missing(self) -> list[str]:
        names = labels()
        return [names[k] for k, d in self.consents.items() if d is None]


def rows(session: Session, organization_id: int, people: list[Person] | None = None
         ) -> list[Row]:
    """Every pedagogue of the organization (or only ``people`` of it: a page's search) with
    his consents on file and bank status."""
    if people is None:
        people = session.scalars(select(Person).where(
            Person.organization_id == organization_id)
            .order_by(Person.last_name, Person.first_name)).all()
    active = session.scalars(select(BankEntry).where(
        BankEntry.organization_id == organization_id, BankEntry.withdrawn_at.is_(None))).all()
    by_person: dict[int, dict[str, BankEntry]] = {}
    for e in active:
        by_person.setdefault(e.person_id, {})[e.role] = e
    return [Row(p, {k: signed_of(session, p, k) for k in PAPERS},
                by_person.get(p.id, {}), p.pd_withdrawn_on) for p in people]


def in_bank(session: Session, person: Person, role: str) -> bool:
    entry = _entry(session, person, role)
    return entry is not None and entry.withdrawn_at is None
