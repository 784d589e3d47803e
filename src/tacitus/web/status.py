"""/api/status: how current the store is: each watched source's last poll, lag, errors and counts, the
store's row counts, and when the store was last written and by which sources.

The same freshness shows in the dashboard's footer (`store_freshness`, a template global set here).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.engine import Engine

from ..watch.state import freshness, status
from .dashboard import templates
from .params import NoParams

router = APIRouter(prefix="/api")


def _engine(request: Request) -> Engine:
    return request.app.state.engine


Store = Annotated[Engine, Depends(_engine)]


@router.get("/status", summary="Watched sources (last poll, lag, errors, counts), store counts, last update")
def get_status(store: Store, _: Annotated[NoParams, Query()]) -> dict[str, Any]:
    return status(store)


def store_freshness(request: Request) -> dict[str, Any] | None:
    """When the store was last written and by which sources (newest first), for the page footer; None if unknown."""
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        return None
    try:
        report = freshness(engine)
    except Exception:  # the footer never breaks a page
        return None
    if not report["updated_at"] and not report["updated_by"]:
        return None
    by = [row["source"] if "://" in row["source"] else row["source"].rstrip("/").rsplit("/", 1)[-1]
          for row in report["updated_by"][:3]]
    return {"updated_at": report["updated_at"] or report["updated_by"][0]["updated_at"], "sources": by}


templates.env.globals["store_freshness"] = store_freshness
