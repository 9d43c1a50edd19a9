"""Batches of documents rendered together (e.g. consents for 40 teachers), with progress.

A batch is a small record: its organization and the user who started it, the document
ids, the format (pdf/docx), how many are done, its state (queued → started → finished |
failed), the SHA-256 of the resulting ZIP in the blob store, and per-document problems. It
lives in Redis (``REDIS_URL``, a hash that expires after a day) so that the web process
reads what an RQ worker writes; without Redis, in the process's memory (jobs then run
in-process anyway).

A batch belongs to the user who started it: ``load`` finds it only for that user in that
organization (anyone else, staff included, gets NotFound), because its ZIP holds what that
user may open and nothing more. The caller passes only ids the user may open (the web
layer filters them through the one document loader); ids it refused are kept in
``refused`` and reported as «не найден», like ids that do not exist.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterable
from typing import Any

from flask import current_app

from storage.states import BatchState
from workflows.errors import NotFound, ValidationError

STATES = tuple(BatchState)
FORMATS = ("pdf", "docx")
TTL = 24 * 3600
MAX_DOCUMENTS = 500
_memory: dict[str, dict[str, Any]] = {}
_memory_lock = threading.Lock()


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis  # deferred: Redis is loaded only when REDIS_URL is set

    return Redis.from_url(url, decode_responses=True)


def _key(batch_id: str) -> str:
    return f"nastavnik:batch:{batch_id}"


def create(organization_id: int, document_ids: list[int], fmt: str, user_id: int,
           refused: Iterable[int] = ()) -> str:
    """A new queued batch of ``user_id``; return its id. ValidationError if empty, too big
    or bad format. ``document_ids`` must be ids the user may open; ``refused`` are the ids
    he asked for and may not open (only reported)."""
    ids = list(dict.fromkeys(int(i) for i in document_ids))
    if not ids:
        raise ValidationError("Отметьте хотя бы один документ.",
                              {"document_ids": ["Отметьте хотя бы один документ."]})
    if len(ids) > MAX_DOCUMENTS:
        raise ValidationError(f"В одном пакете не больше {MAX_DOCUMENTS} документов.",
                              {"document_ids": [f"Не больше {MAX_DOCUMENTS}."]})
    if fmt not in FORMATS:
        raise ValidationError("Выберите формат: PDF или DOCX.", {"format": ["PDF или DOCX."]})
    batch_id = uuid.uuid4().hex
    _write(batch_id, {"organization_id": organization_id, "user_id": user_id,
                      "document_ids": ids, "format": fmt, "total": len(ids), "done": 0,
                      "state": BatchState.QUEUED, "result": None, "problems": [],
                      "refused": list(dict.fromkeys(int(i) for i in refused))})
    return batch_id


def get(batch_id: str) -> dict[str, Any] | None:
    """The batch record, or None if unknown (or expired)."""
    r = _redis()
    if r is None:
        with _memory_lock:
            record = _memory.get(batch_id)
            return json.loads(json.dumps(record)) if record else None
    raw = r.get(_key(batch_id))
    return json.loads(raw) if raw else None


def load(organization_id: int, user_id: int, batch_id: str) -> dict[str, Any]:
    """The batch that ``user_id`` started in the organization, or NotFound (also for
    another user's or another organization's)."""
    record = get(batch_id) if len(batch_id) == 32 and batch_id.isalnum() else None
    if record is None or record["organization_id"] != organization_id \
            or record.get("user_id") != user_id:
        raise NotFound("Пакет документов не найден (или срок его хранения истёк).")
    return record


def update(batch_id: str, **changes: Any) -> dict[str, Any]:
    record = get(batch_id) or {}
    record.update(changes)
    _write(batch_id, record)
    return record


def advance(batch_id: str, problem: str | None = None) -> dict[str, Any]:
    """One more document done (with a problem to report, if any)."""
    record = get(batch_id) or {}
    record["done"] = min(record.get("done", 0) + 1, record.get("total", 0))
    if problem:
        record.setdefault("problems", []).append(problem)
    _write(batch_id, record)
    return record


def progress(record: dict[str, Any]) -> dict[str, Any]:
    """What the page polls: done, total, state, and the problems so far."""
    refused = [f"Документ {i} не найден." for i in record.get("refused", [])]
    return {"done": record["done"], "total": record["total"], "state": record["state"],
            "problems": refused + record.get("problems", []),
            "ready": record.get("result") is not None}


def _write(batch_id: str, record: dict[str, Any]) -> None:
    r = _redis()
    if r is None:
        with _memory_lock:
            _memory[batch_id] = json.loads(json.dumps(record))
        return
    r.set(_key(batch_id), json.dumps(record, ensure_ascii=False), ex=TTL)
