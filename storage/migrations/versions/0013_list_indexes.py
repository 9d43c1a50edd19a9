"""indexes for the paginated lists at a region's scale (issue 13 point 1)

Reserved: empty until that work lands.
"""

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
