"""One place that turns errors into Russian 4xx answers: a page, or JSON for the API."""

from __future__ import annotations

import html

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from redis.exceptions import RedisError
from sqlalchemy.exc import OperationalError, ProgrammingError
from werkzeug.exceptions import HTTPException

from workflows.errors import NastavnikError, ValidationError
from workflows.jobs import QUEUE_DOWN

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
    """The Russian answer for an error; this function itself never fails.

    The request's database session is rolled back first: the page's context processors
    query the database, and on PostgreSQL a failed statement leaves the transaction
    aborted. If rendering the page still fails, a minimal Russian page is sent instead.
    """
    _rollback_session()
    try:
        if wants_json():
            body = {"error": message}
            if fields:
                body["fields"] = fields
            return jsonify(body), status
        return render_template("error.html", status=status, message=message,
                               fields=fields or {}), status
    except Exception:  # noqa: BLE001 - the last line of defence must answer
        current_app.logger.exception("error page failed")
        _rollback_session()
        return _minimal_page(status, message), status


def _rollback_session() -> None:
    session = g.get("db_session")
    if session is None:
        return
    try:
        session.rollback()
    except Exception:  # noqa: BLE001 - a broken connection: drop it, the page needs none
        current_app.logger.exception("rollback before the error page failed")
        g.pop("db_session", None)
        try:
            session.close()
        except Exception:  # noqa: BLE001
            current_app.logger.exception("closing the broken session failed")


def _minimal_page(status: int, message: str) -> Response:
    text = html.escape(message if _is_russian(message) else HTTP_MESSAGES.get(
        status, HTTP_MESSAGES[500]))
    page = ("<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\">"
            f"<title>Ошибка {status}</title></head><body><h1>Ошибка {status}</h1>"
            f"<p>{text}</p><p><a href=\"/\">К списку документов</a></p></body></html>")
    return Response(page, status=status, mimetype="text/html")


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

    @app.errorhandler(RedisError)
    def _queue_down(exc: RedisError):
        """Redis (the job queue, batches) unreachable: a 503 that says so, never a 500."""
        app.logger.warning("Redis unreachable: %s", exc)
        return error_response(503, QUEUE_DOWN)

    @app.errorhandler(ProgrammingError)
    def _database_error(exc: ProgrammingError):
        if _schema_missing(exc):
            return _no_schema(exc)
        return _unexpected(exc)

    @app.errorhandler(OperationalError)
    def _database_busy(exc: OperationalError):
        """SQLite still locked after its busy timeout: a 503 to retry, not a 500."""
        if _schema_missing(exc):
            return _no_schema(exc)
        if "database is locked" not in str(exc.orig):
            return _unexpected(exc)
        app.logger.warning("database busy: %s", exc)
        return error_response(503, "База данных занята другими запросами. Повторите "
                                   "действие через несколько секунд.")

    def _no_schema(exc: Exception):
        """A fresh or outdated database (migrations not run): say what to do, not a 500."""
        app.logger.error("database schema missing or outdated: %s", exc)
        return error_response(503, SCHEMA_MISSING)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        return error_response(500, HTTP_MESSAGES[500])


SCHEMA_MISSING = ("База данных не создана или её схема устарела. Администратору: выполните "
                  "«flask --app wsgi db upgrade» (или «./dev run») и обновите страницу.")


def _schema_missing(exc: Exception) -> bool:
    """True if the database lacks a table or column the code expects (SQLite, PostgreSQL)."""
    text = str(getattr(exc, "orig", exc))
    return ("no such table" in text or "no such column" in text
            or ("does not exist" in text and ("relation" in text or "column" in text)))


def _is_russian(text: str | None) -> bool:
    return bool(text) and any("а" <= ch.lower() <= "я" for ch in text)
