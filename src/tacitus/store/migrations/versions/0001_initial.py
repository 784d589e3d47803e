"""Initial schema: articles, signatures, clusters, actors, events.

Revision ID: 0001
Revises:
"""

from alembic import op

from tacitus.store.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The first revision is the schema as tacitus.store declares it; later
    # revisions change it with op.* operations.
    metadata.create_all(bind=op.get_bind())


def downgrade() -> None:
    metadata.drop_all(bind=op.get_bind())
