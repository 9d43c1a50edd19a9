"""The JSON API: same rules as the pages, Russian 4xx errors as JSON, never a 500."""

from __future__ import annotations

import hashlib

import pytest

from storage.blobs import blobs
from storage.db import db_session
from storage.models import Document
from tests.helpers import documents as factories
from tests.helpers.http import api, login_as
from tests.helpers.kinds import pd_data
from workflows import signing


def test_create_and_walk_a_consent_over_the_api(demo, client, app):
    """The clerk drafts a teacher's consent, the director visas it; the teacher signs it
    herself (issue 9: before, the director signed it in her place)."""
    with app.app_context():
        pid = factories.person("Гоголь").id
    login_as(client, "clerk")
    created = api(client, "POST", "/api/documents", {"kind": "pd_consent",
                                                     "data": pd_data(pid)})
    assert created.status_code == 201, created.json
    doc = created.json
    assert doc["state"] == "draft" and doc["data"]["person_name"] == "Гоголь Никита Андреевич"
    assert doc["signatures"] == [] and doc["pending_signatories"] == [{
        "name": "Гоголь Никита Андреевич", "party": "subject", "part": "subject",
        "label": "Субъект персональных данных", "methods": ["simple", "paper"]}]
    moved = api(client, "POST", f"/api/documents/{doc['id']}/transitions",
                {"action": "submit", "version": doc["version"]})
    assert moved.json["state"] == "in_approval"
    stale = api(client, "POST", f"/api/documents/{doc['id']}/transitions",
                {"action": "cancel", "comment": "x", "version": doc["version"]})
    assert stale.status_code == 409
    assert stale.json["error"].startswith("Документ уже изменил другой пользователь")

    login_as(client, "director")
    api(client, "POST", f"/api/documents/{doc['id']}/transitions", {"action": "approve"})
    not_his = api(client, "POST", f"/api/documents/{doc['id']}/transitions",
                  {"action": "sign", "password": "nastavnik2026"})
    assert not_his.status_code == 403
    assert not_his.json["error"] == ("Ваша подпись на этом документе не требуется. Его "
                                     "подписывают: Субъект персональных данных (Гоголь "
                                     "Никита Андреевич).")

    login_as(client, "gogol")
    signed = api(client, "POST", f"/api/documents/{doc['id']}/transitions",
                 {"action": "sign", "password": "nastavnik2026"})
    assert signed.status_code == 200 and signed.json["number"] == "3-с"
    assert signed.json["state"] == "signed" and signed.json["pending_signatories"] == []
    [signature] = signed.json["signatures"]
    assert signature["signer"] == "Гоголь Никита Андреевич"
    assert (signature["part"], signature["method"]) == ("subject", "simple")
    with app.app_context():
        copy = signing.signing_copy(db_session(), db_session().get(Document, doc["id"]))
        assert signature["sha256"] == copy.sha256 == hashlib.sha256(
            blobs().get(copy.sha256)).hexdigest()
    assert api(client, "GET", f"/api/documents/{doc['id']}").json["signatures"] == [signature]


def test_field_errors_come_back_by_field_in_russian(client):
    login_as(client, "clerk")
    response = api(client, "POST", "/api/documents", {"kind": "mentor_consent", "data": {
        "person_id": "abc", "statement_date": "вчера"}})
    assert response.status_code == 422
    fields = response.json["fields"]
    assert fields["person_id"] == ["«Педагог, дающий согласие»: Выберите педагога из списка."]
    assert fields["statement_date"] == ["«Дата согласия»: Введите дату в формате ДД.ММ.ГГГГ."]
    assert "duties" in fields


@pytest.mark.parametrize("body", [
    b"", b"not json", b"[]", b'"string"', b"{\"kind\": 5}", b"{\"kind\": \"x\", \"data\": []}",
    b"{\"kind\": \"mentor_consent\", \"data\": {\"person_id\": 99999999, \"statement_date\": "
    b"\"2026-01-01\", \"duties\": \"x\"}}",
    b"{\"kind\": \"mentor_consent\", \"data\": {\"person_id\": [1], \"duties\": {\"a\": 1}}}",
    b"{\"kind\": \"no_such_kind\", \"data\": {}}",
    b"{\"kind\": \"mentor_consent\", \"data\": {\"person_id\": 99999999999999999999, "
    b"\"statement_date\": \"2026-01-01\", \"duties\": \"x\"}}",
])
def test_bad_bodies_give_russian_4xx_never_500(client, body):
    login_as(client, "clerk")
    response = api(client, "POST", "/api/documents", raw=body)
    assert 400 <= response.status_code < 500, (response.status_code, response.json)
    assert any("а" <= ch <= "я" for ch in response.json["error"].lower())


@pytest.mark.parametrize("body", [{"action": 5}, {"action": "sign", "password": "x"},
                                  {"action": "approve", "version": "one"},
                                  {"action": "fly"}, {}])
def test_bad_transitions_give_russian_4xx(client, app, body):
    with app.app_context():
        from sqlalchemy import select

        from storage.db import db_session
        from storage.models import Document

        doc_id = db_session().scalars(select(Document.id).where(
            Document.state == "approved")).first()
    login_as(client, "director")
    response = api(client, "POST", f"/api/documents/{doc_id}/transitions", body)
    assert 400 <= response.status_code < 500, response.json
    assert response.json["error"]


def test_other_organization_gets_json_404(demo, client, app):
    with app.app_context():
        from sqlalchemy import select

        from storage.db import db_session
        from storage.models import Document

        doc_id = db_session().scalars(select(Document.id)).first()
    login_as(client, "clerk12")
    response = api(client, "GET", f"/api/documents/{doc_id}")
    assert response.status_code == 404 and response.json["error"] == "Документ не найден."
    assert api(client, "GET", "/api/documents").json == []
