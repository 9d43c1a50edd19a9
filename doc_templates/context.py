"""What a template sees: the requisites every document has, plus the kind's form data.

``workflows.rendering.document_context`` builds it for a document, ``doc_templates.samples``
for a sample; this module holds the pieces that know no kind:

| name | holds |
|---|---|
| ``org`` | full_name, short_name, place, address, inn, ogrn |
| ``head`` | the head of the organization: position, last/first/middle name |
| ``doc`` | heading (ПРИКАЗ…), title, number, date (a ``date`` or None), is_draft |
| ``esign`` | None, or signer, position, signed_at, signature_id (electronic-signature mark) |
| ``esigns`` | by party key («head», «mentee:<id>»…): signer, position, method, signed_at… |
| ``visas`` | visas of the last approval round: position, name, date, step |
| ``data`` | the kind's form data, as the form schema stores it |
| ``extra`` | what the kind's ``context`` hook adds (e.g. mentees' names), else empty |
"""

from __future__ import annotations

from datetime import date
from typing import Any

from storage.models import Organization


def organization_context(org: Organization) -> dict[str, Any]:
    return {
        "full_name": org.full_name, "short_name": org.short_name, "place": org.place,
        "address": org.address, "inn": org.inn, "ogrn": org.ogrn,
    }


def revive_dates(data: dict[str, Any]) -> dict[str, Any]:
    """Form data keeps dates as ISO strings (JSON); templates format real dates."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str) and (key.endswith("_date") or key in ("date",)):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                pass
        elif isinstance(value, dict):
            value = revive_dates(value)
        elif isinstance(value, list):
            value = [revive_dates(v) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out
