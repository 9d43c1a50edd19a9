"""The states of the records the service keeps, as str Enums: shared by the database
columns (stored as their string values), the workflow, the pages and the API.

The bottom layer holds them (like ``storage.roles.Role``) so that the models may type their
columns with them; ``workflows.states`` re-exports the document's.
"""

from enum import StrEnum

from storage.labelled import LabelledEnum


class DocState(LabelledEnum):
    """The states of a document's life (``workflows.lifecycle`` draws its arrows)."""

    DRAFT = "draft", "Черновик"
    IN_APPROVAL = "in_approval", "На согласовании"
    APPROVED = "approved", "Согласован"
    SIGNED = "signed", "Подписан"
    RETURNED = "returned", "Возвращён на доработку"
    CANCELLED = "cancelled", "Отменён"


STATE_LABELS = {state: state.label for state in DocState}

EDITABLE_STATES = frozenset({DocState.DRAFT, DocState.RETURNED})


class GroupStatus(StrEnum):
    """The life of a mentoring pair/group (``MentoringGroup.status``): made active by a
    signed pairing order, ended by a replacing order or by the end of its program."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    ENDED = "ended"


class ProgramStatus(StrEnum):
    """The life of a personalized program (``Program.status``): running once its document
    is signed, then completed (plan fulfilled) or ended early (П1 §7.1)."""

    DRAFT = "draft"
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"


# one Russian word per status of a pair/group or a program, as the pages and refusals print
# it (a pair and a program that are running are both «реализуется»)
STATUS_LABELS: dict[str, str] = {
    ProgramStatus.DRAFT: "черновик", ProgramStatus.ACTIVE: "реализуется",
    ProgramStatus.COMPLETED: "завершена", ProgramStatus.ENDED_EARLY: "завершена досрочно",
    GroupStatus.PROPOSED: "предложена", GroupStatus.ENDED: "прекращена",
}
PROGRAM_ENDED = frozenset({ProgramStatus.COMPLETED, ProgramStatus.ENDED_EARLY})


class BatchState(StrEnum):
    """A batch of rendered documents: queued → started → finished | failed."""

    QUEUED = "queued"
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"


class BankRole(StrEnum):
    """Which bank a person is in (``BankEntry.role``, П2 stages 2–3)."""

    MENTOR = "mentor"
    MENTEE = "mentee"
