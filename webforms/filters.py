"""Jinja filters for the service's own pages (not for DOCX templates)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from workflows.states import DocState

LOCAL_TZ = ZoneInfo("Europe/Volgograd")

ACTION_LABELS = {
    "create": "Создан", "edit": "Изменён", "submit": "Отправлен на согласование",
    "approve": "Согласован", "return": "Возвращён на доработку", "sign": "Подписан",
    "cancel": "Отменён", "pdf": "Создана PDF-копия", "acknowledge": "Ознакомление",
}


def init_app(app: Flask) -> None:
    @app.template_filter("state_label")
    def state_label(value: str) -> str:
        try:
            return DocState(value).label
        except ValueError:
            return value or "—"

    @app.template_filter("action_label")
    def action_label(value: str) -> str:
        return ACTION_LABELS.get(value, value)

    @app.template_filter("dt")
    def dt(value: datetime | None) -> str:
        if value is None:
            return ""
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(LOCAL_TZ).strftime("%d.%m.%Y %H:%M")

    @app.template_filter("d")
    def d(value: date | str | None) -> str:
        if not value:
            return ""
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return value
        return value.strftime("%d.%m.%Y")
