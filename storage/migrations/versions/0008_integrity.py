"""Integrity key ids: audit rows, audit heads and signatures record the key they were made
under, and the head carries its own MAC (see storage/keys.py, workflows/audit.py).

Rows and signatures made before this revision keep ``key_id`` NULL: they are checked with
the plain SHA-256 they were made with and reported as «без ключа».
"""
import sqlalchemy as sa
from alembic import op

from storage.append_only import down_statements, up_statements
from storage.migrations.schema_ops import add_columns, drop_columns

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    # adding a nullable column needs no table copy, so the append-only triggers stay
    add_columns("audit_entries", sa.Column("key_id", sa.String(length=16), nullable=True))
    add_columns("audit_heads", sa.Column("key_id", sa.String(length=16), nullable=True),
                sa.Column("mac", sa.String(length=64), nullable=True))
    add_columns("documents", sa.Column("signature_key_id", sa.String(length=16), nullable=True))


def downgrade() -> None:
    drop_columns("documents", "signature_key_id")
    drop_columns("audit_heads", "mac", "key_id")
    drop_columns("audit_entries", "key_id")
    # dropping a column copies the table on SQLite, losing its triggers: put them back
    dialect = op.get_bind().dialect.name
    for statement in down_statements(dialect) + up_statements(dialect):
        op.execute(statement)
