"""Flask extensions, created unbound and initialised in the app factory."""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import DeclarativeBase

from finder.paths import asset_dir

if TYPE_CHECKING:
    from flask import Flask

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MIGRATIONS_DIR = asset_dir("migrations")


class Base(DeclarativeBase):
    """Declarative base for every model."""

    metadata = MetaData(naming_convention=NAMING)


class Session(FlaskSession):
    """Flask-SQLAlchemy's session, its connection looked up once per transaction.

    ``Session.connection()`` resolves the bind (through the current app) and checks the
    transaction's state at every call, and a search asks for the connection for each of its
    statements (finder/search/driver.py, lists.py, zone_sets.py). The connection is the same until
    the transaction ends or is rolled back, when :func:`_forget_connection` drops it, so the next
    call asks the session again, with its checks.
    """

    def connection(self, bind_arguments: dict[str, Any] | None = None,
                   execution_options: Any = None) -> Connection:
        """The transaction's connection (the session's own answer for any argument)."""
        if bind_arguments is not None or execution_options is not None:
            return super().connection(bind_arguments, execution_options)
        info = self.info
        found = info.get(_CONNECTION_KEY)
        if found is None:
            found = info[_CONNECTION_KEY] = super().connection()
        return found


_CONNECTION_KEY = "finder.connection"


@event.listens_for(Session, "after_transaction_end")
@event.listens_for(Session, "after_soft_rollback")
def _forget_connection(session: Session, *_: Any) -> None:
    """The transaction's end (commit, rollback, close), or a rollback inside it, releases it."""
    session.info.pop(_CONNECTION_KEY, None)


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
#: Schema objects that only a PostgreSQL with PostGIS has (migration 0010, finder/search/postgis.py);
#: the models leave them out, so schema comparisons must too.
POSTGIS_ONLY = frozenset({"geog", "ix_meetings_geog"})


def include_object(_obj: Any, name: str | None, _type: str, reflected: bool, _compare: Any) -> bool:
    """Alembic's filter: compare everything but the PostGIS-only column and index."""
    return not (reflected and name in POSTGIS_ONLY)


def __getattr__(name: str) -> Any:
    """``csrf``, made at its first use: Flask-WTF (and Flask-Babel through it) loads with the
    web app, not for a data command (PEP 562)."""
    if name != "csrf":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from flask_wtf.csrf import CSRFProtect

    # Every HTML form POST carries a CSRF token; JSON API blueprints call ``csrf.exempt(bp)``.
    globals()["csrf"] = protect = CSRFProtect()
    return protect


def init_migrate(app: Flask) -> None:
    """Flask-Migrate for ``app`` (``app.extensions["migrate"]``, the ``db`` command).

    Alembic is large: it loads with the web app and for a schema upgrade, not for each command.
    """
    from flask_migrate import Migrate

    Migrate(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, include_object=include_object)


#: How long an SQLite writer waits for another's transaction before giving up.
SQLITE_BUSY_MS = 30_000


@event.listens_for(Engine, "connect")
def _sqlite_settings(dbapi_connection: Any, _record: Any) -> None:
    """SQLite in write-ahead-log mode: pages keep reading while an import writes, and a writer
    waits its turn (up to ``SQLITE_BUSY_MS``) instead of failing at once."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        dbapi_connection.execute("PRAGMA journal_mode = WAL")


@event.listens_for(Engine, "connect")
def _postgresql_session(dbapi_connection: Any, _record: Any) -> None:
    """No parallel query on PostgreSQL connections: this app's searches are short index reads.

    Parallel workers cost more to start than such a query takes, and they take cores from the
    other requests: measured over HTTP, the search API served about a third more requests a
    second without them (issue 16).
    """
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True  # a SET inside a transaction would roll back with it
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    dbapi_connection.autocommit = autocommit


def engine_options(uri: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """The engine options for ``uri``: on PostgreSQL, connections in autocommit unless the
    settings choose an isolation level.

    A plain read then needs no BEGIN and no ROLLBACK (two of a search's four round trips), and no
    ROLLBACK clears psycopg's prepared statements at the end of each request. Everything else
    still runs in a transaction: :func:`_begin_before_writes` opens one before it.
    """
    url = make_url(uri)
    if (url.get_backend_name(), url.get_driver_name()) != ("postgresql", "psycopg"):
        return dict(options)
    return {"isolation_level": "AUTOCOMMIT", **options}


#: psycopg's ``TransactionStatus.IDLE``: no transaction open (psycopg loads only with PostgreSQL).
_IDLE = 0
_SELECT = re.compile(r"[\s(]*SELECT\b", re.I)
#: What makes a SELECT need its transaction: a row lock, a transaction-level advisory lock, or
#: ``SELECT ... INTO`` (a new table).
_NEEDS_TRANSACTION = re.compile(
    r"\bFOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b|advisory_xact|\bINTO\b", re.I)


@lru_cache(maxsize=1024)
def plain_read(statement: str) -> bool:
    """True for a SELECT that neither locks rows, takes a transaction-level lock, nor makes a table.

    Anything else (a write, a writable ``WITH``, DDL, ``SAVEPOINT``, ``SET``) is not one.
    """
    return bool(_SELECT.match(statement)) and not _NEEDS_TRANSACTION.search(statement)


@event.listens_for(Engine, "before_cursor_execute")
def _begin_before_writes(conn: Any, cursor: Any, statement: str, _params: Any, _context: Any,
                         _many: bool) -> None:
    """On a PostgreSQL connection in autocommit (:func:`engine_options`), open a transaction
    before the first statement that is not a plain read; the unit of work's commit or rollback
    ends it. Plain reads before it run on their own, as each statement of a READ COMMITTED
    transaction would see the data anyway; those after it run inside it.

    A connection that asked for autocommit itself (``execution_options(isolation_level=
    "AUTOCOMMIT")``, e.g. for VACUUM) is left alone.
    """
    if conn.dialect.driver != "psycopg":
        return
    dbapi_connection = cursor.connection
    if (not dbapi_connection.autocommit or dbapi_connection.info.transaction_status != _IDLE
            or conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
            or plain_read(statement)):
        return
    dbapi_connection.execute("BEGIN")
