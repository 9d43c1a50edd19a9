"""Lists a form picks records from (pairs/groups, programs, orders), scoped to the
current organization: ``options(source) -> [(id, label)]``."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from storage.db import db_session
from storage.models import Document, MentoringGroup, Program
from webforms.auth import current_org_id
from workflows.states import DocState


def _group_label(group: MentoringGroup) -> str:
    mentees = ", ".join(m.mentee.full_name for m in group.members)
    return (f"Пара/группа № {group.id}: наставник {group.mentor.full_name}; наставляемые: "
            f"{mentees} ({group.start_date:%d.%m.%Y} – {group.end_date:%d.%m.%Y})")


def groups() -> list[tuple[int, str]]:
    rows = db_session().scalars(select(MentoringGroup).where(
        MentoringGroup.organization_id == current_org_id(), MentoringGroup.status == "active"
    ).order_by(MentoringGroup.id))
    return [(g.id, _group_label(g)) for g in rows]


def programs() -> list[tuple[int, str]]:
    rows = db_session().scalars(select(Program).where(
        Program.organization_id == current_org_id(), Program.status == "active"
    ).order_by(Program.id))
    return [(p.id, f"Программа № {p.id} с {p.start_date:%d.%m.%Y} по {p.end_date:%d.%m.%Y}; "
                   f"{_group_label(p.group)}") for p in rows]


def pairing_orders() -> list[tuple[int, str]]:
    rows = db_session().scalars(select(Document).where(
        Document.organization_id == current_org_id(), Document.kind == "pairing_order",
        Document.state == DocState.SIGNED).order_by(Document.id))
    return [(d.id, f"Приказ № {d.number} от {d.doc_date:%d.%m.%Y}") for d in rows]


SOURCES: dict[str, Callable[[], list[tuple[int, str]]]] = {
    "groups": groups, "programs": programs, "pairing_orders": pairing_orders,
}


def options_for(schema) -> dict[str, list[tuple[int, str]]]:
    """Options of every reference field of a form schema, by field name."""
    return {name: SOURCES[f.metadata["source"]]()
            for name, f in schema.fields.items() if f.metadata.get("widget") == "reference"}
