"""Covering indexes for per-side and per-window aggregates (API time series, reactions, networks).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from tacitus.store.schema import DATE_COVER, QUAD_COVER, SOURCE_COVER, TARGET_COVER

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

REPLACED = {"ix_events_source_date": ("ix_events_source_cover", SOURCE_COVER),
            "ix_events_target_date": ("ix_events_target_cover", TARGET_COVER),
            "ix_events_date": ("ix_events_date_cover", DATE_COVER),
            "ix_events_quad_date": ("ix_events_quad_cover", QUAD_COVER)}


def upgrade() -> None:
    # Stores created by 0001 after these indexes joined tacitus.store already have them.
    existing = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("events")}
    for old, (new, columns) in REPLACED.items():
        if new not in existing:
            op.create_index(new, "events", list(columns))
        if old in existing:
            op.drop_index(old, table_name="events")


def downgrade() -> None:
    for old, (new, columns) in REPLACED.items():
        op.create_index(old, "events", ["date"] if old == "ix_events_date" else list(columns[:2]))
        op.drop_index(new, table_name="events")
