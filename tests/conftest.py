"""Fixtures: an app on a database built by the migrations, a client, a runner.

The database is SQLite (a file per test) unless ``TEST_DATABASE_URL`` names another, e.g.
the PostgreSQL on 127.0.0.1. It is migrated once per run, per test process: ``./dev test``
runs one process per core (pytest-xdist), each with a PostgreSQL database of its own beside
the one named and a Redis database of its own (tests/helpers/services.py). Every test's app
starts from a small school (``school``: both organizations, the demo users with their roles
and their people, no documents); a test that needs the demo's documents (seven mentor's
consents in every state, two of them signed and filed) asks for ``demo`` as well. Each is
built once per process and copied for every test (tests/helpers/database.py), so setting
up a test costs a file copy on SQLite and one statement on PostgreSQL.

Helpers to act live in ``tests/helpers``; nothing is imported from this file.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.migrate import upgrade
from tests.helpers.compiled import TEMPLATES, compile_url_rules_once
from tests.helpers.database import Snapshot, build_demo, build_school, worker_database

TEST_CONFIG = {
    "TESTING": True,
    "REDIS_URL": None,
    "PDF_ENABLED": False,
    "SECRET_KEY": "test-secret",
    # a real, standard hash, cheaper than scrypt: a test logs in several times
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
}


MEMORY = Path("/dev/shm")
MEMORY_NEEDED = 2 << 30  # bytes free: a run keeps a few hundred kB per failed test


def pytest_configure(config) -> None:
    """Before any app is made: URL rules compiled once per process (tests/helpers/compiled.py),
    scratch files in memory."""
    compile_url_rules_once()
    scratch_in_memory()


def scratch_in_memory() -> None:
    """The tests' scratch files go to memory (a folder on ``/dev/shm``) when it has room
    and ``TMPDIR`` names no other place: every commit of the tests' SQLite copies and every
    stored file is synced to disk, a few milliseconds each on a disk and nothing in memory.
    Set before pytest makes its temporary folder (and before pytest-xdist starts its
    workers, which inherit it); the converter folders and worker processes of the PDF tests
    follow ``TMPDIR`` too."""
    if os.environ.get("TMPDIR") or not MEMORY.is_dir():
        return
    stats = os.statvfs(MEMORY)
    if stats.f_bavail * stats.f_frsize < MEMORY_NEEDED:
        return
    folder = MEMORY / "nastavnik-tests"
    folder.mkdir(mode=0o700, exist_ok=True)
    os.environ["TMPDIR"] = tempfile.tempdir = str(folder)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """The migrated, empty database of this run (of this worker, under pytest-xdist: a
    PostgreSQL database of its own beside the one ``TEST_DATABASE_URL`` names)."""
    url = os.environ.get("TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    elif worker:
        with worker_database(url, worker) as own:
            upgrade(own)
            yield own
        return
    upgrade(url)
    yield url


def _built(database_url, tmp_path_factory, name: str, builder) -> Iterator[Snapshot]:
    snapshot = Snapshot.build(database_url, tmp_path_factory.mktemp(name), builder,
                              TEST_CONFIG)
    yield snapshot
    snapshot.close()


@pytest.fixture(scope="session")
def school(database_url, tmp_path_factory) -> Iterator[Snapshot]:
    """The small school every test starts from, built once."""
    yield from _built(database_url, tmp_path_factory, "school", build_school)


@pytest.fixture(scope="session")
def demo_data(database_url, tmp_path_factory) -> Iterator[Snapshot]:
    """The school with the demo's documents (``webforms.demo.seed``), built once."""
    yield from _built(database_url, tmp_path_factory, "demo", build_demo)


@pytest.fixture
def app(request, school, tmp_path):
    """The app on this test's copy of ``school`` (of ``demo_data`` if the test asks for
    ``demo``), its files in ``tmp_path``."""
    snapshot = request.getfixturevalue("demo_data") if "demo" in request.fixturenames \
        else school
    url, storage = snapshot.restore(tmp_path)
    from webforms import create_app

    app = create_app({**TEST_CONFIG, "DATABASE_URL": url, "STORAGE_DIR": storage})
    app.jinja_env.bytecode_cache = TEMPLATES
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


def pytest_terminal_summary(terminalreporter) -> None:
    """The passed fuzz tests' count of requests (tests/test_fuzz.py), over every worker."""
    passed = {report.nodeid for report in terminalreporter.getreports("passed")}
    cases: Counter[str] = Counter()
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) == "teardown" and report.nodeid in passed:
                cases.update(dict(report.user_properties).get("fuzz cases", {}))
    if cases:
        terminalreporter.write_line(
            f"fuzz: {cases.total()} requests, 0 server errors — "
            + ", ".join(f"{k} {v}" for k, v in sorted(cases.items())))
