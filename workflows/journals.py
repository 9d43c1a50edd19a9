"""Registration journals: the table of them, and the next number, per organization, per
journal, per year.

``JOURNALS`` is every journal a kind registers its documents in, by code; a kind names its
journal by that code (``DocumentKind(journal="main")``).

The counter row is incremented with one ``UPDATE … RETURNING`` inside the signing
transaction: the row lock (PostgreSQL) or the write lock (SQLite: a writing session's
transaction is ``BEGIN IMMEDIATE``, see ``storage.db``) serialises signers, and a
rolled-back signature gives its number back, so numbers have no gaps and no duplicates.
The signing transaction is short (number, render of the final DOCX — a few ms with the
cached renderer — archive, audit): the number and the archived copy commit together, so a
signed document always has both.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import JournalCounter


@dataclass(frozen=True)
class Journal:
    """A registration journal: numbers run per organization, per journal, per year."""

    code: str
    title: str
    suffix: str = ""

    def format(self, seq: int) -> str:
        return f"{seq}{self.suffix}"


JOURNALS: dict[str, Journal] = {j.code: j for j in (
    Journal("main", "Журнал регистрации приказов по основной деятельности", "-од"),
    Journal("plans", "Журнал регистрации планов и дорожных карт", "-п"),
    Journal("consents", "Журнал регистрации согласий", "-с"),
    Journal("agreements", "Журнал регистрации соглашений к трудовым договорам", "-дс"),
    Journal("programs", "Журнал регистрации программ наставничества", "-пн"),
    Journal("statements", "Журнал регистрации заявлений", "-з"),
    Journal("reports", "Журнал регистрации отчётов", "-отч"),
)}


def next_number(session: Session, organization_id: int, journal: str, year: int) -> int:
    """Take the next number of ``journal`` for ``year``; the caller's transaction owns it.

    The session must be a writing one (not ``new_session(read_only=True)``, not a GET's).
    """
    if session.get_bind().get_execution_options().get("nastavnik_read_only"):
        raise RuntimeError("a journal number is taken in a writing session only")
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
