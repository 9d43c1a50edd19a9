"""The RQ worker of Nastavnik: ``python -m worker`` (with ``REDIS_URL`` set).

An entry module beside ``wsgi.py``: it builds the app once and serves the queue
``nastavnik`` the RQ way — one forked work horse per job, so a job that hangs or crashes
takes only its horse — with:

- the scheduler on (retries after 30 s and 2 min are scheduled jobs);
- one warm PDF converter (``doc_templates.pdf``): the pool is started in this process
  before any fork and served to the horses over a Unix socket, so LibreOffice starts once,
  not per job, and a killed horse kills no converter;
- jobs never lost: at start and at every maintenance round (each minute) the jobs of dead
  workers go back to the queue (``jobs.recover_abandoned``) and every signed document
  lacking its PDF/A copy is queued (``jobs.queue_missing_pdfs``: e.g. signed while Redis
  was down); a horse killed mid-job is retried at once by RQ (``Retry``);
- nothing left behind: the horses and the scheduler die with the worker (Linux
  ``PR_SET_PDEATHSIG``); SIGTERM/SIGINT stop it warmly and close the converter, which
  removes its folder; after a SIGKILL the converters clean up themselves.

Options: ``--burst`` (work until the queue is empty, then exit), ``--no-pdf-pool``.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import signal
import sys

from rq import Queue, Worker

from doc_templates import pdf
from webforms import create_app
from workflows import jobs

log = logging.getLogger("worker")
MAINTENANCE_EVERY = 60  # seconds; RQ's default is 10 minutes
_PR_SET_PDEATHSIG = 1


class NastavnikWorker(Worker):
    """RQ's forking worker whose maintenance also gives back jobs of dead workers and
    queues missing PDF/A copies."""

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        try:
            jobs.recover_abandoned(self.connection)
            jobs.queue_missing_pdfs()
        except Exception:  # maintenance must never stop the worker
            log.exception("maintenance of the nastavnik queue failed")


def _die_with_parent() -> None:
    """In a forked child (work horse, scheduler): get SIGKILL when the worker dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m worker",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    parser.add_argument("--no-pdf-pool", action="store_true",
                        help="do not start the warm PDF converter")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)

    app = create_app()
    if not app.config.get("REDIS_URL"):
        print("REDIS_URL не задана: без неё фоновые задачи выполняются в процессе "
              "веб-сервера, обработчик очереди не нужен.", file=sys.stderr)
        return 2
    with app.app_context():  # inherited by every work horse: no app per job
        server = None
        if app.config["PDF_ENABLED"] and not args.no_pdf_pool and pdf.available():
            server = pdf.serve_default_pool()
        os.register_at_fork(after_in_child=_die_with_parent)
        connection = jobs.redis_connection()
        worker = NastavnikWorker([Queue(jobs.QUEUE, connection=connection)],
                                 connection=connection, maintenance_interval=MAINTENANCE_EVERY)
        try:
            worker.work(burst=args.burst, with_scheduler=True)
        finally:
            if server is not None:
                server.close()
            pdf.close_default_pool()
    return 0


if __name__ == "__main__":
    sys.exit(main())
