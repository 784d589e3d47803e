"""Near-duplicate articles (syndicated and rewritten copies) with MinHash LSH.

Articles are compared on word 3-shingles of their normalised text. A new
article whose estimated Jaccard similarity to a stored one published within
the time window passes the threshold is linked to that original; it then
adds mentions but not an independent source.

The LSH index lives in the store (table `lsh_buckets`, one row per band of each
signature and the article's day), not in memory: an ingest of millions of
articles keeps a flat memory, needs no start-up load, reads only the buckets
of the days in the window, and sees what other processes have stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import numpy as np
from datasketch import MinHash
from sqlalchemy import delete, select, union_all
from sqlalchemy.engine import Connection

from .schema import lsh_buckets, signatures

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2 names its hashing scheme; new signatures must use the stored ones'
SHINGLE_WORDS = 3
THRESHOLD = 0.35
WINDOW_DAYS = 7
# Bands of ROWS hash values each: a pair becomes a candidate when one band is equal, which is likely
# from a Jaccard similarity of about (1/BANDS) ** (1/ROWS) = 0.19 (datasketch's optimum for 0.2 at
# 128 permutations); candidates are then checked against THRESHOLD. Stored buckets depend on these.
BANDS = 28
ROWS = 2
UNDATED = 0  # the day of an undated article; real days are date ordinals, from 1
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    words = WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=7, scheme=SCHEME)
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingles(text)])  # 4x faster than one at a time
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.astype("uint64").tobytes()


def hashvalues(stored: bytes) -> np.ndarray:
    """A stored signature's hash values (the inverse of `to_bytes`)."""
    return np.frombuffer(stored, dtype="uint64")


def day_of(published: dt.date | None) -> int:
    return published.toordinal() if published is not None else UNDATED


def buckets(hashvalues: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band (band number included, so equal values in other bands differ)."""
    values = np.asarray(hashvalues, dtype="<u8")
    keys = set()
    for band in range(BANDS):
        chunk = bytes([band]) + values[band * ROWS:(band + 1) * ROWS].tobytes()
        keys.add(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True))
    return sorted(keys)


class NearDuplicateIndex:
    """MinHash LSH over the store's signatures, read and written inside the caller's transaction."""

    def __init__(self, threshold: float = THRESHOLD, window_days: int = WINDOW_DAYS) -> None:
        self.threshold = threshold
        self.window = dt.timedelta(days=window_days)

    def original_of(self, conn: Connection, minhash: MinHash, published: dt.date | None,
                    exclude: int | None = None) -> tuple[int, float] | None:
        """The most similar stored article within the window, if similar enough (ties: the oldest)."""
        b = lsh_buckets.c
        keys = buckets(minhash.hashvalues)
        if published is None:  # an undated article, stored or new, is compared with every date
            candidates = select(b.article_pk).where(b.bucket.in_(keys))
        else:
            day, days = day_of(published), self.window.days
            candidates = union_all(select(b.article_pk).where(b.bucket.in_(keys), b.day.between(day - days, day + days)),
                                   select(b.article_pk).where(b.bucket.in_(keys), b.day == UNDATED))
        query = select(signatures.c.article_pk, signatures.c.minhash).where(signatures.c.article_pk.in_(candidates))
        if exclude is not None:
            query = query.where(signatures.c.article_pk != exclude)
        mine = np.asarray(minhash.hashvalues, dtype="uint64")
        best: tuple[int, float] | None = None
        for pk, blob in conn.execute(query):
            similarity = float(np.count_nonzero(hashvalues(blob) == mine)) / NUM_PERM
            if similarity >= self.threshold and (best is None or similarity > best[1] or (similarity == best[1] and pk < best[0])):
                best = (pk, similarity)
        return best

    def add(self, conn: Connection, pk: int, published: dt.date | None, minhash: MinHash) -> None:
        """Store a new (or forgotten) article's signature and its band buckets."""
        conn.execute(signatures.insert().values(article_pk=pk, published=published, minhash=to_bytes(minhash)))
        conn.execute(lsh_buckets.insert(), [{"bucket": key, "day": day_of(published), "article_pk": pk}
                                            for key in buckets(minhash.hashvalues)])

    @staticmethod
    def forget(conn: Connection, pk: int) -> None:
        """Remove an article's signature and buckets (found through its signature, by primary key)."""
        stored = conn.execute(select(signatures.c.published, signatures.c.minhash).where(signatures.c.article_pk == pk)).first()
        if stored is None:
            return
        keys = buckets(hashvalues(stored.minhash))
        conn.execute(delete(lsh_buckets).where(lsh_buckets.c.bucket.in_(keys), lsh_buckets.c.day == day_of(stored.published),
                                               lsh_buckets.c.article_pk == pk))
        conn.execute(delete(signatures).where(signatures.c.article_pk == pk))
