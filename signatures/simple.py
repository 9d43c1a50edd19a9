"""The simple electronic signature: re-authentication bound to the content hash.

The signature id is HMAC-SHA256 over (document id, content hash, signer id, signing time)
under the signature key derived from the integrity key (storage/keys.py), which lives outside
the database. The service confirms that the signed content, the signer and the time are the
ones recorded; changing any of them breaks the match, and someone who can write the database
cannot recompute a matching id without the key. (Verification outside the service is the
PDF's seal, not this id.) ``Document.signature_key_id`` names the key; signatures made before
migration 0008 have none and a plain SHA-256 id: ``status`` reports them as UNKEYED, and
``verify`` does not confirm them.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from enum import StrEnum

from signatures.content import content_hash
from storage import attempts, keys
from storage.errors import NotAllowed
from storage.models import Document, User
from storage.passwords import check_password


def require_reauthentication(user: User, password: str) -> None:
    """Raise NotAllowed (403) unless ``password`` is the signer's own password, and
    TooManyAttempts (429) — before any check — once the account has used up its wrong
    signing passwords (``SIGN_LIMIT_PER_ACCOUNT``, see storage/attempts.py)."""
    counters = attempts.sign_counters(user.id)
    attempts.refuse_if_exhausted(counters, "ввода пароля для подписи")
    if not check_password(user, password or ""):
        attempts.count_failure(counters)
        raise NotAllowed("Подпись не поставлена: неверный пароль. Для простой электронной "
                         "подписи введите пароль своей учётной записи.")


class SignatureStatus(StrEnum):
    VALID = "valid"  # the keyed id matches content, signer and time
    UNKEYED = "unkeyed"  # made before the integrity key: plain SHA-256 matches, forgeable
    OTHER_KEY = "other_key"  # made under another integrity key: cannot be checked here
    INVALID = "invalid"  # content, signer, time or id changed


def _message(document_id: int, content_hash: str, signer_id: int, signed_at: datetime) -> str:
    return f"{document_id}:{content_hash}:{signer_id}:{signed_at.isoformat()}"


def signature_id(document_id: int, content_hash: str, signer_id: int,
                 signed_at: datetime) -> str:
    """The signature id: HMAC-SHA256 under the current signature key (see ``key_id``)."""
    return keys.current().mac(keys.SIGNATURE,
                              _message(document_id, content_hash, signer_id, signed_at))


def key_id() -> str:
    """The id of the key ``signature_id`` uses now, to store as ``signature_key_id``."""
    return keys.current().key_id


def _unkeyed_signature_id(document_id: int, content_hash: str, signer_id: int,
                          signed_at: datetime) -> str:
    """The plain SHA-256 id of signatures made before migration 0008."""
    message = _message(document_id, content_hash, signer_id, signed_at)
    return hashlib.sha256(message.encode()).hexdigest()


def status(doc: Document) -> SignatureStatus:
    """Whether the document's recorded signature id matches its content, signer and time."""
    if not (doc.signature_id and doc.signed_at and doc.signed_by_id):
        return SignatureStatus.INVALID
    if content_hash(doc) != doc.content_hash:
        return SignatureStatus.INVALID
    key = keys.current()
    if doc.signature_key_id is None:
        make = _unkeyed_signature_id
    elif doc.signature_key_id == key.key_id:
        make = signature_id
    else:
        return SignatureStatus.OTHER_KEY
    times = [doc.signed_at]
    if doc.signed_at.tzinfo is None:  # SQLite returns naive UTC datetimes
        times.append(doc.signed_at.replace(tzinfo=UTC))
    if not any(hmac.compare_digest(make(doc.id, doc.content_hash, doc.signed_by_id, at),
                                   doc.signature_id) for at in times):
        return SignatureStatus.INVALID
    return SignatureStatus.VALID if make is signature_id else SignatureStatus.UNKEYED


def verify(doc: Document) -> bool:
    """True only if the signature id is keyed and matches content, signer and time."""
    return status(doc) is SignatureStatus.VALID
