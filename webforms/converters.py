"""Ids from the outside world: in URLs (the ``int`` converter) and in form fields.

Every id the service stores is a positive 32-bit integer (``INTEGER`` on PostgreSQL, whose
range is the tighter one). A number outside ``1..ID_MAX`` names nothing, so it must never
reach the database: SQLite raises ``OverflowError`` past 2⁶³ and PostgreSQL aborts the
transaction past 2³¹. In a URL such an id is a 404 (the route does not match); in a form
field it is a Russian 422 naming the field.

Only ASCII digits count: ``"²"`` and ``"٣"`` pass ``str.isdigit()`` but are no ids.
"""

from __future__ import annotations

import re

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from workflows.errors import ValidationError

ID_MAX = 2**31 - 1
_ID_TEXT = re.compile(r"[0-9]{1,10}")


class BoundedIntConverter(IntegerConverter):
    """``<int:name>`` for the app's routes: 1..ID_MAX in ASCII digits, anything else 404.

    The regex caps the length, so a 5000-digit segment never reaches ``int()``.
    """

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1,  # noqa: A002
                 max: int | None = ID_MAX, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=False)


def parse_id(value: object) -> int | None:
    """``value`` as an id (1..ID_MAX, ASCII digits, surrounding blanks allowed) or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= ID_MAX else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not _ID_TEXT.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= ID_MAX else None


def form_id(name: str, *, message: str = "Неверный номер записи.") -> int | None:
    """The id in form field ``name``; None when the field is absent or blank.

    Raises ValidationError (422) with ``message`` by the field when it is not an id.
    """
    raw = request.form.get(name, "")
    if not raw.strip():
        return None
    number = parse_id(raw)
    if number is None:
        raise ValidationError(message, {name: [message]})
    return number


def form_ids(name: str, *, message: str = "Неверный номер записи.") -> list[int]:
    """Every id sent in the repeated form field ``name`` (blanks skipped), in order.

    Raises ValidationError (422) with ``message`` by the field when one is not an id.
    """
    found = []
    for raw in request.form.getlist(name):
        if not raw.strip():
            continue
        number = parse_id(raw)
        if number is None:
            raise ValidationError(message, {name: [message]})
        found.append(number)
    return found


VERSION_MESSAGE = "Неверная версия документа. Обновите страницу и повторите."


def form_version() -> int | None:
    """The ``version`` a form was rendered with (optimistic locking); None if not sent.

    A malformed version is a 422, never ``None``: it must not switch the check off.
    """
    raw = request.form.get("version")
    if raw is None:
        return None
    number = parse_id(raw)
    if number is None:
        raise ValidationError(VERSION_MESSAGE, {"version": [VERSION_MESSAGE]})
    return number


def init_app(app: Flask) -> None:
    """Replace Flask's ``int`` converter; must run before any blueprint is registered."""
    app.url_map.converters["int"] = BoundedIntConverter
