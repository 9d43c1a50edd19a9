"""The bank of mentors and mentees (П2 stages 2–3): pages at ``/people``, and
``flask people erase-due``.

The list shows the organization's pedagogues with their consents on file and their bank
status; the curator or the clerk puts a person in the bank (``workflows.bank`` holds the
rules) or records the withdrawal of a personal-data consent (``workflows.personal_data``).
Every lookup of a person goes through ``webforms.access.person_or_404``, scoped to the
current organization.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import click
from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError as SchemaError

from storage.db import db_session
from storage.models import Person
from storage.roles import Role
from webforms.access import person_or_404
from webforms.auth import current_org_id, current_roles, user
from webforms.forms.base import FormSchema, choice, clean_blanks, day, text
from webforms.forms.parsing import flatten_errors
from webforms.input_guard import checks_own_fields
from webforms.writers import may_use
from workflows import bank, people_bank, personal_data
from workflows.calendar import erasure_deadline
from workflows.consents import labels as paper_labels
from workflows.errors import NastavnikError, NotAllowed, ValidationError
from workflows.vocabulary import BANK_ROLES, MENTEE_CATEGORIES

bp = Blueprint("people", __name__, url_prefix="/people")

READERS = frozenset({Role.CURATOR, Role.CLERK, Role.DIRECTOR, Role.ADMIN, Role.INSPECTOR})
# who keeps the bank (puts people in it, records withdrawals): webforms.writers.KEEPERS


class BankEntryForm(FormSchema):
    role = choice("Роль в банке", tuple(BANK_ROLES))
    category = choice("Категория наставляемого (п. 5.2.3 Положения)", MENTEE_CATEGORIES,
                      required=False)
    competences = text("Компетенции наставника или запрос наставляемого", required=False,
                       max_len=3000, widget="textarea")


class WithdrawalForm(FormSchema):
    withdrawn_on = day("Дата отзыва согласия")


def _require(roles: frozenset[Role], what: str) -> None:
    if not current_roles() & roles:
        allowed = ", ".join(sorted(r.label.lower() for r in roles))
        raise NotAllowed(f"{what} может только: {allowed}.")


def _load(schema: FormSchema, raw: dict[str, Any]) -> dict[str, Any]:
    try:
        return schema.load(clean_blanks(raw))
    except SchemaError as exc:
        raise ValidationError("Проверьте поля формы: есть ошибки.",
                              flatten_errors(schema, exc.messages)) from None


@bp.get("")
def index():
    _require(READERS, "Просматривать банк наставников и наставляемых")
    query, archived = request.args.get("q", "")[:200], request.args.get("archived") == "1"
    shown = people_bank.listed(people_bank.everyone(db_session(), current_org_id()), query,
                               archived=archived)
    rows = bank.rows(db_session(), current_org_id(), shown)
    return render_template("people/index.html", rows=rows, query=query, archived=archived,
                           labels=paper_labels(), roles=BANK_ROLES,
                           may_keep=may_use("people.add_to_bank"))


@bp.get("/<int:person_id>")
def show(person_id: int):
    _require(READERS, "Просматривать банк наставников и наставляемых")
    return _page(person_or_404(person_id), {}, {}, 200)


@bp.post("/<int:person_id>/bank")
@checks_own_fields
def add_to_bank(person_id: int):
    person = person_or_404(person_id)

    def add(data: dict[str, Any]) -> str:
        bank.add(db_session(), person, data["role"], category=data.get("category", ""),
                 competences=data.get("competences", ""))
        return f"{person.full_name} внесён(а) в банк: {BANK_ROLES[data['role']]}."

    return _submit(person, BankEntryForm(), add)


@bp.post("/<int:person_id>/withdraw-pd")
@checks_own_fields
def withdraw_pd(person_id: int):
    person = person_or_404(person_id)

    def withdraw(data: dict[str, Any]) -> str:
        erasure = personal_data.withdraw(db_session(), person, data["withdrawn_on"], user())
        return (f"Отзыв согласия зарегистрирован. Обработка прекращена; данные будут уничтожены "
                f"не позднее {erasure.due_on:%d.%m.%Y} "
                f"({erasure_deadline(erasure.withdrawn_on).how}).")

    return _submit(person, WithdrawalForm(), withdraw)


def _submit(person: Person, schema: FormSchema, act: Callable[[dict[str, Any]], str]):
    """Load the posted form by ``schema``, ``act`` on its data and commit, then say what was
    done (``act`` returns the words) on the person's page. A refusal rolls back and shows
    the page again with the form as typed, its errors and the refusal's 4xx status."""
    values = request.form.to_dict()
    try:
        done = act(_load(schema, values))
        db_session().commit()
    except NastavnikError as exc:
        db_session().rollback()
        return _page(person, values, _errors(exc), exc.status)
    flash(done, "success")
    return redirect(url_for("people.show", person_id=person.id))


def _errors(exc: NastavnikError) -> dict[str, list[str]]:
    if isinstance(exc, ValidationError) and exc.fields:
        return exc.fields
    return {exc.field or "_": [exc.message]}


def _page(person: Person, values: dict[str, Any], errors: dict[str, list[str]], status: int):
    session = db_session()
    row = next(r for r in bank.rows(session, person.organization_id) if r.person.id == person.id)
    erasure = personal_data.pending_or_done(session, person)
    return render_template(
        "people/show.html", row=row, labels=paper_labels(), roles=BANK_ROLES,
        categories=MENTEE_CATEGORIES, values=values, errors=errors, erasure=erasure,
        erasure_how=erasure_deadline(erasure.withdrawn_on).how if erasure else "",
        may_keep=may_use("people.add_to_bank"), today=date.today().isoformat()), status


@bp.cli.command("erase-due")
@click.option("--today", "today", default=None, help="Дата ГГГГ-ММ-ДД (по умолчанию сегодня).")
def erase_due_command(today: str | None) -> None:
    """Уничтожить данные тех, кто отозвал согласие, по истечении 30 дней (152-ФЗ ст. 21 ч. 5)."""
    day_ = date.fromisoformat(today) if today else date.today()
    done = personal_data.erase_due(db_session(), day_)
    db_session().commit()
    for erasure in done:
        click.echo(f"Субъект № {erasure.person_id}: {erasure.details}")
    click.echo(f"Уничтожено: {len(done)}.")


def init_app(app) -> None:
    app.register_blueprint(bp)
