"""What every form schema shares: Russian error messages and field metadata for pages.

A field's ``metadata`` tells the page how to show it: ``label`` (Russian), ``widget``
(``text``, ``textarea``, ``date``, ``person``, ``select``), ``help``; ``choices`` for selects.
Errors are returned by field name, each message naming the rule in Russian.

Every field is bounded, so no input costs more than a glance to refuse: text has a maximum
length and no control characters, dates lie in ``EARLIEST..LATEST`` (or the field's own
range), ids in ``1..2³¹−1``, and tables and lists have a maximum count that is checked
before any row or item is validated.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

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
fields.Number.default_error_messages.update({"invalid": "Введите число.",
                                             "too_large": "Слишком большое число."})
fields.List.default_error_messages.update({"invalid": "Ожидается список значений."})
fields.Nested.default_error_messages.update({"type": "Ожидается строка таблицы."})
fields.String.default_error_messages.update({"invalid_utf8": "Введите текст."})

# Documents of the mentoring system are dated within this range: none can predate 2000
# (the system exists since the regional order of 2022, ТК ст. 351.8 since 2025) and the
# roadmap plans school years up to 2100. Fields that record older facts (a passport, a
# labour contract) declare their own ``earliest``.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
# C0 controls but tab and line breaks, DEL, lone surrogates, and the XML non-characters:
# none can be stored in PostgreSQL or written into a DOCX.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
MAX_ROWS = 200
MAX_PEOPLE = 200


class RuDate(fields.Date):
    """A date typed as ДД.ММ.ГГГГ or sent by the browser as ГГГГ-ММ-ДД; stored as ISO.

    Only dates in ``earliest..latest`` (by default ``EARLIEST..LATEST``) are accepted;
    others are refused with «Введите дату не раньше/не позже …».
    """

    default_error_messages = {"invalid": "Введите дату в формате ДД.ММ.ГГГГ.",
                              "too_early": "Введите дату не раньше {earliest}.",
                              "too_late": "Введите дату не позже {latest}."}

    def __init__(self, *, earliest: date = EARLIEST, latest: date = LATEST, **kwargs: Any):
        super().__init__(**kwargs)
        self.earliest, self.latest = earliest, latest

    def _deserialize(self, value: Any, attr, data, **kwargs) -> date:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return self._in_range(value)
        if not isinstance(value, str) or len(value) > 20:
            raise self.make_error("invalid")
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return self._in_range(datetime.strptime(text, fmt).date())
            except ValueError:
                continue
        raise self.make_error("invalid")

    def _in_range(self, value: date) -> date:
        if value < self.earliest:
            raise self.make_error("too_early", earliest=f"{self.earliest:%d.%m.%Y}")
        if value > self.latest:
            raise self.make_error("too_late", latest=f"{self.latest:%d.%m.%Y}")
        return value


class BoundedList(fields.List):
    """A list with at most ``max_count`` items, refused by its length before any item is
    deserialized (a 100 000-row table costs a ``len()``, not 100 000 validations)."""

    def __init__(self, inner: fields.Field, *, max_count: int, too_many: str,
                 **kwargs: Any):
        super().__init__(inner, **kwargs)
        self.max_count, self.too_many = max_count, too_many

    def _deserialize(self, value: Any, attr, data, **kwargs):
        if isinstance(value, list | tuple) and len(value) > self.max_count:
            raise ValidationError(self.too_many.format(count=len(value)))
        return super()._deserialize(value, attr, data, **kwargs)


def _no_control_chars(value: str) -> None:
    if CONTROL_CHARS.search(value):
        raise ValidationError("Текст содержит недопустимые управляющие символы; удалите их "
                              "(например, перепечатайте скопированный фрагмент).")


def text(label: str, *, required: bool = True, max_len: int = 2000, widget: str = "text",
         **meta: Any) -> fields.String:
    validators = [validate.Length(max=max_len,
                                  error=f"Не больше {max_len} знаков."), _no_control_chars]
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


def day(label: str, *, required: bool = True, earliest: date = EARLIEST,
        latest: date = LATEST, **meta: Any) -> RuDate:
    """A date in ``earliest..latest`` (by default the range of the system's documents)."""
    return RuDate(required=required, earliest=earliest, latest=latest,
                  metadata={"label": label, "widget": "date", **meta})


SCHEMA_MESSAGES = {"type": "Ожидается объект с полями формы.", "unknown": "Неизвестное поле."}


class FormSchema(Schema):
    """Base of every document form. Unknown keys are dropped, blanks are missing."""

    error_messages = SCHEMA_MESSAGES

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
    """Several values out of ``options`` (checkboxes), each at most once."""
    return BoundedList(
        fields.String(validate=validate.OneOf(options, error="Выберите значение из списка.")),
        max_count=len(options),
        too_many=f"Отметьте не больше {len(options)} значений (отмечено {{count}}).",
        **_list_presence(min_count),
        validate=validate.Length(min=min_count, error=f"Отметьте хотя бы {min_count}."),
        metadata={"label": label, "widget": "checkboxes", "choices": options, **meta})


def people(label: str, *, min_count: int = 1, max_count: int = MAX_PEOPLE,
           **meta: Any) -> fields.List:
    """Several pedagogues of the organization (a multiple select), at most ``max_count``."""
    return BoundedList(
        fields.Integer(strict=False, validate=ID_RANGE,
                       error_messages={"invalid": "Выберите педагога из списка."}),
        max_count=max_count,
        too_many=f"Выберите не больше {max_count} педагогов (выбрано {{count}}).",
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
         max_rows: int = MAX_ROWS, **meta: Any) -> fields.List:
    """A table of rows (e.g. a plan of activities); each row follows ``row_schema``.

    More than ``max_rows`` rows are refused before any row is validated.
    """
    return BoundedList(
        fields.Nested(row_schema), **_list_presence(min_rows),
        max_count=max_rows,
        too_many=f"В таблице не больше {max_rows} строк, а заполнено {{count}}. "
                 f"Удалите лишние строки или разделите документ на несколько.",
        validate=validate.Length(min=min_rows, error=f"Заполните не меньше {min_rows} строк."),
        metadata={"label": label, "widget": "rows", "max_rows": max_rows, **meta})


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


class EndsAfterStart:
    """A schema's ``end_date`` is later than its ``start_date`` (a term of mentoring or of
    a program), refused on the end date; mixed into a form or a row schema."""

    @validates_schema
    def _term(self, data, **kwargs) -> None:
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            raise ValidationError("Дата окончания должна быть позже даты начала.",
                                  field_name="end_date")


class RowSchema(Schema):
    """Base of a row schema for ``rows(...)``."""

    error_messages = {**SCHEMA_MESSAGES, "type": "Ожидается строка таблицы."}

    class Meta:
        unknown = "exclude"
