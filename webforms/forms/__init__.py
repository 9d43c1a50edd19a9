"""Form schemas of the document kinds, one module per kind, named as the kind."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError as SchemaError

from webforms.forms.base import FormSchema, clean_blanks
from webforms.forms.mentor_consent import MentorConsentForm
from workflows.errors import NotFound, ValidationError

FORMS: dict[str, type[FormSchema]] = {
    "mentor_consent": MentorConsentForm,
}


def form_for(kind: str) -> FormSchema:
    try:
        return FORMS[kind]()
    except KeyError:
        raise NotFound(f"Для вида документа «{kind}» нет формы.") from None


def validate(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Validated data, JSON-ready (dates as ISO strings); ValidationError by field otherwise."""
    schema = form_for(kind)
    try:
        loaded = schema.load(clean_blanks(raw))
    except SchemaError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
        named = {}
        for name, errs in messages.items():
            label = schema.fields[name].metadata.get("label", name) if name in schema.fields \
                else name
            errs = errs if isinstance(errs, list) else [str(errs)]
            named[name] = [f"«{label}»: {e}" for e in errs]
        raise ValidationError("Проверьте поля формы: есть ошибки.", named) from None
    return schema.dump(loaded)
