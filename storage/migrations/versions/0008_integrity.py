"""Integrity key ids: audit rows, audit heads and signatures record the key they were made
under, and the head carries its own MAC (see storage/keys.py, workflows/audit.py).

Rows and signatures made before this revision keep ``key_id`` NULL: they are checked with
the plain SHA-256 they were made with and reported as «без ключа».
"""
import sqlalchemy as sa
from alembic import op

from storage.append_only import down_statements, up_statements

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    # adding a nullable column needs no table copy, so the append-only triggers stay
    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
    with op.batch_alter_table("audit_heads") as batch:
        batch.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("mac", sa.String(length=64), nullable=True))
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("signature_key_id", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("signature_key_id")
    with op.batch_alter_table("audit_heads") as batch:
        batch.drop_column("mac")
        batch.drop_column("key_id")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("key_id")
    # dropping a column copies the table on SQLite, losing its triggers: put them back
    dialect = op.get_bind().dialect.name
    for statement in down_statements(dialect) + up_statements(dialect):
        op.execute(statement)
