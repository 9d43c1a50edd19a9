"""server-side login sessions: logging out, a new password or deactivation ends them"""
import sqlalchemy as sa
from alembic import op

from storage.migrations.schema_ops import create_table, key, moment, reference

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    create_table(
        "user_sessions", key(),
        reference("user_id", "users", ondelete="CASCADE", index=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        moment("created_at"),
        moment("last_seen_at"),
        moment("ended_at", nullable=True),
        unique=[["token_hash"]],
    )


def downgrade() -> None:
    op.drop_table("user_sessions")
