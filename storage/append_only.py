"""Database triggers that make the audit log append-only: an UPDATE or DELETE of a row of
``audit_entries`` is refused by the database itself, whatever code asks for it. Someone
who can drop the triggers (a database superuser, or anyone with the SQLite file) can still
tamper. ``flask audit verify`` then finds it because the chain is keyed with the integrity
key, which is not in the database (workflows/audit.py): an altered row, a chain recomputed
without the key, a cut-off tail with the head fixed, and — through the checkpoint file
outside the database (storage/checkpoints.py) — an older genuine head put back. It cannot
find a rollback if the checkpoint file is lost too, nor anything done by someone who holds
the key."""

from __future__ import annotations

MESSAGE = "audit_entries is append-only"

POSTGRESQL_UP = (
    f"""CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()""",
)
POSTGRESQL_DOWN = (
    "DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries",
    "DROP FUNCTION IF EXISTS audit_entries_append_only()",
)
SQLITE_UP = tuple(
    f"""CREATE TRIGGER audit_entries_no_{verb.lower()} BEFORE {verb} ON audit_entries
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for verb in ("UPDATE", "DELETE")
)
SQLITE_DOWN = tuple(f"DROP TRIGGER IF EXISTS audit_entries_no_{verb}"
                    for verb in ("update", "delete"))


def up_statements(dialect: str) -> tuple[str, ...]:
    return POSTGRESQL_UP if dialect == "postgresql" else SQLITE_UP


def down_statements(dialect: str) -> tuple[str, ...]:
    return POSTGRESQL_DOWN if dialect == "postgresql" else SQLITE_DOWN
