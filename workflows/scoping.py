"""The wall between organizations: every row named by an id is looked up inside one.

Two halves, one idea:

- ``row_of`` is the one lookup by id of an organization's row — a person, a document, a
  pair/group, a program. A row of another organization, an id that is not a number or
  lies outside the database's integer range is as good as none (None). ``person_of``,
  ``group_of``, ``program_of`` and ``documents.load`` are this function (``rows_of`` for
  many ids at once); nothing else in
  the workflow, the templates' context hooks or the pages calls ``session.get`` on those
  models with an id that came from form data.
- ``check`` refuses, when a draft is saved (``workflows.documents.create`` and
  ``update``), data that names an id not found in the organization: in any field and in
  any row of a table. Which keys hold ids, and of what, is a kind's *declaration*
  (``declare``), which the form layer derives from its schemas (``webforms.forms``
  declares every kind that has a form); this module knows no forms.

The refusal is a ``ValidationError`` (422) whose messages are keyed by field and read like
the form's own («Наставник»: Педагог не найден в вашей организации.; a table row names its
number).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, MentoringGroup, Person, Program
from workflows.errors import ValidationError

MAX_ID = 2**31 - 1  # ids are INTEGER columns: beyond this no row exists (and PG refuses)


class Target(StrEnum):
    """What an id in form data names."""

    PERSON = "person"
    DOCUMENT = "document"
    GROUP = "group"
    PROGRAM = "program"


MODELS: dict[Target, type] = {Target.PERSON: Person, Target.DOCUMENT: Document,
                              Target.GROUP: MentoringGroup, Target.PROGRAM: Program}
NOT_FOUND: dict[Target, str] = {
    Target.PERSON: "Педагог не найден в вашей организации.",
    Target.DOCUMENT: "Документ не найден в вашей организации.",
    Target.GROUP: "Наставническая пара/группа не найдена в вашей организации.",
    Target.PROGRAM: "Программа наставничества не найдена в вашей организации.",
}

Row = TypeVar("Row")


def as_id(value: Any) -> int | None:
    """``value`` as a row id (1 … 2³¹−1), or None if it cannot be one."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID else None


def row_of(session: Session, model: type[Row], organization_id: int, row_id: Any
           ) -> Row | None:
    """The row ``row_id`` of ``model`` belonging to the organization, or None."""
    number = as_id(row_id)
    row = session.get(model, number) if number is not None else None
    return row if row is not None and row.organization_id == organization_id else None


def rows_of(session: Session, model: type[Row], organization_id: int, row_ids: Iterable[Any]
            ) -> dict[int, Row]:
    """The rows of ``model`` among ``row_ids`` that belong to the organization, by id (ids
    that cannot be one, or of another organization, are left out)."""
    ids = {number for number in map(as_id, row_ids) if number is not None}
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(
        model.id.in_(ids), model.organization_id == organization_id))}


@dataclass(frozen=True)
class IdField:
    """A key of form data holding the id of a ``target`` (a list of ids if ``many``)."""

    target: Target
    label: str
    many: bool = False


@dataclass(frozen=True)
class Table:
    """A key holding rows (a list of mappings); ``fields`` are the id keys of a row."""

    label: str
    fields: Mapping[str, IdField] = field(default_factory=dict)


Declaration = Mapping[str, IdField | Table]
_DECLARED: dict[str, Declaration] = {}


def declare(kind: str, declaration: Declaration) -> None:
    """Record which keys of ``kind``'s data hold ids (called by the form layer)."""
    _DECLARED[kind] = dict(declaration)


def declaration_of(kind: str) -> Declaration:
    """The id keys of ``kind``. RuntimeError if nobody declared them: data of an undeclared
    kind cannot be checked, so it is not saved (the form layer was not loaded)."""
    try:
        return _DECLARED[kind]
    except KeyError:
        raise RuntimeError(f"no id fields declared for the kind {kind!r}: "
                           f"import webforms.forms first") from None


def references(declaration: Declaration, data: Mapping[str, Any]
               ) -> Iterator[tuple[str, str, Target, Any]]:
    """Every id the data names: (field key, where — a label for messages, target, value).

    Blank values (None, "", empty lists) name nothing. Shapes the schema would not give
    (a scalar where a list is declared) are still walked, so nothing hides in them.
    """
    for key, spec in declaration.items():
        value = data.get(key) if isinstance(data, Mapping) else None
        if isinstance(spec, Table):
            for n, row in enumerate(value if isinstance(value, list) else [], 1):
                if not isinstance(row, Mapping):
                    continue
                for sub, inner in spec.fields.items():
                    for v in _values(row.get(sub), inner.many):
                        yield key, f"«{spec.label}», строка {n}, «{inner.label}»", \
                            inner.target, v
        else:
            values = _values(value, spec.many)
            for n, v in enumerate(values, 1):
                where = f"«{spec.label}», значение {n}" if spec.many else f"«{spec.label}»"
                yield key, where, spec.target, v


def _values(value: Any, many: bool) -> list[Any]:
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and v != ""]
    return [value]


def ids_of(kind: str, data: Mapping[str, Any], target: Target) -> set[int]:
    """The ids of ``target`` that a document of ``kind`` names in its declared fields."""
    found = (as_id(v) for _, _, t, v in references(declaration_of(kind), data) if t == target)
    return {i for i in found if i is not None}


def check(session: Session, organization_id: int, kind: str, data: Mapping[str, Any]) -> None:
    """ValidationError (422), by field, if the data names a row not of the organization."""
    problems: dict[str, list[str]] = {}
    for key, where, target, value in references(declaration_of(kind), data):
        if row_of(session, MODELS[target], organization_id, value) is None:
            problems.setdefault(key, []).append(f"{where}: {NOT_FOUND[target]}")
    if problems:
        raise ValidationError("Проверьте поля формы: есть ошибки.", problems)
