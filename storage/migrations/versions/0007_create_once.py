"""create once: the one-time token of the form (or Idempotency-Key) that created a document

A second submit of the same create form carries the same token; the unique constraint
per organization makes it find the document already made instead of creating another.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("create_token", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_documents_organization_id_create_token"),
            ["organization_id", "create_token"])


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_documents_organization_id_create_token"),
                                 type_="unique")
        batch_op.drop_column("create_token")
