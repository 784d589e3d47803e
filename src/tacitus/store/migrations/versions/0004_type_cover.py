"""The event-type index covers source and target, so "source=X type=T" pages filter inside the index.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from tacitus.store.schema import TYPE_COVER

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("events")}
    if "ix_events_type_cover" not in existing:
        op.create_index("ix_events_type_cover", "events", list(TYPE_COVER))
    if "ix_events_type_date" in existing:
        op.drop_index("ix_events_type_date", table_name="events")


def downgrade() -> None:
    op.create_index("ix_events_type_date", "events", ["event_type", "date"])
    op.drop_index("ix_events_type_cover", table_name="events")
