"""Polite HTTP fetching for `tacitus watch` (httpx): conditional requests, one request at a time per host, robots.txt.

Every request names tacitus and its version in its User-Agent, waits its turn for the host
(TACITUS_WATCH_HOST_DELAY seconds between requests to one host, default 1), sends the ETag and
Last-Modified of the last answer, and is bounded: a connect/read timeout and a deadline for the whole
body (TACITUS_WATCH_TIMEOUT, default 20 s), at most TACITUS_WATCH_MAX_BYTES of body (default 10 MB,
refused before it is read when Content-Length says so), at most 5 redirects. A passing failure
(unreachable host, timeout, 429, 5xx) is tried again with exponential backoff (honouring a short
Retry-After); what remains is a `FetchError` naming its kind, which the watcher reports and retries
at the next poll. robots.txt is read once an hour per host with `urllib.robotparser`.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from ..read.checks import env_float

MAX_BYTES = int(env_float("TACITUS_WATCH_MAX_BYTES", 10_000_000))
TIMEOUT = env_float("TACITUS_WATCH_TIMEOUT", 20.0)
HOST_DELAY = env_float("TACITUS_WATCH_HOST_DELAY", 1.0)
RETRIES = 2  # further tries of a passing failure within one poll
ROBOTS_SECONDS = 3600.0
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def user_agent() -> str:
    try:
        version = metadata.version("tacitus")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a checkout without install
        version = "dev"
    return f"tacitus/{version} (political event coder; tacitus watch)"


class FetchError(Exception):
    """A fetch that failed: `kind` is unreachable, timeout, http, redirects, too-large, robots or not-a-feed."""

    def __init__(self, kind: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.kind}: {self.args[0]}"


@dataclass(frozen=True)
class Fetched:
    """An answer: 304 (nothing new since the validators sent) or 200 with its body."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


class Fetcher:
    """A shared HTTP client for all sources of a watch; safe to use from several threads."""

    def __init__(self, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES, host_delay: float = HOST_DELAY,
                 retries: int = RETRIES, backoff: float = 1.0, agent: str | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.host_delay = host_delay
        self.retries = retries
        self.backoff = backoff
        self.agent = agent or user_agent()
        self.client = httpx.Client(headers={"User-Agent": self.agent, "Accept-Encoding": "gzip, deflate"}, timeout=httpx.Timeout(timeout),
                                   follow_redirects=True, max_redirects=5, transport=transport, trust_env=False)
        self._lock = threading.Lock()
        self._turns: dict[str, float] = {}  # host -> monotonic time of its next free slot
        self._robots: dict[str, tuple[RobotFileParser, float]] = {}

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The URL's answer, after robots.txt allows it; a FetchError when it cannot be had."""
        if not self.allowed(url):
            raise FetchError("robots", f"robots.txt of {urlsplit(url).netloc} disallows {url} for tacitus")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._with_retries(url, headers)

    def allowed(self, url: str) -> bool:
        """robots.txt's answer for tacitus (cached an hour per host); 404 allows all, 401/403 forbid all."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            cached = self._robots.get(key)
        if cached is None or cached[1] < time.monotonic():
            parser = RobotFileParser()
            try:
                answer = self._with_retries(f"{key}/robots.txt", {}, limit=512_000, accept_errors=True)
            except FetchError as exc:
                if exc.kind not in ("too-large", "redirects"):
                    raise FetchError(exc.kind, f"{exc.args[0]} (reading robots.txt)") from None
                answer = Fetched(url, 404)
            if answer.status in (401, 403):
                parser.disallow_all = True
            elif answer.status >= 400:
                parser.allow_all = True
            else:
                parser.parse(answer.body.decode("utf-8", "replace").splitlines())
            parser.modified()
            cached = (parser, time.monotonic() + ROBOTS_SECONDS)
            with self._lock:
                self._robots[key] = cached
        return cached[0].can_fetch("tacitus", url)

    def _with_retries(self, url: str, headers: dict[str, str], limit: int | None = None,
                      accept_errors: bool = False) -> Fetched:
        for attempt in range(self.retries + 1):
            try:
                return self._once(url, headers, limit or self.max_bytes, accept_errors)
            except FetchError as exc:
                if exc.kind not in ("unreachable", "timeout", "retry") or attempt >= self.retries:
                    if exc.kind == "retry":
                        raise FetchError("http", exc.args[0]) from None
                    raise
                pause = self.backoff * 2 ** attempt * (0.75 + random.random() / 2)
                if exc.retry_after is not None:
                    pause = max(pause, min(exc.retry_after, 30.0))
                time.sleep(pause)
        raise AssertionError("unreachable")

    def _wait_turn(self, host: str) -> None:
        """One request at a time per host, `host_delay` seconds apart (a slot is reserved, then waited for)."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._turns.get(host, now))
            self._turns[host] = slot + self.host_delay
            if len(self._turns) > 10_000:  # bounded over a long run: forget hosts whose turn has passed
                self._turns = {h: t for h, t in self._turns.items() if t > now}
        if slot > now:
            time.sleep(slot - now)

    def _once(self, url: str, headers: dict[str, str], limit: int, accept_errors: bool) -> Fetched:
        self._wait_turn(urlsplit(url).netloc.lower())
        deadline = time.monotonic() + self.timeout
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in RETRY_STATUSES:
                    raise FetchError("retry", f"HTTP {status} from {response.url}", _retry_after(response))
                if status >= 400 and not accept_errors:
                    raise FetchError("http", f"HTTP {status} from {response.url}")
                common = {"url": str(response.url), "content_type": response.headers.get("content-type", ""),
                          "etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified")}
                if status == 304 or status >= 400:
                    return Fetched(status=status, **common)
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError("too-large", f"{int(declared):,} bytes declared, over the limit of {limit:,} "
                                                  "(TACITUS_WATCH_MAX_BYTES)")
                body = bytearray()
                for chunk in response.iter_raw():
                    body += chunk
                    if len(body) > limit:
                        raise FetchError("too-large", f"body over the limit of {limit:,} bytes (TACITUS_WATCH_MAX_BYTES); "
                                                      "stopped reading")
                    if time.monotonic() > deadline:
                        raise FetchError("timeout", f"body not complete within {self.timeout:g} s")
                body = _decoded(response, bytes(body), limit)
                return Fetched(status=status, body=body, **common)
        except httpx.TooManyRedirects:
            raise FetchError("redirects", f"more than 5 redirects from {url} (a redirect loop?)") from None
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", f"no answer within {self.timeout:g} s ({type(exc).__name__})") from None
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            raise FetchError("unreachable", f"cannot reach {urlsplit(url).netloc} ({exc or type(exc).__name__})") from None
        except httpx.DecodingError as exc:
            raise FetchError("http", f"undecodable body ({exc})") from None


def _decoded(response: httpx.Response, raw: bytes, limit: int) -> bytes:
    """The body with its Content-Encoding undone, within the size limit (a compression bomb stops at it)."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return raw
    import zlib

    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError("http", f"unsupported Content-Encoding {encoding!r}")
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise FetchError("http", f"broken {encoding} body ({exc})") from None
    if len(out) > limit:
        raise FetchError("too-large", f"body inflates to over the limit of {limit:,} bytes (TACITUS_WATCH_MAX_BYTES)")
    return out


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None
