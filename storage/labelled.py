"""A str Enum whose members carry the Russian word the pages print for them.

``DRAFT = "draft", "Черновик"`` makes ``DocState.DRAFT == "draft"`` (what the database and
the API hold) and ``DocState.DRAFT.label == "Черновик"`` (what a person reads): the value
and its label stand on one line, and no enum keeps a table of labels of its own.
"""

from enum import StrEnum


class LabelledEnum(StrEnum):
    """Members are ``NAME = value, label``; ``label`` is the Russian word for the value."""

    label: str

    def __new__(cls, value: str, label: str) -> "LabelledEnum":
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
