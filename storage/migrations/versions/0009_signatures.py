"""signatures by every party, acceptances of the regulation on simple electronic
signatures, acknowledgments, the organization's seal certificates (issue 9)

Signatures made before this revision (the head's, recorded on the document) get one row
each, part «head», method «simple»: the keyed id and the content hash they were made with.
"""
import sqlalchemy as sa
from alembic import op

from storage.migrations.schema_ops import create_table, key, moment, organization, reference

revision = "0009"
down_revision = "0008"

HASH = sa.String(length=64)


def upgrade() -> None:
    create_table(
        "esign_acceptances", key(), organization(),
        reference("user_id", "users", index=True),
        moment("accepted_at"),
        sa.Column("text_version", sa.String(length=40), nullable=False),
        sa.Column("text_sha256", HASH, nullable=False),
        moment("withdrawn_at", nullable=True),
    )
    create_table(
        "seal_certificates", key(), organization(),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("serial", sa.String(length=100), nullable=False),
        moment("not_before"),
        moment("not_after"),
        sa.Column("fingerprint", HASH, nullable=False),
        sa.Column("pkcs12_sha256", HASH, nullable=False),
        sa.Column("chain_pem", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        reference("created_by_id", "users", nullable=True),
        moment("created_at"),
    )
    create_table(
        "acknowledgments", key(), organization(),
        reference("document_id", "documents", index=True),
        reference("person_id", "people", index=True),
        moment("opened_at", nullable=True),
        moment("acknowledged_at", nullable=True),
        sa.Column("method", sa.String(length=20), nullable=True),
        reference("user_id", "users", nullable=True),
        reference("file_id", "stored_files", nullable=True),
        unique=[["document_id", "person_id"]],
    )
    create_table(
        "signatures", key(), organization(),
        reference("document_id", "documents", index=True),
        sa.Column("party", sa.String(length=60), nullable=False),
        sa.Column("part", sa.String(length=30), nullable=False),
        reference("person_id", "people", nullable=True),
        reference("user_id", "users", nullable=True),
        sa.Column("signer_name", sa.String(length=300), nullable=False),
        sa.Column("signer_position", sa.String(length=300), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        moment("signed_at"),
        sa.Column("sha256", HASH, nullable=False),
        sa.Column("signature_id", HASH, nullable=True),
        sa.Column("key_id", sa.String(length=16), nullable=True),
        reference("file_id", "stored_files", nullable=True),
        sa.Column("certificate", sa.JSON(), nullable=True),
        unique=[["document_id", "party"]],
    )
    # the head's signatures recorded on the documents before this revision
    op.execute(
        "INSERT INTO signatures (organization_id, document_id, party, part, person_id, "
        "user_id, signer_name, signer_position, method, signed_at, sha256, signature_id, "
        "key_id) "
        "SELECT d.organization_id, d.id, 'head', 'head', u.person_id, u.id, "
        "TRIM(u.last_name || ' ' || u.first_name || ' ' || u.middle_name), u.position, "
        "'simple', d.signed_at, d.content_hash, d.signature_id, d.signature_key_id "
        "FROM documents d JOIN users u ON u.id = d.signed_by_id "
        "WHERE d.signed_at IS NOT NULL AND d.content_hash IS NOT NULL")


def downgrade() -> None:
    for table in ("signatures", "acknowledgments", "seal_certificates", "esign_acceptances"):
        op.drop_table(table)
