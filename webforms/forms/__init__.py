"""Form schemas of the document kinds, one module per kind, named as the kind."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from marshmallow import ValidationError as SchemaError

from webforms.forms import id_fields
from webforms.forms.base import FormSchema, clean_blanks
from webforms.forms.parsing import flatten_errors, form_to_data
from workflows import scoping
from workflows.errors import NotFound, ValidationError
from workflows.kinds import KIND_NAMES


def _discover() -> dict[str, type[FormSchema]]:
    """Each ``webforms/forms/<kind>.py`` declares ``FORM``, its schema class."""
    found = {}
    for name in KIND_NAMES:
        if importlib.util.find_spec(f"webforms.forms.{name}") is not None:
            found[name] = importlib.import_module(f"webforms.forms.{name}").FORM
    return found


FORMS: dict[str, type[FormSchema]] = _discover()
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
