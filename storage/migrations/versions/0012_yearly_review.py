"""the yearly review of who needs a mentor (issue 12 point 6), and what the regulation's ends and changes keep (issue 12 points 3–5)

Reserved: empty until that work lands.
"""

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
