"""A person's full name declined by case, for the Russian messages guards raise.

«Нельзя назначить наставником Иванову Марию Петровну» needs the accusative; the
declension itself lives in ``doc_templates.russian`` (pytrovich), this only adapts a
``Person`` row to it.
"""

from __future__ import annotations

from storage.models import Person


def name_in(person: Person, case: str = "nominative") -> str:
    """«Иванова Мария Петровна» in ``case`` (nominative, genitive, dative, accusative, …)."""
    from doc_templates.russian import decline

    return decline(person.last_name, person.first_name, person.middle_name, case,
                   person.gender)
