"""Fixtures: an app on a database built by the migrations, a client, a runner.

The database is SQLite (a file per test) unless ``TEST_DATABASE_URL`` names another, e.g.
the PostgreSQL on 127.0.0.1. It is migrated once per run. Every test's app starts from a
small school (``school``: both organizations, the demo users with their roles and their
people, no documents); a test that needs the demo's documents (seven mentor's consents in
every state, two of them signed and filed) asks for ``demo`` as well. Each is built once per
run and copied for every test (tests/helpers/database.py), so setting up a test costs a file
copy on SQLite and a reload of a few rows on PostgreSQL.

Helpers to act live in ``tests/helpers``; nothing is imported from this file.
"""

from __future__ import annotations

import os

import pytest

from storage.migrate import upgrade
from tests.helpers.database import Snapshot, build_demo, build_school

TEST_CONFIG = {
    "TESTING": True,
    "REDIS_URL": None,
    "PDF_ENABLED": False,
    "SECRET_KEY": "test-secret",
    # a real, standard hash, cheaper than scrypt: a test logs in several times
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The migrated, empty database of the run."""
    url = os.environ.get("TEST_DATABASE_URL") or \
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def school(database_url, tmp_path_factory) -> Snapshot:
    """The small school every test starts from, built once."""
    return Snapshot.build(database_url, tmp_path_factory.mktemp("school"), build_school,
                          TEST_CONFIG)


@pytest.fixture(scope="session")
def demo_data(database_url, tmp_path_factory) -> Snapshot:
    """The school with the demo's documents (``webforms.demo.seed``), built once."""
    return Snapshot.build(database_url, tmp_path_factory.mktemp("demo"), build_demo,
                          TEST_CONFIG)


@pytest.fixture
def app(request, school, tmp_path):
    """The app on this test's copy of ``school`` (of ``demo_data`` if the test asks for
    ``demo``), its files in ``tmp_path``."""
    snapshot = request.getfixturevalue("demo_data") if "demo" in request.fixturenames \
        else school
    url, storage = snapshot.restore(tmp_path)
    from webforms import create_app

    app = create_app({**TEST_CONFIG, "DATABASE_URL": url, "STORAGE_DIR": storage})
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def demo(app):
    """Ask for it to start from the demo's documents, not only the school: the app."""
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
