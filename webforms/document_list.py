"""The list of the organization's documents a user may see, by state (``/documents``)."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request

from webforms.access import visible_documents
from workflows.states import DocState

bp = Blueprint("document_list", __name__)


@bp.get("/documents")
def index():
    state = request.args.get("state", "")
    states = [DocState(state)] if state in DocState.__members__.values() else []
    docs = visible_documents(states=states)
    return render_template("documents/index.html", docs=docs, state=state, DocState=DocState)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
