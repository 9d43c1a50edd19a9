"""A database nobody has migrated yet: ``flask demo`` alone works, pages say what to do.

A newcomer may run ``flask demo`` before ``flask db upgrade``, or start the service on a new
database file; neither may end in a traceback or an English 500 page.
"""

from __future__ import annotations

from webforms import create_app
from webforms.errors import SCHEMA_MISSING


def _fresh_app(tmp_path, **extra):
    return create_app({
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "STORAGE_DIR": str(tmp_path / "files"),
        "REDIS_URL": None,
        "PDF_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **extra,
    })


def test_a_page_on_an_unmigrated_database_says_to_run_the_migrations(tmp_path):
    app = _fresh_app(tmp_path, WTF_CSRF_ENABLED=False)
    page = app.test_client().post("/login", data={"login": "director", "password": "x"})
    app.extensions["db_engine"].dispose()
    assert page.status_code == 503
    assert "flask --app wsgi db upgrade" in page.get_data(as_text=True)


def test_demo_alone_on_a_fresh_database_migrates_it_first(tmp_path):
    app = _fresh_app(tmp_path)
    result = app.test_cli_runner().invoke(args=["demo"])
    login = app.test_client().get("/login")
    app.extensions["db_engine"].dispose()
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "director" in result.output
    assert login.status_code == 200
    assert SCHEMA_MISSING not in login.get_data(as_text=True)
