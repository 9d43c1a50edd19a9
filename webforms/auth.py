"""Logging in and out, who the user is and which organization and roles they act in.

Passwords are hashed by Werkzeug (scrypt). Every page but ``/login`` and static files
requires a logged-in user; an anonymous page request is sent to ``/login``, an anonymous
API call gets 401 JSON. The current organization is the one chosen at login (a user may
belong to several); ``current_org_id()`` and ``current_roles()`` are what views use.

Each login is a server-side session (``webforms.login_sessions``): logging out ends it,
and so do idleness, a new password and deactivation. Failed logins are limited per
account and per address (``webforms.throttle``); an unknown login costs the same password
check as a known one, so the answer's timing does not tell which logins exist. A ``next``
address is followed only if ``local_path`` accepts it.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from sqlalchemy import select

from storage.db import db_session
from storage.models import Membership, Organization, User
from storage.passwords import check_password, hash_password
from storage.roles import Role
from webforms import login_sessions, throttle
from webforms.errors import error_response, wants_json
from workflows.errors import TooManyAttempts

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Войдите, чтобы продолжить."
login_manager.login_message_category = "info"

PUBLIC_ENDPOINTS = {"auth.login", "static", "health"}


class LoginUser:
    """The Flask-Login wrapper around a ``User`` row and the token of its login session."""

    def __init__(self, user: User, token: str):
        self.user = user
        self.id = user.id
        self.token = token
        self.is_authenticated = True
        self.is_active = user.is_active
        self.is_anonymous = False

    def get_id(self) -> str:
        """What the session cookie holds: ``"<user id>:<session token>"``."""
        return f"{self.user.id}:{self.token}"


@login_manager.user_loader
def _load_user(cookie_id: str) -> LoginUser | None:
    """The user of a live session named by the cookie, or None (anonymous)."""
    user_id, _, token = cookie_id.partition(":")
    if not (user_id.isdigit() and len(user_id) < 12 and token):
        return None
    if login_sessions.find(db_session(), int(user_id), token) is None:
        return None
    user = db_session().get(User, int(user_id))
    return LoginUser(user, token) if user and user.is_active else None


def set_password(user: User, password: str) -> None:
    """Give ``user`` a new password; on flush every session of the user ends."""
    user.password_hash = hash_password(password)


def local_path(target: str | None) -> str | None:
    r"""``target`` if it is a path on this site, else None: the one check for every ``next``.

    Accepted is a string that starts with a single ``/`` and, also once percent-decoded,
    holds no control characters (tab, CR, LF — browsers drop them, turning ``/\t/x`` into
    ``//x``), no backslash (read as ``/``), no second leading slash, scheme or host.
    """
    if not target or len(target) > 2000:
        return None
    for form in (target, unquote(target)):
        if not form.startswith("/") or form.startswith("//"):
            return None
        if "\\" in form or any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in form):
            return None
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return None
    return target


def user() -> User:
    return current_user.user


def memberships(u: User | None = None) -> list[Membership]:
    u = u or user()
    return list(db_session().scalars(select(Membership).where(Membership.user_id == u.id)))


def current_org_id() -> int:
    """The organization the user acts in now; 403 if they belong to none."""
    if "org_id" not in g:
        rows = memberships()
        org_ids = {m.organization_id for m in rows}
        chosen = session.get("org_id")
        if chosen not in org_ids:
            if not org_ids:
                abort(403, "У вашей учётной записи нет ролей ни в одной организации.")
            chosen = min(org_ids)
            session["org_id"] = chosen
        g.org_id = chosen
    return g.org_id


def current_org() -> Organization:
    return db_session().get(Organization, current_org_id())


def current_roles() -> frozenset[Role]:
    org_id = current_org_id()
    return frozenset(Role(m.role) for m in memberships() if m.organization_id == org_id)


def has_role(*roles: Role) -> bool:
    return bool(current_roles() & set(roles))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        login_name = request.form.get("login", "").strip()
        password = request.form.get("password", "")
        counters = throttle.login_counters(login_name)
        try:
            throttle.refuse_if_exhausted(counters, "входа")
        except TooManyAttempts as exc:
            flash(exc.message, "error")
            return render_template("login.html", login=login_name), exc.status
        found = db_session().scalars(select(User).where(User.login == login_name)).first()
        known = found is not None and found.is_active
        if not check_password(found if known else None, password) or not known:
            throttle.count_failure(counters)
            flash("Неверный логин или пароль.", "error")
            return render_template("login.html", login=login_name), 401
        if current_user.is_authenticated:  # a new login replaces this browser's old one
            login_sessions.end(db_session(), current_user.token)
        session.clear()
        token = login_sessions.open_session(db_session(), found)
        db_session().commit()
        login_user(LoginUser(found, token))
        return redirect(local_path(request.args.get("next")) or url_for("home.index"))
    return render_template("login.html", login="")


@bp.post("/logout")
@login_required
def logout():
    """End this login on the server too: the old cookie opens nothing afterwards."""
    login_sessions.end(db_session(), current_user.token)
    db_session().commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.post("/org")
@login_required
def switch_org():
    org_id = request.form.get("org_id", type=int)
    if org_id not in {m.organization_id for m in memberships()}:
        abort(404)
    session["org_id"] = org_id
    return redirect(url_for("home.index"))


def _require_login():
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        if wants_json():
            return error_response(401, "Требуется вход в систему.")
        return login_manager.unauthorized()
    return None


def init_app(app: Flask) -> None:
    login_sessions.init_app(app)
    throttle.init_app(app)
    login_manager.init_app(app)
    app.register_blueprint(bp)
    app.before_request(_require_login)

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.context_processor
    def _auth_context():
        if current_user.is_authenticated:
            return {"me": user(), "my_roles": current_roles(), "my_org": current_org(),
                    "Role": Role}
        return {"Role": Role}
