"""What a document kind is, and the registry of all kinds.

Each kind lives in its own module of ``workflows`` named after it (e.g.
``workflows/mentor_consent.py``) and declares one ``KIND``; its form schema is
``webforms/forms/<name>.py``, its template ``doc_templates/<name>.docx`` (built by
``doc_templates/builder/<name>.py``) and its tests ``tests/test_<name>.py``. Adding a kind
is those four files and one line in ``registry`` below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from doc_templates import retention
from doc_templates.retention import Retention
from storage.roles import Role
from workflows.errors import NotFound
from workflows.journals import JOURNALS, Journal
from workflows.lifecycle import TRANSITIONS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from storage.models import Document
    from workflows.signatories import Signatory

__all__ = ["DocumentKind", "Effect", "Guard", "Journal", "KindNames", "all_kinds", "get_kind"]

# A guard checks one rule of the regulation and raises RuleViolation if it does not hold.
Guard = Callable[["Session", "Document"], None]
# An effect changes the domain once a transition has been taken.
Effect = Callable[["Session", "Document"], None]


@dataclass(frozen=True)
class KindNames:
    """How a sentence names a document of the kind, in lower case: «нет: согласие на …»
    (``nominative``), «нет подписанного согласия на …» (``genitive``)."""

    nominative: str
    genitive: str


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document, on one screen: its names, its journal, who may take which
    arrow of the lifecycle, the rules it must satisfy and what signing it does.

    ``rules`` are checked when the document is sent for approval and again at each
    signature (the world may have changed in between); ``sign_rules`` only when signing.
    ``guards`` and ``effects`` are by action, as ``workflows.documents`` applies them.
    """

    name: str
    title: str  # what a clerk calls it, e.g. «Согласие на назначение наставником»
    heading: str  # the document-kind requisite printed on it, e.g. «СОГЛАСИЕ»
    journal: Journal | None  # given as a code of ``workflows.journals.JOURNALS``
    make_title: Callable[[dict[str, Any]], str]
    names: KindNames | None = None  # for kinds other kinds' rules name, e.g. consents
    subject: str | None = None  # the data key naming the person the document is about
    # visas before the signature, in order: codes of ``workflows.approval_routes.VISAS`` (an
    # organization may switch the optional ones off); the default is the head's approval
    route: tuple[str, ...] = ("head",)
    roles: dict[str, frozenset[Role]] = field(default_factory=dict)
    rules: tuple[Guard, ...] = ()
    sign_rules: tuple[Guard, ...] = ()
    effects: dict[str, tuple[Effect, ...]] = field(default_factory=dict)
    # who signs, by law, in signing order (the head last): ``workflows.signatories``; the
    # document is signed when every one of them has
    signatories: tuple[Signatory, ...] = ()
    retention_permanent: bool = False  # kept > 10 years: 30 mm left margin
    # extra names a template needs beyond ``data.person`` (e.g. mentees), merged into the
    # rendering context under ``extra``
    context: Callable[[Session, Document], dict[str, Any]] | None = None
    # who must acknowledge the signed document (ТК РФ ст. 22, 68): ids of people of its
    # organization, from ``workflows.acknowledgments`` (None: nobody is asked)
    acknowledgers: Callable[[Session, Document], list[int]] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.journal, str):  # KeyError at import for an unknown journal
            object.__setattr__(self, "journal", JOURNALS[self.journal])

    @property
    def guards(self) -> dict[str, tuple[Guard, ...]]:
        """The rules by action: ``rules`` on submit; ``rules`` and ``sign_rules`` on sign."""
        out: dict[str, tuple[Guard, ...]] = {}
        if self.rules:
            out["submit"] = self.rules
        if self.rules or self.sign_rules:
            out["sign"] = (*self.rules, *self.sign_rules)
        return out

    def subject_person(self, data: dict[str, Any]) -> int | None:
        """The id of the person the document is about (``Document.person_id``), if any."""
        return data.get(self.subject) if self.subject else None

    def roles_for(self, action: str) -> frozenset[Role]:
        return self.roles.get(action, TRANSITIONS[action].roles)

    @property
    def retention(self) -> Retention:
        """How long documents of the kind are kept and why (``doc_templates.retention``)."""
        return retention.of(self.name)


@cache
def registry() -> dict[str, DocumentKind]:
    """Every kind by name, in the order a school meets them (pages list them so).

    The kind modules import this one (for ``DocumentKind``), so they are imported here, on
    the first use of the registry, not at the top of the module.
    """
    from workflows import (  # a real cycle: every kind module imports this one
        curator_order,
        final_report,
        mentor_consent,
        mentor_replacement_request,
        mentor_resignation,
        mentoring_agreement,
        mentoring_program,
        pairing_order,
        participant_consent,
        pd_consent,
        pd_distribution_consent,
        program_change,
        program_termination,
        regulation_order,
        roadmap,
    )

    kinds = (
        regulation_order,  # приказ об утверждении положения (П1 §3.1, П2 этап 1)
        roadmap,  # дорожная карта (П2)
        curator_order,  # приказ о назначении куратора (§4.4.4, П1 §3.4)
        pd_consent,  # согласие на обработку персональных данных (152-ФЗ ст. 9)
        pd_distribution_consent,  # согласие на распространение ПДн (152-ФЗ ст. 10.1, П1 §8.1)
        mentor_consent,  # согласие на назначение наставником (§4.4.2, П1 §3.2)
        participant_consent,  # согласие наставляемого на участие (§4.4.3, П1 §3.3)
        mentoring_agreement,  # доп. соглашение к трудовому договору (ТК РФ ст. 351.8)
        pairing_order,  # приказ о закреплении пар/групп (П1 §6)
        mentoring_program,  # персонализированная программа (§1.3)
        program_change,  # продление / корректировка программы (П1 §7.2)
        program_termination,  # завершение программы (П1 §7.1)
        mentor_resignation,  # заявление наставника о сложении обязанностей (П1 §4.1)
        mentor_replacement_request,  # ходатайство наставляемого о замене наставника (П1 §5.1)
        final_report,  # итоговый аналитический отчёт куратора (§4.4.4, П1 §3.4)
    )
    return {module.KIND.name: module.KIND for module in kinds}


def get_kind(name: str) -> DocumentKind:
    try:
        return registry()[name]
    except KeyError:
        raise NotFound(f"Неизвестный вид документа: «{name}».") from None


def all_kinds() -> list[DocumentKind]:
    """Every kind, in the order of ``registry``."""
    return list(registry().values())


def __getattr__(name: str) -> Any:
    """``KIND_NAMES``: the names of every kind, in order (read from ``registry``)."""
    if name == "KIND_NAMES":
        return tuple(registry())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
