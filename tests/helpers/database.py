"""The tests' databases: a state built once per run (a ``Snapshot``) and given back to
every test that starts from it.

On SQLite the built database is one file, copied for each test (a copy costs far less than
building a school). On PostgreSQL the built rows are kept in memory and put back into the
worker's database for each test (rows deleted, the built rows inserted, sequences moved
past them). The files the build stored (signed copies, the audit checkpoint file) are
copied too.

Under pytest-xdist each worker process has a PostgreSQL database of its own
(``worker_database``), so two tests running at once never share rows.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    """Empty every table (then insert the rows of ``refill``, table by table) and start each
    table's id sequence again after its highest id, as a fresh database numbers them.

    Rows are deleted, not truncated: the tables of a test hold a few hundred rows, and a
    ``TRUNCATE`` of every table (new files for each table and index, flushed at commit)
    cost about half a second per test, a ``DELETE`` a few milliseconds. The commit is not
    waited for on disk (``synchronous_commit``): a test database need not outlive a crash.
    The audit log's append-only triggers are lifted for it and put back (also after a test
    that dropped them to play the tamperer)."""
    engine = create_engine(url)
    dialect = engine.dialect.name
    with engine.begin() as conn:
        if dialect == "postgresql":
            conn.execute(text("SET LOCAL synchronous_commit = off"))
        for statement in append_only.down_statements(dialect):
            conn.execute(text(statement))
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        for table, rows in refill:
            if rows:
                conn.execute(table.insert(), rows)
        if dialect == "postgresql":
            for table in Base.metadata.sorted_tables:
                if "id" in table.c:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"coalesce(max(id), 0) + 1, false) FROM {table.name}"))
        elif conn.execute(text(
                "SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first():
            conn.execute(text("DELETE FROM sqlite_sequence"))
        for statement in append_only.up_statements(dialect):
            conn.execute(text(statement))
    engine.dispose()


@contextmanager
def worker_database(url: str, worker: str) -> Iterator[str]:
    """A PostgreSQL database of this pytest-xdist worker's own beside the run's ``url``
    (``<database>_<worker>``, e.g. ``nastavnik_test_1234_gw0``), made empty for the run and
    dropped after it: its URL. Its commits do not wait for the disk."""
    own = make_url(url).set(database=f"{make_url(url).database}_{worker}")
    name = own.database
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # no commit of a test waits for the disk: a test database need not outlive a crash
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    try:
        yield own.render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
