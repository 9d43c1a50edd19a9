"""How long each kind of document is kept, and so how it is laid out: one place for both.

The terms follow the Перечень типовых управленческих архивных документов (приказ Росархива
от 20.12.2019 № 236) and 125-ФЗ «Об архивном деле» ст. 22.1: orders on the core activity
are kept permanently (ст. 19 «а»), personnel documents — a supplementary agreement to a
labour contract, a consent to extra duties filed in the personal file — 50 years (75 for
those closed before 2003). A document kept longer than 10 years is bound in a file, so ГОСТ
Р 7.0.97-2025 (п. 5.1) gives it a 30 mm left margin instead of 20 mm. The builder reads the
margin from here (``long_kept``), ``workflows.describe`` and the document page the term.
The organization's номенклатура дел may set a term more precisely for temporary documents;
the one printed here is the floor an archivist checks against.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Retention:
    """A kind's retention: the term as an archivist writes it, why, and what it implies."""

    term: str  # «постоянно», «50/75 лет», «до 10 лет»
    basis: str  # the article of the Перечень or the law that sets the term
    permanent: bool = False  # kept permanently (``DocumentKind.retention_permanent``)
    personnel: bool = False  # a personnel document: 50/75 years, the personal file

    @property
    def long_kept(self) -> bool:
        """Kept longer than 10 years: bound in a file, the 30 mm left margin."""
        return self.permanent or self.personnel

    @property
    def label(self) -> str:
        """The term with its basis and margin, for the docs and the document page."""
        margin = "поле 30 мм" if self.long_kept else "поле 20 мм"
        return f"{self.term} ({self.basis}; {margin})"


ORDER = Retention("постоянно", "Перечень № 236, ст. 19 «а»: приказы по основной деятельности",
                  permanent=True)
PERSONNEL = Retention("50/75 лет", "Перечень № 236: документы по личному составу; 125-ФЗ "
                      "ст. 22.1; 75 лет — для законченных делопроизводством до 01.01.2003",
                      personnel=True)
TEMPORARY = Retention("до 10 лет", "временного хранения; срок уточняет номенклатура дел "
                      "организации")

RETENTION: dict[str, Retention] = {
    "regulation_order": ORDER,
    "curator_order": ORDER,
    "pairing_order": ORDER,
    "program_termination": ORDER,
    "mentoring_agreement": PERSONNEL,  # дополнительное соглашение к трудовому договору
    "mentor_consent": PERSONNEL,  # согласие на дополнительные обязанности, в личное дело
    "roadmap": TEMPORARY,
    "pd_consent": TEMPORARY,
    "pd_distribution_consent": TEMPORARY,
    "participant_consent": TEMPORARY,
    "mentoring_program": TEMPORARY,
    "program_change": TEMPORARY,
    "mentor_resignation": TEMPORARY,
    "mentor_replacement_request": TEMPORARY,
    "final_report": TEMPORARY,
}


def of(kind: str) -> Retention:
    """The retention of ``kind``; a kind not listed (an organization's own) is temporary."""
    return RETENTION.get(kind, TEMPORARY)


def permanent_kinds() -> frozenset[str]:
    return frozenset(k for k, r in RETENTION.items() if r.permanent)
