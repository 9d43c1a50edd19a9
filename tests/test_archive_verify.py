"""``flask archive verify`` rereads the whole store and names every damaged or missing file
with the document it belongs to."""

from __future__ import annotations

import os

from sqlalchemy import select

from storage import blobs as blobs_module
from storage.blobs import BlobStore, blobs
from storage.db import db_session
from storage.models import Document, Organization, StoredFile


def signed_docx(app) -> tuple[str, str, str]:
    """(sha256, file name, the document as the command names it) of a signed DOCX."""
    with app.app_context():
        stored, doc = db_session().execute(
            select(StoredFile, Document).join(Document, StoredFile.document_id == Document.id)
            .where(StoredFile.role == "signed_docx").order_by(StoredFile.id)).first()
        named = (f"документ «Согласие педагога на назначение наставником» № {doc.number} "
                 f"«{doc.title}» (id {doc.id}), организация «МОУ СШ № 5»")
        return stored.sha256, stored.filename, named


def blob_path(app, sha256: str):
    with app.app_context():
        path = blobs().path(sha256)
    os.chmod(path, 0o644)  # blobs are read-only; the tamperer does not care
    return path


def verify_finds(runner, line: str, counts: str) -> str:
    """``flask archive verify`` fails naming ``line`` and the ``counts``: its output."""
    result = runner.invoke(args=["archive", "verify"])
    assert result.exit_code == 1, result.output
    assert line in result.output
    assert counts in result.output
    return result.output


def test_an_intact_store_passes(demo, app, runner):
    with app.app_context():
        files = db_session().scalars(select(StoredFile)).all()
        size = sum(f.size for f in files)
    assert len(files) >= 2
    result = runner.invoke(args=["archive", "verify"])
    assert result.exit_code == 0, result.output
    size_text = f"{size:,}".replace(",", " ")
    assert (f"Проверено файлов: {len(files)} (различных прочитано: {len(files)}), прочитано "
            f"{size_text} байт") in result.output
    assert "повреждено: 0, отсутствует: 0." in result.output
    assert "Архив цел." in result.output


def test_one_flipped_bit_in_a_signed_docx_is_found_and_named_with_its_document(demo, app, runner):
    sha, filename, named = signed_docx(app)
    path = blob_path(app, sha)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    output = verify_finds(runner, (f"ПОВРЕЖДЁН файл «{filename}» (подписанная копия DOCX, "
                                   f"SHA-256 {sha[:16]}…) — {named}: содержимое не совпадает "
                                   f"с SHA-256."), "повреждено: 1, отсутствует: 0.")
    assert "Архив НАРУШЕН: восстановите эти файлы из резервной копии." in output


def test_a_missing_file_is_found_and_named(demo, app, runner):
    sha, filename, named = signed_docx(app)
    blob_path(app, sha).unlink()
    verify_finds(runner, (f"ОТСУТСТВУЕТ файл «{filename}» (подписанная копия DOCX, "
                          f"SHA-256 {sha[:16]}…) — {named}: файла нет в хранилище или он не "
                          f"читается."), "повреждено: 0, отсутствует: 1.")


def test_only_the_organization_asked_for_is_checked(demo, app, runner):
    sha, _, _ = signed_docx(app)
    blob_path(app, sha).unlink()  # a file of school 5; the lyceum has none
    with app.app_context():
        lyceum = db_session().scalars(select(Organization.id).where(
            Organization.short_name == "МОУ Лицей № 12")).one()
    result = runner.invoke(args=["archive", "verify", "--org", str(lyceum)])
    assert result.exit_code == 0, result.output
    assert "Проверено файлов: 0 (различных прочитано: 0), прочитано 0 байт" in result.output


def test_files_are_hashed_in_chunks_never_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(blobs_module, "CHUNK", 4096)
    store = BlobStore(tmp_path)
    data = os.urandom(10 * 4096 + 17)
    sha = store.put(data)
    reads: list[int] = []
    real_open = type(store.path(sha)).open

    def recording_open(self, *args, **kwargs):
        f = real_open(self, *args, **kwargs)
        real_read = f.read

        def read(n=-1):
            reads.append(n)
            return real_read(n)

        f.read = read
        return f

    monkeypatch.setattr(type(store.path(sha)), "open", recording_open)
    assert store.digest(sha) == (sha, len(data))
    assert reads and set(reads) == {4096}
    assert store.intact(sha)
