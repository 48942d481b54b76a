"""The workbench's HTTP server: the REST API over the store (JSON), its OpenAPI spec, and the
web UI's static pages, in one FastAPI app made by ``create_app``."""

from __future__ import annotations

import logging
import sqlite3
from importlib.metadata import version
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from dyad.errors import ConfigError, DyadError, NotFoundError, StoreError, ValidationError
from dyad.settings import Settings
from dyad.store import open_location
from dyad.store.event_index import ensure_built
from dyad.web import routes_actors, routes_articles, routes_brief, routes_events, routes_export, routes_resolution
from dyad.web.deps import Reader
from dyad.web.models import Health, Problem
from dyad.web.security import BodyLimit, RateLimiter, SecurityHeaders

STATIC = Path(__file__).parent / "static"
logger = logging.getLogger("dyad.web")


def create_app(db_path: Path | str, settings: Settings, token: str | None = None, *,
               allowed_hosts: list[str] | None = None) -> FastAPI:
    """The app over the store at ``db_path`` (which must exist; its schema is brought up to date
    here, once). With ``token``, every call that changes the store needs ``Authorization: Bearer
    <token>``. ``allowed_hosts`` limits the Host header (against DNS rebinding of a local server)."""
    with open_location(db_path, busy_timeout=settings.busy_timeout, readonly=True) as store:
        ensure_built(store.db)  # so that requests only ever read
        shown = str(store.path)  # a PostgreSQL URL without its password
    app = FastAPI(title="dyad", version=version("dyad"),
                  description="Events between states read from the news, each fact with its evidence.",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  responses={400: {"model": Problem, "description": "Bad input, e.g. a name that matches several actors"},
                             404: {"model": Problem, "description": "No such record or actor"},
                             422: {"model": Problem, "description": "Invalid parameter or body"},
                             503: {"model": Problem, "description": "The store is busy (locked by a writer); retry"}})
    app.state.db_path = str(db_path)
    app.state.store_name = shown
    app.state.busy_timeout = settings.busy_timeout
    app.state.token = token
    app.state.rate_limiter = RateLimiter(settings.serve_mutations_per_minute)
    _add_error_handlers(app)
    for module in (routes_articles, routes_actors, routes_events, routes_resolution, routes_brief, routes_export):
        app.include_router(module.router)
    app.add_api_route("/api/health", _health, methods=["GET"], response_model=Health, tags=["meta"],
                      summary="The store this server reads and whether changes need a token")
    _mount_pages(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=settings.serve_max_body_bytes)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    return app


def _health(request: Request, db: Reader) -> dict:
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {"status": "ok", "store": request.app.state.store_name, "schema_version": one("PRAGMA user_version"),
            "articles": one("SELECT count(*) FROM current_articles"), "events": one("SELECT count(*) FROM events"),
            "token_required": request.app.state.token is not None}


def _mount_pages(app: FastAPI) -> None:
    """The web UI (src/dyad/web/static): / is its single page, /brief its printable brief, /docs
    the API reference."""
    if (STATIC / "index.html").is_file():
        app.add_api_route("/", lambda: FileResponse(STATIC / "index.html"), methods=["GET"], include_in_schema=False)
    if (STATIC / "brief.html").is_file():
        app.add_api_route("/brief", lambda: FileResponse(STATIC / "brief.html"), methods=["GET"], include_in_schema=False)
    if (STATIC / "docs.html").is_file():  # Swagger UI from the vendored files: no CDN
        app.add_api_route("/docs", lambda: FileResponse(STATIC / "docs.html"), methods=["GET"], include_in_schema=False)
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")


def _problem(status: int, detail: object, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"detail": jsonable_encoder(detail)}, status_code=status, headers=headers)


def _add_error_handlers(app: FastAPI) -> None:
    """Every failure is JSON {"detail": ...}: bad input 4xx, a busy store 503, never a traceback."""

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return _problem(404, str(exc))

    @app.exception_handler(StoreError)
    async def store_busy(_: Request, exc: StoreError) -> JSONResponse:
        return _problem(503, str(exc), {"Retry-After": "5"})

    @app.exception_handler(ConfigError)
    async def bad_config(_: Request, exc: ConfigError) -> JSONResponse:
        return _problem(422, str(exc))

    @app.exception_handler(ValidationError)
    async def invalid(_: Request, exc: ValidationError) -> JSONResponse:
        return _problem(422, str(exc))

    @app.exception_handler(DyadError)
    async def bad_request(_: Request, exc: DyadError) -> JSONResponse:
        return _problem(400, str(exc))

    @app.exception_handler(sqlite3.OperationalError)
    async def locked(_: Request, exc: sqlite3.OperationalError) -> JSONResponse:
        if "locked" in str(exc) or "busy" in str(exc):
            return _problem(503, f"the store is busy ({exc}); try again", {"Retry-After": "5"})
        raise exc

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
        return _problem(500, f"internal error ({type(exc).__name__}); the server log has the details")
