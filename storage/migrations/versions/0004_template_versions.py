"""uploaded template versions; the version a document was rendered from"""
import sqlalchemy as sa
from alembic import op

from storage.migrations.schema_ops import create_table, key, moment, organization, reference

revision = "0004"
down_revision = "0003"

DOCUMENTS_TEMPLATE = "fk_documents_template_version_id_template_versions"


def upgrade() -> None:
    create_table(
        "template_versions", key(), organization(),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        reference("uploaded_by_id", "users", nullable=True),
        moment("uploaded_at"),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        unique=[["organization_id", "kind", "version"]],
    )
    with op.batch_alter_table("documents") as batch_op:
        batch_op.add_column(sa.Column("template_version_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(DOCUMENTS_TEMPLATE, "template_versions",
                                    ["template_version_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch_op:
        batch_op.drop_constraint(DOCUMENTS_TEMPLATE, type_="foreignkey")
        batch_op.drop_column("template_version_id")
    op.drop_table("template_versions")
