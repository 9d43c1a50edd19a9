"""Background jobs: plain functions that take ids, open the app context, are idempotent.

With ``REDIS_URL`` set they go to the RQ queue ``nastavnik`` (run ``rq worker nastavnik``);
without it they run in-process at once, so the default set-up needs no server.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_app_context

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


def convert_signed_to_pdf(document_id: int) -> str | None:
    """Make the PDF/A-2b copy of a signed document's DOCX; return its SHA-256.

    Idempotent: a document that already has its PDF is left alone. If LibreOffice fails,
    ConversionFailed propagates (RQ retries it; the DOCX stays the signed copy meanwhile).
    """
    with _app_context():
        from sqlalchemy import select

        from doc_templates import pdf
        from storage.archive import file_document
        from storage.blobs import blobs
        from storage.db import new_session
        from storage.models import Document, StoredFile
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
                         actor=None, action="pdf", from_state=doc.state, to_state=doc.state,
                         comment="PDF/A-2b", content_hash=doc.content_hash or "")
            session.commit()
            return stored.sha256


JOBS = {"convert_signed_to_pdf": convert_signed_to_pdf}


def enqueue(name: str, *args) -> None:
    """Run job ``name`` on RQ if configured, otherwise now, in this process."""
    func = JOBS[name]
    url = current_app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from rq import Queue, Retry

        Queue(QUEUE, connection=Redis.from_url(url)).enqueue(
            func, *args, retry=Retry(max=3, interval=[5, 30, 120]), job_timeout=300)
        return
    try:
        func(*args)
    except Exception:  # the signed DOCX is kept; the page offers to retry the PDF
        log.exception("in-process job %s%r failed", name, args)


def init_app(app: Flask) -> None:
    app.extensions["jobs"] = JOBS
