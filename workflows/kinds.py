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
    roles: dict[str, frozenset[Role]] = field(default_factory=dict)
    guards: dict[str, tuple[Guard, ...]] = field(default_factory=dict)
    effects: dict[str, tuple[Effect, ...]] = field(default_factory=dict)
    retention_permanent: bool = False  # kept > 10 years: 30 mm left margin

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
    _load()
    return list(_REGISTRY.values())


def _load() -> None:
    if not _REGISTRY:
        import workflows.mentor_consent  # noqa: F401
