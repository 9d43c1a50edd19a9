"""Benchmark of the PDF/A job: in-process against the RQ worker, in one run.

Run: ``.venv/bin/python bench/worker_bench.py`` (needs LibreOffice, python3-uno and Redis;
``BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/13``, is flushed). In a throw-away
instance (SQLite, blob store, demo data) it files ``-n`` (default 100) signed pairing
orders with a 50-row table each — their DOCX rendered by our renderer from the built-in
template, each a little different — twice over, then measures the wall time of

- in-process: ``jobs.convert_signed_to_pdf`` for each of the first set, one after another,
  in this process, through its warm pool (the set-up without Redis);
- the worker: the README's ``python -m worker`` started and warmed (not timed),
  then the second set enqueued at once and timed until the last PDF is filed;

and prints both, per document, and their ratio (goal: worker / in-process ≤ 1.3). Both
convert one document at a time. Prints a table; asserts nothing.
"""

import argparse
import importlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KIND = "pairing_order"
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/13"


def signed_orders(count: int, rows: int) -> list[int]:
    """``count`` signed pairing orders with ``rows`` table rows and their signed DOCX."""
    from doc_templates.render import render_docx, template_path
    from storage.db import new_session
    from storage.models import Document, User
    from webforms.samples import sample_context, sample_data
    from workflows.filing import file_document
    from workflows.kinds import KIND_NAMES

    for name in KIND_NAMES:
        importlib.import_module(f"workflows.{name}")
    template = template_path(KIND).read_bytes()
    ids = []
    with new_session() as session:
        clerk = session.query(User).filter_by(login="clerk").one()
        org_id = clerk.memberships[0].organization_id
        for n in range(count):
            data = sample_data(KIND)
            data["pairs"] = [dict(data["pairs"][0]) for _ in range(rows)]
            ctx = sample_context(KIND, data=data)
            ctx["number"] = f"{1000 + n}-од"
            doc = Document(organization_id=org_id, kind=KIND, state="signed",
                           title=f"Приказ о закреплении пар № {1000 + n}-од", data=data,
                           author_id=clerk.id, number=f"{1000 + n}-од", doc_date=date.today(),
                           signed_at=datetime.now(UTC), signed_by_id=clerk.id,
                           content_hash=f"{n:064x}")
            session.add(doc)
            session.flush()
            file_document(session, doc, render_docx(template, ctx), role="signed_docx")
            ids.append(doc.id)
        session.commit()
    return ids


def pdf_count(ids: list[int]) -> int:
    from sqlalchemy import func, select

    from storage.db import new_session
    from storage.models import StoredFile

    with new_session(read_only=True) as session:
        return session.scalar(select(func.count()).select_from(StoredFile).where(
            StoredFile.document_id.in_(ids), StoredFile.role == "signed_pdf"))


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="documents per way (default 100)")
    parser.add_argument("--rows", type=int, default=50, help="table rows (default 50)")
    args = parser.parse_args()

    from redis import Redis

    from doc_templates import pdf

    if not pdf.available():
        sys.exit("LibreOffice or python3-uno is not installed")
    redis = Redis.from_url(REDIS_URL)
    redis.ping()
    redis.flushdb()
    tmp = Path(tempfile.mkdtemp(prefix="nastavnik-bench-"))
    env = {"DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
           "STORAGE_DIR": str(tmp / "files"), "SECRET_KEY": "bench", "PDF_ENABLED": "0"}
    os.environ.update(env)

    from storage.migrate import upgrade
    from webforms import create_app
    from webforms.demo import seed

    upgrade(env["DATABASE_URL"])
    app = create_app({"REDIS_URL": None})
    with app.app_context():
        seed()
        local, queued = signed_orders(args.n, args.rows), signed_orders(args.n, args.rows)
    app.config["PDF_ENABLED"] = True
    worker = None
    try:
        from workflows import jobs

        with app.app_context():
            pdf.default_pool().wait_ready()
            pdf.default_pool().warm_up()  # as the worker's pool is at its start
            started = time.perf_counter()
            for doc_id in local:
                jobs.convert_signed_to_pdf(doc_id)
            in_process = time.perf_counter() - started
            assert pdf_count(local) == args.n
        pdf.close_default_pool()

        worker_env = {**os.environ, **env, "PDF_ENABLED": "1", "REDIS_URL": REDIS_URL,
                      "PYTHONPATH": str(ROOT)}
        log = open(tmp / "worker.log", "wb")
        worker = subprocess.Popen([sys.executable, "-m", "worker"], cwd=ROOT,
                                  env=worker_env, stdout=log, stderr=subprocess.STDOUT)
        from rq import Queue, Worker

        queue = Queue(jobs.QUEUE, connection=redis)
        wait_until(lambda: any(w.pid == worker.pid for w in Worker.all(connection=redis)),
                   180, "the worker to start")
        # its start-up sweep makes the demo's missing PDFs and would take ours: let it
        # finish first (ours are filed after it)
        wait_until(lambda: queue.count == 0 and queue.started_job_registry.count == 0, 300,
                   "the worker's start-up sweep")
        app.config["REDIS_URL"] = REDIS_URL
        with app.app_context():
            started = time.perf_counter()
            for doc_id in queued:
                jobs.enqueue("convert_signed_to_pdf", doc_id)
            wait_until(lambda: pdf_count(queued) == args.n, 1800, "the worker's PDFs")
            through_worker = time.perf_counter() - started
        from rq.job import Job

        runs = sorted((j.started_at, j.ended_at) for j in Job.fetch_many(
            [jobs.job_id("convert_signed_to_pdf", i) for i in queued], connection=redis) if j)
        in_job = statistics.median((end - start).total_seconds() for start, end in runs)
        gaps = [(b[0] - a[1]).total_seconds()
                for a, b in zip(runs[:-1], runs[1:], strict=True)]
        between = statistics.median(gaps) if gaps else 0
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(60)
        redis.flushdb()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"PDF/A-2b of {args.n} signed pairing orders with a {args.rows}-row table, "
          f"{os.cpu_count()} CPU, one document at a time")
    print(f"{'way':<48}{'total, s':>10}{'per doc, ms':>13}")
    for label, total in (("in-process, warm pool (baseline)", in_process),
                         ("python -m worker (RQ, one warm pool)", through_worker)):
        print(f"{label:<48}{total:>10.1f}{total / args.n * 1000:>13.0f}")
    print(f"  of which, median inside a job (work horse) {in_job * 1000:.0f} ms, "
          f"between two jobs {between * 1000:.0f} ms")
    print(f"ratio worker / in-process: {through_worker / in_process:.2f} (goal <= 1.3)")


if __name__ == "__main__":
    main()
