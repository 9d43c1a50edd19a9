"""Logging in and out, who the user is and which organization and roles they act in.

Passwords are hashed by Werkzeug (scrypt). Every page but ``/login`` and static files
requires a logged-in user. The current organization is the one chosen at login (a user
may belong to several); ``current_org_id()`` and ``current_roles()`` are what views use.
"""

from __future__ import annotations

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
from werkzeug.security import check_password_hash, generate_password_hash

from storage.db import db_session
from storage.models import Membership, Organization, User
from storage.roles import Role

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Войдите, чтобы продолжить."
login_manager.login_message_category = "info"

PUBLIC_ENDPOINTS = {"auth.login", "static", "health"}


class LoginUser:
    """The Flask-Login wrapper around a ``User`` row."""

    def __init__(self, user: User):
        self.user = user
        self.id = user.id
        self.is_authenticated = True
        self.is_active = user.is_active
        self.is_anonymous = False

    def get_id(self) -> str:
        return str(self.user.id)


@login_manager.user_loader
def _load_user(user_id: str) -> LoginUser | None:
    user = db_session().get(User, int(user_id)) if user_id.isdigit() else None
    return LoginUser(user) if user and user.is_active else None


def hash_password(password: str) -> str:
    """Werkzeug's scrypt by default; tests may choose a cheaper standard method."""
    from flask import current_app

    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password(user: User, password: str) -> bool:
    return bool(password) and check_password_hash(user.password_hash, password)


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
        found = db_session().scalars(select(User).where(User.login == login_name)).first()
        if found is None or not found.is_active or not check_password(found, password):
            flash("Неверный логин или пароль.", "error")
            return render_template("login.html", login=login_name), 401
        session.clear()
        login_user(LoginUser(found))
        target = request.args.get("next", "")
        if not target.startswith("/") or target.startswith("//"):
            target = url_for("documents.index")
        return redirect(target)
    return render_template("login.html", login="")


@bp.post("/logout")
@login_required
def logout():
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
    return redirect(url_for("documents.index"))


def _require_login():
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def init_app(app: Flask) -> None:
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
