"""Helpers for the tests of the orders and plans of the Положение: regulation_order, roadmap,
curator_order, final_report — reading their DOCX back and trying refused transitions."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from docx import Document as read_docx
from sqlalchemy import select

from doc_templates.render import render_document
from storage.blobs import blobs
from storage.db import db_session
from storage.models import Document, StoredFile
from storage.roles import Role
from tests.factories import person, user
from workflows import documents
from workflows.errors import NastavnikError
from workflows.roadmap import default_rows


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, one per line."""
    d = read_docx(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def rendered(doc: Document, *, final: bool = False) -> str:
    return docx_text(render_document(db_session(), doc, final=final))


def signed_copy(doc: Document) -> bytes:
    """The DOCX filed in the archive when ``doc`` was signed."""
    stored = db_session().scalars(select(StoredFile).where(
        StoredFile.document_id == doc.id, StoredFile.role == "signed_docx")).one()
    return blobs().get(stored.sha256)


def refused(doc: Document, action: str, *, actor: str = "director",
            roles=frozenset(Role)) -> str:
    """Try ``action``; return the error's Russian message, the session rolled back."""
    try:
        documents.transition(db_session(), doc, action, actor=user(actor), roles=roles)
    except NastavnikError as exc:
        db_session().rollback()
        return exc.message
    raise AssertionError(f"«{action}» was not refused")


def state(doc: Document) -> str:
    db_session().expire_all()
    return db_session().get(Document, doc.id).state


def roadmap_rows(year: int = 2026, responsible: str = "Сидорова") -> list[dict[str, Any]]:
    """The seven stages of П2 for the school year ``year``/``year+1``, one responsible."""
    pid = person(responsible).id
    return [{**row, "responsible_id": pid} for row in default_rows(year)]


def within(year: int) -> tuple[date, date]:
    return date(year, 9, 1), date(year + 1, 8, 31)
