"""Engine and sessions: one engine per app, one session per request (or job).

Views and jobs call ``db_session()``; the session is closed when the app context ends.

SQLite (the embedded default) has one writer at a time. So that readers never queue
behind writers and writers never fail on a lock upgrade:

- the database runs in WAL mode (readers and the writer coexist) with a busy timeout;
- a transaction that may write starts with ``BEGIN IMMEDIATE`` (it takes the write lock at
  its first statement and keeps it to its commit, so ``UPDATE … RETURNING`` in
  ``workflows.journals`` is serialised and numbers have no gaps); one that only reads starts
  with a plain ``BEGIN`` and takes no lock at all. An app context whose work only reads
  says so with ``reads_only()`` before its first query (the web layer does it for GET,
  HEAD and OPTIONS requests: storage knows no HTTP); ``new_session(read_only=True)`` gives
  a reading session to jobs; every other session may write;
- connections are not pooled (``NullPool``): opening a SQLite file costs microseconds, and
  there is no pool limit to wait for, whatever the number of threads.

PostgreSQL keeps a pool with pre-ping. Pooled connections are never shared with a forked
child (an RQ work horse): the child drops the parent's pool at fork.
"""

from __future__ import annotations

import os
import threading
import weakref

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

_READ_ONLY = "nastavnik_read_only"  # execution option of the reading engine
_engines: weakref.WeakSet[Engine] = weakref.WeakSet()
WRITER_WAIT = 60  # seconds a writer waits for this process's others (then SQLite's timeout)


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets foreign keys, WAL, a busy timeout and the begin rule."""
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url
        options = {} if in_memory else {"poolclass": NullPool}
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False},
                               **options)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # Let SQLAlchemy own transactions (see _sqlite_begin).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        # one queue per database file: every engine of this process on it shares it
        writers = _writer_queues.setdefault(str(engine.url), _Writers())

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # A writer takes the lock up front, so concurrent writers queue instead of
            # failing on a read-to-write upgrade; a reader takes none.
            if conn.get_execution_options().get(_READ_ONLY):
                conn.exec_driver_sql("BEGIN")
                return
            writers.enter(conn)
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                writers.leave(conn)
                raise

        event.listen(engine, "commit", writers.leave)
        event.listen(engine, "rollback", writers.leave)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=60)
    _engines.add(engine)
    return engine


class _Writers:
    """The SQLite writers of this process, one at a time, each woken as soon as the one
    before commits — instead of waiting in SQLite's busy handler, which polls with sleeps
    of up to 100 ms and leaves the lock idle between writers. (Other processes' writers
    still queue through the busy timeout.) A writer that waited ``WRITER_WAIT`` seconds, or
    whose own thread already writes, goes on to SQLite's lock without this one.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._lock = threading.Lock()
        self._holder: tuple[int, int] | None = None  # (connection id, thread id)

    def enter(self, conn) -> None:
        holder = self._holder
        if holder is not None and holder[1] == threading.get_ident():
            return  # this thread writes already (another session): SQLite decides
        if self._lock.acquire(timeout=WRITER_WAIT):
            self._holder = (id(conn), threading.get_ident())

    def leave(self, conn, *_args) -> None:
        try:
            conn.info.pop("writing", None)  # see _take_write_lock
        except Exception:  # an invalidated connection has no info any more
            pass
        holder = self._holder
        if holder is not None and holder[0] == id(conn):
            self._holder = None
            self._lock.release()


_writer_queues: dict[str, _Writers] = {}


def _forget_pools_in_child() -> None:
    """In a forked child, drop the inherited pooled connections without closing them
    (they belong to the parent), and the parent's writer queue; the child has its own."""
    for engine in list(_engines):
        engine.dispose(close=False)
    for writers in list(_writer_queues.values()):
        writers.reset()


os.register_at_fork(after_in_child=_forget_pools_in_child)


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    reading = sessionmaker(engine.execution_options(**{_READ_ONLY: True}),
                           expire_on_commit=False)
    if engine.dialect.name == "sqlite":
        event.listen(reading, "before_flush", _take_write_lock)
    app.extensions["db_reading_sessionmaker"] = reading
    app.teardown_appcontext(_close_session)


def _take_write_lock(session: Session, _context, _instances) -> None:
    """A reading session that writes after all (e.g. a page view that refreshes the login
    session's last-seen time): on SQLite its read transaction could not take the write
    lock once another writer has committed ("database is locked"). So at its first flush
    its transaction is restarted as a writing one, ``BEGIN IMMEDIATE``, in the queue of
    writers. Its earlier reads are then not repeatable: rows it changes are guarded by
    their version column, where they have one; do nothing in a GET that needs more.
    """
    conn = session.connection()
    if conn.info.get("writing"):
        return
    writers = _writer_queues.get(str(conn.engine.url))
    conn.exec_driver_sql("COMMIT")
    if writers is not None:
        writers.enter(conn)
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    conn.info["writing"] = True


def engine() -> Engine:
    return current_app.extensions["db_engine"]


def reads_only() -> None:
    """The current app context only reads: its session, made on first use, takes no lock."""
    g.db_reads_only = True


def db_session() -> Session:
    """The session of the current app context, created on first use.

    After ``reads_only()`` it only reads (on SQLite it takes no lock); otherwise it may
    write (on SQLite its transactions take the write lock at their first statement: a
    view that does slow work before writing should end the transaction first).
    """
    if "db_session" not in g:
        g.db_session = new_session(read_only=g.get("db_reads_only", False))
    return g.db_session


def new_session(*, read_only: bool = False) -> Session:
    """A session of its own, for work that must commit independently (threads, jobs).

    ``read_only``: its transactions only read (on SQLite: no lock; a write in it may fail
    with "database is locked" under concurrent writers, so never write in one).
    """
    key = "db_reading_sessionmaker" if read_only else "db_sessionmaker"
    return current_app.extensions[key]()


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
