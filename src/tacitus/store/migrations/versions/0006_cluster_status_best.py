"""Clusters are the events: every mention has one, with a status and the best mention that stands for it.

Before, only affirmed mentions were clustered (a denial in four copies of an
article counted four times) and aggregates counted mentions. Here clusters get
a status (affirmed, negated, hypothetical) and their best mention; existing
negated and hypothetical mentions are clustered apart, and every cluster is
recounted.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from tacitus.store.clustering import assign, recount
from tacitus.store.schema import clusters, events

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

PAGE = 500


def upgrade() -> None:
    conn = op.get_bind()
    columns = {column["name"] for column in sa.inspect(conn).get_columns("clusters")}
    if "status" not in columns:  # else created by 0001 from the current schema
        op.add_column("clusters", sa.Column("status", sa.String(12), nullable=False, server_default="affirmed"))
    if "best_event" not in columns:
        op.add_column("clusters", sa.Column("best_event", sa.Integer))
    hypothetical = events.c.modality == "hypothetical"
    left = set(conn.execute(sa.select(events.c.cluster_id).distinct().where(hypothetical, events.c.cluster_id.is_not(None)))
               .scalars())
    conn.execute(sa.update(events).where(hypothetical).values(cluster_id=None))
    recount(conn, left)
    unclustered = conn.execute(sa.select(events.c.article_pk).distinct().where(events.c.cluster_id.is_(None))
                               .order_by(events.c.article_pk)).scalars().all()
    for article_pk in unclustered:
        assign(conn, article_pk)
    last = 0
    while True:  # keyset pages: bounded memory on any store size
        page = conn.execute(sa.select(clusters.c.id).where(clusters.c.id > last).order_by(clusters.c.id).limit(PAGE)).scalars().all()
        if not page:
            break
        recount(conn, page)
        last = page[-1]


def downgrade() -> None:
    with op.batch_alter_table("clusters") as batch:
        batch.drop_column("best_event")
        batch.drop_column("status")
