"""The database handle: engine creation, SQLite tuning, transactions and schema creation.

SQLite specifics live here and nowhere else:

- WAL so readers never wait for the writer, ``synchronous=FULL`` so an acked message survives a
  power cut, a busy timeout so concurrent writers queue instead of failing, foreign keys on.
- The sqlite3 driver's own BEGIN handling is switched off and SQLAlchemy emits it instead:
  write transactions start with ``BEGIN IMMEDIATE``, taking the write lock up front. A deferred
  transaction that reads first and writes later can fail with SQLITE_BUSY when another writer
  committed in between, and the busy timeout does not help in that case.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from . import schema

log = logging.getLogger(__name__)

_WRITE_OPTION = "tidings_write"
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=10000",
    "PRAGMA foreign_keys=ON",
)


class SchemaTooNew(RuntimeError):
    """The database was written by a newer version of the service; an older service must not
    write into a schema it does not understand."""


def _tune_sqlite(engine: AsyncEngine) -> None:
    @sa.event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @sa.event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _keep_private(database: str | None) -> None:
    """The database file and its journal are readable by the service's user only (0600), even
    where the umask would share them. SQLite gives the -wal and -shm files the mode of the
    database file, so creating that one 0600 before the first connection covers them too."""
    if not database or database == ":memory:":
        return
    path = Path(database)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if part.exists():
            part.chmod(0o600)


class Database:
    def __init__(self, url: str) -> None:
        self.engine = create_async_engine(url, pool_size=8, max_overflow=16)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        if self.is_sqlite:
            _tune_sqlite(self.engine)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read transaction: one consistent snapshot for several queries."""
        async with self.engine.connect() as conn, conn.begin():
            yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction, committed when the block exits without an exception."""
        async with self.engine.connect() as conn:
            await conn.execution_options(**{_WRITE_OPTION: True})
            async with conn.begin():
                yield conn

    async def open(self) -> None:
        """Create the schema on first start, and tables added since on later starts; refuse a
        schema newer than this code."""
        if self.is_sqlite:
            _keep_private(self.engine.url.database)
        async with self.write() as conn:
            has_tables = await conn.run_sync(
                lambda sync: sa.inspect(sync).has_table(schema.schema_version.name))
            if has_tables:
                found = (await conn.execute(
                    sa.select(sa.func.max(schema.schema_version.c.version)))).scalar_one()
                if found is None or found > schema.SCHEMA_VERSION:
                    raise SchemaTooNew(
                        f"the database has schema version {found}; this service knows "
                        f"version {schema.SCHEMA_VERSION} — upgrade the service")
                for version in range(found + 1, schema.SCHEMA_VERSION + 1):
                    for statement in schema.MIGRATIONS[version]:
                        await conn.execute(sa.text(statement))
                    await conn.execute(schema.schema_version.update().values(version=version))
                    log.info("migrated the database to schema version %d", version)
            await conn.run_sync(schema.metadata.create_all)  # only the tables that are missing
            if not has_tables:
                await conn.execute(schema.schema_version.insert().values(
                    version=schema.SCHEMA_VERSION))
                log.info("created database schema version %d", schema.SCHEMA_VERSION)

    async def close(self) -> None:
        await self.engine.dispose()


def insert_ignore(conn: AsyncConnection, table: sa.Table) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING``: the same SQL on SQLite and PostgreSQL, but each
    dialect has its own construct for it."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()
