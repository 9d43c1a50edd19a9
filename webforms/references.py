"""Lists a form picks records from (pairs/groups, programs, orders), scoped to the
current organization and to what the user may see (``webforms.access``: a teacher is
offered only her own pairs and programs): ``options(source) -> [(id, label)]``."""

from __future__ import annotations

from collections.abc import Callable

from storage.models import MentoringGroup
from storage.states import GroupStatus, ProgramStatus
from webforms.access import visible_documents, visible_groups, visible_programs
from workflows.states import DocState


def _group_label(group: MentoringGroup) -> str:
    mentees = ", ".join(m.mentee.full_name for m in group.members)
    return (f"Пара/группа № {group.id}: наставник {group.mentor.full_name}; наставляемые: "
            f"{mentees} ({group.start_date:%d.%m.%Y} – {group.end_date:%d.%m.%Y})")


def groups() -> list[tuple[int, str]]:
    """Active pairs/groups the user may see (a teacher: her own)."""
    return [(g.id, _group_label(g)) for g in visible_groups() if g.status == GroupStatus.ACTIVE]


def programs() -> list[tuple[int, str]]:
    """Running programs the user may see (a teacher: those of her pairs)."""
    return [(p.id, f"Программа № {p.id} с {p.start_date:%d.%m.%Y} по {p.end_date:%d.%m.%Y}; "
                   f"{_group_label(p.group)}") for p in visible_programs()
            if p.status == ProgramStatus.ACTIVE]


def pairing_orders() -> list[tuple[int, str]]:
    """Signed pairing orders the user may open."""
    rows = visible_documents(states=[DocState.SIGNED], kind="pairing_order")
    return [(d.id, f"Приказ № {d.number} от {d.doc_date:%d.%m.%Y}")
            for d in sorted(rows, key=lambda d: d.id)]


SOURCES: dict[str, Callable[[], list[tuple[int, str]]]] = {
    "groups": groups, "programs": programs, "pairing_orders": pairing_orders,
}


def options_for(schema) -> dict[str, list[tuple[int, str]]]:
    """Options of every reference field of a form schema, by field name."""
    return {name: SOURCES[f.metadata["source"]]()
            for name, f in schema.fields.items() if f.metadata.get("widget") == "reference"}
