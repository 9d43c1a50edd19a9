"""Password hashing: Werkzeug's scrypt, or the cheaper standard method tests choose.

``PASSWORD_HASH_METHOD`` (a setting) names the method. Logging in (``webforms.auth``) and
re-entering the password to sign (``signatures.simple``) check passwords here.
"""

from __future__ import annotations

import secrets
from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from storage.models import User


def hash_password(password: str) -> str:
    """Werkzeug's scrypt by default; tests may choose a cheaper standard method."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password(user: User | None, password: str) -> bool:
    """True if ``password`` is the user's. For ``user=None`` (no such login) a hash of the
    same method is checked all the same, and False returned: both cost the same time."""
    if not password:
        return False
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return check_password_hash(user.password_hash, password)


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)
