"""A full-text index for the `text=` filter, so that a free-text search does not read every sentence.

SQLite: an FTS5 table with the trigram tokenizer over events.sentence (external
content, kept in step by triggers), which `tacitus.store.queries.text_clause`
asks for candidates before its exact, case-insensitive substring test. SQLite
older than 3.34 has no trigram tokenizer: the filter then scans, as before.
PostgreSQL: a GIN trigram index (pg_trgm) on events.sentence, which serves
ILIKE '%...%' as it is; without the extension (none installed and no right to
create it) the filter scans, bounded by the server's statement timeout.

Revision ID: 0008
Revises: 0007
"""

import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TRIGGERS = {
    "events_fts_insert": "AFTER INSERT ON events BEGIN "
                         "INSERT INTO events_fts(rowid, sentence) VALUES (new.id, new.sentence); END",
    "events_fts_delete": "AFTER DELETE ON events BEGIN "
                         "INSERT INTO events_fts(events_fts, rowid, sentence) VALUES ('delete', old.id, old.sentence); END",
    "events_fts_update": "AFTER UPDATE OF sentence ON events BEGIN "
                         "INSERT INTO events_fts(events_fts, rowid, sentence) VALUES ('delete', old.id, old.sentence); "
                         "INSERT INTO events_fts(rowid, sentence) VALUES (new.id, new.sentence); END",
}


def _trigram_schema(conn) -> str | None:
    """The schema that holds pg_trgm, creating the extension in public when allowed; None without it."""
    found = conn.execute(sa.text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                                 "WHERE e.extname = 'pg_trgm'")).scalar()
    if found:
        return found
    if not conn.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar():
        return None
    try:
        with conn.begin_nested():
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    except sa.exc.DBAPIError:  # no right to create it, or no public schema
        return None
    return "public"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        if sqlite3.sqlite_version_info < (3, 34, 0):
            return
        conn.execute(sa.text("CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5("
                             "sentence, content='events', content_rowid='id', tokenize='trigram')"))
        for name, body in TRIGGERS.items():
            conn.execute(sa.text(f"CREATE TRIGGER IF NOT EXISTS {name} {body}"))
        conn.execute(sa.text("INSERT INTO events_fts(events_fts) VALUES ('rebuild')"))
    elif conn.dialect.name == "postgresql":
        schema = _trigram_schema(conn)
        if schema:
            quoted = conn.dialect.identifier_preparer.quote_schema(schema)
            conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS ix_events_sentence_trgm ON events "
                                 f"USING gin (sentence {quoted}.gin_trgm_ops)"))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for name in TRIGGERS:
            conn.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}"))
        conn.execute(sa.text("DROP TABLE IF EXISTS events_fts"))
    elif conn.dialect.name == "postgresql":
        conn.execute(sa.text("DROP INDEX IF EXISTS ix_events_sentence_trgm"))
