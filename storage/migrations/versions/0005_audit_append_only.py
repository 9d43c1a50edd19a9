"""The audit log is append-only in the database itself (triggers refuse UPDATE/DELETE).

Revision ID: 0005
Revises: 0004
"""
from alembic import op

from storage.append_only import down_statements, up_statements

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in up_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in down_statements(op.get_bind().dialect.name):
        op.execute(statement)
