"""Events as GDELT counts them: the mentions of one event grouped into a cluster.

Every stored mention joins the cluster of the same source, target, event type
and status (affirmed, negated, hypothetical) whose days are within a day of
its own and whose place country agrees. A cluster carries GDELT's counts
(mentions, articles, independent sources: a near-duplicate article adds
mentions and articles, never a source), its first and last day, and its best
mention: the one that stands for the event in every aggregate and export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, bindparam, case, delete, func, or_, select, update
from sqlalchemy.engine import Connection

from .schema import articles, clusters, events

CLUSTER_DAYS = 1
STATUSES = ("affirmed", "negated", "hypothetical")
FIELDS = (events.c.id, events.c.event_type, events.c.source_code, events.c.target_code, events.c.source_country,
          events.c.target_country, events.c.location_country, events.c.date, events.c.polarity, events.c.modality)


def status_of(polarity: str, modality: str) -> str:
    """A denial and a hypothesis are clustered apart from reports of the event itself."""
    if polarity == "negated":
        return "negated"
    return "hypothetical" if modality == "hypothetical" else "affirmed"


def assign(conn: Connection, article_pk: int) -> set[int]:
    """Give each unclustered mention of an article its cluster; returns the clusters touched.

    Mentions of the article with the same dyad, type, status, day and place share one lookup (they
    would find the same cluster); the assignments are written in one statement.
    """
    rows = conn.execute(select(*FIELDS).where(events.c.article_pk == article_pk, events.c.cluster_id.is_(None))
                        .order_by(events.c.id)).all()
    known: dict[tuple, int] = {}
    assigned: list[dict[str, int]] = []
    for row in rows:
        status = status_of(row.polarity, row.modality)
        key = (row.event_type, row.source_code, row.target_code, row.date, row.location_country, status)
        if key not in known:
            found = find(conn, row, status)
            known[key] = found if found is not None else conn.execute(clusters.insert().values(
                event_type=row.event_type, source_code=row.source_code, target_code=row.target_code,
                source_country=row.source_country, target_country=row.target_country, status=status,
                place_country=row.location_country, first_seen=row.date, last_seen=row.date,
                num_mentions=0, num_articles=0, num_sources=0)).inserted_primary_key[0]
        assigned.append({"event_pk": row.id, "cluster": known[key]})
    if assigned:
        conn.execute(update(events).where(events.c.id == bindparam("event_pk")).values(cluster_id=bindparam("cluster")),
                     assigned)
    return {item["cluster"] for item in assigned}


def shifted(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, held at the calendar's ends (a date in year 1 or 9999 never overflows)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def find(conn: Connection, row, status: str) -> int | None:
    """The oldest cluster a mention belongs to, or None."""
    def same(column, value):
        return column.is_(None) if value is None else column == value

    conditions = [clusters.c.event_type == row.event_type, same(clusters.c.source_code, row.source_code),
                  same(clusters.c.target_code, row.target_code), clusters.c.status == status]
    if row.date is not None:
        conditions.append(or_(clusters.c.first_seen.is_(None),
                              and_(clusters.c.first_seen <= shifted(row.date, CLUSTER_DAYS),
                                   clusters.c.last_seen >= shifted(row.date, -CLUSTER_DAYS))))
    if row.location_country is not None:
        conditions.append(or_(clusters.c.place_country.is_(None), clusters.c.place_country == row.location_country))
    return conn.execute(select(clusters.c.id).where(*conditions).order_by(clusters.c.id).limit(1)).scalar()


def best_order() -> tuple:
    """How mentions of one event rank: a report of the thing itself, the most confident, from an original
    article, with a URL, the earliest."""
    return (case((events.c.modality == "actual", 0), else_=1), events.c.confidence.desc(),
            case((articles.c.duplicate_of.is_(None), 0), else_=1), case((articles.c.url.is_(None), 1), else_=0),
            case((events.c.date.is_(None), 1), else_=0), events.c.date, events.c.id)


def recount(conn: Connection, touched: Iterable[int]) -> None:
    """GDELT's counts and the best mention of each touched cluster; clusters left without mentions go."""
    ids = sorted(touched)
    if not ids:
        return
    independent = func.coalesce(articles.c.source_name, articles.c.article_id)
    joined = events.join(articles, events.c.article_pk == articles.c.id)
    statement = (select(events.c.cluster_id, func.count(events.c.id), func.count(func.distinct(events.c.article_pk)),
                        func.min(events.c.date), func.max(events.c.date),
                        func.count(func.distinct(case((articles.c.duplicate_of.is_(None), independent)))))
                 .select_from(joined).where(events.c.cluster_id.in_(ids)).group_by(events.c.cluster_id))
    ranked = (select(events.c.cluster_id, events.c.id,
                     func.row_number().over(partition_by=events.c.cluster_id, order_by=best_order()).label("rank"))
              .select_from(joined).where(events.c.cluster_id.in_(ids)).subquery())
    best = dict(conn.execute(select(ranked.c.cluster_id, ranked.c.id).where(ranked.c.rank == 1)).all())
    counted = [{"cluster": row[0], "mentions": row[1], "articles": row[2], "first": row[3], "last": row[4],
                "sources": max(row[5], 1), "best": best[row[0]]}
               for row in conn.execute(statement.order_by(events.c.cluster_id))]
    emptied = set(ids) - {item["cluster"] for item in counted}
    if emptied:
        conn.execute(delete(clusters).where(clusters.c.id.in_(sorted(emptied))))
    if counted:
        conn.execute(update(clusters).where(clusters.c.id == bindparam("cluster")).values(
            num_mentions=bindparam("mentions"), num_articles=bindparam("articles"), num_sources=bindparam("sources"),
            first_seen=bindparam("first"), last_seen=bindparam("last"), best_event=bindparam("best")), counted)
