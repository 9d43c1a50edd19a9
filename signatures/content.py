"""What a signature binds: the SHA-256 of what the document says."""

from __future__ import annotations

import hashlib
import json

from storage.models import Document


def content_hash(doc: Document) -> str:
    """SHA-256 of what the document says: kind, form data, number and date."""
    payload = {"kind": doc.kind, "data": doc.data, "number": doc.number,
               "date": doc.doc_date.isoformat() if doc.doc_date else None}
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(blob.encode()).hexdigest()
