"""Requests that only read get a session that only reads (on SQLite: no lock at all)."""

from __future__ import annotations

from flask import Flask, request

from storage import db

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    @app.before_request
    def _reading_requests_only_read() -> None:
        if request.method in READING_METHODS:
            db.reads_only()
