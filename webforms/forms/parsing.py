"""From an HTML form's flat fields to the nested data a schema loads, and back for errors.

Lists come as repeated names (``mentee_ids``), rows of a table as ``plan-0-activity``,
``plan-0-date``…; rows left entirely blank are dropped. A checkbox is true when present.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, fields
from werkzeug.datastructures import MultiDict


def _is_rows(field: fields.Field) -> bool:
    return isinstance(field, fields.List) and isinstance(field.inner, fields.Nested)


def form_to_data(schema: Schema, form: MultiDict) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in schema.fields.items():
        if _is_rows(field):
            data[name] = _rows(name, form)
        elif isinstance(field, fields.List):
            data[name] = [v for v in form.getlist(name) if v.strip()]
        elif isinstance(field, fields.Boolean):
            data[name] = name in form and form.get(name) not in ("", "0", "false")
        elif name in form:
            data[name] = form.get(name, "")
    return data


def _rows(name: str, form: MultiDict) -> list[dict[str, Any]]:
    """Rows ``name-<i>-<field>``; a field sent several times (a multiple select) is a list.

    Rows come in the order of ``i`` (ASCII digits of any length, compared as numbers
    without ``int()``, which refuses more than 4300 digits); how many rows a table may
    have is the schema's rule (``rows(max_rows=…)``), not the parser's.
    """
    pattern = re.compile(rf"^{re.escape(name)}-([0-9]+)-(\w+)$", re.ASCII)
    found: dict[str, dict[str, Any]] = {}
    prefix = f"{name}-"
    for key, sent in form.lists():
        m = pattern.match(key) if key.startswith(prefix) else None
        if m:
            values = [v for v in sent if v.strip()]
            index = m.group(1).lstrip("0") or "0"
            found.setdefault(index, {})[m.group(2)] = \
                values if len(sent) > 1 or key.endswith("_ids") else \
                (values[0] if values else "")
    rows = [found[i] for i in sorted(found, key=lambda i: (len(i), i))]
    return [{k: v for k, v in r.items() if v} for r in rows if any(r.values())]


def flatten_errors(schema: Schema, messages: dict[str, Any]) -> dict[str, list[str]]:
    """Marshmallow's nested errors as ``field → ["«Метка», строка 2, «Дата»: …"]``."""
    out: dict[str, list[str]] = {}
    for name, errs in messages.items():
        field = schema.fields.get(name)
        label = field.metadata.get("label", name) if field else name
        if isinstance(errs, dict) and field is not None and _is_rows(field):
            inner = field.inner.schema
            for index, row_errs in errs.items():
                if not isinstance(index, int):
                    out.setdefault(name, []).extend(f"«{label}»: {e}" for e in _as_list(row_errs))
                    continue
                row_errs = row_errs if isinstance(row_errs, dict) else {"_": row_errs}
                for sub, msgs in row_errs.items():
                    if sub not in inner.fields:  # the row as a whole (``_schema``)
                        out.setdefault(name, []).extend(
                            f"«{label}», строка {index + 1}: {m}" for m in _as_list(msgs))
                        continue
                    sub_label = inner.fields[sub].metadata.get("label", sub)
                    out.setdefault(name, []).extend(
                        f"«{label}», строка {index + 1}, «{sub_label}»: {m}"
                        for m in _as_list(msgs))
        elif isinstance(errs, dict):  # a list of scalars: index → messages
            for index, msgs in errs.items():
                out.setdefault(name, []).extend(
                    f"«{label}», значение {index + 1}: {m}" for m in _as_list(msgs))
        else:
            out[name] = [f"«{label}»: {m}" for m in _as_list(errs)]
    return out


def _as_list(errs: Any) -> list[str]:
    if isinstance(errs, list):
        return [str(e) for e in errs]
    if isinstance(errs, dict):
        return [str(m) for v in errs.values() for m in _as_list(v)]
    return [str(errs)]
