"""What a template sees: the requisites every document has, plus the kind's form data.

| name | holds |
|---|---|
| ``org`` | full_name, short_name, place, address, inn, ogrn |
| ``head`` | the head of the organization: position, last/first/middle name |
| ``doc`` | heading (ПРИКАЗ…), title, number, date (a ``date`` or None), is_draft |
| ``esign`` | None, or signer, position, signed_at, signature_id (electronic-signature mark) |
| ``visas`` | visas of the last approval round: position, name, date, step |
| ``data`` | the kind's form data, as the form schema stores it |
| ``extra`` | what the kind's ``context`` hook adds (e.g. mentees' names), else empty |
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Document, Organization, User
from workflows.kinds import get_kind
from workflows.routes import visa_context


def organization_context(org: Organization) -> dict[str, Any]:
    return {
        "full_name": org.full_name, "short_name": org.short_name, "place": org.place,
        "address": org.address, "inn": org.inn, "ogrn": org.ogrn,
    }


def document_context(session: Session, doc: Document, *, final: bool,
                     signer: User | None = None) -> dict[str, Any]:
    org = session.get(Organization, doc.organization_id)
    kind = get_kind(doc.kind)
    esign = None
    if final and doc.signature_id:
        signer = signer or (session.get(User, doc.signed_by_id) if doc.signed_by_id else None)
        esign = {
            "signer": signer.full_name if signer else "",
            "position": (signer.position if signer else "") or org.head_position,
            "signed_at": doc.signed_at,
            "signature_id": doc.signature_id,
        }
    return {
        "org": organization_context(org),
        "head": org.head,
        "doc": {
            "heading": kind.heading,
            "title": doc.title,
            "number": doc.number if final else None,
            "date": doc.doc_date if final else None,
            "is_draft": not final,
        },
        "esign": esign,
        "visas": visa_context(session, doc),
        "data": _dates_revived(doc.data),
        "extra": _dates_revived(kind.context(session, doc)) if kind.context else {},
    }


def _dates_revived(data: dict[str, Any]) -> dict[str, Any]:
    """Form data keeps dates as ISO strings (JSON); templates format real dates."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str) and (key.endswith("_date") or key in ("date",)):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                pass
        elif isinstance(value, dict):
            value = _dates_revived(value)
        elif isinstance(value, list):
            value = [_dates_revived(v) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out
