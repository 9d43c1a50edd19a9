"""Password attempts are limited per account and per address, signing passwords per
account; an unknown login costs the same password check as a known one (review D3)."""

from __future__ import annotations

import time

import pytest
import redis

from storage import passwords
from storage.db import db_session
from tests.helpers import documents as factories
from tests.helpers.http import api, csrf_token, login_as
from tests.helpers.kinds import pd_data
from webforms import create_app

WINDOW = 15 * 60


def attempt(client, login: str, password: str):
    return client.post("/login", data={"login": login, "password": password,
                                       "csrf_token": csrf_token(client)})


@pytest.fixture
def clock(monkeypatch):
    """Move the clock of the attempt counters (and only ``time.time``) forward."""
    offset = [0.0]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + offset[0])
    return lambda seconds: offset.__setitem__(0, offset[0] + seconds)


def test_the_attempt_after_the_limit_is_refused_even_with_the_right_password(app, client,
                                                                              clock):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    for _ in range(3):
        assert attempt(client, "curator", "x").status_code == 401
    refused = attempt(client, "curator", "x")
    assert refused.status_code == 429
    text = refused.get_data(as_text=True)
    assert "Слишком много неудачных попыток входа. Попробуйте снова через 15 мин." in text
    assert 0 < int(refused.headers["Retry-After"]) <= WINDOW
    right = attempt(client, "curator", "nastavnik2026")
    assert right.status_code == 429  # not logged in
    assert client.get("/api/documents").status_code == 401

    clock(WINDOW + 1)
    assert attempt(client, "curator", "nastavnik2026").status_code == 302


def test_the_account_limit_counts_the_login_not_the_address(app, client):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "2 per 15 minutes"
    for _ in range(2):
        attempt(client, "Curator ", "x")  # the same account, spelled loosely
    assert attempt(client, "curator", "nastavnik2026").status_code == 429
    assert attempt(client, "director", "nastavnik2026").status_code == 302


def test_the_address_limit_counts_failures_over_all_logins(app, client):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "4 per 15 minutes"
    for login in ("director", "curator", "no-such-login", "clerk"):
        assert attempt(client, login, "x").status_code == 401
    refused = attempt(client, "inspector", "nastavnik2026")
    assert refused.status_code == 429
    assert "Попробуйте снова через" in refused.get_data(as_text=True)


def test_successful_logins_are_not_counted(app, client):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "2 per 15 minutes"
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "2 per 15 minutes"
    for _ in range(6):
        login_as(client, "clerk")


def test_an_unknown_login_checks_a_hash_of_the_same_method(app, client, monkeypatch):
    checked = []
    real = passwords.check_password_hash

    def counting(pwhash, password):
        checked.append(pwhash.split("$")[0])
        return real(pwhash, password)

    monkeypatch.setattr(passwords, "check_password_hash", counting)
    method = app.config["PASSWORD_HASH_METHOD"]
    with app.app_context():
        factories.user("kravets").is_active = False
        db_session().commit()
    for login in ("no-such-login", "director", "kravets"):  # unknown, wrong, deactivated
        checked.clear()
        response = attempt(client, login, "guess")
        assert response.status_code == 401
        assert "Неверный логин или пароль." in response.get_data(as_text=True)
        assert checked == [method], login


def test_the_signing_password_is_limited_per_account(app, client, clock):
    app.config["SIGN_LIMIT_PER_ACCOUNT"] = "2 per 15 minutes"
    with app.app_context():
        person_id = factories.person("Гоголь").id
    login_as(client, "clerk")
    doc_id = api(client, "POST", "/api/documents", {"kind": "pd_consent",
                                                    "data": pd_data(person_id)}).json["id"]
    url = f"/api/documents/{doc_id}/transitions"
    assert api(client, "POST", url, {"action": "submit"}).status_code == 200
    login_as(client, "director")
    assert api(client, "POST", url, {"action": "approve"}).status_code == 200
    login_as(client, "gogol")  # her own consent: she signs it (issue 9), not the director
    for _ in range(2):
        assert api(client, "POST", url, {"action": "sign", "password": "x"}).status_code == 403
    refused = api(client, "POST", url, {"action": "sign", "password": "nastavnik2026"})
    assert refused.status_code == 429
    assert refused.json["error"] == ("Слишком много неудачных попыток ввода пароля для "
                                     "подписи. Попробуйте снова через 15 мин.")
    page = client.post(f"/documents/{doc_id}/act/sign", data={
        "password": "nastavnik2026", "csrf_token": csrf_token(client)})
    assert page.status_code == 429  # the page is limited by the same counter

    clock(WINDOW + 1)
    signed = api(client, "POST", url, {"action": "sign", "password": "nastavnik2026"})
    assert signed.status_code == 200, signed.json
    assert signed.json["state"] == "signed"


def _app_with_storage(app, uri: str):
    keys = ("TESTING", "DATABASE_URL", "STORAGE_DIR", "REDIS_URL", "PDF_ENABLED",
            "SECRET_KEY", "PASSWORD_HASH_METHOD")
    return create_app({**{k: app.config[k] for k in keys}, "RATELIMIT_STORAGE_URI": uri,
                       "LOGIN_LIMIT_PER_ACCOUNT": "2 per 15 minutes"})


REDIS_DB9 = "redis://127.0.0.1:6379/9"


def test_counters_live_in_redis_when_it_is_configured(app):
    db9 = redis.Redis.from_url(REDIS_DB9)
    try:
        db9.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    db9.flushdb()
    try:
        other = _app_with_storage(app, REDIS_DB9)
        client = other.test_client()
        for _ in range(2):
            assert attempt(client, "curator", "x").status_code == 401
        assert any(b"curator" in key for key in db9.keys("*"))
        again = _app_with_storage(app, REDIS_DB9).test_client()  # another worker process
        assert attempt(again, "curator", "nastavnik2026").status_code == 429
        other.extensions["db_engine"].dispose()
    finally:
        db9.flushdb()


def test_an_unreachable_redis_falls_back_to_memory(app):
    other = _app_with_storage(app, "redis://127.0.0.1:1/9")  # nothing listens on port 1
    client = other.test_client()
    assert attempt(client, "clerk", "nastavnik2026").status_code == 302
    for _ in range(2):
        assert attempt(client, "curator", "x").status_code == 401
    assert attempt(client, "curator", "nastavnik2026").status_code == 429
    other.extensions["db_engine"].dispose()
