"""Progress of ingest runs: how many articles of each input file are stored.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "progress" in sa.inspect(op.get_bind()).get_table_names():  # created by 0001 from the current schema
        return
    op.create_table(
        "progress",
        sa.Column("source", sa.String(1000), primary_key=True),
        sa.Column("articles", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("progress")
