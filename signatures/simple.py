"""The simple electronic signature: re-authentication bound to what was signed.

Each party signs for itself (``party_signature_id``): the keyed id is HMAC-SHA256 over
(document id, party, SHA-256 of the exact file signed, signer id, signing time), stored on
its ``Signature`` row; ``signature_status`` checks one row, also the head's rows carried
over by migration 0009, made over the content hash by the earlier formula below. The
document keeps its own id of the registration (``status`` / ``verify``), made when it
became signed, by the user whose signature completed it.

That id is HMAC-SHA256 over (document id, content hash, signer id, signing time)
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
from storage.models import Document, Signature, User
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


def _party_message(document_id: int, party: str, sha256: str, signer_id: int,
                   signed_at: datetime) -> str:
    return f"{document_id}:{party}:{sha256}:{signer_id}:{signed_at.isoformat()}"


def party_signature_id(document_id: int, party: str, sha256: str, signer_id: int,
                       signed_at: datetime) -> str:
    """The keyed id of one party's simple signature of the file whose SHA-256 is
    ``sha256``, under the current signature key (``key_id``)."""
    return keys.current().mac(keys.SIGNATURE,
                              _party_message(document_id, party, sha256, signer_id, signed_at))


def signature_status(sig: Signature) -> SignatureStatus:
    """Whether a simple signature's keyed id matches its document, party, file, signer and
    time. A row carried over by migration 0009 (the head's signature over the content hash,
    recorded before signatures by party) is checked by the formula it was made with, so it
    is VALID if keyed, UNKEYED if made before migration 0008."""
    if not (sig.signature_id and sig.signed_at and sig.user_id and sig.sha256):
        return SignatureStatus.INVALID
    key = keys.current()
    if sig.key_id is not None and sig.key_id != key.key_id:
        return SignatureStatus.OTHER_KEY
    times = [sig.signed_at]
    if sig.signed_at.tzinfo is None:  # SQLite returns naive UTC datetimes
        times.append(sig.signed_at.replace(tzinfo=UTC))
    if sig.key_id is None:
        candidates = [lambda at: _unkeyed_signature_id(sig.document_id, sig.sha256,
                                                       sig.user_id, at)]
    else:
        candidates = [
            lambda at: party_signature_id(sig.document_id, sig.party, sig.sha256, sig.user_id,
                                          at),
            lambda at: signature_id(sig.document_id, sig.sha256, sig.user_id, at)]  # 0009
    if not any(hmac.compare_digest(make(at), sig.signature_id)
               for make in candidates for at in times):
        return SignatureStatus.INVALID
    return SignatureStatus.VALID if sig.key_id is not None else SignatureStatus.UNKEYED
