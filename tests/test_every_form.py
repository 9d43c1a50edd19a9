"""Every kind's web form: it opens, and bad input of any shape gets a Russian 4xx that
names the fields, keeps what was typed, and never a 500."""

from __future__ import annotations

import pytest

from tests.conftest import login_as, post
from webforms.forms import FORMS

KINDS = sorted(FORMS)
GARBAGE = {"<script>alert(1)</script>", "{{ 7*7 }}", "-1", "99999999999999999999",
           "31.02.2026", "", " ", "Ёлка & «ёж»", "0x10", "1e309", "null"}


@pytest.mark.parametrize("kind", KINDS)
def test_form_opens_for_the_clerk(client, kind):
    login_as(client, "clerk" if kind != "final_report" else "curator")
    response = client.get(f"/documents/new/{kind}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Создать черновик" in page


@pytest.mark.parametrize("kind", KINDS)
def test_empty_form_names_its_required_fields(client, kind):
    login_as(client, "clerk" if kind != "final_report" else "curator")
    response = post(client, f"/documents/new/{kind}", {})
    page = response.get_data(as_text=True)
    assert response.status_code in (403, 422), (kind, response.status_code)
    if response.status_code == 422:
        assert "Документ не сохранён: исправьте ошибки в полях ниже." in page
        assert "обязательно" in page or "Выберите" in page or "Заполните" in page


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("value", sorted(GARBAGE))
def test_garbage_in_every_field_is_a_4xx_never_a_500(client, kind, value):
    login_as(client, "clerk" if kind != "final_report" else "curator")
    schema = FORMS[kind]()
    data = {}
    for name, field in schema.fields.items():
        if field.metadata.get("widget") == "rows":
            for sub in field.inner.schema.fields:
                data[f"{name}-0-{sub}"] = value
        else:
            data[name] = value
    response = post(client, f"/documents/new/{kind}", data)
    assert response.status_code in (302, 403, 409, 422), (kind, value, response.status_code)
    if response.status_code == 422 and value.strip() and value != "31.02.2026":
        page = response.get_data(as_text=True)
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in page or value in page, (kind, value)  # what was typed is kept
