"""Background jobs: plain functions that take ids, run in the app context, are idempotent.

With ``REDIS_URL`` set they go to the RQ queue ``nastavnik``, served by the worker of
``worker.py`` (``python -m worker``, which builds the app and runs every job in its
context: scheduler on, one warm PDF converter, abandoned jobs back at start); without it
they run in-process at once, so the default set-up needs no server.

``enqueue`` never raises for the queue: it answers with an ``Outcome``. When Redis cannot
be reached the job is not lost: the one job that must always run — the PDF/A copy of a
signed document — is recognisable from the database itself (a signed document with its
DOCX and no PDF), and ``queue_missing_pdfs`` (run by the worker at start and at every
maintenance round, and by ``flask jobs sweep``) queues every such document again.
No job holds a database lock while it renders or converts (see ``storage.db``).
"""

from __future__ import annotations

import io
import logging
import os
import socket
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import click
from flask import Flask, current_app, g, has_app_context
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from doc_templates import pdf
from storage.archive import files_of
from storage.blobs import blobs
from storage.db import new_session
from storage.models import Document, StoredFile, User
from workflows import audit, batches, sealing
from workflows.errors import ConversionFailed, NastavnikError, QueueUnavailable
from workflows.filing import file_document, file_name
from workflows.rendering import render_document

log = logging.getLogger(__name__)
QUEUE = "nastavnik"
# Retries of a failed or interrupted job: the first at once (a killed work horse, a worker
# that died: no scheduler needed), then after 30 s and 2 min (the worker's scheduler).
RETRY_MAX, RETRY_INTERVALS = 3, [0, 30, 120]
PDF_LATER = ("Очередь фоновых задач сейчас недоступна: PDF-копия будет подготовлена "
             "позже, автоматически. Подписанный документ и его DOCX уже в архиве.")


@dataclass(frozen=True)
class Outcome:
    """What became of a job asked for.

    ``state``: ``done`` (ran in-process and succeeded), ``queued`` (on RQ), ``pending``
    (the queue is unreachable; the job will be queued later, see the module doc),
    ``failed`` (ran in-process and failed; ``message`` says why in Russian).
    """

    state: str
    message: str = ""

    @property
    def problem(self) -> str | None:
        """The Russian message to show, or None when nothing needs saying."""
        return self.message if self.state in ("pending", "failed") else None


@contextmanager
def _app_context() -> Iterator[None]:
    """Jobs run in the app's context: the request's, the CLI's, or the worker's (``worker.py``
    builds the app, and every work horse inherits its context)."""
    if not has_app_context():
        raise RuntimeError("a job runs inside the app's context: serve the queue with "
                           "python -m worker")
    yield


def convert_signed_to_pdf(document_id: int, actor_id: int | None = None) -> str | None:
    """Make the PDF/A-2b copy of a signed document's DOCX; return its SHA-256.

    The audit row names ``actor_id``, the user on whose behalf the copy is made (the
    signer, whoever asked again, the starter of a batch); «система» only without one.

    Idempotent: a document that already has its PDF is left alone (also when another run
    filed it during this one's conversion). No transaction is open while LibreOffice
    converts, nor while the organization's seal signs it (``workflows.sealing``). If
    LibreOffice or the seal fails, ConversionFailed propagates (RQ retries it; the DOCX
    stays the signed copy meanwhile).
    """
    with _app_context():
        with new_session(read_only=True) as session:
            doc = session.get(Document, document_id)
            if doc is None or doc.state != "signed":
                return None
            by_role = _files_by_role(session, doc.id)
            if "signed_pdf" in by_role:
                return by_role["signed_pdf"].sha256
            if "signed_docx" not in by_role or not current_app.config["PDF_ENABLED"]:
                return None
            docx = blobs().get(by_role["signed_docx"].sha256)
            organization_id = doc.organization_id
        converted = pdf.convert(docx, pdfa=True)
        with new_session(read_only=True) as session:  # sealed before the write lock
            pdf_bytes = sealing.seal_archived(session, organization_id, converted)
        with new_session() as session:
            doc = session.get(Document, document_id)
            already = _files_by_role(session, doc.id).get("signed_pdf")
            if already is not None:
                return already.sha256
            stored = file_document(session, doc, pdf_bytes, role="signed_pdf", ext="pdf",
                                   sealed=True)
            audit.append(session, organization_id=doc.organization_id, document_id=doc.id,
                         actor=session.get(User, actor_id) if actor_id else None,
                         action="pdf", from_state=doc.state, to_state=doc.state,
                         comment="PDF/A-2b" + (sealing.SEALED if pdf_bytes is not converted
                                               else sealing.NOT_SEALED),
                         content_hash=doc.content_hash or "")
            session.commit()
            return stored.sha256


def _files_by_role(session, document_id: int) -> dict:
    return {f.role: f for f in session.scalars(
        select(StoredFile).where(StoredFile.document_id == document_id))}


def documents_missing_pdf(session) -> list[int]:
    """Ids of signed documents that have their signed DOCX and no PDF/A copy yet."""
    docx, pdf_copy = aliased(StoredFile), aliased(StoredFile)
    return list(session.scalars(
        select(Document.id).where(
            Document.state == "signed",
            exists().where(docx.document_id == Document.id, docx.role == "signed_docx"),
            ~exists().where(pdf_copy.document_id == Document.id,
                            pdf_copy.role == "signed_pdf"))
        .order_by(Document.id)))


def queue_missing_pdfs() -> int:
    """Ask for the PDF/A copy of every signed document still lacking it; return how many
    were asked for (0 with PDF off). A document whose job is already waiting or running
    is not asked twice. Raises QueueUnavailable if Redis cannot be reached."""
    if not current_app.config["PDF_ENABLED"]:
        return 0
    with new_session(read_only=True) as session:
        ids = documents_missing_pdf(session)
    asked = 0
    for doc_id in ids:
        outcome = enqueue("convert_signed_to_pdf", doc_id)
        if outcome.state == "pending":
            raise QueueUnavailable(outcome.message)
        asked += 1
    return asked


def render_batch(batch_id: str) -> str | None:
    """Render every document of a batch into one ZIP (PDF or DOCX); return its SHA-256.

    Progress is written to the batch record after each document (see ``workflows.batches``).
    A signed document contributes its archived copy (making its PDF/A first if needed); any
    other the current draft, marked ПРОЕКТ. A document that cannot be rendered or converted
    is reported in the batch's problems (a failed PDF falls back to the DOCX) and the batch
    goes on. Idempotent: a finished batch returns its result at once.
    """
    with _app_context():
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
    asked_pdf = record["format"] == "pdf"
    want_pdf = asked_pdf and current_app.config["PDF_ENABLED"]
    out = io.BytesIO()
    names: set[str] = set()
    # a reading session: no lock is held while drafts are rendered and converted
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, \
            new_session(read_only=True) as session:
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
WAITING = ("queued", "started", "scheduled", "deferred")  # a job in these needs no twin
PENDING_MESSAGES = {"convert_signed_to_pdf": PDF_LATER}
QUEUE_DOWN = ("Очередь фоновых задач недоступна (нет связи с Redis). Повторите позже; "
              "если не пройдёт, сообщите администратору.")


def redis_connection():
    """A Redis client for ``REDIS_URL`` that fails fast when the server is unreachable."""
    from redis import Redis  # deferred: Redis is loaded only when REDIS_URL is set

    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=3,
                          socket_timeout=10)


def job_id(name: str, *args) -> str:
    """The RQ id of job ``name`` for ``args``: one per document or batch, so asking twice
    does not run it twice. (``-``, not ``:``, which RQ uses inside its registries.)"""
    return f"{name}-{args[0]}" if args else name


def enqueue(name: str, *args) -> Outcome:
    """Run job ``name`` on RQ if configured, otherwise now, in this process.

    Never raises for the queue: with Redis unreachable the answer is ``pending`` and a
    Russian message (the PDF of a signed document is queued later, see the module doc).
    Call it once the caller has committed: it never commits the caller's transaction.
    """
    func = JOBS[name]
    if current_app.config.get("REDIS_URL"):
        from redis.exceptions import RedisError  # deferred: only with REDIS_URL

        try:
            _enqueue_on_rq(name, func, args)
        except RedisError as error:
            log.warning("queue unreachable, job %s%r left for later: %s", name, args, error)
            return Outcome("pending", PENDING_MESSAGES.get(name, QUEUE_DOWN))
        return Outcome("queued")
    _end_callers_read()
    try:
        func(*args)
    except NastavnikError as exc:  # e.g. ConversionFailed: the signed DOCX is kept
        log.warning("in-process job %s%r failed: %s", name, args, exc.message)
        return Outcome("failed", exc.message)
    except Exception:
        log.exception("in-process job %s%r failed", name, args)
        return Outcome("failed", "Фоновая задача не выполнена из-за внутренней ошибки; "
                                 "повторите позже.")
    return Outcome("done")


def _enqueue_on_rq(name: str, func, args: tuple) -> None:
    from rq import Queue, Retry  # deferred: RQ (and Redis) only with REDIS_URL
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    conn = redis_connection()
    jid = job_id(name, *args)
    try:
        if Job.fetch(jid, connection=conn).get_status() in WAITING:
            return
    except NoSuchJobError:
        pass
    Queue(QUEUE, connection=conn).enqueue(
        func, *args, job_id=jid, retry=Retry(max=RETRY_MAX, interval=RETRY_INTERVALS),
        job_timeout=TIMEOUTS.get(name, 300))


def recover_abandoned(connection) -> list[str]:
    """Give back to the queue the jobs whose worker died while running them.

    RQ finds an abandoned job only once its execution's heartbeat has expired (90 s) and
    only at a maintenance round (every 10 min by default): a job of a worker killed with
    SIGKILL would wait that long. Here an execution counts as abandoned at once when its
    worker is gone: no worker record, or a worker of this host whose process is dead.
    Those executions are expired and handed to RQ's own clean-up of the started registry
    (``StartedJobRegistry.cleanup``), which retries each job that has retries left and
    fails the others. Returns the ids of the jobs given back.
    """
    from rq import Queue, Worker  # deferred: RQ (and Redis) only in the worker
    from rq.executions import Execution
    from rq.utils import parse_composite_key

    registry = Queue(QUEUE, connection=connection).started_job_registry
    host = socket.gethostname()
    abandoned = {}
    for entry in connection.zrange(registry.key, 0, -1):
        entry = entry.decode() if isinstance(entry, bytes) else entry
        job, execution_id = parse_composite_key(entry)
        try:
            worker_name = Execution.fetch(execution_id, job, connection=connection).worker_name
        except ValueError:  # its heartbeat expired: RQ's own clean-up will take it
            continue
        worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + worker_name,
                                    connection=connection) if worker_name else None
        if worker is None or (worker.hostname == host and not _pid_alive(worker.pid)):
            abandoned[entry] = job
    if abandoned:
        connection.zadd(registry.key, dict.fromkeys(abandoned, 0), xx=True)
        registry.cleanup(timestamp=0)
        log.warning("jobs of dead workers given back: %s", ", ".join(abandoned.values()))
    return list(abandoned.values())


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _end_callers_read() -> None:
    """An in-process job runs in a session of its own, after its caller committed: a job
    never commits the caller's transaction. What the caller read since is ended (rolled
    back) so the job's session can write (SQLite has one writer at a time). RuntimeError
    if the caller still holds unflushed changes: commit them before ``enqueue``."""
    session = g.get("db_session")
    if session is None or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("commit the caller's changes before jobs.enqueue")
    session.rollback()


def init_app(app: Flask) -> None:
    app.extensions["jobs"] = JOBS

    @app.cli.group("jobs")
    def jobs_group() -> None:
        """Фоновые задачи."""

    @jobs_group.command("sweep")
    def sweep_command() -> None:
        """Queue (or, without REDIS_URL, make now) the PDF/A copy of every signed document
        still lacking it, e.g. after Redis was unreachable."""
        try:
            count = queue_missing_pdfs()
        except QueueUnavailable as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Документов без PDF-копии поставлено в очередь: {count}.")
