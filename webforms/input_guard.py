"""Characters and shapes no field may hold, refused once where input enters the service.

- Lone surrogates (``"\\ud800"`` in JSON) cannot be encoded as UTF-8: hashing, storing or
  rendering such text fails. NUL cannot be stored in a PostgreSQL text column. Both are
  refused with a Russian 422 naming the field, never stripped behind the user's back.
- JSON nested deeper than ``MAX_DEPTH`` is refused before anything walks it recursively.

``json_body()`` reads the API's body; ``check_form()`` runs before every request on its
query string and form fields (document forms check their fields themselves, by the field,
so that the page keeps what was typed: see ``webforms.forms.base.text``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request

from workflows.errors import ValidationError

MAX_DEPTH = 32
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_UNSTORABLE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
UNSTORABLE_MESSAGE = "недопустимые символы (нулевой символ или одиночный суррогат Юникода)."


def refuse_unstorable(path: str, value: str) -> None:
    """Raise ValidationError naming ``path`` when ``value`` holds an unstorable character."""
    if UNSTORABLE.search(value):
        raise ValidationError(f"Поле «{path}»: {UNSTORABLE_MESSAGE}",
                              {path: [f"«{path}»: {UNSTORABLE_MESSAGE}"]})


def checked_json(value: Any, *, strings: bool = True) -> Any:
    """``value`` (parsed JSON) unchanged, or ValidationError for depth or characters.

    The walk is iterative, so no input can exhaust the interpreter's stack. With
    ``strings=False`` only the depth is checked (the caller knows no string can hold an
    unstorable character).
    """
    if not isinstance(value, dict | list):
        if strings and isinstance(value, str):
            refuse_unstorable("тело запроса", value)
        return value
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth >= MAX_DEPTH:
            message = f"Слишком глубокая вложенность JSON: не больше {MAX_DEPTH} уровней."
            raise ValidationError(message, {path or "тело запроса": [message]})
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, sub in pairs:
            if isinstance(key, str):
                if strings:
                    refuse_unstorable(path or "тело запроса", key)  # a name no field has
                sub_path = f"{path}.{key}" if path else key
            else:
                sub_path = f"{path}[{key}]"
            if isinstance(sub, str):
                if strings:
                    refuse_unstorable(sub_path, sub)
            elif isinstance(sub, dict | list):
                stack.append((sub, sub_path, depth + 1))
    return value


def json_body() -> Any:
    """The request's JSON body, parsed and checked; ValidationError if it is not JSON.

    Only a syntax error, a non-UTF-8 body, excessive depth or unstorable characters are
    refused here; whether the value has the right shape is the caller's business.
    """
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")  # strict: no encoded surrogates (RFC 8259: JSON is UTF-8)
        value = json.loads(text)
    except RecursionError:
        message = f"Слишком глубокая вложенность JSON: не больше {MAX_DEPTH} уровней."
        raise ValidationError(message) from None
    except ValueError:  # also UnicodeDecodeError
        raise ValidationError("Ожидается JSON-объект в теле запроса: тело не разобрано как "
                              "JSON в кодировке UTF-8.") from None
    # in strict UTF-8 JSON, NUL and lone surrogates can only be spelled as \\u escapes:
    # the strings are walked (to name the field) only if the text has such an escape
    return checked_json(value, strings=_UNSTORABLE_ESCAPE.search(text) is not None)


def checks_own_fields(view: Callable) -> Callable:
    """Mark a view whose form fields are validated by a schema (errors shown by the field)."""
    view._checks_own_fields = True
    return view


def check_form() -> None:
    """Refuse unstorable characters in the query string and form fields of any request.

    Views marked ``checks_own_fields`` are left to their schema, except for field names.
    """
    view = _current_view()
    own = getattr(view, "_checks_own_fields", False)
    sources = [request.args]
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        sources.append(request.form)
    for source in sources:
        for key, values in source.lists():
            if UNSTORABLE.search(key):
                refuse_unstorable("имя поля", key)
            if own and source is request.form:
                continue
            for value in values:
                refuse_unstorable(key, value)


def _current_view() -> Callable | None:
    return current_app.view_functions.get(request.endpoint or "")


def init_app(app: Flask) -> None:
    app.before_request(check_form)
