"""The uvicorn server of `tacitus serve`: bounded connections and header read time.

uvicorn waits forever for the headers of a request (its keep-alive timeout
starts only after a first response), so a slowloris client, dripping one
header line at a time, holds a connection, and a file descriptor, for as long
as it likes; at 1,024 open files the server stops answering. Here every
connection must deliver a complete request head within `header_seconds` of
connecting (or of its previous response), and past `max_connections` open
connections a new one gets an immediate 503 and is closed. Request bodies are
bounded in time by the app's guard (`tacitus.web.guard`). Such events are
logged at most once per 10 s.
"""

from __future__ import annotations

import asyncio
import os

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .guard import LOCAL_HOSTS, RateLimitedLog, limit_server_logs

HEADER_SECONDS = float(os.environ.get("TACITUS_HEADER_TIMEOUT", 10))
MAX_CONNECTIONS = int(os.environ.get("TACITUS_MAX_CONNECTIONS", 400))  # sockets; a process has 1,024 files
KEEP_ALIVE_SECONDS = 5
FULL = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
_log = RateLimitedLog()


class GuardedH11Protocol(H11Protocol):
    """h11 with a deadline for each request head and a cap on open connections."""

    header_seconds = HEADER_SECONDS
    max_connections = MAX_CONNECTIONS
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            _log.warning("full", f"refused a connection: {self.max_connections} open already (TACITUS_MAX_CONNECTIONS)")
            transport.write(FULL)
            transport.close()
            return
        self._arm()

    def data_received(self, data: bytes) -> None:
        waiting = self.cycle is None or self.cycle.response_complete
        super().data_received(data)
        if waiting and self.cycle is not None and not self.cycle.response_complete:  # a request's head is in
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()
        if not self.transport.is_closing():
            self._arm()  # the next request's head has the same deadline (idle time included)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or (self.cycle is not None and not self.cycle.response_complete):
            return
        _log.warning("slow-head", f"closed a connection that sent no complete request head in {self.header_seconds:g} s")
        self.transport.close()


def protocol(header_seconds: float = HEADER_SECONDS, max_connections: int = MAX_CONNECTIONS) -> type[H11Protocol]:
    return type("GuardedH11", (GuardedH11Protocol,), {"header_seconds": header_seconds, "max_connections": max_connections})


def allowed_hosts(bound: str, extra: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The Host names a server answers to: the loopback names, the bound address, and those given."""
    names = [*LOCAL_HOSTS, bound, *extra]
    return [name for name in names if name not in ("0.0.0.0", "::", "")]


def server_config(app, host: str = "127.0.0.1", port: int = 8000, header_seconds: float = HEADER_SECONDS,
                  max_connections: int = MAX_CONNECTIONS, **options) -> uvicorn.Config:
    """uvicorn's configuration with the limits above (keep-alive 5 s; at most max_connections tasks)."""
    limit_server_logs()
    options.setdefault("log_level", "warning")
    return uvicorn.Config(app, host=host, port=port, http=protocol(header_seconds, max_connections),
                          timeout_keep_alive=KEEP_ALIVE_SECONDS, limit_concurrency=max_connections + 50,
                          h11_max_incomplete_event_size=16 * 1024, **options)
