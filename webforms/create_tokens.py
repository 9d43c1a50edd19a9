"""Submitting the same create form twice makes one document.

Each create form carries a one-time token (hidden field ``create_token``, made when the
form is rendered and kept while it comes back with errors); the API takes the client's
``Idempotency-Key`` header instead. The document stores it in ``Document.create_token``,
unique per organization, prefixed with the author's id, so one user's token can never
name another user's document. A second submit, sequential or concurrent (the unique
constraint settles the race), finds the document the first one made
(``workflows.documents.create_once``). This module reads the token of a request.
"""

from __future__ import annotations

import re
import secrets

from flask import request

from workflows.errors import ValidationError

FORM_FIELD = "create_token"
HEADER = "Idempotency-Key"
_FORM_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_HEADER_KEY = re.compile(r"[\x21-\x7e]{1,64}")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def form_token() -> str | None:
    """The create form's token as sent; None if absent or not one this service made."""
    value = request.form.get(FORM_FIELD, "")
    return value if _FORM_TOKEN.fullmatch(value) else None


def header_key() -> str | None:
    """The API's ``Idempotency-Key``; None if not sent, ValidationError (422) if malformed."""
    value = request.headers.get(HEADER)
    if value is None:
        return None
    if not _HEADER_KEY.fullmatch(value):
        message = (f"Заголовок {HEADER}: от 1 до 64 видимых символов ASCII "
                   f"(например, UUID).")
        raise ValidationError(message, {HEADER: [message]})
    return f"api:{value}"
