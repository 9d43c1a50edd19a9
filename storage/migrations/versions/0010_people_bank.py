"""the card of a pedagogue in the bank of mentors and mentees (issue 10): hire date, years
of pedagogical service, achievements (§5.2.1), categories of mentees (§5.2.3), archiving

People already on file get empty lists and no dates: nothing is guessed for them.
"""
import sqlalchemy as sa
from alembic import op

from storage.migrations.schema_ops import moment

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    with op.batch_alter_table("people") as batch_op:
        batch_op.add_column(sa.Column("hire_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("service_years", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("achievements", sa.JSON(), nullable=False,
                                      server_default="[]"))
        batch_op.add_column(sa.Column("mentee_categories", sa.JSON(), nullable=False,
                                      server_default="[]"))
        batch_op.add_column(moment("archived_at", nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_column("archived_at")
        batch_op.drop_column("mentee_categories")
        batch_op.drop_column("achievements")
        batch_op.drop_column("service_years")
        batch_op.drop_column("hire_date")
