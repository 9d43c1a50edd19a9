"""Helpers for the tests of the orders and plans of the Положение: regulation_order, roadmap,
curator_order, final_report — reading their DOCX back and trying refused transitions."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from storage.blobs import blobs
from storage.db import db_session
from storage.models import Document, StoredFile
from tests.factories import docx_text, person, refused, state, user  # noqa: F401  (shared helpers)
from workflows.rendering import render_document
from workflows.roadmap import default_rows


def rendered(doc: Document, *, final: bool = False) -> str:
    return docx_text(render_document(db_session(), doc, final=final))


def signed_copy(doc: Document) -> bytes:
    """The DOCX filed in the archive when ``doc`` was signed."""
    stored = db_session().scalars(select(StoredFile).where(
        StoredFile.document_id == doc.id, StoredFile.role == "signed_docx")).one()
    return blobs().get(stored.sha256)


def roadmap_rows(year: int = 2026, responsible: str = "Сидорова") -> list[dict[str, Any]]:
    """The seven stages of П2 for the school year ``year``/``year+1``, one responsible."""
    pid = person(responsible).id
    return [{**row, "responsible_id": pid} for row in default_rows(year)]


def within(year: int) -> tuple[date, date]:
    return date(year, 9, 1), date(year + 1, 8, 31)
