"""Storage: migrations match the models, blobs are content-addressed and checked,
signatures bind the content."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, select

from signatures import simple
from storage.blobs import BlobStore
from storage.db import db_session
from storage.models import Base, Document
from workflows.errors import NotFound


def test_migrations_build_exactly_the_models(database_url):
    engine = create_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == [], diff


def test_blob_store_is_content_addressed_and_idempotent(tmp_path):
    store = BlobStore(tmp_path)
    sha = store.put(b"signed copy")
    assert store.put(b"signed copy") == sha
    assert store.get(sha) == b"signed copy"
    path = store.path(sha)
    assert path.name == sha and path.parent.name == sha[2:4]
    assert not os.access(path, os.W_OK) or os.geteuid() == 0  # read-only (root ignores it)
    assert [p.name for p in path.parent.iterdir()] == [sha]  # no temp files left


def test_blob_store_detects_a_changed_file_and_refuses_odd_names(tmp_path):
    store = BlobStore(tmp_path)
    sha = store.put(b"original")
    os.chmod(store.path(sha), 0o644)
    store.path(sha).write_bytes(b"tampered")
    with pytest.raises(NotFound, match="повреждён"):
        store.get(sha)
    for name in ("../../etc/passwd", "x" * 64, ""):
        with pytest.raises(NotFound):
            store.get(name)


def test_simple_signature_binds_content_signer_and_time(app):
    with app.app_context():
        doc = db_session().scalars(select(Document).where(Document.state == "signed")).first()
        assert simple.verify(doc)
        doc.data = {**doc.data, "duties": "подменённый текст"}
        assert not simple.verify(doc)
        db_session().rollback()
