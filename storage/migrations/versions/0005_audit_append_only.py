"""The audit log is append-only in the database itself (triggers refuse UPDATE/DELETE)."""
from alembic import op

from storage.append_only import down_statements, up_statements

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    for statement in up_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in down_statements(op.get_bind().dialect.name):
        op.execute(statement)
