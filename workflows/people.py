"""The pedagogues a document names: found within its organization, named by case.

``person_of`` is the one lookup of a person by an id taken from form data: a person of
another organization, or an id that is not a number, is as good as none (it is
``workflows.scoping.row_of`` for people). ``is_deputy`` tells a deputy head (the curator
and the control of an order are given only to one). ``name_in``
declines a full name for the Russian messages guards raise («Нельзя назначить
наставником Иванову Марию Петровну»); the declension itself lives in
``doc_templates.russian`` (pytrovich).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from doc_templates.russian import decline
from storage.models import Person
from workflows.scoping import row_of

DEPUTY_POSITIONS = ("заместитель директора", "заместитель руководителя",
                    "заместитель заведующего", "заместитель начальника")


def is_deputy(person: Person) -> bool:
    """A deputy head: so marked in the people bank, or so by position."""
    return bool(person.is_deputy_head) or \
        (person.position or "").strip().lower().startswith(DEPUTY_POSITIONS)


def person_of(session: Session, organization_id: int, pid: Any) -> Person | None:
    """The person ``pid`` of the organization, or None (``workflows.scoping.row_of``)."""
    return row_of(session, Person, organization_id, pid)


def name_in(person: Person, case: str = "nominative") -> str:
    """«Иванова Мария Петровна» in ``case`` (nominative, genitive, dative, accusative, …)."""
    return decline(person.last_name, person.first_name, person.middle_name, case,
                   person.gender)
