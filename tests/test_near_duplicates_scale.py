"""Near-duplicates stay linear: a new article is compared with a bounded number of stored ones; far dates are safe.

`benchmarks/near_duplicates.py` measures the write rate of 20,000 syndicated copies; here the bound itself is
checked (signatures compared per new article, index rows per story), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select

from tacitus.models import Actor, Article, Event, Span
from tacitus.store import articles, clusters, dedup, events, lsh_buckets, open_store
from tacitus.store.loader import Loader

DAY = dt.date(2023, 9, 19)
STORIES = [
    "Azerbaijan launched what it called anti-terrorist measures in Nagorno-Karabakh on Tuesday, and Armenia accused "
    "it of ethnic cleansing. The United States, France and Germany condemned the offensive and called for talks, "
    "while Russia said its peacekeepers would stay in the region and urged both sides to return to the ceasefire.",
    "Niger's military government ordered the French ambassador to leave within 48 hours, the foreign ministry said. "
    "France rejected the order, saying the junta had no authority, and the regional bloc ECOWAS threatened sanctions "
    "if the elected president was not freed and returned to office by the end of the month.",
    "Protesters clashed with police outside the parliament in Yerevan, demanding the resignation of the prime "
    "minister over the loss of the region. Police detained dozens of demonstrators, and the opposition accused the "
    "government of betraying the Armenians of Karabakh and of ignoring the warnings of its allies.",
]


def syndicated(count: int, rng: random.Random) -> list[Article]:
    """Copies of the stories, each with a word in twenty replaced and its outlet's line."""
    made = []
    for n in range(count):
        words = STORIES[n % len(STORIES)].split()
        for i in rng.sample(range(len(words)), len(words) // 20):
            words[i] = rng.choice(["reportedly", "officials", "also", "again"])
        made.append(Article(text=" ".join(words) + f" Distributed by outlet {n}.", id=f"copy-{n}", source=f"outlet {n}",
                            date=DAY + dt.timedelta(days=n % 5)))
    return made


def test_a_new_copy_is_compared_with_a_bounded_number_of_stored_articles(db, monkeypatch):
    engine = open_store(db)
    loader = Loader(engine)
    items = syndicated(241, random.Random(3))
    for at in range(0, 240, 16):
        loader.write_batch([(article, []) for article in items[at:min(at + 16, 240)]])
    compared = []
    real = dedup.hashvalues
    monkeypatch.setattr(dedup, "hashvalues", lambda blob: compared.append(blob) or real(blob))
    loader.write(items[240], [])
    assert len(compared) <= dedup.BEST_CANDIDATES, len(compared)  # 80 copies of its story are stored
    with engine.connect() as conn:
        links = dict(conn.execute(select(articles.c.article_id, articles.c.duplicate_of)).all())
        ids = dict(conn.execute(select(articles.c.id, articles.c.article_id)).all())
        indexed = conn.execute(select(func.count(func.distinct(lsh_buckets.c.article_pk)))).scalar_one()
    # every copy is linked to its story's first article, and only those three originals are indexed
    assert {ids.get(links[f"copy-{n}"]) for n in range(241)} == {None, "copy-0", "copy-1", "copy-2"}
    assert all(ids.get(links[f"copy-{n}"]) == (None if n < 3 else f"copy-{n % 3}") for n in range(241))
    assert indexed == len(STORIES)
    engine.dispose()


def event_on(day: str, article_id: str) -> Event:
    azerbaijan = Actor(text="Azerbaijan", start=0, end=10, name="Azerbaijan", code="AZE", country="AZE", sector=None)
    armenia = Actor(text="Armenia", start=20, end=27, name="Armenia", code="ARM", country="ARM", sector=None)
    return Event(event_id=f"far-{article_id}", article_id=article_id, sentence_index=0,
                 sentence="Azerbaijan attacked Armenia.", source=azerbaijan, target=armenia, event_type="ASSAULT",
                 mode=None, cameo="190", quad_class=4, goldstein=-10.0, trigger=Span(text="attacked", start=11, end=19),
                 polarity="affirmed", modality="actual", intended_type=None, attributed_to=None, location=None,
                 date=day, date_precision="day", date_text=None, confidence=0.9, rule="test")


def test_far_dates_never_overflow_the_windows(db):
    """Articles and events in year 1 and year 9999, twice each (the second a near-copy): stored, linked, clustered."""
    engine = open_store(db)
    loader = Loader(engine)
    far = [dt.date(1, 1, 1), dt.date(9999, 12, 31)]
    for n, day in enumerate(far):
        for copy in range(2):
            article_id = f"far-{n}-{copy}"
            text = STORIES[n] + (" Reprinted." if copy else "")
            loader.write(Article(text=text, id=article_id, date=day), [event_on(day.isoformat(), article_id)])
    loader.write(Article(text=STORIES[2], id="undated", date=None), [event_on("9999-12-31", "undated")])
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 5
        linked = conn.execute(select(func.count()).select_from(articles).where(articles.c.duplicate_of.is_not(None))).scalar_one()
        seen = sorted(conn.execute(select(clusters.c.first_seen, clusters.c.num_mentions)).all())
    assert linked == 2
    assert seen == [(far[0], 2), (far[1], 3)]
    engine.dispose()
