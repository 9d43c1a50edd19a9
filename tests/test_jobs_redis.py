"""Jobs on RQ with a real worker (Redis on 127.0.0.1:6379, db 15 — one per pytest-xdist
worker, see tests/helpers/services.py —, flushed), and batches with progress — in-process
without Redis (issue 4, item 6)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from doc_templates import pdf
from storage.db import db_session
from storage.models import Document, StoredFile
from tests.helpers import documents as f
from tests.helpers.http import login_as, post
from tests.helpers.kinds import pd_data
from tests.helpers.services import REDIS_URL, REQUIRE_SERVICES
from webforms.demo import DEMO_PASSWORD
from webforms.forms import validate

KIND = "mentor_consent"


@pytest.fixture
def redis_conn():
    from redis import Redis
    from redis.exceptions import RedisError

    conn = Redis.from_url(REDIS_URL)
    try:
        conn.ping()
    except RedisError as error:
        if REQUIRE_SERVICES:
            pytest.fail(f"Redis at {REDIS_URL} is required: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable")
    conn.flushdb()
    yield conn
    conn.flushdb()


@pytest.fixture
def rq_app(app, redis_conn):
    app.config["REDIS_URL"] = REDIS_URL
    return app


def work(app, conn) -> None:
    """Run every queued job with a real RQ worker, in this process, in the app's context."""
    from rq import Queue, SimpleWorker

    from workflows.jobs import QUEUE

    with app.app_context():
        worker = SimpleWorker([Queue(QUEUE, connection=conn)], connection=conn)
        worker.work(burst=True)


def consent(last_name: str) -> dict:
    return validate(KIND, {"person_id": f.person(last_name).id, "statement_date": "2026-11-20",
                           "duties": "разработка персонализированной программы наставничества"})


# the teachers' accounts: each signs her own consent (issue 9)
TEACHERS = {"Седых": "sedykh", "Гоголь": "gogol", "Кравец": "kravets"}


def awaiting_signature(app, last_name: str) -> int:
    """A consent to the processing of ``last_name``'s personal data, visaed by the
    director: hers to sign, with her account (``TEACHERS``)."""
    with app.app_context():
        doc = f.draft("pd_consent", pd_data(f.person(last_name).id))
        f.walk(doc, "submit", "approve")
        return doc.id


def drafts(app, *last_names: str) -> list[int]:
    with app.app_context():
        return [f.draft(KIND, consent(name)).id for name in last_names]


def files(app, doc_id: int) -> dict[str, StoredFile]:
    with app.app_context():
        return {s.role: s for s in db_session().scalars(
            select(StoredFile).where(StoredFile.document_id == doc_id))}


@pytest.mark.redis
@pytest.mark.pdf
@pytest.mark.skipif(not pdf.available(), reason="LibreOffice is not installed")
def test_a_signed_document_gets_its_pdfa_from_a_real_worker(client, rq_app, redis_conn):
    from pypdf import PdfReader
    from rq import Queue

    rq_app.config["PDF_ENABLED"] = True
    doc_id = awaiting_signature(rq_app, "Седых")
    login_as(client, TEACHERS["Седых"])  # her own consent: she signs it (issue 9)
    signed = post(client, f"/documents/{doc_id}/act/sign", {"password": DEMO_PASSWORD})
    assert signed.status_code == 302
    assert "signed_pdf" not in files(rq_app, doc_id)  # queued, not done in the request
    assert Queue("nastavnik", connection=redis_conn).count == 1

    work(rq_app, redis_conn)
    stored = files(rq_app, doc_id)["signed_pdf"]
    with rq_app.app_context():
        from storage.blobs import blobs

        data = blobs().get(stored.sha256)
    reader = PdfReader(io.BytesIO(data))
    assert "Седых" in "".join(page.extract_text() for page in reader.pages)
    assert b"pdfaid:part" in data  # PDF/A metadata

    # idempotent: running it again changes nothing
    from workflows.jobs import convert_signed_to_pdf

    with rq_app.app_context():
        assert convert_signed_to_pdf(doc_id) == stored.sha256


@pytest.mark.redis
def test_a_batch_reports_progress_to_completion_on_a_real_worker(demo, client, rq_app, redis_conn):
    ids = drafts(rq_app, "Седых", "Гоголь", "Кравец")
    with rq_app.app_context():
        signed_id = db_session().scalars(select(Document.id).where(  # from the demo data
            Document.kind == KIND, Document.state == "signed")).first()
    login_as(client, "clerk")
    response = post(client, "/jobs/", {"document_ids": [*ids, signed_id], "format": "docx"})
    assert response.status_code == 302
    batch_id = re.search(r"/jobs/([0-9a-f]{32})/page", response.headers["Location"]).group(1)

    before = client.get(f"/jobs/{batch_id}").get_json()
    assert before == {"done": 0, "total": 4, "state": "queued", "problems": [], "ready": False}
    page = client.get(f"/jobs/{batch_id}/page").get_data(as_text=True)
    assert "Готово 0 из 4" in page

    work(rq_app, redis_conn)
    after = client.get(f"/jobs/{batch_id}").get_json()
    assert after == {"done": 4, "total": 4, "state": "finished", "problems": [], "ready": True}
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/jobs/{batch_id}/result.zip").data))
    names = archive.namelist()
    assert len(names) == 4
    assert any(re.match(r"Согласие № \d+-с от .*\.docx", n) for n in names)  # signed copy
    assert sum("проект" in n for n in names) == 3

    # another organization sees nothing of it
    login_as(client, "clerk12")
    assert client.get(f"/jobs/{batch_id}").status_code == 404
    assert client.get(f"/jobs/{batch_id}/result.zip").status_code == 404


@pytest.mark.redis
def test_progress_is_written_while_the_batch_runs(rq_app, redis_conn, monkeypatch):
    from workflows import batches, jobs

    ids = drafts(rq_app, "Седых", "Гоголь")
    seen = []
    original = batches.advance

    def spy(batch_id, problem=None):
        record = original(batch_id, problem)
        seen.append((record["done"], record["total"], record["state"]))
        return record

    monkeypatch.setattr(batches, "advance", spy)
    with rq_app.app_context():
        batch_id = batches.create(f.organization().id, ids, "docx", f.user("clerk").id)
        jobs.enqueue("render_batch", batch_id)
    work(rq_app, redis_conn)
    assert seen == [(1, 2, "started"), (2, 2, "started")]


def test_without_redis_a_batch_runs_in_process(client, app):
    ids = drafts(app, "Седых", "Гоголь")
    with app.app_context():
        other = db_session().scalars(select(Document.id)).all()
    login_as(client, "clerk")
    response = post(client, "/jobs/", {"document_ids": ids + [10_000], "format": "pdf"})
    batch_id = response.headers["Location"].split("/")[-2]
    status = client.get(f"/jobs/{batch_id}").get_json()
    assert status["state"] == "finished" and status["done"] == status["total"] == 2
    assert status["problems"][0] == "Документ 10000 не найден."  # refused by the loader
    # PDF is off in tests: each draft comes as DOCX, and the page says so
    assert sum("PDF не получен" in p for p in status["problems"]) == 2
    assert other  # the demo data is there too


def test_a_batch_needs_documents(client):
    login_as(client, "clerk")
    response = post(client, "/jobs/", {"format": "pdf"})
    assert response.status_code == 422
    assert "Отметьте хотя бы один документ" in response.get_data(as_text=True)
    assert "Пакет документов" in client.get("/jobs/new").get_data(as_text=True)
