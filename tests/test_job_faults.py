"""No job is lost (issue 7, item 5): the README's worker (``python -m worker``)
run as a real process, its work horse or itself killed mid-job; converters whose owner
dies; Redis unreachable while documents are signed.

What each fault test checks: the job completes (the batch ZIP holds every document, the
signed document gets its PDF/A), no LibreOffice or converter process of the dead process
remains, and no converter folder of it stays in the temporary directory.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from doc_templates import pdf
from tests.helpers import documents as f
from tests.helpers.http import csrf_token, login_as, post
from tests.helpers.services import REDIS_URL
from tests.test_jobs_redis import (  # noqa: F401
    TEACHERS,
    awaiting_signature,
    consent,
    drafts,
    files,
    redis_conn,
    work,
)
from webforms.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
CLOSED_PORT_URL = "redis://127.0.0.1:1/15"  # nothing listens on port 1
needs_pdf = pytest.mark.skipif(not pdf.available(), reason="LibreOffice is not installed")


def on_a_real_worker(test):
    """The test runs the README's worker with PDF on: it needs Redis and LibreOffice."""
    return pytest.mark.redis(pytest.mark.pdf(needs_pdf(test)))


LAST_NAMES = ("Седых", "Гоголь", "Кравец", "Петрова-Водкина", "Иванова", "Шевчук")


# --- helpers ------------------------------------------------------------------------------


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:g} s waiting for {what}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def forks_of(pid: int) -> set[int]:
    """Children that are forks of ``pid`` (same command line): scheduler, work horse."""
    return {c for c in children(pid) if cmdline(c) == cmdline(pid) and alive(c)}


def leftovers(pid: int) -> tuple[list[Path], list[int]]:
    """Converter folders named after ``pid`` and processes still running in them."""
    tmp = Path(tempfile.gettempdir())
    folders = [p for prefix in (pdf.POOL_PREFIX, pdf.COLD_PREFIX)
               for p in tmp.glob(f"{prefix}{pid}-*")]
    needle = f"{pdf.POOL_PREFIX}{pid}-".encode()
    procs = [int(e) for e in os.listdir("/proc") if e.isdigit() and needle in cmdline(int(e))
             and alive(int(e))]
    return folders, procs


def assert_nothing_left(*pids: int) -> None:
    for pid in pids:
        wait_for(lambda pid=pid: leftovers(pid) == ([], []), 45,
                 f"the converter folders and processes of {pid} to go")


def worker_env(database_url: str, storage: str, redis_url: str = REDIS_URL) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "STORAGE_DIR": storage,
            "REDIS_URL": redis_url, "PDF_ENABLED": "1", "SECRET_KEY": "test-secret",
            "PYTHONPATH": str(ROOT)}


def start_worker(app, tmp_path, *args: str) -> subprocess.Popen:
    """The README's worker command, as a process of its own."""
    log = open(tmp_path / f"worker-{time.monotonic_ns()}.log", "wb")
    return subprocess.Popen(
        [sys.executable, "-m", "worker", *args], cwd=ROOT, stdout=log,
        stderr=subprocess.STDOUT,
        env=worker_env(app.config["DATABASE_URL"], app.config["STORAGE_DIR"]))


def registered(conn, proc: subprocess.Popen) -> bool:
    from rq import Worker

    assert proc.poll() is None, "the worker exited"
    return any(w.pid == proc.pid for w in Worker.all(connection=conn))


def batch_of(app, ids: list[int]) -> str:
    from workflows import batches, jobs

    with app.app_context():
        batch_id = batches.create(f.organization().id, ids, "pdf", f.user("clerk").id)
        assert jobs.enqueue("render_batch", batch_id).state == "queued"
    return batch_id


def record(app, batch_id: str) -> dict:
    from workflows import batches

    with app.app_context():
        return batches.get(batch_id)


def zip_names(app, batch_id: str) -> list[str]:
    from storage.blobs import blobs

    with app.app_context():
        data = blobs().get(record(app, batch_id)["result"])
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM (warm shutdown), as a service manager stops the worker."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def pdf_rq_app(app, redis_conn):  # noqa: F811
    app.config["REDIS_URL"] = REDIS_URL
    app.config["PDF_ENABLED"] = True
    return app


# --- the worker killed --------------------------------------------------------------------


def batch_under_way(app, conn, worker, ids: list[int]) -> tuple[int, int, set[int]]:
    """Once ``worker`` serves, a batch of ``ids`` started and two of them done: the batch's
    id, the work horse converting it and the worker's other forks (its scheduler)."""
    wait_for(lambda: registered(conn, worker), 120, "the worker to start")
    # RQ forks the scheduler just after the worker registers (the lock is free: the test's
    # Redis database is empty), so wait for that fork before telling it from the horse
    scheduler = wait_for(lambda: forks_of(worker.pid), 60, "the scheduler to fork")
    batch_id = batch_of(app, ids)
    wait_for(lambda: record(app, batch_id)["done"] >= 2, 120, "two documents done")
    [horse] = forks_of(worker.pid) - scheduler
    return batch_id, horse, scheduler


def finished(app, batch_id: int, what: str) -> dict:
    """The batch's record once it has finished (waiting for ``what``)."""
    return wait_for(lambda: record(app, batch_id)["state"] == "finished"
                    and record(app, batch_id), 180, what)


@pytest.fixture
def batch_on_a_worker(pdf_rq_app, redis_conn, tmp_path):  # noqa: F811
    """Drafts of ``LAST_NAMES`` in a batch under way (two done) on the README's worker:
    the worker, the drafts' ids, the batch's id, its work horse and the worker's other
    forks. The worker is stopped after the test if it still runs."""
    ids = drafts(pdf_rq_app, *LAST_NAMES)
    worker = start_worker(pdf_rq_app, tmp_path)
    try:
        yield worker, ids, *batch_under_way(pdf_rq_app, redis_conn, worker, ids)
    finally:
        stop(worker)


@on_a_real_worker
def test_a_batch_whose_work_horse_is_killed_is_retried_and_completes(
        pdf_rq_app, batch_on_a_worker):
    app = pdf_rq_app
    worker, ids, batch_id, horse, _ = batch_on_a_worker
    pool_pids = set(children(worker.pid)) - forks_of(worker.pid)
    os.kill(horse, signal.SIGKILL)

    done = finished(app, batch_id, "the batch to finish after the kill")
    assert done["done"] == done["total"] == len(ids)
    names = zip_names(app, batch_id)
    assert len(names) == len(ids) and all(n.endswith(".pdf") for n in names), names
    assert not alive(horse)
    # the one warm converter outlived the horse: the same converter processes serve
    assert pool_pids and pool_pids <= set(children(worker.pid))
    assert_nothing_left(horse)
    stop(worker)
    assert worker.returncode == 0
    assert_nothing_left(worker.pid)


@on_a_real_worker
def test_a_batch_whose_worker_is_killed_completes_on_the_next_worker(
        pdf_rq_app, redis_conn, tmp_path, batch_on_a_worker):  # noqa: F811
    app = pdf_rq_app
    first, ids, batch_id, horse, scheduler = batch_on_a_worker
    first.send_signal(signal.SIGKILL)
    first.wait()
    # its horse and scheduler die with it; its converters clean up after themselves
    wait_for(lambda: not alive(horse) and not any(alive(p) for p in scheduler), 30,
             "the horse and the scheduler to die with the worker")
    assert_nothing_left(first.pid, horse)
    assert record(app, batch_id)["state"] == "started"  # interrupted, not finished

    second = start_worker(app, tmp_path)  # the README's command again
    try:
        done = finished(app, batch_id, "the batch to finish on restart")
    finally:
        stop(second)
    assert done["done"] == done["total"] == len(ids)
    assert len(zip_names(app, batch_id)) == len(ids)
    from rq import Queue

    queue = Queue("nastavnik", connection=redis_conn)
    assert queue.started_job_registry.count == 0 and queue.failed_job_registry.count == 0
    assert_nothing_left(second.pid)


def made_by_a_burst_worker(app, tmp_path, doc_id: int) -> None:
    """The README's worker run with ``--burst`` exits 0, the document's PDF made, and
    leaves no converter behind."""
    worker = start_worker(app, tmp_path, "--burst")
    assert worker.wait(180) == 0
    assert "signed_pdf" in files(app, doc_id)
    assert_nothing_left(worker.pid)


@on_a_real_worker
def test_a_pdf_job_left_started_by_a_dead_worker_comes_back_at_start(
        pdf_rq_app, redis_conn, tmp_path):  # noqa: F811
    """The reviewer's case: the job sat in the started registry for 13 minutes."""
    from rq import Queue
    from rq.executions import Execution

    from workflows import jobs

    app = pdf_rq_app
    with app.app_context():
        doc = f.signed("mentor_consent", consent("Седых"))
        doc_id = doc.id
        assert "signed_pdf" not in files(app, doc_id)
        assert jobs.enqueue("convert_signed_to_pdf", doc_id).state == "queued"
    queue = Queue("nastavnik", connection=redis_conn)
    job = queue.dequeue_any([queue], None, connection=redis_conn)[0]
    with redis_conn.pipeline() as pipe:  # as a worker does before it dies with SIGKILL
        job.prepare_for_execution("a-worker-that-died", pipeline=pipe)
        Execution.create(job, ttl=3600, pipeline=pipe, worker_name="a-worker-that-died")
        pipe.execute()
    assert queue.started_job_registry.count == 1

    made_by_a_burst_worker(app, tmp_path, doc_id)
    assert queue.started_job_registry.count == 0


# --- a converter's owner dies ---------------------------------------------------------------

HOLDER = """
import sys, time
from doc_templates import pdf
pool = pdf.default_pool()
pool.wait_ready()
pool.convert(open(sys.argv[1], "rb").read())
print(pool.work_dir, flush=True)
time.sleep(600)
"""


@pytest.mark.pdf
@needs_pdf
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL],
                         ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_no_converter_folder_or_soffice_outlives_its_owner(tmp_path, how):
    from tests.test_pdf import DOCX

    source = tmp_path / "in.docx"
    source.write_bytes(DOCX)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(source)], cwd=ROOT,
                              stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        work_dir = Path(holder.stdout.readline().decode().strip())
        assert work_dir.name.startswith(f"{pdf.POOL_PREFIX}{holder.pid}-")
        assert children(holder.pid) and not (work_dir / "converter-0" / "input.docx").exists()
        holder.send_signal(how)
        holder.wait(60)
    finally:
        if holder.poll() is None:
            holder.kill()
    assert_nothing_left(holder.pid)
    assert not work_dir.exists()


def test_a_new_pool_sweeps_the_folders_of_dead_owners(tmp_path):
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = tmp_path / f"{pdf.POOL_PREFIX}{gone.pid}-abc"
    (stale / "converter-0").mkdir(parents=True)
    (stale / "converter-0" / "input.docx").write_bytes(b"a signed order")
    stray = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)",
                              str(stale / "converter-0" / "profile")])
    wait_for(lambda: str(stale).encode() in cmdline(stray.pid), 10, "the stray to start")
    mine = tmp_path / f"{pdf.POOL_PREFIX}{os.getpid()}-def"  # a live owner's: kept
    mine.mkdir()
    try:
        assert pdf.sweep_stale(tmp_path) == [stale]
        assert stray.wait(10) == -signal.SIGKILL
    finally:
        if stray.poll() is None:
            stray.kill()
    assert not stale.exists() and mine.exists()


# --- Redis unreachable ----------------------------------------------------------------------


@pytest.fixture
def no_redis_app(app):
    app.config["REDIS_URL"] = CLOSED_PORT_URL
    app.config["PDF_ENABLED"] = True  # the job would be queued, not run here
    return app


def test_with_redis_down_signing_succeeds_and_the_page_says_pdf_comes_later(
        client, no_redis_app):
    app = no_redis_app
    doc_id = awaiting_signature(app, "Седых")
    login_as(client, TEACHERS["Седых"])  # her own consent: she signs it (issue 9)
    signed = post(client, f"/documents/{doc_id}/act/sign", {"password": DEMO_PASSWORD})
    assert signed.status_code == 302
    page = client.get(signed.headers["Location"]).get_data(as_text=True)
    assert "PDF-копия будет подготовлена позже" in page
    assert "Внутренняя ошибка" not in page
    assert set(files(app, doc_id)) == {"signing_copy", "signed_docx"}
    with app.app_context():
        from storage.db import db_session
        from storage.models import Document

        assert db_session().get(Document, doc_id).state == "signed"

    again = post(client, f"/documents/{doc_id}/pdf")
    assert again.status_code == 503
    assert "Очередь фоновых задач недоступна" in again.get_data(as_text=True)


def test_with_redis_down_the_api_sign_says_the_pdf_is_pending(client, no_redis_app):
    doc_id = awaiting_signature(no_redis_app, "Гоголь")
    login_as(client, TEACHERS["Гоголь"])
    token = csrf_token(client)
    answer = client.post(f"/api/documents/{doc_id}/transitions",
                         json={"action": "sign", "password": DEMO_PASSWORD},
                         headers={"X-CSRFToken": token})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["state"] == "signed" and body["number"]
    assert body["pdf"]["state"] == "pending"
    assert "будет подготовлена позже" in body["pdf"]["message"]


def test_with_redis_down_batches_answer_503_in_russian(client, no_redis_app):
    ids = drafts(no_redis_app, "Седых")
    login_as(client, "clerk")
    start = post(client, "/jobs/", {"document_ids": ids, "format": "pdf"})
    assert start.status_code == 503
    assert "Очередь фоновых задач недоступна" in start.get_data(as_text=True)
    status = client.get(f"/jobs/{'0' * 32}", headers={"Accept": "application/json"})
    assert status.status_code == 503
    assert "Очередь фоновых задач недоступна" in status.get_json()["error"]


@on_a_real_worker
def test_a_pdf_left_for_later_is_made_when_the_worker_starts(
        client, no_redis_app, redis_conn, tmp_path):  # noqa: F811
    app = no_redis_app
    doc_id = awaiting_signature(app, "Кравец")
    login_as(client, TEACHERS["Кравец"])
    assert post(client, f"/documents/{doc_id}/act/sign",
                {"password": DEMO_PASSWORD}).status_code == 302
    assert set(files(app, doc_id)) == {"signing_copy", "signed_docx"}

    app.config["REDIS_URL"] = REDIS_URL  # Redis is back; the worker starts
    made_by_a_burst_worker(app, tmp_path, doc_id)


@pytest.mark.redis
def test_flask_jobs_sweep_queues_the_missing_pdfs_once(demo, app, redis_conn):  # noqa: F811
    from rq import Queue

    from storage.db import db_session
    from workflows import jobs

    app.config["REDIS_URL"] = REDIS_URL
    app.config["PDF_ENABLED"] = True
    with app.app_context():  # the demo's signed documents were seeded with PDF off
        missing = jobs.documents_missing_pdf(db_session())
    assert missing
    result = app.test_cli_runner().invoke(args=["jobs", "sweep"])
    assert result.exit_code == 0, result.output
    assert f"поставлено в очередь: {len(missing)}." in result.output
    queue = Queue("nastavnik", connection=redis_conn)
    assert sorted(queue.job_ids) == sorted(f"convert_signed_to_pdf-{i}" for i in missing)
    app.test_cli_runner().invoke(args=["jobs", "sweep"])  # asked again: not twice
    assert queue.count == len(missing)


def test_flask_jobs_sweep_with_redis_down_says_so(demo, no_redis_app):
    result = no_redis_app.test_cli_runner().invoke(args=["jobs", "sweep"])
    assert result.exit_code == 1
    assert "Очередь фоновых задач сейчас недоступна" in result.output
