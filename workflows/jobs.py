"""Background jobs: plain functions that take ids, open the app context, are idempotent.

With ``REDIS_URL`` set they go to the RQ queue ``nastavnik`` (run ``rq worker nastavnik``);
without it they run in-process at once, so the default set-up needs no server.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_app_context

from workflows.errors import NastavnikError

log = logging.getLogger(__name__)
QUEUE = "nastavnik"


@contextmanager
def _app_context() -> Iterator[None]:
    if has_app_context():
        yield
        return
    from webforms import create_app

    with create_app().app_context():
        yield


def convert_signed_to_pdf(document_id: int, actor_id: int | None = None) -> str | None:
    """Make the PDF/A-2b copy of a signed document's DOCX; return its SHA-256.

    The audit row names ``actor_id``, the user on whose behalf the copy is made (the
    signer, whoever asked again, the starter of a batch); «система» only without one.

    Idempotent: a document that already has its PDF is left alone. If LibreOffice fails,
    ConversionFailed propagates (RQ retries it; the DOCX stays the signed copy meanwhile).
    """
    with _app_context():
        from sqlalchemy import select

        from doc_templates import pdf
        from storage.archive import file_document
        from storage.blobs import blobs
        from storage.db import new_session
        from storage.models import Document, StoredFile, User
        from workflows import audit

        with new_session() as session:
            doc = session.get(Document, document_id)
            if doc is None or doc.state != "signed":
                return None
            by_role = {f.role: f for f in session.scalars(
                select(StoredFile).where(StoredFile.document_id == doc.id))}
            if "signed_pdf" in by_role:
                return by_role["signed_pdf"].sha256
            if "signed_docx" not in by_role or not current_app.config["PDF_ENABLED"]:
                return None
            pdf_bytes = pdf.convert(blobs().get(by_role["signed_docx"].sha256), pdfa=True)
            stored = file_document(session, doc, pdf_bytes, role="signed_pdf", ext="pdf")
            audit.append(session, organization_id=doc.organization_id, document_id=doc.id,
                         actor=session.get(User, actor_id) if actor_id else None,
                         action="pdf", from_state=doc.state, to_state=doc.state,
                         comment="PDF/A-2b", content_hash=doc.content_hash or "")
            session.commit()
            return stored.sha256


def render_batch(batch_id: str) -> str | None:
    """Render every document of a batch into one ZIP (PDF or DOCX); return its SHA-256.

    Progress is written to the batch record after each document (see ``workflows.batches``).
    A signed document contributes its archived copy (making its PDF/A first if needed); any
    other the current draft, marked ПРОЕКТ. A document that cannot be rendered or converted
    is reported in the batch's problems (a failed PDF falls back to the DOCX) and the batch
    goes on. Idempotent: a finished batch returns its result at once.
    """
    with _app_context():
        from workflows import batches

        record = batches.get(batch_id)
        if record is None:
            return None
        if record["state"] == "finished":
            return record["result"]
        batches.update(batch_id, state="started", done=0, problems=[])
        try:
            sha = _render_batch(batch_id, record)
        except Exception as error:
            batches.update(batch_id, state="failed", problems=[*batches.get(batch_id).get(
                "problems", []), f"Пакет не сформирован: {getattr(error, 'message', error)}"])
            raise
        batches.update(batch_id, state="finished", result=sha)
        return sha


def _render_batch(batch_id: str, record: dict) -> str:
    import io
    import zipfile

    from storage.archive import file_name
    from storage.blobs import blobs
    from storage.db import new_session
    from storage.models import Document
    from workflows import batches
    from workflows.errors import NastavnikError

    asked_pdf = record["format"] == "pdf"
    want_pdf = asked_pdf and current_app.config["PDF_ENABLED"]
    out = io.BytesIO()
    names: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, new_session() as session:
        for doc_id in record["document_ids"]:
            doc = session.get(Document, doc_id)
            problem = None
            if doc is None or doc.organization_id != record["organization_id"]:
                batches.advance(batch_id, f"Документ {doc_id} не найден.")
                continue
            try:
                data, ext = _batch_file(session, doc, want_pdf, record.get("user_id"))
            except NastavnikError as error:
                batches.advance(batch_id, f"{doc.title}: {error.message}")
                continue
            if asked_pdf and ext != "pdf":
                problem = f"{doc.title}: PDF не получен, в пакет вложен DOCX."
            name = file_name(doc, ext)
            if name in names:
                name = name.replace(f".{ext}", f" (id {doc.id}).{ext}")
            names.add(name)
            archive.writestr(name, data)
            session.rollback()  # nothing of a draft's render is kept
            batches.advance(batch_id, problem)
    return blobs().put(out.getvalue())


def _batch_file(session, doc, want_pdf: bool, actor_id: int | None = None) -> tuple[bytes, str]:
    """(bytes, extension) of one document for a batch started by ``actor_id``."""
    from doc_templates import pdf
    from doc_templates.render import render_document
    from storage.archive import files_of
    from storage.blobs import blobs
    from workflows.errors import ConversionFailed

    if doc.state == "signed":
        if want_pdf:
            doc_id = doc.id
            session.rollback()  # its own session files the PDF; SQLite has one writer
            try:
                convert_signed_to_pdf(doc_id, actor_id)
            except ConversionFailed:
                log.warning("batch: PDF of signed document %s failed, adding the DOCX", doc.id)
            session.expire_all()
        by_role = {f.role: f for f in files_of(session, doc)}
        stored = (by_role.get("signed_pdf") if want_pdf else None) or by_role.get("signed_docx")
        if stored is not None:
            return blobs().get(stored.sha256), stored.filename.rsplit(".", 1)[-1]
    docx = render_document(session, doc, final=False)
    if want_pdf:
        try:
            return pdf.convert(docx, pdfa=False), "pdf"
        except ConversionFailed:
            log.warning("batch: PDF of document %s failed, adding the DOCX", doc.id)
    return docx, "docx"


JOBS = {"convert_signed_to_pdf": convert_signed_to_pdf, "render_batch": render_batch}
TIMEOUTS = {"render_batch": 3600}  # seconds on RQ; other jobs get 300


def enqueue(name: str, *args) -> str | None:
    """Run job ``name`` on RQ if configured, otherwise now, in this process.

    Returns None when the job was queued or succeeded, or a Russian message saying why an
    in-process run failed (the caller shows it; the job can be run again).
    """
    func = JOBS[name]
    url = current_app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from rq import Queue, Retry

        Queue(QUEUE, connection=Redis.from_url(url)).enqueue(
            func, *args, retry=Retry(max=3, interval=[5, 30, 120]),
            job_timeout=TIMEOUTS.get(name, 300))
        return None
    _end_callers_transaction()
    try:
        func(*args)
    except NastavnikError as exc:  # e.g. ConversionFailed: the signed DOCX is kept
        log.warning("in-process job %s%r failed: %s", name, args, exc.message)
        return exc.message
    except Exception:
        log.exception("in-process job %s%r failed", name, args)
        return "Фоновая задача не выполнена из-за внутренней ошибки; повторите позже."
    return None


def _end_callers_transaction() -> None:
    """An in-process job runs after its caller's work: end the caller's transaction so
    the job's own session can write (SQLite has one writer at a time)."""
    from flask import g

    session = g.get("db_session")
    if session is not None and session.in_transaction():
        session.commit()


def init_app(app: Flask) -> None:
    app.extensions["jobs"] = JOBS
