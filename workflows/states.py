"""The states of a document's life, shared by the database column, the workflow and the API."""

from enum import StrEnum


class DocState(StrEnum):
    DRAFT = "draft"
    IN_APPROVAL = "in_approval"
    APPROVED = "approved"
    SIGNED = "signed"
    RETURNED = "returned"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    DocState.DRAFT: "Черновик",
    DocState.IN_APPROVAL: "На согласовании",
    DocState.APPROVED: "Согласован",
    DocState.SIGNED: "Подписан",
    DocState.RETURNED: "Возвращён на доработку",
    DocState.CANCELLED: "Отменён",
}

EDITABLE_STATES = frozenset({DocState.DRAFT, DocState.RETURNED})
