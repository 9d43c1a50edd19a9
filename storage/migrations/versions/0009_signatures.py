"""signatures by every party, acceptances of the regulation on simple electronic
signatures, acknowledgments, the organization's seal certificates (issue 9)

Signatures made before this revision (the head's, recorded on the document) get one row
each, part «head», method «simple»: the keyed id and the content hash they were made with.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('esign_acceptances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text_version', sa.String(length=40), nullable=False),
    sa.Column('text_sha256', sa.String(length=64), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_esign_acceptances_organization_id_organizations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_esign_acceptances_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_esign_acceptances'))
    )
    with op.batch_alter_table('esign_acceptances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_esign_acceptances_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_esign_acceptances_user_id'), ['user_id'], unique=False)

    op.create_table('seal_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=False),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=False),
    sa.Column('not_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('pkcs12_sha256', sa.String(length=64), nullable=False),
    sa.Column('chain_pem', sa.Text(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_seal_certificates_created_by_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_seal_certificates_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seal_certificates'))
    )
    with op.batch_alter_table('seal_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seal_certificates_organization_id'), ['organization_id'], unique=False)

    op.create_table('acknowledgments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('method', sa.String(length=20), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_acknowledgments_document_id_documents')),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_acknowledgments_file_id_stored_files')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_acknowledgments_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_acknowledgments_person_id_people')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_acknowledgments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acknowledgments')),
    sa.UniqueConstraint('document_id', 'person_id', name=op.f('uq_acknowledgments_document_id_person_id'))
    )
    with op.batch_alter_table('acknowledgments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acknowledgments_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_acknowledgments_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_acknowledgments_person_id'), ['person_id'], unique=False)

    op.create_table('signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=60), nullable=False),
    sa.Column('part', sa.String(length=30), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('signer_name', sa.String(length=300), nullable=False),
    sa.Column('signer_position', sa.String(length=300), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('signature_id', sa.String(length=64), nullable=True),
    sa.Column('key_id', sa.String(length=16), nullable=True),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('certificate', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_signatures_document_id_documents')),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_signatures_file_id_stored_files')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_signatures_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_signatures_person_id_people')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_signatures_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatures')),
    sa.UniqueConstraint('document_id', 'party', name=op.f('uq_signatures_document_id_party'))
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signatures_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signatures_organization_id'), ['organization_id'], unique=False)
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
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatures_organization_id'))
        batch_op.drop_index(batch_op.f('ix_signatures_document_id'))

    op.drop_table('signatures')
    with op.batch_alter_table('acknowledgments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acknowledgments_person_id'))
        batch_op.drop_index(batch_op.f('ix_acknowledgments_organization_id'))
        batch_op.drop_index(batch_op.f('ix_acknowledgments_document_id'))

    op.drop_table('acknowledgments')
    with op.batch_alter_table('seal_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seal_certificates_organization_id'))

    op.drop_table('seal_certificates')
    with op.batch_alter_table('esign_acceptances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esign_acceptances_user_id'))
        batch_op.drop_index(batch_op.f('ix_esign_acceptances_organization_id'))

    op.drop_table('esign_acceptances')
