"""How a document's form data reads on its page: labels from the schema, names for ids."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import fields

from doc_templates.russian import money
from storage.db import db_session
from storage.models import Person
from webforms import forms
from workflows.scoping import rows_of


def _names(organization_id: int, ids: list[Any]) -> dict[int, str]:
    people = rows_of(db_session(), Person, organization_id, ids)
    return {person_id: p.full_name for person_id, p in people.items()}


def _value(field: fields.Field, value: Any, org_id: int) -> Any:
    widget = field.metadata.get("widget")
    if value in (None, "", []):
        return "—"
    if widget == "person":
        return _names(org_id, [value]).get(int(value), f"№ {value}")
    if widget == "people":
        names = _names(org_id, value)
        return ", ".join(names.get(int(v), f"№ {v}") for v in value)
    if widget == "date":
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except (TypeError, ValueError):
            return value
    if widget == "money":
        try:
            return money(Decimal(str(value)))
        except (InvalidOperation, TypeError, ValueError):
            return value
    if widget == "reference":
        return f"№ {value}"
    if widget == "checkbox":
        return "да" if value else "нет"
    if widget == "checkboxes":
        return "; ".join(value)
    if widget == "rows":
        inner = field.inner.schema
        header = [f.metadata.get("label", n) for n, f in inner.fields.items()]
        body = [[_value(f, row.get(n), org_id) for n, f in inner.fields.items()]
                for row in value]
        return {"header": header, "rows": body}
    return value


def document_fields(doc) -> list[tuple[str, Any]]:
    """(label, value) pairs of the document's form data, in the form's order."""
    if doc.kind not in forms.FORMS:
        return []
    schema = forms.form_for(doc.kind)
    return [(f.metadata.get("label", name), _value(f, doc.data.get(name), doc.organization_id))
            for name, f in schema.fields.items()]
