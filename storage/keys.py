"""The integrity key: what makes the audit chain and signature ids unforgeable from the database.

Someone who can write the database (a backup, a SQLite file, a superuser) can recompute any
plain SHA-256 stored in it. The audit chain, its head and the simple-signature id are
therefore HMAC-SHA256 under keys derived from one secret kept *outside* the database: the
``INTEGRITY_KEY`` setting (environment), else the file ``instance/integrity_key`` created
on first start (mode 0600), like ``SECRET_KEY``. It is never written to the database.

Each use has its own derived key, HMAC(secret, purpose), so a MAC of one kind is never valid
as another (the organization's seal key, a PKCS#12 in the blob store, is encrypted under
one, ``SEAL_PKCS12``). Rows record the ``key_id`` they were made under — a public fingerprint
of the secret, not the secret — so verification can say which key a row needs. Losing the
secret makes every keyed record unverifiable: it is backed up with the instance folder.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app

AUDIT_ROW = "audit-row"
AUDIT_HEAD = "audit-head"
SIGNATURE = "signature-id"
SEAL_PKCS12 = "seal-pkcs12"  # the passphrase of the organization's stored seal key
MIN_LENGTH = 32


@dataclass(frozen=True)
class IntegrityKey:
    """One secret and the keys derived from it; ``key_id`` names it in rows and messages."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) < MIN_LENGTH:
            raise ValueError(f"Ключ целостности (INTEGRITY_KEY) слишком короткий: нужно не "
                             f"меньше {MIN_LENGTH} символов.")

    def __repr__(self) -> str:  # never print the secret
        return f"IntegrityKey(key_id={self.key_id!r})"

    @property
    def key_id(self) -> str:
        return self.mac("key-id", "")[:16]

    def derive(self, purpose: str) -> bytes:
        return hmac.new(self.secret, f"nastavnik/{purpose}/v1".encode(), hashlib.sha256).digest()

    def mac(self, purpose: str, message: str) -> str:
        """HMAC-SHA256 (hex) of ``message`` under the key derived for ``purpose``."""
        return hmac.new(self.derive(purpose), message.encode(), hashlib.sha256).hexdigest()

    def check(self, purpose: str, message: str, expected: str | None) -> bool:
        return expected is not None and hmac.compare_digest(self.mac(purpose, message),
                                                            expected)


def from_setting(value: str) -> IntegrityKey:
    return IntegrityKey(value.strip().encode())


def current() -> IntegrityKey:
    """The key of the running app (``INTEGRITY_KEY``); ValueError if it is too short."""
    cached = current_app.extensions.get("integrity_key")
    setting = current_app.config["INTEGRITY_KEY"]
    if cached is None or cached[0] != setting:
        cached = (setting, from_setting(setting))
        current_app.extensions["integrity_key"] = cached
    return cached[1]
