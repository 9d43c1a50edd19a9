"""Fixtures: an app on a database built by the migrations, a client, helpers to act.

The database is SQLite (a file per run) unless ``TEST_DATABASE_URL`` names another, e.g.
the PostgreSQL on 127.0.0.1. It is migrated once per run; every test starts from empty
tables and the demo data of ``webforms.demo.seed``.
"""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import create_engine, text

from storage import append_only
from storage.migrate import upgrade
from storage.models import Base
from webforms import create_app
from webforms.demo import DEMO_PASSWORD, seed

REQUIRE_SERVICES = os.environ.get("NASTAVNIK_REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or \
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    upgrade(url)
    return url


def _empty_tables(url: str) -> None:
    """Empty every table. The audit log's append-only triggers are lifted for the cleanup
    and put back (also after a test that dropped them to play the tamperer)."""
    engine = create_engine(url)
    dialect = engine.dialect.name
    with engine.begin() as conn:
        for statement in append_only.down_statements(dialect):
            conn.execute(text(statement))
        if dialect == "postgresql":
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
            if _has_sqlite_sequence(conn):
                conn.execute(text("DELETE FROM sqlite_sequence"))
        for statement in append_only.up_statements(dialect):
            conn.execute(text(statement))
    engine.dispose()


def _has_sqlite_sequence(conn) -> bool:
    return bool(conn.execute(text(
        "SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first())


@pytest.fixture
def app(database_url, tmp_path):
    _empty_tables(database_url)
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "STORAGE_DIR": str(tmp_path / "files"),
        "REDIS_URL": None,
        "PDF_ENABLED": False,
        "SECRET_KEY": "test-secret",
        # a real, standard hash, cheaper than scrypt: the demo hashes 11 passwords per test
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    with app.app_context():
        seed()
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    if 'name="csrf_token"' not in page:
        page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def login_as(client, login: str, password: str = DEMO_PASSWORD):
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    response = client.post("/login", data={"login": login, "password": password,
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def post(client, url: str, data: dict | None = None, **kwargs):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)}, **kwargs)
