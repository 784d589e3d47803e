"""Near-duplicate articles (syndicated and rewritten copies) with MinHash LSH.

Articles are compared on word 3-shingles of their normalised text. A new
article whose estimated Jaccard similarity to a stored one published within
the time window passes the threshold is linked to that original; it then
adds mentions but not an independent source.
"""

from __future__ import annotations

import datetime as dt
import re

from datasketch import MinHash, MinHashLSH
from sqlalchemy import select
from sqlalchemy.engine import Connection

from .store import signatures

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2 names its hashing scheme; stored signatures must be read back with the same
SHINGLE_WORDS = 3
THRESHOLD = 0.35
WINDOW_DAYS = 7
CANDIDATE_MARGIN = 0.15
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    words = WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=7, scheme=SCHEME)
    for shingle in shingles(text):
        minhash.update(shingle.encode("utf-8"))
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.astype("uint64").tobytes()


def from_bytes(data: bytes) -> MinHash:
    import numpy as np

    return MinHash(num_perm=NUM_PERM, seed=7, hashvalues=np.frombuffer(data, dtype="uint64").copy(), scheme=SCHEME)


class NearDuplicateIndex:
    """An LSH index over stored signatures, loaded once per run and kept up to date."""

    def __init__(self, threshold: float = THRESHOLD, window_days: int = WINDOW_DAYS) -> None:
        self.threshold = threshold
        self.window = dt.timedelta(days=window_days)
        # candidates from a looser band setting, then checked against the threshold itself
        self.lsh = MinHashLSH(threshold=max(threshold - CANDIDATE_MARGIN, 0.05), num_perm=NUM_PERM)
        self.minhashes: dict[int, MinHash] = {}
        self.dates: dict[int, dt.date | None] = {}
        self.loaded = False

    def load(self, conn: Connection) -> None:
        if self.loaded:
            return
        for pk, published, blob in conn.execute(select(signatures.c.article_pk, signatures.c.published, signatures.c.minhash)):
            self._add(pk, published, from_bytes(blob))
        self.loaded = True

    def _add(self, pk: int, published: dt.date | None, minhash: MinHash) -> None:
        key = str(pk)
        if key in self.lsh:
            return
        self.lsh.insert(key, minhash)
        self.minhashes[pk] = minhash
        self.dates[pk] = published

    def original_of(self, minhash: MinHash, published: dt.date | None, exclude: int | None = None) -> tuple[int, float] | None:
        """The most similar stored article within the window, if similar enough."""
        best: tuple[int, float] | None = None
        for key in self.lsh.query(minhash):
            pk = int(key)
            if pk == exclude:
                continue
            other = self.dates.get(pk)
            if published and other and abs(published - other) > self.window:
                continue
            similarity = minhash.jaccard(self.minhashes[pk])
            if similarity >= self.threshold and (best is None or similarity > best[1] or (similarity == best[1] and pk < best[0])):
                best = (pk, similarity)
        return best

    def add(self, conn: Connection, pk: int, published: dt.date | None, minhash: MinHash) -> None:
        conn.execute(signatures.delete().where(signatures.c.article_pk == pk))
        conn.execute(signatures.insert().values(article_pk=pk, published=published, minhash=to_bytes(minhash)))
        self._add(pk, published, minhash)

    def forget(self, pk: int) -> None:
        key = str(pk)
        if key in self.lsh:
            self.lsh.remove(key)
        self.minhashes.pop(pk, None)
        self.dates.pop(pk, None)
