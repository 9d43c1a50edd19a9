"""The audit log is a keyed hash chain: an altered or removed row is found and named, also
when the tamperer recomputes the chain, cuts the tail off or puts back an older head."""

from __future__ import annotations

from sqlalchemy import select, text, update

from storage import checkpoints, keys
from storage.db import db_session
from storage.models import AuditEntry, AuditHead
from tests.helpers import documents as factories
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
        org_id = factories.organization().id
        ids = db_session().scalars(select(AuditEntry.id).where(
            AuditEntry.organization_id == org_id).order_by(AuditEntry.id)).all()
        return org_id, ids


def test_intact_chain_verifies(demo, app, runner):
    org_id, ids = school_rows(app)
    assert len(ids) > 10
    with app.app_context():
        assert audit.verify(db_session(), org_id).ok
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"Организация {org_id}: журнал цел, записей: {len(ids)}." in result.output


def test_the_database_refuses_to_change_or_remove_audit_rows(demo, app):
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


def test_altered_row_is_named(demo, app, runner):
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


def test_removed_row_is_found_at_its_successor(demo, app):
    org_id, ids = school_rows(app)
    lift_triggers(app)
    with app.app_context():
        db_session().execute(text("DELETE FROM audit_entries WHERE id = :i"), {"i": ids[3]})
        db_session().commit()
        result = audit.verify(db_session(), org_id)
    assert not result.ok
    assert result.bad_row_id == ids[4]
    assert "предыдущая запись удалена или изменена" in result.problem


def test_removed_last_row_is_found(demo, app):
    org_id, ids = school_rows(app)
    lift_triggers(app)
    with app.app_context():
        db_session().execute(text("DELETE FROM audit_entries WHERE id = :i"), {"i": ids[-1]})
        db_session().commit()
        result = audit.verify(db_session(), org_id)
    assert not result.ok
    assert "последние записи журнала удалены" in result.problem


def test_rows_are_chained_per_organization(demo, app):
    org_id, ids = school_rows(app)
    with app.app_context():
        rows = db_session().scalars(select(AuditEntry).where(AuditEntry.id.in_(ids))
                                    .order_by(AuditEntry.id)).all()
        assert rows[0].prev_hash == audit.GENESIS
        for before, after in zip(rows, rows[1:], strict=False):
            assert after.prev_hash == before.row_hash


# --- someone who can write the database but has not the integrity key -------------------

def forge_chain(app, org_id: int, digest, *, key_id="keep", head_mac="keep") -> None:
    """Recompute every link and the head, as a tamperer with the algorithm would.

    ``digest(entry)`` makes a row hash; ``key_id`` None/str rewrites the rows' and head's
    key id ("keep": leave it); ``head_mac(org, count, last_id, last_hash)`` signs the head
    (None: clear it; "keep": leave the old one)."""
    with app.app_context():
        session = db_session()
        rows = session.scalars(select(AuditEntry).where(AuditEntry.organization_id == org_id)
                               .order_by(AuditEntry.id)).all()
        prev = audit.GENESIS
        for entry in rows:
            entry.prev_hash = prev
            if key_id != "keep":
                entry.key_id = key_id
            entry.row_hash = digest(entry)
            session.flush()
            prev = entry.row_hash
        head = session.get(AuditHead, org_id)
        head.count, head.last_id, head.last_hash = len(rows), rows[-1].id, prev
        if key_id != "keep":
            head.key_id = key_id
        if head_mac != "keep":
            head.mac = head_mac(org_id, head.count, head.last_id, head.last_hash) \
                if head_mac else None
        session.commit()


def edit_row(app, row_id: int) -> None:
    with app.app_context():
        db_session().execute(text("UPDATE audit_entries SET actor_name = 'Иванов И. И.' "
                                  "WHERE id = :i"), {"i": row_id})
        db_session().commit()


def head_row(app, org_id: int) -> dict:
    with app.app_context():
        head = db_session().get(AuditHead, org_id)
        return {"count": head.count, "last_id": head.last_id, "last_hash": head.last_hash,
                "key_id": head.key_id, "mac": head.mac}


def more_rows(app, org_id: int, n: int) -> None:
    with app.app_context():
        for i in range(n):
            audit.append(db_session(), organization_id=org_id, document_id=None, actor=None,
                         action="test", from_state=None, to_state=None, comment=f"ещё {i}")
            db_session().commit()


def cut_tail(app, org_id: int, keep_last_id: int, head: dict | None = None) -> None:
    """Delete the rows after ``keep_last_id``; make the head name what is left (plain
    values, old MAC), or put back ``head`` saved earlier."""
    with app.app_context():
        session = db_session()
        session.execute(text("DELETE FROM audit_entries WHERE organization_id = :o AND id > :i"),
                        {"o": org_id, "i": keep_last_id})
        if head is None:
            left = session.scalars(select(AuditEntry).where(AuditEntry.organization_id == org_id)
                                   .order_by(AuditEntry.id)).all()
            head = {"count": len(left), "last_id": left[-1].id, "last_hash": left[-1].row_hash}
        session.execute(update(AuditHead).where(AuditHead.organization_id == org_id)
                        .values(**head))
        session.commit()


def broken(app, runner, org_id: int, expected: str) -> None:
    """verify and ``flask audit verify`` both report ``expected``; the command exits 1."""
    with app.app_context():
        result = audit.verify(db_session(), org_id)
    assert not result.ok
    assert expected in result.problem, result.problem
    cli = runner.invoke(args=["audit", "verify", "--org", str(org_id)])
    assert cli.exit_code == 1, cli.output
    assert f"Организация {org_id}: НАРУШЕНА целостность — " in cli.output
    assert expected in cli.output


GUESSED = keys.from_setting("угаданный ключ, тоже довольно длинный")


def test_rows_and_head_are_keyed_and_checkpointed_outside_the_database(demo, app, runner):
    org_id, ids = school_rows(app)
    with app.app_context():
        key = keys.current()
        rows = db_session().scalars(select(AuditEntry).where(AuditEntry.id.in_(ids))
                                    .order_by(AuditEntry.id)).all()
        assert {r.key_id for r in rows} == {key.key_id}
        assert all(r.row_hash != audit._unkeyed_digest(r) for r in rows)
        newest = checkpoints.latest(checkpoints.path(), key)[org_id]
        assert str(checkpoints.path()).startswith(app.config["STORAGE_DIR"])
    head = head_row(app, org_id)
    assert head["key_id"] == key.key_id and head["mac"]
    expected = (len(ids), ids[-1], rows[-1].row_hash)
    assert (newest.count, newest.last_id, newest.last_hash) == expected
    assert (head["count"], head["last_id"], head["last_hash"]) == expected
    cli = runner.invoke(args=["audit", "verify"])
    assert cli.exit_code == 0, cli.output
    assert f"Ключ целостности: {key.key_id}" in cli.output
    assert "без ключа" not in cli.output and "Контрольной точки вне базы нет" not in cli.output


def test_a_rolled_back_append_leaves_no_checkpoint(demo, app):
    org_id, ids = school_rows(app)
    with app.app_context():
        audit.append(db_session(), organization_id=org_id, document_id=None, actor=None,
                     action="test", from_state=None, to_state=None)
        db_session().rollback()
        assert checkpoints.latest(checkpoints.path(), keys.current())[org_id].count == len(ids)
        assert audit.verify(db_session(), org_id).ok


def test_a_row_edited_in_place_is_found(demo, app, runner):  # (a)
    org_id, ids = school_rows(app)
    lift_triggers(app)
    edit_row(app, ids[7])
    broken(app, runner, org_id, f"запись № {ids[7]}: содержимое изменено")


def test_a_chain_recomputed_with_plain_sha256_is_found(demo, app, runner):  # (b), old algorithm
    org_id, ids = school_rows(app)
    lift_triggers(app)
    edit_row(app, ids[7])
    forge_chain(app, org_id, audit._unkeyed_digest)
    broken(app, runner, org_id, f"запись № {ids[0]}: содержимое изменено")


def test_a_chain_recomputed_with_a_guessed_key_is_found(demo, app, runner):  # (b), wrong key
    org_id, ids = school_rows(app)
    lift_triggers(app)
    edit_row(app, ids[7])
    forge_chain(app, org_id, lambda e: audit._row_digest(e, GUESSED),
                head_mac=lambda *head: audit.head_mac(GUESSED, *head))
    broken(app, runner, org_id, f"запись № {ids[0]}: содержимое изменено")


def test_a_chain_recomputed_under_the_guessed_keys_id_names_the_key_it_needs(demo, app, runner):
    org_id, ids = school_rows(app)
    lift_triggers(app)
    forge_chain(app, org_id, lambda e: audit._row_digest(e, GUESSED), key_id=GUESSED.key_id,
                head_mac=lambda *head: audit.head_mac(GUESSED, *head))
    with app.app_context():
        ours = keys.current().key_id
    broken(app, runner, org_id, f"запись № {ids[0]} заверена ключом целостности "
                                f"{GUESSED.key_id}, а у сервиса ключ {ours}")


def test_a_chain_passed_off_as_written_before_the_key_is_found_by_the_checkpoint(demo, app, runner):
    """(b), the whole downgrade: rows and head made to look like a database from before
    migration 0008 (no key ids, plain SHA-256, no head MAC). Inside the database it is
    consistent; the checkpoint outside it is not."""
    org_id, ids = school_rows(app)
    lift_triggers(app)
    edit_row(app, ids[7])
    forge_chain(app, org_id, audit._unkeyed_digest, key_id=None, head_mac=None)
    broken(app, runner, org_id, f"запись № {ids[-1]} не совпадает с контрольной точкой вне "
                                f"базы — журнал пересчитан")


def test_one_row_passed_off_as_unkeyed_after_keyed_ones_is_found(demo, app, runner):
    org_id, ids = school_rows(app)
    lift_triggers(app)
    with app.app_context():
        session = db_session()
        entry = session.get(AuditEntry, ids[-1])
        entry.comment, entry.key_id = "подменено", None
        entry.row_hash = audit._unkeyed_digest(entry)
        session.execute(update(AuditHead).where(AuditHead.organization_id == org_id)
                        .values(last_hash=entry.row_hash, key_id=None, mac=None))
        session.commit()
    broken(app, runner, org_id, f"запись № {ids[-1]}: записана без ключа целостности после "
                                f"записей с ключом")


def test_a_cut_off_tail_with_the_head_fixed_is_found(demo, app, runner):  # (c)
    org_id, ids = school_rows(app)
    lift_triggers(app)
    cut_tail(app, org_id, ids[-4])
    broken(app, runner, org_id, "заголовок журнала подделан: его подпись ключом целостности "
                                f"не совпадает (в заголовке записей: {len(ids) - 3}")


def test_a_cut_off_tail_with_the_head_unsigned_is_found(demo, app, runner):  # (c), MAC removed
    org_id, ids = school_rows(app)
    lift_triggers(app)
    cut_tail(app, org_id, ids[-4])
    with app.app_context():
        db_session().execute(update(AuditHead).values(mac=None, key_id=None))
        db_session().commit()
    broken(app, runner, org_id, "заголовок журнала не заверен ключом целостности")


def test_an_older_head_put_back_after_cutting_the_tail_is_found(demo, app, runner):  # (d)
    org_id, ids = school_rows(app)
    saved = head_row(app, org_id)  # a genuine head, copied by the tamperer at some point
    more_rows(app, org_id, 3)
    lift_triggers(app)
    cut_tail(app, org_id, saved["last_id"], head=saved)
    with app.app_context():  # inside the database everything agrees
        assert db_session().get(AuditHead, org_id).mac == saved["mac"]
    broken(app, runner, org_id, f"журнал откатился: контрольная точка вне базы помнит записей "
                                f"{len(ids) + 3}")
    cli = runner.invoke(args=["audit", "verify", "--org", str(org_id)])
    assert "Если базу данных намеренно восстановили из резервной копии" in cli.output


def test_a_row_needing_another_key_is_named_with_that_key(demo, app, runner):
    """Key rotation or a wrong INTEGRITY_KEY: verify names the key the rows were made under."""
    org_id, ids = school_rows(app)
    with app.app_context():
        made_under = keys.current().key_id
    app.config["INTEGRITY_KEY"] = "другой ключ этого же сервиса, после ротации"
    with app.app_context():
        other = keys.current().key_id
    assert other != made_under
    broken(app, runner, org_id, f"запись № {ids[0]} заверена ключом целостности {made_under}, "
                                f"а у сервиса ключ {other}: проверить её можно только с "
                                f"ключом {made_under}")


def make_pre_0008_chain(app, org_id: int) -> None:
    """The chain as a database from before the integrity key has it: plain SHA-256, no key
    ids, no head MAC, no checkpoint file."""
    lift_triggers(app)
    forge_chain(app, org_id, audit._unkeyed_digest, key_id=None, head_mac=None)
    with app.app_context():
        checkpoints.path().unlink()
    with app.app_context():  # put the append-only guard back, as the migrations leave it
        dialect = db_session().get_bind().dialect.name
        from storage import append_only
        for statement in append_only.up_statements(dialect):
            db_session().execute(text(statement))
        db_session().commit()


def test_rows_from_before_the_key_verify_as_unkeyed_and_are_anchored_by_the_next(demo, app, runner):
    org_id, ids = school_rows(app)
    make_pre_0008_chain(app, org_id)
    cli = runner.invoke(args=["audit", "verify", "--org", str(org_id)])
    assert cli.exit_code == 0, cli.output
    assert (f"журнал цел, записей: {len(ids)}. Из них без ключа целостности (записаны до его "
            f"включения): {len(ids)}. Контрольной точки вне базы нет") in cli.output
    more_rows(app, org_id, 1)  # the first keyed row covers the last unkeyed one
    with app.app_context():
        result = audit.verify(db_session(), org_id)
    assert result.ok and result.unkeyed == len(ids) and result.rows == len(ids) + 1
    assert result.checkpointed
    lift_triggers(app)  # now rewriting the old rows, even consistently, breaks the link
    with app.app_context():
        session = db_session()
        old = session.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids))
                              .order_by(AuditEntry.id)).all()
        old[3].comment = "подчищено"
        prev = old[2].row_hash
        for entry in old[3:]:
            entry.prev_hash = prev
            entry.row_hash = audit._unkeyed_digest(entry)
            session.flush()
            prev = entry.row_hash
        session.commit()
    rows = school_rows(app)[1]
    broken(app, runner, org_id, f"запись № {rows[-1]}: предыдущая запись удалена или изменена")


def test_seal_keys_the_head_of_an_old_chain_so_recomputing_it_is_found(demo, app, runner):
    org_id, ids = school_rows(app)
    make_pre_0008_chain(app, org_id)
    cli = runner.invoke(args=["audit", "seal", "--org", str(org_id)])
    assert cli.exit_code == 0, cli.output
    with app.app_context():
        key_id = keys.current().key_id
    assert f"Организация {org_id}: заголовок журнала заверен ключом {key_id}, записей: " \
           f"{len(ids)}." in cli.output
    assert head_row(app, org_id)["mac"]
    lift_triggers(app)
    edit_row(app, ids[7])
    forge_chain(app, org_id, audit._unkeyed_digest)  # plain links, head values fixed
    broken(app, runner, org_id, "заголовок журнала подделан")


def test_seal_refuses_a_broken_chain(demo, app, runner):
    org_id, ids = school_rows(app)
    lift_triggers(app)
    edit_row(app, ids[2])
    saved = head_row(app, org_id)
    cli = runner.invoke(args=["audit", "seal", "--org", str(org_id)])
    assert cli.exit_code == 1
    assert f"Организация {org_id}: НЕ заверен — запись № {ids[2]}: содержимое изменено" \
        in cli.output
    assert head_row(app, org_id) == saved
