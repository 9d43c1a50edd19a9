"""Storage: migrations match the models, blobs are content-addressed and checked,
signatures bind the content."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, select

from signatures import simple
from storage import keys
from storage.blobs import BlobStore
from storage.db import db_session
from storage.models import Base, Document
from tests.helpers.http import login_as
from workflows.documents import content_hash
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


def test_simple_signature_binds_content_signer_and_time(demo, app):
    with app.app_context():
        doc = db_session().scalars(select(Document).where(Document.state == "signed")).first()
        assert simple.verify(doc)
        doc.data = {**doc.data, "duties": "подменённый текст"}
        assert not simple.verify(doc)
        db_session().rollback()


def first_signed(app) -> int:
    with app.app_context():
        return db_session().scalars(select(Document.id).where(Document.state == "signed")
                                    .order_by(Document.id)).first()


def forge_signature(app, doc_id: int, make_id, *, key_id="keep") -> None:
    """A tamperer with the database: change the content, recompute content_hash and the
    signature id with ``make_id`` (the algorithm as they know it), optionally the key id."""
    with app.app_context():
        session = db_session()
        doc = session.get(Document, doc_id)
        doc.data = {**doc.data, "duties": "подменённый текст"}
        doc.content_hash = content_hash(doc)
        signed_at = doc.signed_at.replace(tzinfo=UTC) if doc.signed_at.tzinfo is None \
            else doc.signed_at
        doc.signature_id = make_id(doc.id, doc.content_hash, doc.signed_by_id, signed_at)
        if key_id != "keep":
            doc.signature_key_id = key_id
        session.commit()


def signature_check(app, client, doc_id: int) -> tuple[simple.SignatureStatus, str]:
    with app.app_context():
        status = simple.status(db_session().get(Document, doc_id))
    login_as(client, "inspector")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    return status, re.search(r"<li>(. Электронная подпись[^<]*)</li>", page).group(1)


def plain_sha256_id(document_id, content_hash_, signer_id, signed_at) -> str:
    """The signature id as it was before the integrity key."""
    return hashlib.sha256(f"{document_id}:{content_hash_}:{signer_id}:{signed_at.isoformat()}"
                          .encode()).hexdigest()


def test_a_signature_is_keyed_and_names_its_key(demo, app, client):
    doc_id = first_signed(app)
    with app.app_context():
        doc = db_session().get(Document, doc_id)
        assert doc.signature_key_id == keys.current().key_id
        assert doc.signature_id != plain_sha256_id(doc.id, doc.content_hash, doc.signed_by_id,
                                                   doc.signed_at.replace(tzinfo=UTC))
        assert simple.verify(doc)
    status, line = signature_check(app, client, doc_id)
    assert status is simple.SignatureStatus.VALID
    assert line.startswith("✔ Электронная подпись соответствует содержанию")


def test_content_and_signature_recomputed_without_the_key_do_not_verify(demo, app, client):
    doc_id = first_signed(app)
    forge_signature(app, doc_id, plain_sha256_id)
    status, line = signature_check(app, client, doc_id)
    assert status is simple.SignatureStatus.INVALID
    assert line == "✘ Электронная подпись НЕ соответствует содержанию документа"


def test_content_and_signature_recomputed_with_a_guessed_key_do_not_verify(demo, app, client):
    doc_id = first_signed(app)
    guessed = keys.from_setting("угаданный ключ, тоже довольно длинный")
    forge_signature(app, doc_id, lambda *m: guessed.mac(keys.SIGNATURE, simple._message(*m)))
    status, line = signature_check(app, client, doc_id)
    assert status is simple.SignatureStatus.INVALID
    assert line.startswith("✘")


def test_a_forgery_passed_off_as_signed_before_the_key_is_not_confirmed(demo, app, client):
    """Clearing the key id makes the plain SHA-256 id match, as for signatures made before
    migration 0008 — which the page reports as unkeyed, never with a ✔."""
    doc_id = first_signed(app)
    forge_signature(app, doc_id, plain_sha256_id, key_id=None)
    with app.app_context():
        assert not simple.verify(db_session().get(Document, doc_id))
    status, line = signature_check(app, client, doc_id)
    assert status is simple.SignatureStatus.UNKEYED
    assert line.startswith("◐ Электронная подпись соответствует содержанию, но поставлена до "
                           "включения ключа целостности")


def test_a_signature_under_another_key_names_that_key(demo, app, client):
    doc_id = first_signed(app)
    with app.app_context():
        made_under = db_session().get(Document, doc_id).signature_key_id
    app.config["INTEGRITY_KEY"] = "другой ключ этого же сервиса, после ротации"
    status, line = signature_check(app, client, doc_id)
    assert status is simple.SignatureStatus.OTHER_KEY
    assert line == (f"? Электронная подпись поставлена с другим ключом целостности "
                    f"({made_under}): проверить её можно только с тем ключом")


def test_a_short_integrity_key_is_refused():
    with pytest.raises(ValueError, match="Ключ целостности .* слишком короткий"):
        keys.from_setting("12345")
    assert "секрет" not in repr(keys.from_setting("секрет" * 8))


def test_the_app_does_not_start_with_a_short_integrity_key(database_url, tmp_path):
    from webforms import create_app

    with pytest.raises(ValueError, match="нужно не меньше 32 символов"):
        create_app({"TESTING": True, "DATABASE_URL": database_url, "INTEGRITY_KEY": "коротко",
                    "STORAGE_DIR": str(tmp_path / "files"), "SECRET_KEY": "test-secret"})
