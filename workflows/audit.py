"""The append-only audit log, chained per organization and keyed by the integrity key.

Each row stores the hash of the previous row of its organization and ``row_hash``, an
HMAC-SHA256 (storage/keys.py) of its content: who, when, action, from, to, comment, document
content hash, previous hash. The organization's ``AuditHead`` (count, last id, last hash) is
keyed too (``mac``), and after each commit a copy of it goes to a checkpoint file outside the
database (storage/checkpoints.py). Appends are serialised by locking the head row.

``verify`` walks a chain and names the first problem: a row altered or recomputed without
the key, a removed row, a head that does not match the rows or is not the service's, a chain
shorter than or different from the newest checkpoint (the tail cut off and an old head put
back).

Rows written before migration 0008 have no ``key_id``: they are checked with the plain
SHA-256 they were made with and counted as «без ключа». They are protected only by the first
keyed row after them (whose MAC covers their last hash) and by the keyed head; a row without
a key after a keyed one is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from storage import checkpoints, keys
from storage.checkpoints import Checkpoint, head_message
from storage.keys import AUDIT_HEAD, AUDIT_ROW, IntegrityKey
from storage.models import AuditEntry, AuditHead, User

GENESIS = "0" * 64


def _payload(entry: AuditEntry) -> str:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    payload = {
        "organization_id": entry.organization_id,
        "document_id": entry.document_id,
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "action": entry.action,
        "from": entry.from_state,
        "to": entry.to_state,
        "comment": entry.comment,
        "content_hash": entry.content_hash,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _row_digest(entry: AuditEntry, key: IntegrityKey) -> str:
    """The row's hash: HMAC under the chain key."""
    return key.mac(AUDIT_ROW, _payload(entry))


def _unkeyed_digest(entry: AuditEntry) -> str:
    """The plain SHA-256 of rows written before the integrity key (migration 0008)."""
    return hashlib.sha256(_payload(entry).encode()).hexdigest()


def head_mac(key: IntegrityKey, organization_id: int, count: int, last_id: int,
             last_hash: str) -> str:
    return key.mac(AUDIT_HEAD, head_message(organization_id, count, last_id, last_hash))


def append(session: Session, *, organization_id: int, document_id: int | None,
           actor: User | None, action: str, from_state: str | None, to_state: str | None,
           comment: str = "", content_hash: str = "") -> AuditEntry:
    """Append one row to the organization's chain, inside the caller's transaction.

    The head is checkpointed outside the database when the caller commits."""
    key = keys.current()
    head = session.execute(
        select(AuditHead).where(AuditHead.organization_id == organization_id)
        .with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(organization_id=organization_id, last_id=0, last_hash=GENESIS, count=0)
        session.add(head)
        session.flush()
    entry = AuditEntry(
        organization_id=organization_id, document_id=document_id,
        actor_id=actor.id if actor else None, actor_name=actor.full_name if actor else "система",
        at=datetime.now(UTC),
        action=action, from_state=from_state, to_state=to_state, comment=comment or "",
        content_hash=content_hash or "", prev_hash=head.last_hash, key_id=key.key_id,
    )
    entry.row_hash = _row_digest(entry, key)
    session.add(entry)
    session.flush()
    count = head.count + 1  # the head row is locked: nobody else moved it
    session.execute(update(AuditHead).where(AuditHead.organization_id == organization_id)
                    .values(last_id=entry.id, last_hash=entry.row_hash, count=count,
                            key_id=key.key_id,
                            mac=head_mac(key, organization_id, count, entry.id,
                                         entry.row_hash)))
    _checkpoint_at_commit(session, organization_id)
    return entry


def _checkpoint_at_commit(session: Session, organization_id: int) -> None:
    session.info.setdefault("audit_orgs", set()).add(organization_id)
    session.info["audit_checkpoint_file"] = checkpoints.path()


@event.listens_for(Session, "before_commit")
def _read_heads_to_checkpoint(session: Session) -> None:
    """Read the heads this transaction moved, as they will be committed."""
    orgs = session.info.pop("audit_orgs", None)
    if not orgs:
        return
    heads = session.scalars(select(AuditHead).where(AuditHead.organization_id.in_(orgs))
                            .execution_options(populate_existing=True)).all()
    session.info["audit_checkpoints"] = [
        Checkpoint(h.organization_id, h.count, h.last_id, h.last_hash, h.key_id, h.mac)
        for h in heads if h.mac and h.key_id]


@event.listens_for(Session, "after_commit")
def _write_checkpoints(session: Session) -> None:
    pending = session.info.pop("audit_checkpoints", None)
    file: Path | None = session.info.get("audit_checkpoint_file")
    if pending and file is not None:
        checkpoints.record(file, pending)


@event.listens_for(Session, "after_rollback")
def _forget_checkpoints(session: Session) -> None:
    session.info.pop("audit_orgs", None)
    session.info.pop("audit_checkpoints", None)


@dataclass
class VerifyResult:
    organization_id: int
    rows: int
    ok: bool
    problem: str = ""
    bad_row_id: int | None = None
    unkeyed: int = 0  # rows written before the integrity key, checked by plain SHA-256
    key_id: str = ""
    checkpointed: bool = False  # a checkpoint outside the database vouched for the rows
    against_checkpoint: bool = False  # the problem is a disagreement with the checkpoint


Problem = tuple[str, int | None]  # the Russian message and the row it names


@dataclass
class _Walk:
    """What walking the rows of a chain found."""

    rows: int = 0
    unkeyed: int = 0
    last_hash: str = GENESIS
    at_checkpoint: tuple[int, str] | None = None  # (id, hash) of the row at its count
    problem: Problem | None = None


def _other_key(what: str, needed: str, key: IntegrityKey) -> str:
    return (f"{what} заверена ключом целостности {needed}, а у сервиса ключ {key.key_id}: "
            f"проверить её можно только с ключом {needed}")


def _walk(session: Session, organization_id: int, key: IntegrityKey,
          checkpoint: Checkpoint | None) -> _Walk:
    walk = _Walk()
    rows = session.scalars(select(AuditEntry).where(AuditEntry.organization_id == organization_id)
                           .order_by(AuditEntry.id))
    for entry in rows:
        walk.rows += 1
        if entry.prev_hash != walk.last_hash:
            walk.problem = (f"запись № {entry.id}: предыдущая запись удалена или изменена "
                            f"(ссылка на предыдущую не совпадает)", entry.id)
        elif entry.key_id is None:
            if walk.rows > walk.unkeyed + 1:
                walk.problem = (f"запись № {entry.id}: записана без ключа целостности после "
                                f"записей с ключом — её подменили", entry.id)
            elif _unkeyed_digest(entry) != entry.row_hash:
                walk.problem = (f"запись № {entry.id}: содержимое изменено "
                                f"(хеш записи не совпадает)", entry.id)
            walk.unkeyed += 1
        elif entry.key_id != key.key_id:
            walk.problem = (_other_key(f"запись № {entry.id}", entry.key_id, key), entry.id)
        elif not key.check(AUDIT_ROW, _payload(entry), entry.row_hash):
            walk.problem = (f"запись № {entry.id}: содержимое изменено (хеш записи не "
                            f"совпадает с ключом целостности: запись изменена или "
                            f"пересчитана)", entry.id)
        if walk.problem:
            return walk
        if checkpoint is not None and walk.rows == checkpoint.count:
            walk.at_checkpoint = (entry.id, entry.row_hash)
        walk.last_hash = entry.row_hash
    return walk


def _head_problem(head: AuditHead | None, walk: _Walk, key: IntegrityKey,
                  organization_id: int) -> Problem | None:
    """Is the head the service's, and does it name the rows there are?"""
    if head is None:
        return ("заголовок журнала удалён", None) if walk.rows else None
    if head.mac is None:
        if walk.rows > walk.unkeyed:
            return ("заголовок журнала не заверен ключом целостности, а записи с ключом "
                    "есть — заголовок подменён", head.last_id)
    elif head.key_id != key.key_id:
        return _other_key("заголовок журнала", head.key_id or "—", key), head.last_id
    elif not key.check(AUDIT_HEAD, head_message(organization_id, head.count, head.last_id,
                                                head.last_hash), head.mac):
        return (f"заголовок журнала подделан: его подпись ключом целостности не совпадает "
                f"(в заголовке записей: {head.count}, последняя № {head.last_id})",
                head.last_id)
    if head.last_hash != walk.last_hash or head.count != walk.rows:
        return (f"последние записи журнала удалены: ожидалось {head.count}, "
                f"найдено {walk.rows}", head.last_id)
    return None


def _checkpoint_problem(checkpoint: Checkpoint, walk: _Walk) -> Problem | None:
    """Does the chain still hold the newest head checkpointed outside the database?"""
    if walk.rows < checkpoint.count:
        return (f"журнал откатился: контрольная точка вне базы помнит записей "
                f"{checkpoint.count} (последняя № {checkpoint.last_id}), в базе {walk.rows} "
                f"— последние записи удалены, заголовок восстановлен из старой копии",
                checkpoint.last_id)
    if walk.at_checkpoint != (checkpoint.last_id, checkpoint.last_hash):
        return (f"запись № {checkpoint.last_id} не совпадает с контрольной точкой вне базы "
                f"— журнал пересчитан", checkpoint.last_id)
    return None


def verify(session: Session, organization_id: int, *,
           newest: dict[int, Checkpoint] | None = None) -> VerifyResult:
    """Check the chain of one organization: rows, head, checkpoint; return the first
    problem found, if any.

    ``newest`` is ``checkpoints.latest(...)`` when the caller has read the checkpoint file
    already (the CLI reads it once for all organizations); None reads it here."""
    key = keys.current()
    if newest is None:
        newest = checkpoints.latest(checkpoints.path(), key)
    checkpoint = newest.get(organization_id)
    walk = _walk(session, organization_id, key, checkpoint)
    problem = walk.problem or _head_problem(session.get(AuditHead, organization_id), walk,
                                            key, organization_id)
    against_checkpoint = False
    if problem is None and checkpoint is not None:
        problem = _checkpoint_problem(checkpoint, walk)
        against_checkpoint = problem is not None
    result = VerifyResult(organization_id, walk.rows, problem is None, unkeyed=walk.unkeyed,
                          key_id=key.key_id, checkpointed=checkpoint is not None,
                          against_checkpoint=against_checkpoint)
    if problem is not None:
        result.problem, result.bad_row_id = problem
    return result


def seal(session: Session, organization_id: int) -> VerifyResult:
    """Key the head of an intact chain under the current key and checkpoint it at commit:
    the upgrade path of chains written before migration 0008 (their rows stay «без ключа»,
    but from now on the keyed head and the checkpoint cover them). Changes nothing and
    returns the problem if the chain is not intact."""
    result = verify(session, organization_id)
    head = session.get(AuditHead, organization_id)
    if not result.ok or head is None:
        return result
    key = keys.current()
    head.key_id = key.key_id
    head.mac = head_mac(key, organization_id, head.count, head.last_id, head.last_hash)
    session.flush()
    _checkpoint_at_commit(session, organization_id)
    return result
