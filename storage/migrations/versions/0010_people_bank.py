"""the card of a pedagogue in the bank of mentors and mentees (issue 10): hire date, years
of pedagogical service, achievements (§5.2.1), categories of mentees (§5.2.3), archiving;
a login's password given by someone else, to be changed by its user

People already on file get empty lists and no dates: nothing is guessed for them; logins
already made keep their passwords.
"""
import sqlalchemy as sa

from storage.migrations.schema_ops import add_columns, drop_columns, moment

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    add_columns(
        "people",
        sa.Column("hire_date", sa.Date(), nullable=True),
        sa.Column("service_years", sa.Integer(), nullable=True),
        sa.Column("achievements", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("mentee_categories", sa.JSON(), nullable=False, server_default="[]"),
        moment("archived_at", nullable=True),
    )
    add_columns("users", sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    drop_columns("users", "must_change_password")
    drop_columns("people", "archived_at", "mentee_categories", "achievements", "service_years",
                 "hire_date")
