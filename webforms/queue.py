"""The director's (and curator's) queue: documents waiting for their visa or signature."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template

from storage.db import db_session
from webforms.auth import current_org_id, current_roles
from workflows import documents
from workflows.states import DocState

bp = Blueprint("queue", __name__)


@bp.get("/queue")
def index():
    roles = current_roles()
    waiting = documents.documents_of(db_session(), current_org_id(),
                                     states=(DocState.IN_APPROVAL, DocState.APPROVED))
    mine = [(doc, documents.available(doc, roles)) for doc in waiting]
    mine = [(doc, acts) for doc, acts in mine if any(a.action != "cancel" for a in acts)]
    return render_template("queue.html", items=mine)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
