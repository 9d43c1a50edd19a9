"""One place that turns errors into Russian 4xx answers: a page, or JSON for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflows.errors import NastavnikError, ValidationError

HTTP_MESSAGES = {
    400: "Неверный запрос.",
    401: "Требуется вход в систему.",
    403: "Недостаточно прав для этого действия.",
    404: "Страница или документ не найдены.",
    405: "Этот метод запроса здесь не поддерживается.",
    409: "Конфликт: данные изменились. Обновите страницу.",
    413: "Файл слишком большой.",
    422: "Данные не прошли проверку.",
    500: "Внутренняя ошибка сервера. Попробуйте позже или обратитесь к администратору.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json")


def error_response(status: int, message: str, fields: dict | None = None):
    if wants_json():
        body = {"error": message}
        if fields:
            body["fields"] = fields
        return jsonify(body), status
    return render_template("error.html", status=status, message=message,
                           fields=fields or {}), status


def init_app(app: Flask) -> None:
    @app.errorhandler(NastavnikError)
    def _domain(exc: NastavnikError):
        fields = exc.fields if isinstance(exc, ValidationError) else None
        return error_response(exc.status, exc.message, fields)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return error_response(400, "Срок действия формы истёк или она отправлена не с этого "
                                   "сайта. Обновите страницу и повторите.")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        message = exc.description if _is_russian(exc.description) else \
            HTTP_MESSAGES.get(status, "Ошибка запроса.")
        return error_response(status, message)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        return error_response(500, HTTP_MESSAGES[500])


def _is_russian(text: str | None) -> bool:
    return bool(text) and any("а" <= ch.lower() <= "я" for ch in text)
