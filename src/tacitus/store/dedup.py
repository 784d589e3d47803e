"""Near-duplicate articles (syndicated and rewritten copies) with MinHash LSH.

Articles are compared on word 3-shingles of their normalised text. A new
article whose estimated Jaccard similarity to a stored one published within
the time window passes the threshold is linked to that original; it then
adds mentions but not an independent source.

The LSH index lives in the store (table `lsh_buckets`, one row per band of each
original's signature and the article's day), not in memory: an ingest of millions of
articles keeps a flat memory, needs no start-up load, reads only the buckets
of the days in the window, and sees what other processes have stored.

Only originals (articles that are not near-duplicates themselves) are indexed,
and a lookup reads at most CANDIDATES_PER_BAND of them per band, then compares
the BEST_CANDIDATES sharing the most bands: a new article costs the same
whether its story has one copy in the window or twenty thousand (ingest of
syndicated copies stays linear). A copy is linked to its story's original,
never to another copy.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections import Counter
from importlib import metadata as package_metadata

import numpy as np
from datasketch import MinHash
from sqlalchemy import bindparam, delete, select, union_all
from sqlalchemy.engine import Connection

from .schema import lsh_buckets, signatures

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2 names its hashing scheme; new signatures must use the stored ones'
SEED = 7
SHINGLE_WORDS = 3
THRESHOLD = 0.35
WINDOW_DAYS = 7
# Bands of ROWS hash values each: a pair becomes a candidate when one band is equal, which is likely
# from a Jaccard similarity of about (1/BANDS) ** (1/ROWS) = 0.19 (datasketch's optimum for 0.2 at
# 128 permutations); candidates are then checked against THRESHOLD. Stored buckets depend on these.
BANDS = 28
ROWS = 2
UNDATED = 0  # the day of an undated article; real days are date ordinals, from 1
CANDIDATES_PER_BAND = 8  # originals read per band (and per undated band): the most recent in the window
BEST_CANDIDATES = 16  # of those, the ones sharing the most bands are compared signature to signature
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def scheme() -> str:
    """What a stored signature depends on: two stores (or a store and this install) match only when these agree."""
    try:
        major = package_metadata.version("datasketch").split(".")[0]
    except package_metadata.PackageNotFoundError:  # pragma: no cover - a declared dependency
        major = "?"
    return (f"MinHash {NUM_PERM} permutations, {SHINGLE_WORDS}-word shingles, seed {SEED}, {SCHEME} hashing, "
            f"LSH {BANDS} bands of {ROWS} rows, datasketch {major}")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    words = WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
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


@functools.cache
def _candidate_query(count: int, dated: bool):
    """The candidates' statement for `count` band keys (built once: building it cost more than running it)."""
    b = lsh_buckets.c
    ranges = [(b.day.between(bindparam("low"), bindparam("high")),), (b.day == UNDATED,)] if dated else [()]
    parts = []
    for n in range(count):
        for condition in ranges:  # an undated article, stored or new, is compared with every date
            part = (select(b.article_pk).where(b.bucket == bindparam(f"key{n}"), *condition)
                    .order_by(b.day.desc(), b.article_pk.desc()).limit(CANDIDATES_PER_BAND).subquery())
            parts.append(select(part.c.article_pk))
    return union_all(*parts)


class NearDuplicateIndex:
    """MinHash LSH over the store's signatures, read and written inside the caller's transaction."""

    def __init__(self, threshold: float = THRESHOLD, window_days: int = WINDOW_DAYS) -> None:
        self.threshold = threshold
        self.window = dt.timedelta(days=window_days)

    def original_of(self, conn: Connection, minhash: MinHash, published: dt.date | None,
                    exclude: int | None = None) -> tuple[int, float] | None:
        """The most similar original within the window, if similar enough (ties: the oldest).

        A bounded number of candidates is compared, however many copies of the story are stored.
        """
        mine = np.asarray(minhash.hashvalues, dtype="uint64")
        shared = Counter(pk for pk in conn.execute(self._candidates(buckets(mine), published)).scalars() if pk != exclude)
        best_candidates = sorted(shared, key=lambda pk: (-shared[pk], pk))[:BEST_CANDIDATES]
        if not best_candidates:
            return None
        query = select(signatures.c.article_pk, signatures.c.minhash).where(signatures.c.article_pk.in_(best_candidates))
        best: tuple[int, float] | None = None
        for pk, blob in conn.execute(query):
            similarity = float(np.count_nonzero(hashvalues(blob) == mine)) / NUM_PERM
            if similarity >= self.threshold and (best is None or similarity > best[1] or (similarity == best[1] and pk < best[0])):
                best = (pk, similarity)
        return best

    def _candidates(self, keys: list[int], published: dt.date | None):
        """Originals sharing a band, at most CANDIDATES_PER_BAND per band and day range, each once per band it shares."""
        statement = _candidate_query(len(keys), published is not None)
        params = {f"key{n}": key for n, key in enumerate(keys)}
        if published is not None:  # integer days: a far date (year 1 or 9999) cannot overflow
            day, days = day_of(published), self.window.days
            params.update(low=day - days, high=day + days)
        return statement.params(params)

    def add(self, conn: Connection, pk: int, published: dt.date | None, minhash: MinHash, original: bool = True) -> None:
        """Store a new (or forgotten) article's signature, and an original's band buckets."""
        conn.execute(signatures.insert().values(article_pk=pk, published=published, minhash=to_bytes(minhash)))
        if original:
            self.index(conn, pk, published, minhash.hashvalues)

    @staticmethod
    def index(conn: Connection, pk: int, published: dt.date | None, values: np.ndarray) -> None:
        """Put an original's band buckets in the index (an article that stops being a copy is indexed too)."""
        conn.execute(lsh_buckets.insert(), [{"bucket": key, "day": day_of(published), "article_pk": pk}
                                            for key in buckets(values)])

    def promote(self, conn: Connection, pks: list[int]) -> None:
        """Index articles that were copies and are now originals (their original was deleted)."""
        stored = conn.execute(select(signatures.c.article_pk, signatures.c.published, signatures.c.minhash)
                              .where(signatures.c.article_pk.in_(pks)).order_by(signatures.c.article_pk)).all()
        for pk, published, blob in stored:
            self.index(conn, pk, published, hashvalues(blob))

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
