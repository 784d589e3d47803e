"""The store records its MinHash scheme and trafilatura version; the LSH index holds originals only.

Table store_info keeps what the store's content depends on beyond its schema,
so that an install with another MinHash scheme (datasketch major, permutations,
shingles, seed, bands) or another trafilatura version is reported when it
ingests. Near-duplicates are now compared with originals only, so the bucket
rows of stored copies (the bulk of a store of syndicated news) are dropped.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from tacitus.store.loader import installed_versions

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if "store_info" not in sa.inspect(conn).get_table_names():  # else created by 0001 from the current schema
        op.create_table(
            "store_info",
            sa.Column("name", sa.String(100), primary_key=True),
            sa.Column("value", sa.Text, nullable=False),
        )
    info = sa.table("store_info", sa.column("name"), sa.column("value"))
    present = set(conn.execute(sa.select(info.c.name)).scalars())
    # a store upgraded here was written by this install's scheme (the only one before it was recorded)
    rows = [{"name": name, "value": value} for name, value in installed_versions().items() if name not in present]
    if rows:
        conn.execute(info.insert(), rows)
    articles = sa.table("articles", sa.column("id"), sa.column("duplicate_of"))
    buckets = sa.table("lsh_buckets", sa.column("article_pk"))
    conn.execute(sa.delete(buckets).where(buckets.c.article_pk.in_(
        sa.select(articles.c.id).where(articles.c.duplicate_of.is_not(None)))))


def downgrade() -> None:
    op.drop_table("store_info")
