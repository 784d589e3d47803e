"""What stands between a hostile client and the app: one ASGI middleware around everything.

In order, for every HTTP request: the Host header must name this server (DNS
rebinding), a NUL anywhere in the path or the query is refused (422, on every
database alike), an over-long query or body is refused (414, 413), a write
without the server's token is refused before its body is read (401), a body is
read within a deadline (408 for a slow one), and only as many requests run at
once as the database pool can serve, with free-text scans behind a smaller gate
(503 with Retry-After when one cannot start in time, as for a statement
timeout or a busy database). HEAD is answered for every GET route. Every answer,
a 500 included, carries the security headers; unexpected errors and refused
clients are logged at most once per interval and kind.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import logging
import os
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
RAW_HEADERS = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
MAX_BODY = 4 * 1024 * 1024  # bytes of a request body; an article is at most a million characters
MAX_QUERY = 4096
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
WRITES = ("POST", "PUT", "PATCH", "DELETE")
SCAN_PARAMETERS = {b"text", b"q"}  # filters that read every candidate row's text
log = logging.getLogger("tacitus.web")


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


BODY_SECONDS = _env_float("TACITUS_BODY_TIMEOUT", 30.0)  # to read a whole request body
QUEUE_SECONDS = _env_float("TACITUS_QUEUE_TIMEOUT", 5.0)  # a request waits this long for a database slot
SCANS = max(1, int(_env_float("TACITUS_MAX_SCANS", 2)))  # free-text scans at once


class RateLimitedLog:
    """Log a kind of event at most once per `interval` seconds, with how many were left out meanwhile."""

    def __init__(self, logger: logging.Logger = log, interval: float = 10.0) -> None:
        self.logger, self.interval = logger, interval
        self.last: dict[str, float] = {}
        self.skipped: dict[str, int] = {}

    def allow(self, kind: str) -> int | None:
        """None when this one is to be left out; else how many of the kind were left out before it."""
        now = time.monotonic()
        if now - self.last.get(kind, -1e9) < self.interval:
            self.skipped[kind] = self.skipped.get(kind, 0) + 1
            return None
        self.last[kind] = now
        return self.skipped.pop(kind, 0)

    def warning(self, kind: str, message: str, *, exc_info: Any = None) -> None:
        skipped = self.allow(kind)
        if skipped is not None:
            more = f" ({skipped} more like it in the last {self.interval:.0f} s not logged)" if skipped else ""
            self.logger.warning("%s%s", message, more, exc_info=exc_info)


class RateLimitFilter(logging.Filter):
    """A logging filter: the same message at most once per interval (uvicorn's warnings for each bad client)."""

    def __init__(self, interval: float = 10.0) -> None:
        super().__init__()
        self.limit = RateLimitedLog(interval=interval)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and record.exc_info:
            return self.limit.allow(f"{record.getMessage()}:{record.exc_info[0]}") is not None
        return self.limit.allow(record.getMessage()) is not None


def limit_server_logs(interval: float = 10.0) -> None:
    """Rate-limit uvicorn's per-connection warnings (once per process)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, RateLimitFilter) for f in logger.filters):
        logger.addFilter(RateLimitFilter(interval))


def host_names(names: Iterable[str]) -> frozenset[str]:
    return frozenset(name.strip().lower().strip("[]") for name in names if name.strip())


def _host_of(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        return value[1:].partition("]")[0]
    name, _, port = value.rpartition(":")
    if name and port.isdigit() and ":" not in name:
        return name
    try:
        ipaddress.IPv6Address(value)  # a bare IPv6 address
    except ValueError:
        return value.partition(":")[0]
    return value


def pool_capacity(engine) -> int:
    """Connections the engine's pool can hand out at once (one kept back for the writer)."""
    pool = engine.pool
    size = pool.size() if callable(getattr(pool, "size", None)) else 5
    overflow = max(getattr(pool, "_max_overflow", 0) or 0, 0)
    return max(1, size + overflow - 1)


class Refused(Exception):
    def __init__(self, status: int, message: str, field: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.field, self.headers = status, message, field, headers or {}


class Busy(Exception):
    """The database cannot take another query now."""


class Guard:
    """The middleware (see the module's docstring); `app.state` holds `token` when writes are enabled."""

    def __init__(self, app, state, allowed_hosts: Iterable[str] | None, capacity: int, scans: int = SCANS) -> None:
        self.app, self.state = app, state
        self.hosts = None if allowed_hosts is None or "*" in allowed_hosts else host_names(allowed_hosts)
        self.capacity, self.scans = capacity, scans
        self.loop: asyncio.AbstractEventLoop | None = None
        self.gate = self.scan_gate = asyncio.Semaphore(capacity)
        self.log = RateLimitedLog()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        head = scope["method"] == "HEAD"

        async def guarded_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name.lower() for name, _ in message.get("headers", [])}
                message = message | {"headers": list(message.get("headers", []))
                                     + [h for h in RAW_HEADERS if h[0] not in present]}
            elif head and message["type"] == "http.response.body":
                message = message | {"body": b""}
            await send(message)

        try:
            self.check(scope)
            receive = await self.read_body(scope, receive)
            if head:
                scope = scope | {"method": "GET"}
            async with self.slot(scope):
                await self.app(scope, receive, guarded_send)
        except Refused as exc:
            if started:
                raise
            await self.answer(guarded_send, scope, exc.status, exc.message, exc.field, exc.headers)
        except Exception as exc:  # noqa: BLE001 - every error gets an answer with the security headers
            busy = isinstance(exc, (Busy, PoolTimeout, OperationalError))
            kind = "busy" if busy else "error"
            self.log.warning(f"{kind}:{type(exc).__name__}", f"{scope['method']} {scope['path']}: {type(exc).__name__}: "
                             f"{str(exc)[:300]}", exc_info=None if busy else exc)
            if started:
                return
            if busy:
                await self.answer(guarded_send, scope, 503, "the server is busy; try again shortly", None,
                                  {"Retry-After": "2"})
            else:
                await self.answer(guarded_send, scope, 500, "internal error; it has been logged", None, {})

    def check(self, scope) -> None:
        """Refuse a request by its head alone: Host, NUL, lengths, and a write without the token."""
        headers = {name: value for name, value in scope["headers"]}
        if self.hosts is not None:
            host = _host_of(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.hosts:
                self.log.warning("host", f"refused Host {host[:100]!r} (not one of --allowed-host)")
                raise Refused(400, "this server does not answer to that Host name; start it with --allowed-host NAME")
        query: bytes = scope.get("query_string", b"")
        if len(query) > MAX_QUERY:
            raise Refused(414, f"query string over {MAX_QUERY:,} characters")
        if "\x00" in scope["path"] or b"\x00" in unquote_to_bytes(query):
            field = next((k for k, v in parse_qsl(query.decode("latin-1"), keep_blank_values=True)
                          if "\x00" in v or "\x00" in k), "path")
            raise Refused(422, f"{field}: a NUL character (%00) is not allowed", field)
        length = headers.get(b"content-length")
        if (length and (not length.isdigit() or int(length) > MAX_BODY)) or (
                b"transfer-encoding" in headers and scope["method"] in ("POST", "PUT", "PATCH")):
            raise Refused(413, f"request body over {MAX_BODY:,} bytes (or not of a declared length); "
                               "send one article at a time")
        token = getattr(self.state, "token", None)
        if token and scope["method"] in WRITES and scope["path"].startswith("/api/"):
            scheme, _, given = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("latin-1"), token):
                raise Refused(401, "this endpoint needs the server's token: Authorization: Bearer <token>",
                              headers={"WWW-Authenticate": "Bearer"})

    async def read_body(self, scope, receive):
        """The whole body (at most MAX_BODY, declared) read within BODY_SECONDS, then replayed to the app."""
        length = dict(scope["headers"]).get(b"content-length")
        if not length or int(length) == 0:
            return receive
        chunks: list[bytes] = []
        deadline = time.monotonic() + BODY_SECONDS
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(deadline - time.monotonic(), 0.001))
            except TimeoutError:
                self.log.warning("slow-body", f"closed a request whose body took over {BODY_SECONDS:.0f} s")
                raise Refused(408, f"the request body took over {BODY_SECONDS:.0f} s", None,
                              {"Connection": "close"}) from None
            if message["type"] == "http.disconnect":
                return receive
            chunks.append(message.get("body", b""))
            if sum(map(len, chunks)) > MAX_BODY:
                raise Refused(413, f"request body over {MAX_BODY:,} bytes", None, {"Connection": "close"})
            if not message.get("more_body"):
                break
        body, sent = b"".join(chunks), False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    def slot(self, scope) -> _Slot:
        """A place among the requests that use the database (static files need none)."""
        path = scope["path"]
        if path.startswith(("/static/", "/assets/")) or path == "/openapi.json":
            return _Slot([])
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # semaphores belong to one event loop (a test client may bring another)
            self.loop, self.gate, self.scan_gate = loop, asyncio.Semaphore(self.capacity), asyncio.Semaphore(self.scans)
        names = {part.partition(b"=")[0] for part in scope.get("query_string", b"").split(b"&") if b"=" in part
                 and part.partition(b"=")[2]}
        scan = bool(names & SCAN_PARAMETERS)
        return _Slot([self.scan_gate, self.gate] if scan else [self.gate])  # scans queue before holding a slot

    async def answer(self, send, scope, status: int, message: str, field: str | None, headers: dict[str, str]) -> None:
        if scope["path"].startswith("/api/") or scope["path"] == "/openapi.json":
            body = json.dumps({"message": message, "field": field, "errors": []}).encode()
            kind = b"application/json"
        else:
            body = f"<!doctype html><title>{status}</title><p>{status}: {_escape(message)}</p>".encode()
            kind = b"text/html; charset=utf-8"
        raw = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
        raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Slot:
    """Hold every semaphore of a request, each waited for at most QUEUE_SECONDS (else Busy: a 503)."""

    def __init__(self, gates: list[asyncio.Semaphore]) -> None:
        self.gates, self.held = gates, []

    async def __aenter__(self) -> None:
        for gate in self.gates:
            try:
                await asyncio.wait_for(gate.acquire(), QUEUE_SECONDS)
            except TimeoutError:
                await self.__aexit__()
                raise Busy(f"no database slot within {QUEUE_SECONDS:.0f} s") from None
            self.held.append(gate)

    async def __aexit__(self, *_: Any) -> None:
        while self.held:
            self.held.pop().release()
