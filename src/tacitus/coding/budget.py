"""A time budget for coding one article: no input may make a run hang.

The coder checks the budget between sentences; in a process's main thread a
timer signal also interrupts a walk that never returns to that check. Threads
other than the main one (a Dask worker, the API's thread pool) rely on the
checks between sentences.
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType, TracebackType

from ..errors import ArticleTimeout


class TimeBudget:
    """`with TimeBudget(seconds) as budget: ... budget.check()`; over budget raises ArticleTimeout."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = float("inf")
        self._previous: object = None
        self._armed = False

    def _expired(self, _signum: int, _frame: FrameType | None) -> None:
        raise ArticleTimeout(self.message())

    def message(self) -> str:
        return (f"coding took longer than {self.seconds:g} s (TACITUS_MAX_ARTICLE_SECONDS); not coded. "
                "Split the article, or raise the limit")

    def __enter__(self) -> TimeBudget:
        if self.seconds <= 0:
            return self
        self.deadline = time.monotonic() + self.seconds
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            self._previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self._armed = True
        return self

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ArticleTimeout(self.message())

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)  # type: ignore[arg-type]
            self._armed = False
