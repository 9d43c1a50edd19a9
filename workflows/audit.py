"""The append-only audit log, chained by hashes per organization.

Each row stores the hash of the previous row of its organization and the hash of its own
content (who, when, action, from, to, comment, document content hash, previous hash).
``verify`` walks a chain and names the first row that was altered or whose predecessor was
removed. Appends are serialised by locking the organization's ``AuditHead`` row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import AuditEntry, AuditHead, User

GENESIS = "0" * 64


def _row_digest(entry: AuditEntry) -> str:
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
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def append(session: Session, *, organization_id: int, document_id: int | None,
           actor: User | None, action: str, from_state: str | None, to_state: str | None,
           comment: str = "", content_hash: str = "") -> AuditEntry:
    """Append one row to the organization's chain, inside the caller's transaction."""
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
        content_hash=content_hash or "", prev_hash=head.last_hash,
    )
    entry.row_hash = _row_digest(entry)
    session.add(entry)
    session.flush()
    session.execute(update(AuditHead).where(AuditHead.organization_id == organization_id)
                    .values(last_id=entry.id, last_hash=entry.row_hash,
                            count=AuditHead.count + 1))
    return entry


@dataclass
class VerifyResult:
    organization_id: int
    rows: int
    ok: bool
    problem: str = ""
    bad_row_id: int | None = None


def verify(session: Session, organization_id: int) -> VerifyResult:
    """Check the chain of one organization; return the first problem found, if any."""
    prev = GENESIS
    count = 0
    rows = session.scalars(select(AuditEntry).where(AuditEntry.organization_id == organization_id)
                           .order_by(AuditEntry.id))
    for entry in rows:
        count += 1
        if entry.prev_hash != prev:
            return VerifyResult(organization_id, count, False,
                                f"запись № {entry.id}: предыдущая запись удалена или изменена "
                                f"(ссылка на предыдущую не совпадает)", entry.id)
        if _row_digest(entry) != entry.row_hash:
            return VerifyResult(organization_id, count, False,
                                f"запись № {entry.id}: содержимое изменено "
                                f"(хеш записи не совпадает)", entry.id)
        prev = entry.row_hash
    head = session.get(AuditHead, organization_id)
    if head is not None and (head.last_hash != prev or head.count != count):
        return VerifyResult(organization_id, count, False,
                            f"последние записи журнала удалены: ожидалось {head.count}, "
                            f"найдено {count}", head.last_id)
    return VerifyResult(organization_id, count, True)
