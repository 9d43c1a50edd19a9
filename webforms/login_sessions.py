"""Server-side login sessions: what makes a session cookie revocable.

Flask's session cookie is only signed, so by itself it stays valid as long as it is kept.
Each login therefore opens a ``UserSession`` row and puts a fresh random token into the
cookie (through Flask-Login's user id, ``"<user id>:<token>"``); the row keeps only the
token's SHA-256. A cookie opens nothing unless its row exists, belongs to that user, has
not ended and was seen within ``SESSION_IDLE_MINUTES``.

A session ends when the user logs out, after the idle time, and — for every session of
the user at once — when the password hash changes or the account is deactivated, by any
code path that goes through the ORM (see ``_end_on_credential_change``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app, request
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from storage.models import User, UserSession

# last_seen_at is written at most this often, so reading pages does not write on every request
TOUCH_EVERY = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def open_session(session: Session, user: User) -> str:
    """Record a new login of ``user`` and return its token (for the cookie only)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session.add(UserSession(user_id=user.id, token_hash=_digest(token), created_at=now,
                            last_seen_at=now, address=(request.remote_addr or "")[:64]))
    return token


def find(session: Session, user_id: int, token: str) -> UserSession | None:
    """The live session of ``user_id`` with ``token``, touched; None if ended, idle or foreign.

    An idle session is ended on the way, so that it cannot come back if the limit grows.
    """
    row = session.scalars(select(UserSession).where(
        UserSession.token_hash == _digest(token))).first()
    if row is None or row.user_id != user_id or row.ended_at is not None:
        return None
    now = datetime.now(UTC)
    seen = _aware(row.last_seen_at)
    if now - seen > idle_limit():
        row.ended_at = now
        session.commit()
        return None
    if now - seen > TOUCH_EVERY:
        row.last_seen_at = now
        session.commit()
    return row


def end(session: Session, token: str) -> None:
    """End the one session whose cookie carries ``token`` (logout)."""
    session.execute(update(UserSession).where(
        UserSession.token_hash == _digest(token), UserSession.ended_at.is_(None)
    ).values(ended_at=datetime.now(UTC)))


def end_all(session: Session, user_id: int) -> None:
    """End every open session of the user: "log out everywhere"."""
    session.execute(update(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)
    ).values(ended_at=datetime.now(UTC)).execution_options(synchronize_session=False))


def _end_on_credential_change(session: Session, _context, _instances) -> None:
    """Before a flush that changes a user's password hash or deactivates the account,
    end all of that user's sessions in the same transaction."""
    for obj in list(session.dirty):
        if not isinstance(obj, User) or obj.id is None:
            continue
        state = inspect(obj)
        new_password = state.attrs.password_hash.history.has_changes()
        deactivated = state.attrs.is_active.history.has_changes() and not obj.is_active
        if new_password or deactivated:
            end_all(session, obj.id)


def init_app(_app) -> None:
    if not event.contains(Session, "before_flush", _end_on_credential_change):
        event.listen(Session, "before_flush", _end_on_credential_change)
