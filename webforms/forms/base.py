"""What every form schema shares: Russian error messages and field metadata for pages.

A field's ``metadata`` tells the page how to show it: ``label`` (Russian), ``widget``
(``text``, ``textarea``, ``date``, ``person``, ``select``), ``help``; ``choices`` for selects.
Errors are returned by field name, each message naming the rule in Russian.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from marshmallow import Schema, fields, validate

REQUIRED = "Поле «{label}» обязательно для заполнения."

fields.Field.default_error_messages.update({
    "required": "Поле обязательно для заполнения.",
    "null": "Поле обязательно для заполнения.",
    "validator_failed": "Недопустимое значение.",
})
fields.String.default_error_messages.update({"invalid": "Введите текст."})
fields.Integer.default_error_messages.update({"invalid": "Введите целое число."})
fields.Decimal.default_error_messages.update({"invalid": "Введите число."})
fields.Boolean.default_error_messages.update({"invalid": "Выберите «да» или «нет»."})


class RuDate(fields.Date):
    """A date typed as ДД.ММ.ГГГГ or sent by the browser as ГГГГ-ММ-ДД; stored as ISO."""

    default_error_messages = {"invalid": "Введите дату в формате ДД.ММ.ГГГГ."}

    def _deserialize(self, value: Any, attr, data, **kwargs) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise self.make_error("invalid")


def text(label: str, *, required: bool = True, max_len: int = 2000, widget: str = "text",
         **meta: Any) -> fields.String:
    validators = [validate.Length(max=max_len,
                                  error=f"Не больше {max_len} знаков.")]
    if required:
        validators.append(validate.Length(min=1, error="Поле обязательно для заполнения."))
    extra = {} if required else {"load_default": ""}
    return fields.String(required=required, validate=validators, **extra,
                         metadata={"label": label, "widget": widget, **meta})


def person(label: str, **meta: Any) -> fields.Integer:
    return fields.Integer(required=True, strict=False,
                          error_messages={"invalid": "Выберите педагога из списка."},
                          metadata={"label": label, "widget": "person", **meta})


def day(label: str, *, required: bool = True, **meta: Any) -> RuDate:
    return RuDate(required=required, metadata={"label": label, "widget": "date", **meta})


class FormSchema(Schema):
    """Base of every document form. Unknown keys are dropped, blanks are missing."""

    class Meta:
        unknown = "exclude"

    def field_list(self) -> list[tuple[str, fields.Field]]:
        return list(self.fields.items())


def clean_blanks(raw: dict[str, Any]) -> dict[str, Any]:
    """Treat an empty input as not given, so 'required' speaks instead of 'invalid'."""
    return {k: v for k, v in raw.items() if not (isinstance(v, str) and v.strip() == "")}
