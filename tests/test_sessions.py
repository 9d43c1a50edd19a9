"""Sessions end on the server; ``next`` stays on this site; HTTPS, caching and the
anonymous API answer as the security review (D2, D13, D15) asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from storage.db import db_session
from storage.models import Document, StoredFile, UserSession
from tests.helpers import documents as factories
from tests.helpers.http import csrf_token, login_as, post
from webforms import create_app
from webforms.auth import local_path, set_password


def cookie_id(client) -> str:
    with client.session_transaction() as s:
        return s.get("_user_id", "")


def replay(app, user_id: str):
    """A fresh client that presents a session cookie naming ``user_id`` (a copied cookie)."""
    other = app.test_client()
    with other.session_transaction() as s:
        s["_user_id"] = user_id
        s["_fresh"] = True
    return other


def some_document_id(app) -> int:
    with app.app_context():
        return db_session().scalars(select(Document.id)).first()


def test_an_old_cookie_opens_nothing_after_logout(demo, client, app):
    login_as(client, "director")
    stolen = cookie_id(client)
    doc_id = some_document_id(app)
    assert replay(app, stolen).get("/api/documents").status_code == 200

    assert post(client, "/logout").status_code == 302
    thief = replay(app, stolen)
    api = thief.get("/api/documents")
    assert api.status_code == 401
    assert api.json == {"error": "Требуется вход в систему."}
    page = thief.get(f"/documents/{doc_id}")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")


def test_every_login_gets_its_own_token(client, app):
    seen = set()
    for _ in range(3):
        login_as(client, "curator")
        seen.add(cookie_id(client))
    assert len(seen) == 3
    with app.app_context():
        rows = db_session().scalars(select(UserSession).where(
            UserSession.user_id == factories.user("curator").id)).all()
        assert len(rows) == 3
        assert sum(r.ended_at is None for r in rows) == 1  # each new login ended the one before
        assert all(len(r.token_hash) == 64 for r in rows)
        assert not any(r.token_hash in seen_id for r in rows for seen_id in seen)


def test_a_cookie_with_a_made_up_token_opens_nothing(client, app):
    login_as(client, "clerk")
    user_id = cookie_id(client).partition(":")[0]
    for forged in (user_id, f"{user_id}:", f"{user_id}:guess", "x:y", f"{int(user_id) + 1}:"
                   + cookie_id(client).partition(":")[2]):
        assert replay(app, forged).get("/api/documents").status_code == 401, forged


@pytest.mark.parametrize("change", ["password", "deactivate"])
def test_a_new_password_or_deactivation_logs_out_everywhere(app, change):
    office, home = app.test_client(), app.test_client()
    login_as(office, "clerk")
    login_as(home, "clerk")
    with app.app_context():
        clerk = factories.user("clerk")
        if change == "password":
            set_password(clerk, "новый-пароль-2026")
        else:
            clerk.is_active = False
        db_session().commit()
        if change == "deactivate":
            clerk.is_active = True  # coming back does not revive the old sessions
            db_session().commit()
    for browser in (office, home):
        assert browser.get("/api/documents").status_code == 401
    if change == "password":
        login_as(office, "clerk", "новый-пароль-2026")
        assert office.get("/api/documents").status_code == 200


def test_a_session_ends_after_the_idle_time(client, app):
    login_as(client, "director")
    assert client.get("/api/documents").status_code == 200
    with app.app_context():
        idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
        db_session().execute(update(UserSession).values(
            last_seen_at=datetime.now(UTC) - idle))
        db_session().commit()
    assert client.get("/api/documents").status_code == 401
    with app.app_context():  # and it stays ended even if the limit is raised later
        assert db_session().scalars(select(UserSession.ended_at)).one() is not None


def test_a_request_keeps_the_session_alive(client, app):
    login_as(client, "director")
    with app.app_context():
        almost = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 1)
        db_session().execute(update(UserSession).values(
            last_seen_at=datetime.now(UTC) - almost))
        db_session().commit()
    assert client.get("/api/documents").status_code == 200
    with app.app_context():
        seen = db_session().scalars(select(UserSession.last_seen_at)).one()
        assert datetime.now(UTC) - (seen if seen.tzinfo else seen.replace(tzinfo=UTC)) \
            < timedelta(minutes=5)


BAD_NEXT = [
    "/\t/evil.example", "/%09/evil.example", "/\r\n/evil.example", "/%0d%0aSet-Cookie:x=1",
    "/%0D%0ASet-Cookie:x=1", "\\\\evil.example", "/\\evil.example", "/\\/evil.example",
    "//evil.example", "///evil.example", "/%2F/evil.example", "/%5Cevil.example",
    "https://evil.example", "http:/evil.example", "javascript:alert(1)", "evil.example",
    " /evil", "\t//evil.example", "/ok\x00", "/ok\x7f", "/%00", "", "/" + "a" * 3000,
]


@pytest.mark.parametrize("target", BAD_NEXT)
def test_local_path_refuses_what_could_leave_the_site(target):
    assert local_path(target) is None


@pytest.mark.parametrize("target", ["/", "/documents/12", "/people?q=%D0%B0+b&page=2",
                                    "/documents/new?kind=mentor_consent#top"])
def test_local_path_keeps_local_paths(target):
    assert local_path(target) == target


@pytest.mark.parametrize("target", ["/%09/evil.example", "/\t/evil", "\\\\evil",
                                    "/%0d%0aSet-Cookie:", "https://x", "//x"])
def test_login_next_never_leaves_the_site(client, target):
    from urllib.parse import quote

    response = client.post(f"/login?next={quote(target, safe='/%:')}",
                           data={"login": "clerk", "password": "nastavnik2026",
                                 "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_next_follows_a_local_path(client):
    response = client.post("/login?next=/people", data={
        "login": "clerk", "password": "nastavnik2026", "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/people"


def test_the_act_form_next_never_leaves_the_site(client, app):
    with app.app_context():
        doc = factories.draft("mentor_consent", {
            "person_id": factories.person("Гоголь").id, "statement_date": "20.11.2026",
            "duties": "наставничество"})
        doc_id, version = doc.id, doc.version
    login_as(client, "clerk")
    response = post(client, f"/documents/{doc_id}/act/submit",
                    {"version": version, "next": "/\t/evil.example/phish"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/documents/{doc_id}"


@pytest.fixture
def proxied(app):
    """The same app served behind one trusted reverse proxy (TRUSTED_PROXIES=1)."""
    keys = ("TESTING", "DATABASE_URL", "STORAGE_DIR", "REDIS_URL", "PDF_ENABLED",
            "SECRET_KEY", "PASSWORD_HASH_METHOD")
    other = create_app({**{k: app.config[k] for k in keys}, "TRUSTED_PROXIES": 1})
    yield other.test_client()
    other.extensions["db_engine"].dispose()


# a browser on HTTPS sends a same-origin Referer, which Flask-WTF checks there
HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7",
         "Referer": "https://localhost/login"}


def login_over(client, headers: dict):
    token = csrf_token(client)
    return client.post("/login", headers=headers, data={
        "login": "clerk", "password": "nastavnik2026", "csrf_token": token})


def test_behind_a_trusted_https_proxy_the_cookie_is_secure_and_hsts_is_sent(proxied):
    response = login_over(proxied, HTTPS)
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"] == \
        "max-age=31536000; includeSubDomains"


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(client):
    response = login_over(client, HTTPS)
    assert response.status_code == 302
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


def test_plain_http_behind_the_proxy_gets_no_hsts(proxied):
    response = login_over(proxied, {"X-Forwarded-Proto": "http"})
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


def test_pages_and_downloads_with_personal_data_are_not_stored(demo, client, app):
    with app.app_context():
        f = db_session().scalars(select(StoredFile)).first()
        doc_id, file_id = f.document_id, f.id
    login_as(client, "clerk")
    for url in ("/", "/people", f"/documents/{doc_id}", "/api/documents",
                f"/documents/{doc_id}/files/{file_id}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    assert client.get("/static/style.css").headers.get("Cache-Control") != "no-store"


def test_an_anonymous_api_call_gets_401_json(client):
    for url in ("/api/documents", "/api/documents/1"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json == {"error": "Требуется вход в систему."}
    assert client.get("/documents/1").status_code == 302  # a page still goes to /login
