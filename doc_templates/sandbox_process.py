"""Checking and rendering an uploaded template in a separate process with hard limits.

The sandbox of ``doc_templates.environment`` keeps a template from Python's internals and
bounds the work it can ask for; this module is the second wall, for what no check
foresees (a pathological XML part, a docxtpl corner case, a bound we got wrong). Every
check of an upload (``check``) and every render of an uploaded template (``render``) runs
in a fresh child process that

- may use ``Limits.timeout`` seconds of CPU (``RLIMIT_CPU``) and is killed when it has
  not answered within as many seconds of wall clock;
- may allocate ``Limits.memory_mb`` MB beyond the loaded renderer (``RLIMIT_AS``);
- may answer a document of at most ``Limits.output_mb`` MB (and render at most as much
  XML text);
- runs at a lower priority (nice 10), so the web workers stay responsive, and holds no
  secrets: its environment is cleared of everything but the locale and paths.

The children are forked by a small helper process (a "zygote", ``python -m
doc_templates.sandbox_process``) started on first use, which has imported the renderer
once: a render costs a fork and the template's preparation, not a Python start (the
overhead is measured in bench/README.md). multiprocessing's forkserver is not used: it
re-imports the parent's main script (gunicorn, pytest) in every child. The child answers
in JSON plus raw bytes, never a pickle, so even a child that went wrong cannot run code in
the web process. Built-in templates do not come here: they are trusted and rendered
in-process from the cache of ``doc_templates.render``.

Every refusal is a ``TemplateProblem`` (422): ``TemplateLimit`` naming the limit exceeded,
or the check's own message. The caller must not hold a database transaction while waiting:
on SQLite an open transaction holds the write lock (see webforms/templates_admin.py).
"""

from __future__ import annotations

import atexit
import json
import math
import os
import pickle
import resource
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context

from storage.errors import TemplateLimit, TemplateProblem

DEFAULT_TIMEOUT = 5.0  # seconds of CPU and of wall clock
DEFAULT_MEMORY_MB = 256  # beyond what the loaded renderer already maps
DEFAULT_OUTPUT_MB = 20  # the rendered DOCX, and the XML text rendered into it
MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60  # seconds for the zygote to import the renderer
KEPT_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "HOME", "PYTHONPATH",
                    "PYTHONHASHSEED", "VIRTUAL_ENV")


@dataclass(frozen=True)
class Limits:
    """How much one check or render of an uploaded template may take."""

    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    output_mb: int = DEFAULT_OUTPUT_MB


def limits() -> Limits:
    """The limits configured for the app in the current context (defaults without one)."""
    if not has_app_context():
        return Limits()
    config = current_app.config
    return Limits(timeout=float(config.get("TEMPLATE_RENDER_TIMEOUT", DEFAULT_TIMEOUT)),
                  memory_mb=int(config.get("TEMPLATE_RENDER_MEMORY_MB", DEFAULT_MEMORY_MB)),
                  output_mb=int(config.get("TEMPLATE_OUTPUT_MAX_MB", DEFAULT_OUTPUT_MB)))


def render(template: bytes, context: dict[str, Any], within: Limits | None = None) -> bytes:
    """The uploaded ``template`` rendered with ``context`` in a limited process.

    Raises TemplateProblem (TemplateLimit when a limit was exceeded).
    """
    return _run("render", (template, context), within or limits())


def check(data: bytes, allowed: dict[str, set[str] | None], sample: dict[str, Any],
          within: Limits | None = None) -> list[str]:
    """The variables an uploaded template uses, checked and trial-rendered with ``sample``
    in a limited process (see ``doc_templates.uploads``). Raises TemplateProblem."""
    return _run("check", (data, allowed, sample), within or limits())


# --- the parent's side ---------------------------------------------------------------------


class _Zygote:
    """The helper that forks the children; one per web process, restarted if it died."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.owner = 0
        self.process: subprocess.Popen | None = None
        self.control: socket.socket | None = None

    def channel(self) -> socket.socket:
        """A socket to a newly forked child."""
        with self.lock:
            for attempt in (1, 2):
                if self.owner != os.getpid() or self.process is None or \
                        self.process.poll() is not None:
                    self._start()
                ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    socket.send_fds(self.control, [b"r"], [theirs.fileno()])
                    return ours
                except OSError:
                    ours.close()
                    self.process = None  # gone: start another
                    if attempt == 2:
                        raise
                finally:
                    theirs.close()
        raise AssertionError("unreachable")

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {k: v for k, v in os.environ.items() if k in KEPT_ENVIRONMENT}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get(
            "PYTHONPATH")])])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "doc_templates.sandbox_process", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
        theirs.close()
        ours.settimeout(START_TIMEOUT)
        try:
            ready = ours.recv(16)
        except OSError:
            ready = b""
        if ready != b"ready":
            self.process.kill()
            raise TemplateProblem("Не удалось запустить проверку шаблонов на сервере. "
                                  "Повторите попытку позже.")
        ours.settimeout(None)
        self.control, self.owner = ours, os.getpid()

    def stop(self) -> None:
        if self.owner == os.getpid() and self.process is not None:
            self.control.close()
            try:
                self.process.wait(2)
            except subprocess.TimeoutExpired:
                self.process.kill()


_zygote = _Zygote()
atexit.register(_zygote.stop)


def _run(task: str, args: tuple, within: Limits) -> Any:
    conn = _zygote.channel()
    try:
        conn.settimeout(START_TIMEOUT)
        pid = struct.unpack("!q", _recv_exactly(conn, 8))[0]
        _send_block(conn, pickle.dumps((task, args, within)))
        deadline = time.monotonic() + within.timeout
        try:
            header = json.loads(_recv_block(conn, deadline))
            data = _recv_block(conn, deadline) if header.get("data") else b""
        except TimeoutError:
            _kill(pid)
            raise _over_time(within) from None
        except (EOFError, OSError, ValueError):
            _kill(pid)
            raise TemplateLimit(f"Обработка шаблона остановлена: превышен предел времени "
                                f"({within.timeout:g} с) или памяти ({within.memory_mb} МБ)."
                                ) from None
    finally:
        conn.close()
    status, message = header.get("status"), header.get("message", "")
    if status == "ok":
        return data if task == "render" else header.get("used", [])
    if status == "limit":
        raise TemplateLimit(message)
    if status == "cpu":
        raise TemplateLimit(f"Шаблон занял процессор дольше {within.timeout:g} с и был "
                            f"остановлен (предел процессорного времени).")
    if status == "memory":
        raise TemplateLimit(f"Шаблону не хватило {within.memory_mb} МБ памяти, и его "
                            f"обработка остановлена (предел памяти).")
    if status == "problem":
        raise TemplateProblem(message)
    raise TemplateProblem(f"Не удалось обработать шаблон ({message}). Сохраните документ в "
                          f"Word заново и загрузите ещё раз.")


def _over_time(within: Limits) -> TemplateLimit:
    return TemplateLimit(f"Шаблон заполнялся дольше {within.timeout:g} с и был остановлен "
                         f"(предел времени). Упростите циклы и вычисления в шаблоне.")


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# --- framing: a length, then bytes --------------------------------------------------------


def _send_block(conn: socket.socket, data: bytes) -> None:
    conn.sendall(struct.pack("!Q", len(data)) + data)


def _recv_block(conn: socket.socket, deadline: float | None = None) -> bytes:
    size = struct.unpack("!Q", _recv_exactly(conn, 8, deadline))[0]
    if size > 1024 * MB:
        raise ValueError("block too large")
    return _recv_exactly(conn, size, deadline)


def _recv_exactly(conn: socket.socket, size: int, deadline: float | None = None) -> bytes:
    chunks, left = [], size
    while left:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            conn.settimeout(remaining)
        chunk = conn.recv(min(left, 1024 * 1024))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# --- the zygote and its children -----------------------------------------------------------


class _CpuExceeded(BaseException):
    """SIGXCPU arrived: a BaseException, so no library's ``except Exception`` swallows it."""


def _serve(control_fd: int) -> None:
    """The zygote: import the renderer, then fork one child per channel received."""
    # a real cycle (render imports this module); loaded here once, in the zygote, so that
    # every forked child has the renderer ready
    from doc_templates import render, uploads  # noqa: F401

    render.environment()
    control = socket.socket(fileno=control_fd)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C of the server is the parent's
    control.send(b"ready")
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(control, 16, 4)
        except (OSError, InterruptedError):
            break
        if not message and not fds:
            break  # the web process is gone
        for fd in fds[1:]:
            os.close(fd)
        if not fds:
            continue
        pid = os.fork()
        if pid == 0:
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                _child(socket.socket(fileno=fds[0]))
            finally:
                os._exit(0)
        os.close(fds[0])


def _child(conn: socket.socket) -> None:
    conn.sendall(struct.pack("!q", os.getpid()))
    request = _recv_block(conn)
    task, args, within = pickle.loads(request)
    del request
    _limit_self(within)
    data = b""
    try:
        result = TASKS[task](*args, within)
        if task == "render":
            header, data = {"status": "ok", "data": True}, result
        else:
            header = {"status": "ok", "used": result}
    except _CpuExceeded:
        header = {"status": "cpu"}
    except TemplateLimit as exc:
        header = {"status": "limit", "message": exc.message}
    except TemplateProblem as exc:
        header = {"status": "problem", "message": exc.message}
    except MemoryError:
        header = {"status": "memory"}
    except RecursionError:
        header = {"status": "limit", "message": "Шаблон вызывает сам себя слишком глубоко "
                                                "(предел рекурсии)."}
    except Exception as exc:  # a bug or an unforeseen broken file: reported, not raised
        header = {"status": "error", "message": type(exc).__name__}
    _send_block(conn, json.dumps(header, ensure_ascii=False).encode())
    if data:
        _send_block(conn, data)
    conn.close()


def _on_cpu_limit(_signum, _frame) -> None:
    raise _CpuExceeded


def _limit_self(within: Limits) -> None:
    cpu = max(1, math.ceil(within.timeout))
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = math.ceil(used.ru_utime + used.ru_stime)  # inherited from the zygote's count
    signal.signal(signal.SIGXCPU, _on_cpu_limit)
    resource.setrlimit(resource.RLIMIT_CPU, (spent + cpu, spent + cpu + 1))
    mapped = _mapped_bytes()
    if mapped:
        memory = mapped + within.memory_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(10)


def _mapped_bytes() -> int:
    """This process's virtual size (what RLIMIT_AS counts), 0 if unknown."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _render_task(template: bytes, context: dict[str, Any], within: Limits) -> bytes:
    from doc_templates.render import render_docx  # a real cycle: render imports this module

    docx = render_docx(template, context, max_output=within.output_mb * MB)
    if len(docx) > within.output_mb * MB:
        raise TemplateLimit(f"Готовый документ по шаблону больше {within.output_mb} МБ "
                            f"(предел размера документа).")
    return docx


def _check_task(data: bytes, allowed: dict[str, set[str] | None], sample: dict[str, Any],
                within: Limits) -> list[str]:
    from doc_templates.uploads import inspect_template  # a cycle: uploads imports render

    used = inspect_template(data, allowed)
    try:  # a trial render with the sample: a template too costly to fill is refused now
        _render_task(data, sample, within)
    except TemplateLimit:
        raise
    except TemplateProblem:
        pass  # the sample may lack what a real document holds; the names were checked
    return used


TASKS = {"render": _render_task, "check": _check_task}

if __name__ == "__main__":  # the zygote: run the module's own copy, not __main__'s
    from doc_templates.sandbox_process import _serve as serve

    serve(int(sys.argv[1]))
