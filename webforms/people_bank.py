"""The cards of the bank of mentors and mentees (П2 stages 2–3): add, change, archive a
pedagogue, load a staff list, give a login. The list itself is ``webforms.people``.

- ``/people/new``, ``/people/<id>/edit``: the card (``webforms.forms.person``); every
  problem is shown by its field, what was typed is kept.
- ``/people/<id>/archive`` and ``/restore``: out of the lists and choices and back; the
  documents stay.
- ``/people/import``: an XLSX or CSV staff list is read and planned row by row
  (``workflows.staff_import``) and shown; nothing is saved. The page carries the plan,
  signed with the application's secret and bound to this organization and user, and
  «Загрузить» (``/people/import/confirm``) saves exactly it — not the file again.
- ``/people/<id>/login`` and ``/password``: a login (role «Педагог») with a first
  password shown on the answer page only, or a new password; the page is not cached.
- ``/people/export.csv``: the list as a CSV the import reads back.

Who may: ``webforms.writers`` (KEEPERS for the cards, ACCOUNT_ISSUERS for logins). Every
person comes through ``person_or_404``: another organization's card is 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from doc_templates.russian import plural
from storage.db import db_session
from storage.models import Person
from webforms import people as people_pages
from webforms.access import person_or_404
from webforms.auth import current_org_id, user
from webforms.filenames import send_download
from webforms.forms.parsing import form_to_data
from webforms.forms.person import PersonForm, load_card
from webforms.input_guard import checks_own_fields
from workflows import people_bank, people_logins, staff_import
from workflows.errors import NastavnikError, NotAllowed, ValidationError
from workflows.people_vocabulary import GENDERS, POSITION_KINDS, POSITIONS

bp = Blueprint("people_bank", __name__, url_prefix="/people")

PREVIEW_SALT = "nastavnik/people-import/v1"
PREVIEW_MAX_AGE = 2 * 3600  # seconds a preview may be loaded after it was shown


# -- the card ------------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@checks_own_fields
def create():
    if request.method == "GET":
        return _form(None, {}, {}, 200)
    values = form_to_data(PersonForm(), request.form)
    try:
        card = _checked(values)
        person = people_bank.add(db_session(), current_org_id(), card, user())
        db_session().commit()
    except NastavnikError as exc:
        db_session().rollback()
        return _form(None, values, people_pages._errors(exc), exc.status)
    flash(f"{person.full_name}: карточка педагога создана.", "success")
    return redirect(url_for("people.show", person_id=person.id))


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@checks_own_fields
def edit(person_id: int):
    person = person_or_404(person_id)
    if request.method == "GET":
        people_bank.may_change(person)  # erased, or consent withdrawn: 409, not a form
        return _form(person, staff_import.snapshot(person), {}, 200)
    values = form_to_data(PersonForm(), request.form)
    try:
        changed = people_bank.update(db_session(), person, _checked(values, person), user())
        db_session().commit()
    except NastavnikError as exc:
        db_session().rollback()
        return _form(person, values, people_pages._errors(exc), exc.status)
    flash("Карточка сохранена." if changed else "Изменений нет: карточка осталась прежней.",
          "success")
    return redirect(url_for("people.show", person_id=person.id))


def _checked(values: dict[str, Any], person: Person | None = None) -> dict[str, Any]:
    """The card of the form, or ValidationError with every problem: of the fields' shape
    and of the card's rules (on the fields that are right)."""
    card, errors = load_card(values)
    if errors:
        rules = people_bank.problems(db_session(), current_org_id(), card, person=person)
        raise ValidationError("Карточка не сохранена: исправьте ошибки в полях.",
                              {**rules, **errors})
    return card


def _form(person: Person | None, values: dict[str, Any], errors: dict[str, list[str]],
          status: int):
    return render_template("people/form.html", person=person, schema=PersonForm(),
                           values=values, errors=errors, positions=_positions(),
                           genders=GENDERS), status


def _positions() -> dict[str, list[str]]:
    """The positions grouped for the select: {«Педагогические должности»: [...], ...}."""
    out: dict[str, list[str]] = {label: [] for label in POSITION_KINDS.values()}
    for position, kind in POSITIONS.items():
        out[POSITION_KINDS[kind]].append(position)
    return out


def _refused(person: Person, exc: NastavnikError):
    """The person's page again, with every problem listed and the refusal's status."""
    return people_pages._page(person, request.form.to_dict(), people_pages._errors(exc),
                             exc.status)


def _past(person: Person, male: str, female: str) -> str:
    return female if person.gender == "f" else male


@bp.post("/<int:person_id>/archive")
def archive(person_id: int):
    person = person_or_404(person_id)
    try:
        off = people_bank.archive(db_session(), person, user())
        db_session().commit()
    except NastavnikError as exc:
        db_session().rollback()
        return _refused(person, exc)
    flash(f"{person.full_name} {_past(person, 'переведён', 'переведена')} в архив: карточка "
          f"не показывается в списках и формах, документы сохранены."
          + (" Учётная запись отключена." if off.logins else "")
          + (f" {_past(person, 'Исключён', 'Исключена')} из банка наставников и "
             f"наставляемых." if off.bank_entries else ""),
          "success")
    return redirect(url_for("people.show", person_id=person.id))


@bp.post("/<int:person_id>/restore")
def restore(person_id: int):
    person = person_or_404(person_id)
    try:
        people_bank.restore(db_session(), person, user())
        db_session().commit()
    except NastavnikError as exc:
        db_session().rollback()
        return _refused(person, exc)
    flash(f"{person.full_name} {_past(person, 'возвращён', 'возвращена')} из архива.",
          "success")
    return redirect(url_for("people.show", person_id=person.id))


# -- logins ----------------------------------------------------------------------------------

@bp.post("/<int:person_id>/login")
def give_login(person_id: int):
    person = person_or_404(person_id)
    return _password_page(person, lambda: people_logins.give(
        db_session(), person, user(), request.form.get("login", "")), "выдана")


@bp.post("/<int:person_id>/password")
def new_password(person_id: int):
    person = person_or_404(person_id)
    return _password_page(person, lambda: people_logins.new_password(
        db_session(), person, user()), "получила новый пароль")


def _password_page(person: Person, make, what: str):
    """The one page that shows the first password; an error goes back to the card."""
    try:
        login, password = make()
        db_session().commit()
    except NastavnikError as exc:
        db_session().rollback()
        return _refused(person, exc)
    return render_template("people/password.html", person=person, login=login,
                           password=password, what=what)


# -- the staff list --------------------------------------------------------------------------

@bp.route("/import", methods=["GET", "POST"])
def import_file():
    if request.method == "GET":
        return _import_page({}, 200)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _import_page({"file": ["Выберите файл со списком сотрудников (XLSX или CSV)."]},
                            400)
    try:
        data = upload.stream.read(staff_import.MAX_BYTES + 1)
        sheet = staff_import.read(data, upload.filename)
        plan = staff_import.plan(db_session(), current_org_id(), sheet, load_card)
    except NastavnikError as exc:
        db_session().rollback()
        return _import_page({"file": [exc.message]}, exc.status)
    db_session().rollback()  # planning reads only
    counts = {a: sum(1 for p in plan if p.action == a) for a in
              (staff_import.ADD, staff_import.UPDATE, staff_import.SAME, staff_import.WRONG)}
    token = _serializer().dumps({"org": current_org_id(), "user": user().id,
                                 "items": [p.as_json() for p in plan
                                           if p.action in (staff_import.ADD,
                                                           staff_import.UPDATE)]})
    return render_template("people/preview.html", plan=plan, sheet=sheet, counts=counts,
                           token=token, filename=upload.filename, labels=staff_import.LABELS,
                           genders=GENDERS)


@bp.post("/import/confirm")
def import_confirm():
    items = _signed_plan(request.form.get("preview", ""))
    try:
        done = staff_import.apply(db_session(), current_org_id(), items, user())
        db_session().commit()
    except NastavnikError as exc:
        db_session().rollback()
        return _import_page({"file": [exc.message]}, exc.status)
    flash(f"Список загружен: добавлено {len(done.added)}, обновлено {len(done.updated)}.",
          "success")
    return redirect(url_for("people.index"))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=PREVIEW_SALT)


def _signed_plan(token: str) -> list[dict[str, Any]]:
    """The plan the preview page carried, if it was made here for this user and
    organization and is fresh; else NastavnikError (400)."""
    try:
        payload = _serializer().loads(token, max_age=PREVIEW_MAX_AGE)
    except BadSignature:
        raise NastavnikError("Предпросмотр устарел или повреждён: загрузите файл снова."
                             ) from None
    if payload.get("org") != current_org_id() or payload.get("user") != user().id:
        raise NotAllowed("Этот предпросмотр сделан другим пользователем или в другой "
                         "организации: загрузите файл снова.")
    return payload["items"]


def _import_page(errors: dict[str, list[str]], status: int):
    return render_template("people/import.html", errors=errors,
                           max_rows=staff_import.MAX_ROWS,
                           max_mb=staff_import.MAX_BYTES // (1024 * 1024),
                           headers=staff_import.LABELS), status


@bp.get("/export.csv")
def export():
    """The organization's cards (not archived) as CSV for Excel: «;», UTF-8 with a BOM."""
    people_pages._require(people_pages.READERS, "Выгружать список педагогов")
    people = people_bank.everyone(db_session(), current_org_id())
    data = staff_import.export_csv(people_bank.listed(people))
    return send_download(data, "Педагоги.csv", "text/csv; charset=utf-8")


def _card(person: Person) -> people_bank.Card:
    return people_bank.card_of(db_session(), person)


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["person_card"] = _card  # the card on people/show.html
    app.jinja_env.filters["years"] = lambda n: f"{n} {plural(n, 'год', 'года', 'лет')}"
    app.jinja_env.tests["pedagogue"] = people_bank.is_pedagogue  # a position of the list
