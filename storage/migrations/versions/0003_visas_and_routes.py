"""visas and routes: the approval route of each kind, the visas given on a document"""
import sqlalchemy as sa
from alembic import op

from storage.migrations.schema_ops import (
    add_columns, create_table, drop_columns, key, moment, organization, reference)

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    create_table(
        "route_settings", organization(index=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        primary_key=["organization_id", "kind"],
    )
    create_table(
        "visas", key(), reference("document_id", "documents", index=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=False),
        reference("person_id", "people", nullable=True),
        reference("user_id", "users"),
        sa.Column("signer_name", sa.String(length=300), nullable=False),
        sa.Column("signer_position", sa.String(length=300), nullable=False),
        moment("at"),
    )
    add_columns("documents",
                sa.Column("approval_round", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    drop_columns("documents", "approval_round")
    op.drop_table("visas")
    op.drop_table("route_settings")
