"""Form schemas of the document kinds, one module per kind, named as the kind.

Each ``webforms/forms/<kind>.py`` declares ``FORM``, its schema class. ``FORMS`` holds the
form of every kind of ``workflows.kinds.registry``, so a kind without its form module fails
here, at import, not later on a page.
"""

from __future__ import annotations

import importlib
from typing import Any

from marshmallow import ValidationError as SchemaError

from webforms.forms import id_fields
from webforms.forms.base import FormSchema, clean_blanks
from webforms.forms.parsing import flatten_errors, form_to_data
from workflows import scoping
from workflows.errors import NotFound, ValidationError
from workflows.kinds import all_kinds

FORMS: dict[str, type[FormSchema]] = {
    kind.name: importlib.import_module(f"webforms.forms.{kind.name}").FORM
    for kind in all_kinds()
}
for _name, _form in FORMS.items():  # the workflow checks these ids at every save
    scoping.declare(_name, id_fields.declaration(_form()))


def form_for(kind: str) -> FormSchema:
    try:
        return FORMS[kind]()
    except KeyError:
        raise NotFound(f"Для вида документа «{kind}» нет формы.") from None


def validate(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Validated data, JSON-ready (dates as ISO strings); ValidationError by field otherwise.

    ``raw`` is nested data (from the JSON API, or from ``form_to_data`` for HTML forms).
    """
    schema = form_for(kind)
    try:
        loaded = schema.load(clean_blanks(raw))
    except SchemaError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
        raise ValidationError("Проверьте поля формы: есть ошибки.",
                              flatten_errors(schema, messages)) from None
    return schema.dump(loaded)


def from_request_form(kind: str, form) -> dict[str, Any]:
    """The HTML form's fields as the nested data the kind's schema loads."""
    return form_to_data(form_for(kind), form)
