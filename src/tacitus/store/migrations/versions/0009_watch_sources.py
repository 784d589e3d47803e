"""State of `tacitus watch` per source: last poll and success, counts, last error, validators of the last answer.

The table is declared in `tacitus.watch.state` (the watcher is its only writer); the dashboard and
/api/status read it.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "watch_sources" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "watch_sources",
        sa.Column("name", sa.String(300), primary_key=True),
        sa.Column("location", sa.String(2000), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("interval_seconds", sa.Float, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("polls", sa.Integer, nullable=False),
        sa.Column("failed_polls", sa.Integer, nullable=False),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("last_poll_at", sa.DateTime),
        sa.Column("last_success_at", sa.DateTime),
        sa.Column("last_new_at", sa.DateTime),
        sa.Column("last_duration", sa.Float),
        sa.Column("last_new", sa.Integer),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", sa.DateTime),
        sa.Column("etag", sa.String(1000)),
        sa.Column("last_modified", sa.String(200)),
    )


def downgrade() -> None:
    op.drop_table("watch_sources")
