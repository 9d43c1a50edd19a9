"""mentoring domain: bank, groups, programs, erasures"""
import sqlalchemy as sa
from alembic import op

from storage.migrations.schema_ops import (
    add_columns, create_table, drop_columns, key, moment, organization, reference)

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    create_table(
        "bank_entries", key(), organization(), reference("person_id", "people"),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=300), nullable=False),
        sa.Column("competences", sa.Text(), nullable=False),
        moment("added_at"),
        moment("withdrawn_at", nullable=True),
        unique=[["organization_id", "person_id", "role"]],
    )
    create_table(
        "erasures", key(), organization(), reference("person_id", "people"),
        sa.Column("withdrawn_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        moment("erased_at", nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
    )
    create_table(
        "mentoring_groups", key(), organization(), reference("mentor_id", "people"),
        sa.Column("form", sa.String(length=300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("pay", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        reference("order_id", "documents", nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
    )
    create_table(
        "group_members", key(),
        reference("group_id", "mentoring_groups", ondelete="CASCADE"),
        reference("mentee_id", "people"),
        unique=[["group_id", "mentee_id"]],
    )
    create_table(
        "programs", key(), organization(), reference("group_id", "mentoring_groups"),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("expected_results", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        reference("document_id", "documents", nullable=True),
        sa.Column("extended_times", sa.Integer(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_ground", sa.Text(), nullable=False),
        moment("results_published_at", nullable=True),
    )
    add_columns(
        "people",
        sa.Column("is_deputy_head", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("pd_withdrawn_on", sa.Date(), nullable=True),
        moment("erased_at", nullable=True),
    )


def downgrade() -> None:
    drop_columns("people", "erased_at", "pd_withdrawn_on", "is_deputy_head")
    for table in ("programs", "group_members", "mentoring_groups", "erasures", "bank_entries"):
        op.drop_table(table)
