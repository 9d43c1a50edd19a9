"""The tests' databases: a state built once per run (a ``Snapshot``) and given back to
every test that starts from it.

On SQLite the built database is one file, copied for each test (a copy costs far less than
building a school). On PostgreSQL the built rows are kept in memory and put back into the
run's database for each test (tables truncated, rows inserted, sequences moved past them).
The files the build stored (signed copies, the audit checkpoint file) are copied too.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from storage import append_only
from storage.models import Base


def build_school() -> None:
    """Both organizations, the demo users with their roles and their people; no documents."""
    from webforms.demo import seed

    seed(consents=False)


def build_demo() -> None:
    """The school with the demo's documents, as ``webforms.demo.seed`` makes them."""
    from webforms.demo import seed

    seed()


@dataclass
class Snapshot:
    """A database state built once: ``restore`` gives a test its own copy of it."""

    url: str
    folder: Path
    rows: list[tuple[Any, list[dict[str, Any]]]] = field(default_factory=list)

    @classmethod
    def build(cls, url: str, folder: Path, builder: Callable[[], None],
              config: dict[str, Any]) -> Snapshot:
        """Run ``builder`` in an app on a fresh copy of the migrated database ``url``."""
        from webforms import create_app

        sqlite = url.startswith("sqlite")
        if sqlite:
            built = folder / "built.sqlite3"
            shutil.copyfile(make_url(url).database, built)
            target = f"sqlite:///{built}"
        else:
            empty_tables(url)
            target = url
        app = create_app({**config, "DATABASE_URL": target,
                          "STORAGE_DIR": str(folder / "files")})
        with app.app_context():
            builder()
        app.extensions["db_engine"].dispose()
        snapshot = cls(target, folder)
        if sqlite:
            with sqlite3.connect(built) as conn:  # everything into the file, WAL emptied
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            engine = create_engine(url)
            with engine.connect() as conn:
                snapshot.rows = [(t, [dict(r) for r in conn.execute(select(t)).mappings()])
                                 for t in Base.metadata.sorted_tables]
            engine.dispose()
        return snapshot

    def restore(self, tmp_path: Path) -> tuple[str, str]:
        """This state for one test: its database URL and its storage folder."""
        storage = tmp_path / "files"
        if (self.folder / "files").exists():
            shutil.copytree(self.folder / "files", storage)
        if self.url.startswith("sqlite"):
            copy = tmp_path / "test.sqlite3"
            shutil.copyfile(make_url(self.url).database, copy)
            return f"sqlite:///{copy}", str(storage)
        empty_tables(self.url, refill=self.rows)
        return self.url, str(storage)


def empty_tables(url: str, *, refill: list[tuple[Any, list[dict[str, Any]]]] = ()) -> None:
    """Empty every table (then insert the rows of ``refill``, table by table). The audit
    log's append-only triggers are lifted for it and put back (also after a test that
    dropped them to play the tamperer)."""
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
            if conn.execute(text(
                    "SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first():
                conn.execute(text("DELETE FROM sqlite_sequence"))
        for table, rows in refill:
            if rows:
                conn.execute(table.insert(), rows)
                if dialect == "postgresql" and "id" in table.c:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"max(id)) FROM {table.name}"))
        for statement in append_only.up_statements(dialect):
            conn.execute(text(statement))
    engine.dispose()
