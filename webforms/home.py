"""Where each user starts (``/``): for now the list of documents, as before."""

from __future__ import annotations

from flask import Blueprint, Flask

from webforms import document_list

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return document_list.index()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
