"""Checkpoints of the audit heads, kept outside the database.

A keyed head proves the chain it names was written by the service, but an old keyed head is
still valid: whoever can write the database may delete the newest rows and put back a head
they saved earlier. So after each commit that appended to a chain, the committed head
(organization, count, last id, last hash, key id, MAC) is appended as one line to
``AUDIT_CHECKPOINT_FILE`` (default ``STORAGE_DIR/audit-heads.log``), beside the archive and
backed up with it. ``flask audit verify`` then refuses a chain shorter than, or different
from, the newest checkpoint: a rollback to an older head is found.

The file only grows; the line with the highest count of an organization counts, whatever the
order of lines (concurrent commits may write theirs out of order). A line whose MAC does not
hold under the current key is ignored: it proves nothing.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from storage.keys import AUDIT_HEAD, IntegrityKey

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    organization_id: int
    count: int
    last_id: int
    last_hash: str
    key_id: str
    mac: str

    def line(self) -> str:
        return (f"{self.organization_id} {self.count} {self.last_id} {self.last_hash} "
                f"{self.key_id} {self.mac}\n")


def head_message(organization_id: int, count: int, last_id: int, last_hash: str) -> str:
    """What a head's MAC covers (the same for the head row and its checkpoint)."""
    return f"{organization_id}:{count}:{last_id}:{last_hash}"


def path() -> Path:
    configured = current_app.config.get("AUDIT_CHECKPOINT_FILE")
    return Path(configured or Path(current_app.config["STORAGE_DIR"]) / "audit-heads.log")


def record(file: Path, checkpoints: list[Checkpoint]) -> None:
    """Append ``checkpoints`` to ``file``; a failure is logged, never raised (the database
    has committed already, and the checkpoint is a second line of defence)."""
    if not checkpoints:
        return
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        with os.fdopen(fd, "a") as f:
            f.write("".join(c.line() for c in checkpoints))  # one write: lines stay whole
    except OSError:
        log.exception("audit checkpoint not written to %s", file)


def latest(file: Path, key: IntegrityKey) -> dict[int, Checkpoint]:
    """The checkpoint with the highest count per organization, among lines valid under
    ``key``; empty if the file does not exist."""
    best: dict[int, Checkpoint] = {}
    try:
        text = file.read_text()
    except FileNotFoundError:
        return best
    for raw in text.splitlines():
        parts = raw.split()
        if len(parts) != 6 or not all(p.isdigit() for p in parts[:3]):
            continue
        cp = Checkpoint(int(parts[0]), int(parts[1]), int(parts[2]), *parts[3:])
        if cp.key_id != key.key_id or not key.check(
                AUDIT_HEAD, head_message(cp.organization_id, cp.count, cp.last_id,
                                         cp.last_hash), cp.mac):
            continue
        if cp.organization_id not in best or cp.count > best[cp.organization_id].count:
            best[cp.organization_id] = cp
    return best
