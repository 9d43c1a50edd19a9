"""The tests' databases: a state built once per run (a ``Snapshot``) and given back to
every test that starts from it.

On SQLite the built database is one file, copied for each test (a copy costs far less than
building a school). On PostgreSQL the built rows are copied into tables of a schema of
their own (``snapshot_1_school0``...) in the same database, and one statement sent once puts
them back for each test: the rows deleted, the built rows copied back, the sequences moved
past them. The files the build stored (signed copies, the audit checkpoint file) are
copied too.

Under pytest-xdist each worker process has a PostgreSQL database of its own
(``worker_database``), so two tests running at once never share rows.
"""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
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


_numbers = itertools.count(1)  # each snapshot of the process keeps its rows apart


@dataclass
class Snapshot:
    """A database state built once: ``restore`` gives a test its own copy of it."""

    url: str
    folder: Path
    engine: Engine | None = None  # PostgreSQL: kept open to restore
    schema: str = ""  # PostgreSQL: where the built rows are kept
    restore_sql: str = ""  # PostgreSQL: what puts the state back, in one round trip

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
        if sqlite:
            with sqlite3.connect(built) as conn:  # everything into the file, WAL emptied
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return cls(target, folder)
        engine = create_engine(url)
        schema = f"snapshot_{next(_numbers)}_{folder.name}".replace("-", "_")
        with engine.begin() as conn:
            conn.exec_driver_sql(copy_sql(engine, schema))
        return cls(target, folder, engine, schema, reset_sql(engine, schema))

    def restore(self, tmp_path: Path) -> tuple[str, str]:
        """This state for one test: its database URL and its storage folder."""
        storage = tmp_path / "files"
        if (self.folder / "files").exists():
            shutil.copytree(self.folder / "files", storage)
        if self.url.startswith("sqlite"):
            copy = tmp_path / "test.sqlite3"
            shutil.copyfile(make_url(self.url).database, copy)
            return f"sqlite:///{copy}", str(storage)
        with self.engine.begin() as conn:
            conn.exec_driver_sql(self.restore_sql)
        return self.url, str(storage)

    def close(self) -> None:
        """Drop the kept rows (PostgreSQL)."""
        if self.engine is not None:
            with self.engine.begin() as conn:
                quoted = self.engine.dialect.identifier_preparer.quote(self.schema)
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {quoted} CASCADE")
            self.engine.dispose()


def _names(engine: Engine, schema: str | None = None) -> list[tuple[str, str]]:
    """Each table, in the order its rows may be inserted: its quoted name (in ``schema``)
    and its quoted columns."""
    quote = engine.dialect.identifier_preparer.quote
    prefix = f"{quote(schema)}." if schema else ""
    return [(prefix + quote(t.name), ", ".join(quote(c.name) for c in t.columns))
            for t in Base.metadata.sorted_tables]


def copy_sql(engine: Engine, schema: str) -> str:
    """Statements that copy every table's rows into ``schema`` (made anew)."""
    quoted = engine.dialect.identifier_preparer.quote(schema)
    copies = [f"CREATE TABLE {copy} AS SELECT {columns} FROM {table}"
              for (table, columns), (copy, _) in zip(_names(engine), _names(engine, schema),
                                                     strict=True)]
    return ";\n".join([f"DROP SCHEMA IF EXISTS {quoted} CASCADE", f"CREATE SCHEMA {quoted}",
                       *copies])


def reset_sql(engine: Engine, schema: str | None = None) -> str:
    """Statements that empty every table, copy back the rows kept in ``schema`` (none
    without it) and start each table's id sequence again after its highest id, as a fresh
    database numbers them.

    Rows are deleted, not truncated: the tables of a test hold a few hundred rows, and a
    ``TRUNCATE`` of every table (new files for each table and index, flushed at commit)
    cost about half a second per test, this a few milliseconds. The commit is not waited
    for on disk (``synchronous_commit``): a test database need not outlive a crash. The
    audit log's append-only triggers are lifted for it and put back (also after a test
    that dropped them to play the tamperer)."""
    tables = _names(engine)
    statements = ["SET LOCAL synchronous_commit = off",
                  *append_only.down_statements("postgresql"),
                  *(f"DELETE FROM {table}" for table, _ in reversed(tables))]
    if schema:
        statements += [f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {copy}"
                       for (table, columns), (copy, _) in zip(tables, _names(engine, schema),
                                                              strict=True)]
    statements += [f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                   f"coalesce(max(id), 0) + 1, false) FROM {quoted}"
                   for t, (quoted, _) in zip(Base.metadata.sorted_tables, tables, strict=True)
                   if "id" in t.c]
    return ";\n".join([*statements, *append_only.up_statements("postgresql")])


def empty_tables(url: str) -> None:
    """Empty every table of the database ``url`` (PostgreSQL or SQLite), as a fresh one."""
    engine = create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(reset_sql(engine))
        else:
            for statement in append_only.down_statements("sqlite"):
                conn.execute(text(statement))
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
            if conn.execute(text(
                    "SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first():
                conn.execute(text("DELETE FROM sqlite_sequence"))
            for statement in append_only.up_statements("sqlite"):
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
