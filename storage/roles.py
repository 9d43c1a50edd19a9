"""Roles a user holds in one organization."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    DIRECTOR = "director"
    CURATOR = "curator"
    CLERK = "clerk"
    TEACHER = "teacher"
    INSPECTOR = "inspector"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Администратор",
    Role.DIRECTOR: "Руководитель",
    Role.CURATOR: "Куратор",
    Role.CLERK: "Делопроизводитель",
    Role.TEACHER: "Педагог",
    Role.INSPECTOR: "Проверяющий",
}
