"""initial schema: organizations, their people and users, documents, the audit log, files"""
import sqlalchemy as sa
from alembic import op

from storage.migrations.schema_ops import create_table, key, moment, organization, reference

revision = "0001"
down_revision = None

NAME = sa.String(length=100)
AUDIT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    create_table(
        "organizations", key(),
        sa.Column("full_name", sa.String(length=500), nullable=False),
        sa.Column("short_name", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("inn", sa.String(length=12), nullable=False),
        sa.Column("ogrn", sa.String(length=15), nullable=False),
        sa.Column("head_position", sa.String(length=200), nullable=False),
        sa.Column("head_position_dative", sa.String(length=200), nullable=False),
        sa.Column("head_last_name", NAME, nullable=False),
        sa.Column("head_first_name", NAME, nullable=False),
        sa.Column("head_middle_name", NAME, nullable=False),
        moment("created_at"),
    )
    create_table(
        "audit_heads", organization(index=False),
        sa.Column("last_id", AUDIT_ID, nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        primary_key=["organization_id"],
    )
    create_table(
        "journal_counters", organization(index=False),
        sa.Column("journal", sa.String(length=50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        primary_key=["organization_id", "journal", "year"],
    )
    create_table(
        "people", key(), organization(),
        sa.Column("last_name", NAME, nullable=False),
        sa.Column("first_name", NAME, nullable=False),
        sa.Column("middle_name", NAME, nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        moment("created_at"),
    )
    create_table(
        "users", key(),
        sa.Column("login", NAME, nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("last_name", NAME, nullable=False),
        sa.Column("first_name", NAME, nullable=False),
        sa.Column("middle_name", NAME, nullable=False),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        reference("person_id", "people", nullable=True),
        moment("created_at"),
        unique=[["login"]],
    )
    create_table(
        "documents", key(), organization(),
        sa.Column("kind", sa.String(length=50), nullable=False, index=True),
        sa.Column("state", sa.String(length=20), nullable=False, index=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        reference("person_id", "people", nullable=True),
        reference("author_id", "users"),
        sa.Column("journal", sa.String(length=50), nullable=True),
        sa.Column("reg_year", sa.Integer(), nullable=True),
        sa.Column("reg_seq", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=50), nullable=True),
        sa.Column("doc_date", sa.Date(), nullable=True),
        moment("signed_at", nullable=True),
        reference("signed_by_id", "users", nullable=True),
        sa.Column("signature_id", sa.String(length=64), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        reference("supersedes_id", "documents", nullable=True),
        sa.Column("last_comment", sa.Text(), nullable=False),
        moment("created_at"),
        moment("updated_at"),
        unique=[["organization_id", "journal", "reg_year", "reg_seq"]],
    )
    create_table(
        "memberships", key(),
        reference("user_id", "users", ondelete="CASCADE"),
        organization(index=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        unique=[["user_id", "organization_id", "role"]],
    )
    create_table(
        "audit_entries",
        sa.Column("id", AUDIT_ID, nullable=False),
        organization(),
        reference("document_id", "documents", nullable=True, index=True),
        reference("actor_id", "users", nullable=True),
        sa.Column("actor_name", sa.String(length=300), nullable=False),
        moment("at"),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        unique=[["row_hash"]],
    )
    create_table(
        "stored_files", key(), organization(),
        reference("document_id", "documents", index=True),
        sa.Column("sha256", sa.String(length=64), nullable=False, index=True),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        moment("created_at"),
    )


def downgrade() -> None:
    for table in ("stored_files", "audit_entries", "memberships", "documents", "users",
                  "people", "journal_counters", "audit_heads", "organizations"):
        op.drop_table(table)
