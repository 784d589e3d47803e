"""Code articles in parallel: local worker processes, or a Dask distributed cluster.

Both run the same function, `code_batch`, on batches of articles; each worker
process loads the pipeline once (module-level cache) and keeps it. Input is
read lazily and at most `window` batches are in flight, so memory stays flat
however large the input; results come back in input order, so a parallel run
stores exactly what a local run stores (near-duplicate decisions depend on
order). Local workers exit when the process that started them dies, even by
SIGKILL (Linux: PR_SET_PDEATHSIG; elsewhere, and as a fallback: they poll their
parent), and with them multiprocessing's resource tracker.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Any

from ..errors import TacitusError
from ..models import Article, Event
from ..read.articles import Problem

BATCH = 16
TAIL_MIN = 2  # the smallest batch of an input's end
PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL = 0.5  # seconds between a worker's checks that its parent lives

_PIPELINES: dict[tuple[tuple[str, ...], bool], Any] = {}


class ClusterError(TacitusError):
    """The Dask scheduler cannot be reached or used."""


def exit_with_parent(parent: int, death_signal: bool = True) -> None:
    """Worker initializer: end this process when `parent` dies, however it dies.

    On Linux the kernel sends SIGKILL when the parent goes (PR_SET_PDEATHSIG; only when the pool was started by
    the parent's main thread, since the signal follows the thread that started the worker); everywhere a daemon
    thread also polls the parent's pid.
    """
    if death_signal and sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the polling thread alone
            pass
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="tacitus-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)


def worker_pipeline(dictionaries: tuple[str, ...] = (), prefilter: bool = True):
    """The pipeline of this process, loaded on first use (once per worker)."""
    key = (tuple(dictionaries), prefilter)
    if key not in _PIPELINES:
        from .pipeline import Pipeline

        _PIPELINES[key] = Pipeline.load(key[0], prefilter)
    return _PIPELINES[key]


def code_batch(articles: list[Article], dictionaries: tuple[str, ...] = (), prefilter: bool = True
               ) -> tuple[list[tuple[Article, list[Event]]], list[Problem]]:
    """What a worker does: parse and code a batch of articles; problems come back with the results."""
    pipeline = worker_pipeline(dictionaries, prefilter)
    problems: list[Problem] = []
    pipeline.on_problem = problems.append
    try:
        return list(pipeline.extract_articles(articles)), problems
    finally:
        pipeline.on_problem = None


def batched(items: Iterable[Article], size: int, workers: int = 1) -> Iterator[list[Article]]:
    """Batches of `size`, in order. With several workers the input is read `workers` batches ahead, and what
    is left when it ends goes out in shrinking batches (each a `2 * workers`-th of the rest, at least
    TAIL_MIN): the workers then finish together, where a last full batch kept one busy while the others
    idled (on 293 articles, 19 batches of 16, that tail was most of what 2 workers lost to 1)."""
    if workers <= 1:
        iterator = iter(items)
        while batch := list(islice(iterator, size)):
            yield batch
        return
    ahead: deque = deque()
    for item in items:
        ahead.append(item)
        if len(ahead) >= size * (workers + 1):
            yield [ahead.popleft() for _ in range(size)]
    while ahead:
        count = min(len(ahead), size, max(TAIL_MIN, -(-len(ahead) // (2 * workers))))
        yield [ahead.popleft() for _ in range(count)]


def ordered_map(submit: Callable[..., Any], batches: Iterable[list[Article]], window: int, *args: Any) -> Iterator[Any]:
    """Results of `code_batch` over batches, in order, with at most `window` batches submitted ahead."""
    pending: deque = deque()
    for batch in batches:
        pending.append(submit(code_batch, batch, *args))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class ParallelCoder:
    """Has the `extract_articles` of a Pipeline, but runs it in worker processes or on a Dask cluster.

    The workers (or the cluster connection) start on first use and stay until `close()`, so
    several calls share loaded models; use it as a context manager.
    """

    def __init__(self, workers: int = 2, dask: str | None = None, dictionaries: tuple[str, ...] = (),
                 prefilter: bool = True, batch_size: int = BATCH,
                 on_problem: Callable[[Problem], None] | None = None) -> None:
        self.on_problem = on_problem
        self.workers = max(1, workers)
        self.dask = dask
        self.args = (tuple(dictionaries), prefilter)
        self.batch_size = batch_size
        self._pool: ProcessPoolExecutor | None = None
        self._cluster: dask_client | None = None
        self._submit: Callable[..., Any] | None = None
        self._window = 2 * self.workers

    def start(self) -> ParallelCoder:
        if self._submit is None:
            if self.dask:
                self._cluster = dask_client(self.dask, self.workers)
                client = self._cluster.__enter__()
                self._window = 2 * max(1, sum(client.nthreads().values()))
                self._submit = lambda fn, *a: client.submit(fn, *a, pure=False)
            else:  # spawn: never fork a process that may hold threads
                main = threading.current_thread() is threading.main_thread()
                self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=exit_with_parent, initargs=(os.getpid(), main))
                self._submit = self._pool.submit
        return self

    def warm(self) -> None:
        """Load the model in every worker now (benchmarks time the work, not the start-up)."""
        self.start()
        futures = [self._submit(code_batch, [], *self.args) for _ in range(self._window)]
        for future in futures:
            future.result()

    def extract_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        self.start()
        batches = batched(articles, self.batch_size, self._window // 2)
        for results, problems in ordered_map(self._submit, batches, self._window, *self.args):
            for problem in problems:
                if self.on_problem:
                    self.on_problem(problem)
            yield from results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
        if self._cluster is not None:
            self._cluster.__exit__(None, None, None)
        self._pool = self._cluster = self._submit = None

    def __enter__(self) -> ParallelCoder:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.close()


class dask_client:
    """A Dask client on a scheduler address, or on a LocalCluster for "local" (closed on exit)."""

    def __init__(self, address: str, workers: int = 2) -> None:
        self.address = address
        self.workers = workers
        self.cluster = None
        self.client = None

    def __enter__(self):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:
            raise ClusterError("Dask is not installed; run `pip install -e \".[dask]\"` "
                               "(and install tacitus on every worker)") from exc
        try:
            if self.address == "local":
                self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                            host="127.0.0.1", dashboard_address=None)
                self.client = Client(self.cluster)
            else:
                self.client = Client(self.address, timeout="30s")
        except OSError as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {self.address!r}: {exc}; "
                               "give its address as tcp://host:8786, or `local`") from exc
        return self.client

    def __exit__(self, *_: Any) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
