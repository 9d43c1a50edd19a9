"""The audit log is a hash chain: an altered or removed row is found and named."""

from __future__ import annotations

from sqlalchemy import select, text

from storage.db import db_session
from storage.models import AuditEntry
from tests import factories
from workflows import audit


def lift_triggers(app) -> None:
    """What a tamperer with full database access does first: drop the append-only guard."""
    from storage import append_only

    with app.app_context():
        dialect = db_session().get_bind().dialect.name
        for statement in append_only.down_statements(dialect):
            db_session().execute(text(statement))
        db_session().commit()


def school_rows(app) -> tuple[int, list[int]]:
    with app.app_context():
        org_id = factories.school().id
        ids = db_session().scalars(select(AuditEntry.id).where(
            AuditEntry.organization_id == org_id).order_by(AuditEntry.id)).all()
        return org_id, ids


def test_intact_chain_verifies(app, runner):
    org_id, ids = school_rows(app)
    assert len(ids) > 10
    with app.app_context():
        assert audit.verify(db_session(), org_id).ok
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"Организация {org_id}: журнал цел, записей: {len(ids)}." in result.output


def test_the_database_refuses_to_change_or_remove_audit_rows(app):
    from sqlalchemy.exc import DatabaseError

    org_id, ids = school_rows(app)
    for statement in ("UPDATE audit_entries SET comment = 'x' WHERE id = :i",
                      "DELETE FROM audit_entries WHERE id = :i"):
        with app.app_context():
            try:
                db_session().execute(text(statement), {"i": ids[2]})
                db_session().commit()
            except DatabaseError as exc:
                db_session().rollback()
                assert "append-only" in str(exc)
            else:
                raise AssertionError(f"the database allowed: {statement}")
    with app.app_context():
        assert audit.verify(db_session(), org_id).ok


def test_altered_row_is_named(app, runner):
    org_id, ids = school_rows(app)
    victim = ids[5]
    lift_triggers(app)
    with app.app_context():
        db_session().execute(text("UPDATE audit_entries SET comment = 'подчищено' WHERE id = :i"),
                             {"i": victim})
        db_session().commit()
        result = audit.verify(db_session(), org_id)
    assert not result.ok
    assert result.bad_row_id == victim
    assert "содержимое изменено" in result.problem
    cli = runner.invoke(args=["audit", "verify", "--org", str(org_id)])
    assert cli.exit_code == 1
    assert f"запись № {victim}: содержимое изменено" in cli.output


def test_removed_row_is_found_at_its_successor(app):
    org_id, ids = school_rows(app)
    lift_triggers(app)
    with app.app_context():
        db_session().execute(text("DELETE FROM audit_entries WHERE id = :i"), {"i": ids[3]})
        db_session().commit()
        result = audit.verify(db_session(), org_id)
    assert not result.ok
    assert result.bad_row_id == ids[4]
    assert "предыдущая запись удалена или изменена" in result.problem


def test_removed_last_row_is_found(app):
    org_id, ids = school_rows(app)
    lift_triggers(app)
    with app.app_context():
        db_session().execute(text("DELETE FROM audit_entries WHERE id = :i"), {"i": ids[-1]})
        db_session().commit()
        result = audit.verify(db_session(), org_id)
    assert not result.ok
    assert "последние записи журнала удалены" in result.problem


def test_rows_are_chained_per_organization(app):
    org_id, ids = school_rows(app)
    with app.app_context():
        rows = db_session().scalars(select(AuditEntry).where(AuditEntry.id.in_(ids))
                                    .order_by(AuditEntry.id)).all()
        assert rows[0].prev_hash == audit.GENESIS
        for before, after in zip(rows, rows[1:], strict=False):
            assert after.prev_hash == before.row_hash
