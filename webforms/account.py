"""The user's own password: ``/account/password``, and the rule that a password someone
else gave (``workflows.people_logins``) is replaced before anything else is done.

While ``must_change_password`` is set, every page but this one, logging out and static
files sends the user here (an API call gets 403 JSON): the clerk who gave the first
password knows it, and the password is what a simple electronic signature re-asks. The
current password is checked under the login's attempt limits (``webforms.throttle``).
Changing it ends every session of the user (``webforms.login_sessions``), so he logs in
again with the new one.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from storage.db import db_session
from webforms import throttle
from webforms.auth import current_org_id, user
from webforms.errors import error_response, wants_json
from workflows import people_logins
from workflows.errors import TooManyAttempts, ValidationError

bp = Blueprint("account", __name__, url_prefix="/account")
OPEN_WHILE_CHANGING = {"account.password", "auth.logout", "auth.login", "static", "health"}


@bp.route("/password", methods=["GET", "POST"])
def password():
    forced = user().must_change_password
    if request.method == "GET":
        return _page(forced, {}, 200)
    counters = throttle.login_counters(user().login)
    try:
        throttle.refuse_if_exhausted(counters, "смены пароля")
        people_logins.change_own(db_session(), user(), request.form.get("current", ""),
                                 request.form.get("new", ""), request.form.get("repeated", ""),
                                 organization_id=current_org_id())
        db_session().commit()
    except TooManyAttempts as exc:
        return _page(forced, {"current": [exc.message]}, exc.status)
    except ValidationError as exc:
        db_session().rollback()
        if "current" in exc.fields:
            throttle.count_failure(counters)
        return _page(forced, exc.fields, exc.status)
    logout_user()
    flash("Пароль изменён. Войдите с новым паролем.", "success")
    return redirect(url_for("auth.login"))


def _page(forced: bool, errors: dict[str, list[str]], status: int):
    return render_template("account/password.html", forced=forced, errors=errors,
                           min_length=people_logins.MIN_LENGTH), status


def _send_to_change():
    """Before every request: a user with a given password sets his own first."""
    if request.endpoint in OPEN_WHILE_CHANGING or request.endpoint is None:
        return None
    if not current_user.is_authenticated or not user().must_change_password:
        return None
    if wants_json():
        return error_response(403, "Смените выданный вам пароль: откройте «Наставник» в "
                                   "браузере.")
    return redirect(url_for("account.password"))


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.before_request(_send_to_change)
