"""Writing endpoints of the API: submit an article for coding, delete an article.

They exist only when the server is given a token (`tacitus serve --token-file`,
or TACITUS_API_TOKEN), and every call must carry it as `Authorization: Bearer
<token>`. Tokens are compared in constant time and never logged. Writes are
serialised in the server process; the model loads on the first submission.
The token is checked before the request body is read (`tacitus.web.guard`,
and again here). A submission is checked as a file's record is: NUL characters
are dropped from every field, and a date outside the plausible range is
reported in `problems` and the article coded without it.
"""

from __future__ import annotations

import datetime as dt
import hmac
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from ..models import Article
from ..read.articles import LIMITS, not_english
from ..read.checks import checked_date, clean_field

router = APIRouter(prefix="/api", tags=["write (token required)"])
_lock = threading.Lock()


class ArticleIn(BaseModel):
    """An article to code and store; only `text` is required."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., min_length=1, max_length=LIMITS.max_article_chars)
    id: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=300)
    date: dt.date | None = None


def require_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """401 unless the request carries the server's token (constant-time comparison)."""
    expected: bytes = request.app.state.token
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected):
        raise HTTPException(401, "this endpoint needs the server's token: Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})


Authorised = Depends(require_token)


@router.post("/articles", status_code=201, dependencies=[Authorised], summary="Code an article and store its events")
def submit_article(request: Request, body: ArticleIn) -> dict[str, Any]:
    fields = {name: clean_field(value) if isinstance(value, str) else value
              for name, value in body.model_dump().items()}
    if not fields["text"].strip():
        raise HTTPException(422, "text is empty once NUL characters are dropped")
    reason = not_english(fields["text"])
    if reason:
        raise HTTPException(422, reason)
    date, problem = checked_date(fields["date"], "date")
    article = Article(text=fields["text"], id=fields["id"] or "", title=fields["title"], url=fields["url"],
                      source=fields["source"], date=date, origin="api")
    problems = [str(problem)] if problem else []
    state = request.app.state
    with _lock:
        if state.writer is None:
            from ..coding.pipeline import default_pipeline
            from ..store.loader import Loader

            state.writer = (default_pipeline(), Loader(state.engine))
        pipeline, loader = state.writer
        before = loader.stats.added + loader.stats.replaced
        if not loader.needs_coding(article):
            return {"stored": False, "reason": "already stored as it is", "problems": problems}
        (coded_article, events), = list(pipeline.extract_articles([article]))
        loader.write(coded_article, events)
        stored = loader.stats.added + loader.stats.replaced > before
    return {"stored": stored, "article_id": coded_article.id, "events": len(events), "problems": problems}


@router.delete("/articles/{article_id:path}", dependencies=[Authorised], summary="Delete an article and its events")
def delete_article(request: Request, article_id: str) -> dict[str, Any]:
    from ..store.loader import Loader

    with _lock:
        if not Loader(request.app.state.engine).delete(article_id):
            raise HTTPException(404, f"no article {article_id!r} in the store")
    return {"deleted": article_id}


def enable_writes(app: FastAPI, token: str) -> None:
    if len(token) < 16:
        raise ValueError("the API token must be at least 16 characters; generate one with "
                         "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`")
    app.state.token = token.encode()
    app.state.writer = None
    app.include_router(router)
