"""Shared fixtures: the pipeline is loaded once per test session."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tacitus.coding.pipeline import Pipeline
from tacitus.store import temporary_schema

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "samples" / "seed-nagorno-karabakh.txt"
GSR_DEV = SHARED / "eval" / "plover_gsr_dev.jsonl"
PG_URL = os.environ.get("TACITUS_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline.load()


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"shared sample not found at {SEED}; clone the project beside ../shared")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gsr_dev() -> Path:
    if not GSR_DEV.exists():
        pytest.skip(f"gold file not found at {GSR_DEV}; clone the project beside ../shared")
    return GSR_DEV


HOSTILE = {
    "id": "hostile-<script>",
    "title": "<script>window.__pwned = 1</script> Berlin <b>reacts</b>",
    "source": "<img src=x onerror=\"window.__pwned=2\">Wire",
    "date": "2023-09-21",
    "text": ("Germany condemned Azerbaijan on Thursday <script>window.__pwned = 3</script> in a statement. "
             "The <b>foreign</b> ministry said <img src=x onerror=\"window.__pwned=4\"> the talks would go on."),
}


@pytest.fixture(scope="session")
def web_store(tmp_path_factory, pipeline) -> str:
    """A SQLite store filled from the bundled samples, the seed article and an article full of markup."""
    from tacitus.knowledge.lexicon import data_file
    from tacitus.models import Article
    from tacitus.read.articles import read_articles
    from tacitus.store import open_store
    from tacitus.store.loader import ingest

    path = tmp_path_factory.mktemp("web") / "web.db"
    engine = open_store(str(path))
    items = list(read_articles([str(data_file("samples/articles.jsonl"))]))
    if SEED.exists():
        items.append(Article(text=SEED.read_text(encoding="utf-8"), id="seed-nagorno-karabakh",
                             title="Seed: Nagorno-Karabakh", date=dt.date(2023, 9, 19)))
    hostile = dict(HOSTILE, date=dt.date(2023, 9, 21))
    items.append(Article(**hostile))
    for _ in ingest(engine, pipeline, items):
        pass
    engine.dispose()
    return str(path)


@pytest.fixture(scope="session")
def live_server(web_store):
    """A real uvicorn server on a free loopback port over the web store; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    from tacitus.web.api import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(web_store), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A fresh store: a SQLite file, or a schema of its own on the PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "events.db")
        return
    if not PG_URL:
        pytest.skip("TACITUS_TEST_DATABASE_URL is not set; .ci/run sets it to the PostgreSQL server on 127.0.0.1:5432")
    with temporary_schema(PG_URL, "t") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_pair(request, tmp_path):
    """Two fresh stores on one database kind (one to write under test, one to compare with): SQLAlchemy
    URLs of two SQLite files, or of two schemas of their own on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'first.db'}", f"sqlite:///{tmp_path / 'second.db'}"
        return
    if not PG_URL:
        pytest.skip("TACITUS_TEST_DATABASE_URL is not set; .ci/run sets it to the PostgreSQL server on 127.0.0.1:5432")
    with temporary_schema(PG_URL, "a") as first, temporary_schema(PG_URL, "b") as second:
        yield first, second
