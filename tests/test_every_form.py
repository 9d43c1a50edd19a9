"""Every kind's web form: it opens, and bad input of any shape gets a Russian 4xx that
names the fields, keeps what was typed, and never a 500. The garbage matrix goes through
the form layer and the workflow directly; one page per kind shows what the 4xx keeps."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from storage.db import db_session
from storage.roles import Role
from tests.helpers.documents import draft
from tests.helpers.http import login_as, post
from webforms import forms
from webforms.forms import FORMS
from workflows.errors import NastavnikError
from workflows.kinds import get_kind

KINDS = sorted(FORMS)
AUTHORS = {Role.CLERK: "clerk", Role.CURATOR: "curator"}  # demo users, by their role
GARBAGE = {"<script>alert(1)</script>", "{{ 7*7 }}", "-1", "99999999999999999999",
           "31.02.2026", "", " ", "Ёлка & «ёж»", "0x10", "1e309", "null"}


def author_of(kind: str) -> str:
    """A demo user who may write ``kind``: the clerk, unless the kind's roles name another."""
    roles = get_kind(kind).roles_for("submit")
    return next(login for role, login in AUTHORS.items() if role in roles)


@pytest.mark.parametrize("kind", KINDS)
def test_form_opens_for_the_clerk(client, kind):
    login_as(client, author_of(kind))
    response = client.get(f"/documents/new/{kind}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Создать черновик" in page


@pytest.mark.parametrize("kind", KINDS)
def test_empty_form_names_its_required_fields(client, kind):
    login_as(client, author_of(kind))
    response = post(client, f"/documents/new/{kind}", {})
    page = response.get_data(as_text=True)
    assert response.status_code in (403, 422), (kind, response.status_code)
    if response.status_code == 422:
        assert "Документ не сохранён: исправьте ошибки в полях ниже." in page
        assert "обязательно" in page or "Выберите" in page or "Заполните" in page


def garbage_form(kind: str, value: str) -> dict[str, str]:
    """The kind's form as posted with ``value`` in every field (one row of each table)."""
    data = {}
    for name, field in FORMS[kind]().fields.items():
        if field.metadata.get("widget") == "rows":
            for sub in field.inner.schema.fields:
                data[f"{name}-0-{sub}"] = value
        else:
            data[name] = value
    return data


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("value", sorted(GARBAGE))
def test_garbage_in_every_field_is_refused_or_stored_never_an_error(app, kind, value):
    """What the create page does with a posted form, without HTTP: the form layer reads and
    validates it, the workflow creates the draft. A refusal is a NastavnikError with a
    Russian message (the page's 4xx), never another exception (a 500)."""
    with app.app_context():
        values = forms.from_request_form(kind, MultiDict(garbage_form(kind, value)))
        try:
            doc = draft(kind, forms.validate(kind, values), author=author_of(kind))
        except NastavnikError as refusal:
            db_session().rollback()
            assert refusal.message, (kind, value)
        else:
            assert doc.id and doc.state == "draft", (kind, value)


@pytest.mark.parametrize("kind", KINDS)
def test_garbage_through_the_page_is_a_4xx_that_keeps_what_was_typed(client, kind):
    value = "<script>alert(1)</script>"
    login_as(client, author_of(kind))
    response = post(client, f"/documents/new/{kind}", garbage_form(kind, value))
    assert response.status_code in (302, 403, 409, 422), (kind, value, response.status_code)
    if response.status_code == 422:
        page = response.get_data(as_text=True)
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in page or value in page, (kind, value)  # what was typed is kept
