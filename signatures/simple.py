"""The simple electronic signature: re-authentication bound to the content hash.

The signature id is SHA-256 over (document id, content hash, signer id, signing time), so
anyone holding the archive can recompute it and see that the signed content, the signer
and the time are the ones recorded; changing any of them breaks the match.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from storage.models import Document, User
from workflows.errors import NotAllowed


def require_reauthentication(user: User, password: str) -> None:
    """Raise NotAllowed (403) unless ``password`` is the signer's own password, and
    TooManyAttempts (429) — before any check — once the account has used up its wrong
    signing passwords (``SIGN_LIMIT_PER_ACCOUNT``, see webforms/throttle.py)."""
    from webforms import throttle
    from webforms.auth import check_password

    counters = throttle.sign_counters(user.id)
    throttle.refuse_if_exhausted(counters, "ввода пароля для подписи")
    if not check_password(user, password or ""):
        throttle.count_failure(counters)
        raise NotAllowed("Подпись не поставлена: неверный пароль. Для простой электронной "
                         "подписи введите пароль своей учётной записи.")


def signature_id(document_id: int, content_hash: str, signer_id: int,
                 signed_at: datetime) -> str:
    payload = f"{document_id}:{content_hash}:{signer_id}:{signed_at.isoformat()}"
    return hashlib.sha256(payload.encode()).hexdigest()


def verify(doc: Document) -> bool:
    """True if the document's recorded signature id matches its content, signer and time."""
    from workflows.documents import content_hash

    if not (doc.signature_id and doc.signed_at and doc.signed_by_id):
        return False
    if content_hash(doc) != doc.content_hash:
        return False
    signed_at = doc.signed_at
    candidates = {signature_id(doc.id, doc.content_hash, doc.signed_by_id, signed_at)}
    if signed_at.tzinfo is None:  # SQLite returns naive UTC datetimes

        candidates.add(signature_id(doc.id, doc.content_hash, doc.signed_by_id,
                                    signed_at.replace(tzinfo=UTC)))
    return doc.signature_id in candidates
