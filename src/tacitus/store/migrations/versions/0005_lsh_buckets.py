"""The near-duplicate LSH index moves into the store: one row per band of each signature, with its day.

Before, every ingest loaded all stored signatures into memory (about 10 KB per
article), so memory grew with the store. Existing signatures are indexed here.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from tacitus.store.dedup import buckets, day_of, hashvalues

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PAGE = 1000


def upgrade() -> None:
    conn = op.get_bind()
    if "lsh_buckets" not in sa.inspect(conn).get_table_names():  # else created by 0001 from the current schema
        op.create_table(
            "lsh_buckets",
            sa.Column("bucket", sa.BigInteger, primary_key=True, autoincrement=False),
            sa.Column("day", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("article_pk", sa.Integer, primary_key=True, autoincrement=False),
            sqlite_with_rowid=False,
        )
    table = sa.table("lsh_buckets", sa.column("bucket"), sa.column("day"), sa.column("article_pk"))
    if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
        return
    signatures = sa.table("signatures", sa.column("article_pk"), sa.column("published", sa.Date), sa.column("minhash"))
    last = -1
    while True:  # keyset pages: bounded memory on any store size
        page = conn.execute(sa.select(signatures.c.article_pk, signatures.c.published, signatures.c.minhash)
                            .where(signatures.c.article_pk > last).order_by(signatures.c.article_pk).limit(PAGE)).all()
        if not page:
            break
        rows = [{"bucket": key, "day": day_of(published), "article_pk": pk} for pk, published, blob in page
                for key in buckets(hashvalues(blob))]
        conn.execute(table.insert(), rows)
        last = page[-1][0]


def downgrade() -> None:
    op.drop_table("lsh_buckets")
