"""What a document kind is, and the registry of all kinds.

Each kind lives in its own module of ``workflows`` named after it (e.g.
``workflows/mentor_consent.py``) and declares one ``KIND``; its form schema is
``webforms/forms/<name>.py`` and its template ``doc_templates/<name>.docx``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storage.roles import Role
from workflows.errors import NotFound

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from storage.models import Document

# A guard checks one rule of the regulation and raises RuleViolation if it does not hold.
Guard = Callable[["Session", "Document"], None]
# An effect changes the domain once a transition has been taken.
Effect = Callable[["Session", "Document"], None]


@dataclass(frozen=True)
class Journal:
    """A registration journal: numbers run per organization, per journal, per year."""

    code: str
    title: str
    suffix: str = ""

    def format(self, seq: int) -> str:
        return f"{seq}{self.suffix}"


@dataclass(frozen=True)
class DocumentKind:
    name: str
    title: str  # what a clerk calls it, e.g. «Согласие на назначение наставником»
    heading: str  # the document-kind requisite printed on it, e.g. «СОГЛАСИЕ»
    journal: Journal | None
    make_title: Callable[[dict[str, Any]], str]
    subject_person: Callable[[dict[str, Any]], int | None] = lambda data: None
    # visas before the signature, in order: codes of ``workflows.routes.VISAS`` (an
    # organization may switch the optional ones off); the default is the head's approval
    route: tuple[str, ...] = ("head",)
    roles: dict[str, frozenset[Role]] = field(default_factory=dict)
    guards: dict[str, tuple[Guard, ...]] = field(default_factory=dict)
    effects: dict[str, tuple[Effect, ...]] = field(default_factory=dict)
    retention_permanent: bool = False  # kept > 10 years: 30 mm left margin
    # extra names a template needs beyond ``data.person`` (e.g. mentees), merged into the
    # rendering context under ``extra``
    context: Callable[[Session, Document], dict[str, Any]] | None = None

    def roles_for(self, action: str) -> frozenset[Role]:
        from workflows.lifecycle import TRANSITIONS

        return self.roles.get(action, TRANSITIONS[action].roles)


_REGISTRY: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    _REGISTRY[kind.name] = kind
    return kind


def get_kind(name: str) -> DocumentKind:
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise NotFound(f"Неизвестный вид документа: «{name}».") from None


def all_kinds() -> list[DocumentKind]:
    """Every registered kind, in the order of ``KIND_NAMES``."""
    _load()
    return [_REGISTRY[n] for n in KIND_NAMES if n in _REGISTRY]


# Every kind of DESIGN.md, in the order a school meets them. Each is a module of this
# package with the same name; a name whose module is not written yet is skipped.
KIND_NAMES = (
    "regulation_order",  # приказ об утверждении положения (П1 §3.1, П2 этап 1)
    "roadmap",  # дорожная карта (П2)
    "curator_order",  # приказ о назначении куратора (§4.4.4, П1 §3.4)
    "pd_consent",  # согласие на обработку персональных данных (152-ФЗ ст. 9)
    "mentor_consent",  # согласие на назначение наставником (§4.4.2, П1 §3.2)
    "participant_consent",  # согласие наставляемого на участие (§4.4.3, П1 §3.3)
    "mentoring_agreement",  # доп. соглашение к трудовому договору (ТК РФ ст. 351.8)
    "pairing_order",  # приказ о закреплении пар/групп (П1 §6)
    "mentoring_program",  # персонализированная программа (§1.3)
    "program_change",  # продление / корректировка программы (П1 §7.2)
    "program_termination",  # завершение программы (П1 §7.1)
    "mentor_resignation",  # заявление наставника о сложении обязанностей (П1 §4.1)
    "mentor_replacement_request",  # ходатайство наставляемого о замене наставника (П1 §5.1)
    "final_report",  # итоговый аналитический отчёт куратора (§4.4.4, П1 §3.4)
)


_loaded = False


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib
    import importlib.util

    for name in KIND_NAMES:
        if importlib.util.find_spec(f"workflows.{name}") is not None:
            importlib.import_module(f"workflows.{name}")
