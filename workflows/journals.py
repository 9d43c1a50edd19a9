"""Registration journals: the next number, per organization, per journal, per year.

The counter row is incremented with one ``UPDATE … RETURNING`` inside the signing
transaction: the row lock (PostgreSQL) or the write lock (SQLite, ``BEGIN IMMEDIATE``)
serialises signers, and a rolled-back signature gives its number back, so numbers have
no gaps and no duplicates.
"""

from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import JournalCounter


def next_number(session: Session, organization_id: int, journal: str, year: int) -> int:
    """Take the next number of ``journal`` for ``year``; the caller's transaction owns it."""
    bump = (
        update(JournalCounter)
        .where(JournalCounter.organization_id == organization_id,
               JournalCounter.journal == journal, JournalCounter.year == year)
        .values(last_number=JournalCounter.last_number + 1)
        .returning(JournalCounter.last_number)
    )
    taken = session.execute(bump).scalar_one_or_none()
    if taken is not None:
        return taken
    try:
        with session.begin_nested():
            session.execute(insert(JournalCounter).values(
                organization_id=organization_id, journal=journal, year=year, last_number=1))
        return 1
    except IntegrityError:  # another signer created the row first: take the next one
        return session.execute(bump).scalar_one()
