"""external mentors and the curator role by order (issue 12 point 1)

Reserved: empty until that work lands.
"""

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
