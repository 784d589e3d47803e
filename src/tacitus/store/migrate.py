"""Run the Alembic migrations that create and upgrade the store's schema, one process at a time.

Opening a store from several processes at once is safe: the one that migrates
holds a lock (SQLite: BEGIN IMMEDIATE around the migrations; PostgreSQL: an
advisory lock of the schema) and the others wait, then find the schema at
head.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"
WRITER = "tacitus_writer"  # execution option: this connection's transactions take the store's write lock
MIGRATION_LOCK = 7_470_002  # PostgreSQL advisory lock key (the second key: the schema)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; already up to date is a no-op (and takes no lock)."""
    config = alembic_config(engine)
    if revision == "head" and _current(engine) == ScriptDirectory.from_config(config).get_current_head():
        return
    with _migration_lock(engine) as locked:
        command.upgrade(alembic_config(locked), revision)


def _current(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except Exception:  # no schema yet, or another process is creating it: migrate under the lock
        return None


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Engine]:
    """An engine whose migration transaction holds the store's migration lock."""
    if engine.dialect.name == "sqlite":  # env.py's transaction begins IMMEDIATE: the others wait for its commit
        yield engine.execution_options(**{WRITER: True})
        return
    if engine.dialect.name != "postgresql":
        yield engine
        return
    with engine.connect() as lock:  # held until the migrations commit, released by the rollback on exit
        lock.execute(text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"), {"key": MIGRATION_LOCK})
        yield engine
        lock.rollback()
