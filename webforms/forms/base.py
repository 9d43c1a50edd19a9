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


ID_RANGE = validate.Range(min=1, max=2**31 - 1, error="Выберите педагога из списка.")


def person(label: str, **meta: Any) -> fields.Integer:
    return fields.Integer(required=True, strict=False, validate=ID_RANGE,
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


def choice(label: str, options: tuple[str, ...], *, required: bool = True,
           **meta: Any) -> fields.String:
    """One value out of ``options`` (a select)."""
    extra = {} if required else {"load_default": ""}
    return fields.String(required=required, **extra,
                         validate=validate.OneOf(options, error="Выберите значение из списка."),
                         metadata={"label": label, "widget": "select", "choices": options,
                                   **meta})


def choices(label: str, options: tuple[str, ...], *, min_count: int = 1,
            **meta: Any) -> fields.List:
    """Several values out of ``options`` (checkboxes)."""
    return fields.List(
        fields.String(validate=validate.OneOf(options, error="Выберите значение из списка.")),
        **_list_presence(min_count),
        validate=validate.Length(min=min_count, error=f"Отметьте хотя бы {min_count}."),
        metadata={"label": label, "widget": "checkboxes", "choices": options, **meta})


def people(label: str, *, min_count: int = 1, **meta: Any) -> fields.List:
    """Several pedagogues of the organization (a multiple select)."""
    return fields.List(
        fields.Integer(strict=False, validate=ID_RANGE,
                       error_messages={"invalid": "Выберите педагога из списка."}),
        **_list_presence(min_count),
        validate=validate.Length(min=min_count, error=f"Выберите не меньше {min_count}."),
        metadata={"label": label, "widget": "people", **meta})


def number(label: str, *, minimum: int | None = None, maximum: int | None = None,
           required: bool = True, **meta: Any) -> fields.Integer:
    maximum = 2**31 - 1 if maximum is None else maximum
    error = f"Допустимо от {minimum} до {maximum}." if minimum is not None and \
        maximum < 2**31 - 1 else (f"Введите число не меньше {minimum}." if minimum is not None
                                  else f"Введите число не больше {maximum}.")
    rng = validate.Range(min=minimum, max=maximum, error=error)
    extra = {} if required else {"load_default": None}
    return fields.Integer(required=required, strict=False, validate=rng, **extra,
                          metadata={"label": label, "widget": "number", **meta})


def reference(label: str, source: str, *, required: bool = True,
              **meta: Any) -> fields.Integer:
    """A record of the organization picked from a list (``webforms/references.py``:
    ``groups``, ``programs``, ``pairing_orders``); stored as its id."""
    extra = {} if required else {"load_default": None}
    in_range = validate.Range(min=1, max=2**31 - 1, error="Выберите значение из списка.")
    return fields.Integer(required=required, strict=False, validate=in_range, **extra,
                          error_messages={"invalid": "Выберите значение из списка."},
                          metadata={"label": label, "widget": "reference", "source": source,
                                    **meta})


def money(label: str, *, required: bool = True, **meta: Any) -> fields.Decimal:
    """A sum in roubles, typed «5000», «5 000,50»; stored as a string «5000.50»."""
    return RuDecimal(required=required, places=2, as_string=True,
                     validate=validate.Range(min=0, error="Сумма не может быть отрицательной."),
                     metadata={"label": label, "widget": "money", **meta})


def flag(label: str, **meta: Any) -> fields.Boolean:
    return fields.Boolean(load_default=False,
                          metadata={"label": label, "widget": "checkbox", **meta})


def rows(label: str, row_schema: type[Schema], *, min_rows: int = 1,
         **meta: Any) -> fields.List:
    """A table of rows (e.g. a plan of activities); each row follows ``row_schema``."""
    return fields.List(
        fields.Nested(row_schema), **_list_presence(min_rows),
        validate=validate.Length(min=min_rows, error=f"Заполните не меньше {min_rows} строк."),
        metadata={"label": label, "widget": "rows", **meta})


def _list_presence(minimum: int) -> dict[str, Any]:
    """A list with a minimum is required; one without defaults to empty."""
    return {"required": True} if minimum > 0 else {"load_default": list}


class RuDecimal(fields.Decimal):
    default_error_messages = {"invalid": "Введите сумму числом, например 5000 или 5 000,50.",
                              "special": "Введите сумму числом."}

    def _deserialize(self, value: Any, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return super()._deserialize(value, attr, data, **kwargs)


class RowSchema(Schema):
    """Base of a row schema for ``rows(...)``."""

    class Meta:
        unknown = "exclude"
