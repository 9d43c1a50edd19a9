"""Roles a user holds in one organization."""

from storage.labelled import LabelledEnum


class Role(LabelledEnum):
    ADMIN = "admin", "Администратор"
    DIRECTOR = "director", "Руководитель"
    CURATOR = "curator", "Куратор"
    CLERK = "clerk", "Делопроизводитель"
    TEACHER = "teacher", "Педагог"
    INSPECTOR = "inspector", "Проверяющий"
