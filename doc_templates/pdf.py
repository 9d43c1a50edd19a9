"""DOCX → PDF (PDF/A-2b for the archive) through LibreOffice kept warm.

A cold ``soffice --convert-to`` costs most of a second per document; a warm soffice driven
through UNO costs a tenth of that. ``ConverterPool`` keeps ``size`` converters warm: each is
``pdf_worker.py`` run under a Python that has ``uno`` (Debian's /usr/bin/python3), owning one
soffice with its own profile, in its own process group. The pool bounds its queue, kills and
restarts a converter that overruns its per-document timeout or dies, and recycles each one
after ``max_conversions`` documents to bound memory. ``convert()`` uses one lazily created
pool per process; ``cold_convert()`` is the one-process-per-document baseline and fallback.

A process that forks workers (the RQ worker, ``worker.py``) keeps one pool and
serves it to its children with ``serve_default_pool()``: in a forked child ``convert()``
then sends the DOCX over an authenticated Unix socket to the parent's warm pool instead of
starting LibreOffice of its own, so a child that is killed takes no converter with it.

Nothing is left behind: the working folders are named ``nastavnik-pdf-<pid>-…`` (and
``nastavnik-cold-<pid>-…``); the document and its PDF are removed after each conversion;
a converter whose owner dies, however (SIGTERM, SIGKILL), stops its soffice and removes
the folder itself (``pdf_worker.py``); and every new pool first sweeps the folders of dead
owners, killing whatever still runs in them.

Paths come from the environment: ``SOFFICE_PATH`` (default ``soffice`` on PATH) and
``UNO_PYTHON`` (default ``/usr/bin/python3``). Every failure raises ``ConversionFailed``.
"""

import atexit
import io
import itertools
import json
import logging
import os
import queue
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import cache
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Listener
from pathlib import Path

import docx

from storage.errors import ConversionFailed

log = logging.getLogger(__name__)

WORKER_SCRIPT = Path(__file__).with_name("pdf_worker.py")
FAILED = "Не удалось преобразовать документ в PDF: "
QUEUE_FULL = "Очередь преобразования в PDF переполнена, повторите позже"
POOL_PREFIX, COLD_PREFIX = "nastavnik-pdf-", "nastavnik-cold-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _processes_using(folder: Path) -> list[int]:
    """Pids whose command line names ``folder`` (a converter or soffice of that folder)."""
    needle = str(folder).encode()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if needle in f.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def sweep_stale(tmp: str | os.PathLike | None = None) -> list[Path]:
    """Remove the working folders of converters whose owning process is dead, killing any
    soffice or converter still running in them; return the folders removed."""
    removed = []
    for folder in Path(tmp or tempfile.gettempdir()).glob("nastavnik-*-*"):
        prefix = folder.name.split("-", 2)
        if len(prefix) < 3 or f"{prefix[0]}-{prefix[1]}-" not in (POOL_PREFIX, COLD_PREFIX):
            continue
        owner = prefix[2].split("-", 1)[0]
        if not owner.isdigit() or _pid_alive(int(owner)):
            continue
        for pid in _processes_using(folder):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
        log.warning("removed the converter folder %s of dead process %s", folder, owner)
    return removed


def soffice_path() -> str:
    return os.environ.get("SOFFICE_PATH") or shutil.which("soffice") or "soffice"


def uno_python() -> str:
    return os.environ.get("UNO_PYTHON") or "/usr/bin/python3"


@cache
def _can_import_uno(python: str) -> bool:
    try:
        check = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return check.returncode == 0


def available() -> bool:
    """Whether LibreOffice and a Python with ``uno`` are installed (else PDF tests skip)."""
    return shutil.which(soffice_path()) is not None and _can_import_uno(uno_python())


def check_docx(docx_bytes: bytes) -> None:
    """Raise ConversionFailed unless the bytes are a DOCX (a zip with word/document.xml).

    LibreOffice would otherwise "convert" any bytes as plain text into a PDF of garbage.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
            archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, TypeError, ValueError):
        raise ConversionFailed(FAILED + "файл не является документом DOCX") from None


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL a converter's whole process group (worker, soffice, oosplash) and reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        log.error("converter %s survived SIGKILL", proc.pid)


def _read_pdf(path: Path) -> bytes:
    data = path.read_bytes() if path.exists() else b""
    if not data.startswith(b"%PDF"):
        raise ConversionFailed(FAILED + "LibreOffice не создал PDF")
    return data


class _Died(Exception):
    """The worker process exited (or soffice under it died) during a request."""


class _Worker:
    """One pdf_worker.py process and its soffice; used by one dispatcher thread only."""

    _ids = itertools.count(1)

    def __init__(self, slot_dir: Path, startup_timeout: float, orphan_dir: Path):
        """``orphan_dir``: what the converter removes if this process dies first."""
        self.profile = slot_dir / "profile"
        self.log_path = slot_dir / "worker.log"
        with open(self.log_path, "ab") as stderr:
            self.proc = subprocess.Popen(
                [uno_python(), str(WORKER_SCRIPT), "--soffice", soffice_path(),
                 "--profile", str(self.profile), "--startup-timeout", str(startup_timeout),
                 "--owner", str(os.getpid()), "--work-dir", str(orphan_dir)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                text=True, encoding="utf-8", bufsize=1, start_new_session=True,
            )  # fmt: skip
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True, name="pdf-worker-reader").start()
        self.conversions = 0
        try:
            ready = self._next_message(startup_timeout + 5)
        except (queue.Empty, ValueError):
            ready = None
        if not ready or not ready.get("ready"):
            self.kill()
            raise ConversionFailed(FAILED + "конвертер LibreOffice не запустился")
        self.soffice_pid: int = ready["soffice_pid"]

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _next_message(self, timeout: float) -> dict | None:
        """The next JSON message, None on EOF; raises queue.Empty after ``timeout``."""
        line = self.lines.get(timeout=timeout)
        return json.loads(line) if line is not None else None

    def convert(self, source: Path, target: Path, pdfa: bool, timeout: float) -> None:
        """Convert one file; raises _Died, ConversionFailed, or queue.Empty on timeout."""
        request = {"id": next(self._ids), "input": str(source), "output": str(target), "pdfa": pdfa}
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise _Died() from error
        answer = self._next_message(timeout)
        self.conversions += 1
        if answer is None or answer.get("fatal"):
            raise _Died()
        if not answer.get("ok"):
            log.warning("LibreOffice refused a document: %s", answer.get("error"))
            raise ConversionFailed(FAILED + "LibreOffice не смог открыть или сохранить документ")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        """Ask the worker to shut soffice down; kill the group if it takes too long."""
        try:
            self.proc.stdin.close()
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        _kill_group(self.proc)

    def kill(self) -> None:
        _kill_group(self.proc)
        shutil.rmtree(self.profile, ignore_errors=True)  # a killed profile may be damaged


@dataclass
class _Job:
    docx: bytes
    pdfa: bool
    timeout: float
    future: Future = field(default_factory=Future)


class ConverterPool:
    """``size`` warm converters fed from one bounded queue.

    ``timeout`` is the hard limit per document: the converter is killed and restarted when
    it is exceeded. ``max_conversions`` recycles a converter; ``max_queue`` bounds how many
    documents wait (beyond it ``convert`` raises ConversionFailed at once).
    """

    def __init__(
        self,
        size: int | None = None,
        *,
        max_queue: int = 64,
        timeout: float = 30.0,
        max_conversions: int = 200,
        startup_timeout: float = 60.0,
        work_dir: str | os.PathLike | None = None,
    ):
        self.size = size or min(2, os.cpu_count() or 1)
        self.max_queue, self.timeout = max_queue, timeout
        self.max_conversions, self.startup_timeout = max_conversions, startup_timeout
        self._own_dir = work_dir is None
        if self._own_dir:
            sweep_stale()
        self.work_dir = Path(work_dir or tempfile.mkdtemp(prefix=f"{POOL_PREFIX}{os.getpid()}-"))
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._workers: list[_Worker | None] = [None] * self.size
        self._ready = [threading.Event() for _ in range(self.size)]
        self._threads = [
            threading.Thread(target=self._serve, args=(slot,), daemon=True, name=f"pdf-{slot}")
            for slot in range(self.size)
        ]
        for thread in self._threads:
            thread.start()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until every converter has tried to start (warm-up); True if all did."""
        return all(event.wait(timeout) for event in self._ready)

    def warm_up(self) -> None:
        """Convert a one-line document on every converter at once, so that the first real
        documents do not pay for LibreOffice loading Writer and the PDF filter."""
        document = docx.Document()
        document.add_paragraph("Наставник")
        out = io.BytesIO()
        document.save(out)
        threads = [threading.Thread(target=self._warm_one, args=(out.getvalue(),))
                   for _ in range(self.size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _warm_one(self, docx_bytes: bytes) -> None:
        try:
            self.convert(docx_bytes)
        except ConversionFailed as error:
            log.warning("PDF converter warm-up failed: %s", error.message)

    @property
    def soffice_pids(self) -> list[int | None]:
        """The soffice.bin pid of each converter (None while one is down)."""
        return [w.soffice_pid if w else None for w in self._workers]

    def convert(
        self, docx_bytes: bytes, *, pdfa: bool = True, timeout: float | None = None
    ) -> bytes:
        """PDF bytes of a DOCX (PDF/A-2b when ``pdfa``). Raises ConversionFailed."""
        check_docx(docx_bytes)
        job = _Job(docx_bytes, pdfa, timeout or self.timeout)
        with self._lock:
            if self._closed:
                raise ConversionFailed(FAILED + "конвертер остановлен")
            if self._jobs.qsize() >= self.max_queue:
                raise ConversionFailed(QUEUE_FULL)
            self._jobs.put(job)
        return job.future.result()

    def close(self) -> None:
        """Finish queued documents, stop every converter, remove the working folder."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for _ in self._threads:
                self._jobs.put(None)
        for thread in self._threads:
            thread.join(30)
        if self._own_dir:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def __enter__(self) -> "ConverterPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- dispatcher side: one thread per converter -------------------------------------

    def _serve(self, slot: int) -> None:
        slot_dir = self.work_dir / f"converter-{slot}"
        slot_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._ensure_worker(slot, slot_dir, quiet=True)
            self._ready[slot].set()
            while (job := self._jobs.get()) is not None:
                if not job.future.set_running_or_notify_cancel():
                    continue
                try:
                    job.future.set_result(self._run(slot, slot_dir, job))
                except BaseException as error:  # the caller must always get an answer
                    job.future.set_exception(error)
                self._ensure_worker(slot, slot_dir, quiet=True)  # restart before the next job
        finally:
            self._ready[slot].set()
            if worker := self._workers[slot]:
                worker.stop()
            self._workers[slot] = None

    def _ensure_worker(self, slot: int, slot_dir: Path, quiet: bool = False) -> _Worker | None:
        worker = self._workers[slot]
        if worker and worker.alive() and worker.conversions < self.max_conversions:
            return worker
        if worker:
            self._workers[slot] = None
            if worker.alive():
                log.info("recycling PDF converter %d after %d documents", slot, worker.conversions)
                worker.stop()
            else:
                log.warning(
                    "PDF converter %d exited (code %s), restarting", slot, worker.proc.returncode
                )
                worker.kill()
        try:
            self._workers[slot] = _Worker(slot_dir, self.startup_timeout,
                                          self.work_dir if self._own_dir else slot_dir)
        except (ConversionFailed, OSError) as error:
            log.error("PDF converter %d did not start: %s (see %s)", slot, error, slot_dir)
            if not quiet:
                raise ConversionFailed(FAILED + "конвертер LibreOffice не запустился") from error
        return self._workers[slot]

    def _run(self, slot: int, slot_dir: Path, job: _Job) -> bytes:
        source, target = slot_dir / "input.docx", slot_dir / "output.pdf"
        source.write_bytes(job.docx)
        try:
            return self._convert_file(slot, slot_dir, job, source, target)
        finally:  # the document and its PDF do not stay on disk
            source.unlink(missing_ok=True)
            target.unlink(missing_ok=True)

    def _convert_file(self, slot: int, slot_dir: Path, job: _Job, source: Path,
                      target: Path) -> bytes:
        for attempt in (1, 2):  # a converter that died mid-document gets one retry
            worker = self._ensure_worker(slot, slot_dir)
            target.unlink(missing_ok=True)
            try:
                worker.convert(source, target, job.pdfa, job.timeout)
                return _read_pdf(target)
            except queue.Empty:
                log.warning("PDF converter %d exceeded %g s, killing it", slot, job.timeout)
                worker.kill()
                self._workers[slot] = None
                raise ConversionFailed(
                    FAILED + f"превышено время ожидания ({job.timeout:g} с)"
                ) from None
            except _Died:
                log.warning("PDF converter %d died during a document (attempt %d)", slot, attempt)
                worker.kill()
                self._workers[slot] = None
        raise ConversionFailed(FAILED + "конвертер LibreOffice аварийно завершился")


# --- one pool per process, served to forked children ---------------------------------------

_pool: ConverterPool | None = None
_pool_pid: int | None = None
_pool_lock = threading.Lock()
_served: tuple[str, bytes] | None = None  # (socket, authkey) of a parent's served pool


def default_pool() -> ConverterPool:
    """The process-wide pool, created on first use (again after a fork), closed at exit."""
    global _pool, _pool_pid
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():
            if not available():
                raise ConversionFailed(FAILED + "LibreOffice не установлен")
            _pool, _pool_pid = ConverterPool(), os.getpid()
        return _pool


@atexit.register
def _close_default_pool() -> None:
    if _pool is not None and _pool_pid == os.getpid():
        _pool.close()


class ConverterServer:
    """Serves a pool to this process's forked children over a Unix socket in its folder.

    One connection per document: the client sends a JSON header and the DOCX, the server
    answers ``ok`` and the PDF, or ``failed`` and a Russian message. Connections are
    authenticated with a random key that only this process and its children hold; a
    client that dies mid-document (a killed work horse) costs the pool nothing.
    """

    def __init__(self, pool: ConverterPool):
        self.pool = pool
        self.address = str(pool.work_dir / "converter.sock")
        self.authkey = secrets.token_bytes(32)
        self._listener = Listener(self.address, family="AF_UNIX", authkey=self.authkey)
        self._closed = False
        threading.Thread(target=self._accept, daemon=True, name="pdf-server").start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn = self._listener.accept()
            except (EOFError, ValueError, AuthenticationError):  # a client that failed
                continue
            except OSError:  # the listener closed
                if self._closed:
                    return
                time.sleep(0.1)
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True,
                             name="pdf-client").start()

    def _serve(self, conn) -> None:
        with conn:
            try:
                header = json.loads(conn.recv_bytes())
                docx = conn.recv_bytes()
            except (EOFError, OSError, ValueError):
                return
            try:
                answer = (b"ok", self.pool.convert(docx, pdfa=bool(header.get("pdfa")),
                                                   timeout=header.get("timeout")))
            except ConversionFailed as error:
                answer = (b"failed", error.message.encode())
            except Exception:
                log.exception("PDF server: conversion failed")
                answer = (b"failed", (FAILED + "внутренняя ошибка конвертера").encode())
            try:
                conn.send_bytes(answer[0])
                conn.send_bytes(answer[1])
            except OSError:
                pass  # the client is gone (e.g. a killed work horse)

    def close(self) -> None:
        self._closed = True
        try:
            # wake the accept loop, then close
            Client(self.address, family="AF_UNIX", authkey=self.authkey).close()
        except Exception:
            pass
        self._listener.close()


def serve_default_pool() -> ConverterServer:
    """Start this process's pool (warm) and serve it to the children it will fork.

    Call before forking (the RQ worker does, at start). Close the server, then the pool
    (``close_default_pool``), when done.
    """
    global _served
    pool = default_pool()
    pool.wait_ready()
    pool.warm_up()
    server = ConverterServer(pool)
    _served = (server.address, server.authkey)
    return server


def close_default_pool() -> None:
    """Stop this process's pool and forget a served one (SIGTERM/SIGINT paths call this)."""
    global _pool, _served
    _close_default_pool()
    _pool, _served = None, None


def _remote_convert(docx_bytes: bytes, pdfa: bool, timeout: float | None) -> bytes:
    """Convert through the parent's served pool. Raises ConversionFailed."""
    check_docx(docx_bytes)
    address, authkey = _served
    wait = (timeout or 30.0) * 2 + 90  # queueing behind other documents, a restart
    try:
        with Client(address, family="AF_UNIX", authkey=authkey) as conn:
            conn.send_bytes(json.dumps({"pdfa": pdfa, "timeout": timeout}).encode())
            conn.send_bytes(docx_bytes)
            if not conn.poll(wait):
                raise ConversionFailed(FAILED + f"превышено время ожидания ({wait:g} с)")
            status, payload = conn.recv_bytes(), conn.recv_bytes()
    except (OSError, EOFError) as error:
        raise ConversionFailed(FAILED + "конвертер процесса-обработчика недоступен") from error
    if status != b"ok":
        raise ConversionFailed(payload.decode())
    return payload


def convert(docx_bytes: bytes, *, pdfa: bool = True, timeout: float | None = None) -> bytes:
    """PDF bytes of a DOCX through the warm pool (PDF/A-2b when ``pdfa``).

    In a child forked by a process that serves its pool, the parent's pool converts.
    ``timeout`` overrides the pool's per-document limit. Raises ConversionFailed.
    """
    if _served is not None and _pool_pid != os.getpid():
        return _remote_convert(docx_bytes, pdfa, timeout)
    return default_pool().convert(docx_bytes, pdfa=pdfa, timeout=timeout)


def cold_convert(docx_bytes: bytes, pdfa: bool = True, timeout: float = 120.0) -> bytes:
    """PDF bytes from one ``soffice --convert-to pdf`` with a fresh profile (the slow baseline).

    Raises ConversionFailed.
    """
    check_docx(docx_bytes)
    options = {
        "SelectPdfVersion": {"type": "long", "value": "2" if pdfa else "0"},
        "UseTaggedPDF": {"type": "boolean", "value": "true" if pdfa else "false"},
    }
    with tempfile.TemporaryDirectory(prefix=f"{COLD_PREFIX}{os.getpid()}-") as tmp:
        folder = Path(tmp)
        (folder / "document.docx").write_bytes(docx_bytes)
        try:
            proc = subprocess.Popen(
                [soffice_path(), f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                 "--headless", "--norestore", "--nolockcheck",
                 "--convert-to", "pdf:writer_pdf_Export:" + json.dumps(options),
                 "--outdir", str(folder), str(folder / "document.docx")],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        except OSError as error:
            raise ConversionFailed(FAILED + "LibreOffice не установлен") from error
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ConversionFailed(FAILED + f"превышено время ожидания ({timeout:g} с)") from None
        _kill_group(proc)  # leftovers of the group, if any
        return _read_pdf(folder / "document.pdf")
