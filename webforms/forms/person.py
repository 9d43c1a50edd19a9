"""The card of a pedagogue in the bank (``/people/new``, ``/people/<id>/edit``, and each
row of an imported staff list): the fields' shape and their Russian messages.

The rules that need the database or today's date (a duplicate, a hire date to come) are
``workflows.people_bank.problems``; both paths run this schema first, then those rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import ValidationError as SchemaError
from marshmallow import fields, validate

from webforms.forms.base import BoundedList, FormSchema, clean_blanks, day, number, text
from webforms.forms.parsing import flatten_errors
from workflows.people_vocabulary import GENDERS, MENTOR_ACHIEVEMENTS, POSITIONS
from workflows.vocabulary import MENTEE_CATEGORIES

NAME = validate.Regexp(r"^[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'’ -]*$",
                       error="Только буквы, дефис, пробел или апостроф.")
EMAIL = validate.Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                        error="Введите адрес электронной почты, например ivanova@school5.ru.")


def checked(field: fields.String, rule: validate.Validator) -> fields.String:
    """``field`` (of ``base.text``) with one more rule, applied to a non-empty value."""
    def check(value: str) -> None:
        if value:
            rule(value)
    field.validators.append(check)
    return field


def name(label: str, *, required: bool = True) -> fields.String:
    return checked(text(label, required=required, max_len=100), NAME)


def one_of(label: str, options: tuple[str, ...], error: str, **meta: Any) -> fields.String:
    return fields.String(required=True, validate=validate.OneOf(options, error=error),
                         metadata={"label": label, "widget": "select", "choices": options,
                                   **meta})


def some_of(label: str, options: tuple[str, ...], **meta: Any) -> BoundedList:
    """Checkboxes; a value not in ``options`` is named in the message."""
    return BoundedList(
        fields.String(validate=validate.OneOf(
            options, error="«{input}» нет в перечне: выберите значения из списка.")),
        max_count=len(options), load_default=list,
        too_many=f"Отметьте не больше {len(options)} значений (отмечено {{count}}).",
        metadata={"label": label, "widget": "checkboxes", "choices": options, **meta})


class PersonForm(FormSchema):
    last_name = name("Фамилия")
    first_name = name("Имя")
    middle_name = name("Отчество", required=False)
    gender = one_of("Пол", tuple(GENDERS), "Укажите пол: «м» или «ж».", labels=GENDERS,
                    widget="gender", help="Нужен, чтобы верно склонять ФИО в документах.")
    position = one_of("Должность", tuple(POSITIONS),
                      "Должности «{input}» нет в списке: выберите должность из списка.",
                      widget="position")
    subject = text("Предмет (направление)", required=False, max_len=200)
    email = checked(text("Электронная почта", required=False, max_len=200), EMAIL)
    hire_date = day("Дата приёма на работу", required=False, earliest=date(1950, 1, 1))
    service_years = number("Педагогический стаж, полных лет", minimum=0, maximum=70,
                           required=False)
    achievements = some_of("Достижения наставника (п. 5.2.1 Положения)",
                           MENTOR_ACHIEVEMENTS)
    mentee_categories = some_of("Категории наставляемого (п. 5.2.3 Положения)",
                                MENTEE_CATEGORIES)

EMPTY = {"middle_name": "", "subject": "", "email": "", "hire_date": None,
         "service_years": None, "achievements": [], "mentee_categories": []}


def load_card(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(the card, {}) or (the fields that are right, the problems by field, each naming
    its field): the rules of the card can still be checked on the right ones, so that every
    problem is reported at once."""
    schema = PersonForm()
    try:
        return {**EMPTY, **schema.load(clean_blanks(values))}, {}
    except SchemaError as exc:
        valid = exc.valid_data if isinstance(exc.valid_data, dict) else {}
        return {**EMPTY, **valid}, flatten_errors(schema, exc.messages)
