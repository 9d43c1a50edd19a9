"""A warm DOCX→PDF converter: one soffice, driven through UNO, serving JSON lines.

Run by a Python that can ``import uno`` (Debian's /usr/bin/python3 with python3-uno),
never imported by the app: ``doc_templates/pdf.py`` starts it as a child process.

    pdf_worker.py --soffice PATH --profile DIR [--startup-timeout S] [--owner PID --work-dir DIR]

It starts its own ``soffice --headless`` with its own profile, connects through a named
pipe, prints ``{"ready": true, "soffice_pid": N}``, then reads requests
``{"id", "input", "output", "pdfa"}`` from stdin and answers ``{"id", "ok", "error"?}``.
If soffice dies it answers ``"fatal": true`` and exits; on EOF it shuts soffice down.
If the EOF came because its owner (``--owner``, the pool's process) died — killed, or ended
by a signal that ran no clean-up — it also removes the pool's folder ``--work-dir``, with
the profile and whatever document was being converted.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def props(**values):
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


def descendant_named(pid, name):
    """The pid of the first descendant of ``pid`` whose command is ``name`` (soffice.bin)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1 : stat.rindex(")")]
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            children.setdefault(ppid, []).append((int(entry), comm))
    todo = [pid]
    while todo:
        for child, comm in children.get(todo.pop(), []):
            if comm == name:
                return child
            todo.append(child)
    return pid


def start(soffice, profile, timeout):
    pipe = f"nastavnik-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    proc = subprocess.Popen(
        [soffice, "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
         "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=sys.stderr,
    )  # fmt: skip
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit(f"soffice did not start (exit code {proc.poll()})") from None
            time.sleep(0.05)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return proc, desktop


def convert(desktop, request):
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(request["input"]), "_blank", 0,
        props(Hidden=True, ReadOnly=True, FilterName="MS Word 2007 XML",
              MacroExecutionMode=0, UpdateDocMode=0),
    )  # fmt: skip
    if doc is None:
        raise RuntimeError("the document could not be opened")
    try:
        pdfa = bool(request.get("pdfa"))
        filter_data = uno.Any(
            "[]com.sun.star.beans.PropertyValue",
            props(SelectPdfVersion=2 if pdfa else 0, UseTaggedPDF=pdfa),
        )
        uno.invoke(doc, "storeToURL", (
            uno.systemPathToFileUrl(request["output"]),
            props(FilterName="writer_pdf_Export", FilterData=filter_data),
        ))  # fmt: skip
    finally:
        doc.close(True)


def alive(proc, desktop):
    """Whether soffice still answers (a failed conversion may mean it died)."""
    try:
        desktop.getComponents()
    except Exception:
        return False
    return proc.poll() is None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--startup-timeout", type=float, default=60)
    parser.add_argument("--owner", type=int, default=0)
    parser.add_argument("--work-dir", default="")
    args = parser.parse_args()

    # Keep the protocol channel for ourselves: anything else written to fd 1 goes to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)

    def reply(**message):
        out.write(json.dumps(message, ensure_ascii=False) + "\n")

    proc, desktop = start(args.soffice, args.profile, args.startup_timeout)
    soffice_pid = descendant_named(proc.pid, "soffice.bin")
    reply(ready=True, soffice_pid=soffice_pid)
    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                convert(desktop, request)
                reply(id=request["id"], ok=True)
            except Exception as error:
                fatal = not alive(proc, desktop)
                error = f"{type(error).__name__}: {error}"
                reply(id=request["id"], ok=False, fatal=fatal, error=error)
                if fatal:
                    sys.exit(3)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if args.owner and args.work_dir and os.getppid() != args.owner:  # orphaned
            try:
                os.kill(soffice_pid, signal.SIGKILL)  # if terminate() did not end it
            except OSError:
                pass
            shutil.rmtree(args.work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
