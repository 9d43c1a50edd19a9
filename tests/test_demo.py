"""``flask demo`` on an empty database: every state and many kinds, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.db import db_session
from storage.models import Document, Organization, StoredFile
from tests.helpers.database import empty_tables
from workflows import audit


def test_demo_fills_an_empty_database_once(app, runner):
    empty_tables(app.config["DATABASE_URL"])
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "director" in first.output and "nastavnik2026" in first.output
    with app.app_context():
        session = db_session()
        count = session.scalar(select(func.count()).select_from(Document))
        states = set(session.scalars(select(Document.state)))
        kinds = set(session.scalars(select(Document.kind)))
        assert states == {"draft", "in_approval", "approved", "returned", "cancelled", "signed"}
        assert {"mentor_consent", "pd_consent", "pairing_order", "mentoring_program",
                "regulation_order", "curator_order", "final_report"} <= kinds
        signed = session.scalars(select(Document).where(Document.state == "signed")).all()
        assert all(session.scalars(select(StoredFile).where(
            StoredFile.document_id == d.id, StoredFile.role == "signed_docx")).first()
            for d in signed)
        for org_id in session.scalars(select(Organization.id)):
            assert audit.verify(session, org_id).ok
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert db_session().scalar(select(func.count()).select_from(Document)) == count
