"""Organization settings: which visas each document kind collects before the signature."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for

from storage.db import db_session
from webforms.auth import current_org_id, current_roles
from webforms.writers import ROUTE_MANAGERS
from workflows import approval_routes
from workflows.errors import NotAllowed
from workflows.kinds import all_kinds, get_kind

bp = Blueprint("settings", __name__, url_prefix="/settings")
MANAGERS = ROUTE_MANAGERS  # who saves a route is declared in webforms.writers


def _require_manager() -> None:
    if not current_roles() & MANAGERS:
        raise NotAllowed("Маршруты согласования настраивает руководитель или администратор.")


@bp.get("/routes")
def route_list():
    _require_manager()
    rows = [(k, approval_routes.configured_route(db_session(), current_org_id(), k.name))
            for k in all_kinds()]
    return render_template("settings/routes.html", rows=rows, visas=approval_routes.VISAS,
                           optional=approval_routes.OPTIONAL_VISAS)


@bp.post("/routes/<kind>")
def route_save(kind: str):
    k = get_kind(kind)
    chosen = [c for c in approval_routes.OPTIONAL_VISAS if request.form.get(f"step-{c}")]
    order = sorted(chosen, key=lambda c: request.form.get(f"order-{c}", "9"))
    approval_routes.choose_route(db_session(), current_org_id(), k.name, order)
    db_session().commit()
    flash(f"Маршрут согласования «{k.title}» сохранён.", "success")
    return redirect(url_for("settings.route_list"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
