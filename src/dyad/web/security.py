"""What keeps the REST API safe to expose: the bearer token for calls that change the store, a
request body limit, a per-client rate limit on those calls, and headers that stop browsers from
sniffing or framing responses. CORS is never enabled: the workbench is served from the same origin."""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from fastapi import HTTPException, Request

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server reachable from this machine only."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True, slots=True)
class Limits:
    max_body_bytes: int = 65_536
    mutations_per_minute: int = 30


class RateLimiter:
    """At most ``per_minute`` calls per client in any 60-second window (in memory, per process)."""

    def __init__(self, per_minute: int, window: float = 60.0) -> None:
        self.per_minute, self.window = per_minute, window
        self._calls: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, client: str) -> float | None:
        """None when the call may go ahead (and count it), else the seconds until it may."""
        now = time.monotonic()
        with self._lock:
            calls = self._calls[client]
            while calls and calls[0] <= now - self.window:
                calls.popleft()
            if len(calls) >= self.per_minute:
                return calls[0] + self.window - now
            calls.append(now)
            return None


def guard_mutation(request: Request) -> None:
    """Dependency of every route that changes the store: rate limit first (so that guessing the
    token is rate-limited too), then the bearer token when the app has one."""
    state = request.app.state
    client = request.client.host if request.client else "unknown"
    wait = state.rate_limiter.allow(client)
    if wait is not None:
        raise HTTPException(429, f"too many changes from {client}: at most {state.rate_limiter.per_minute} a minute;"
                                 f" retry in {wait:.0f} s", headers={"Retry-After": str(max(1, round(wait)))})
    token = state.token
    if token is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(401, "this server needs 'Authorization: Bearer <token>' for changes"
                                 " (the token dyad serve printed, or --token / $DYAD_TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes gets 413 before the app reads it,
    whether it declares its length or streams it in chunks."""

    def __init__(self, app, limit: int) -> None:  # noqa: ANN001 - an ASGI app
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send, self.limit)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await _too_large(send, self.limit)
                return
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay():  # noqa: ANN202 - the body read above, then whatever comes next
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send, limit: int) -> None:  # noqa: ANN001
    body = json.dumps({"detail": f"request body over the limit of {limit} bytes ([serve] max_body_bytes)"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


# Same-origin scripts, styles, images and requests only, no plugins, no framing; /docs too (its
# Swagger UI is vendored and started from a file, not an inline script).
CONTENT_POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                  "frame-ancestors 'none'; form-action 'self'")


class SecurityHeaders:
    """ASGI middleware adding ``SECURITY_HEADERS`` and the content security policy to every response."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        headers = {**SECURITY_HEADERS, "Content-Security-Policy": CONTENT_POLICY}

        async def with_headers(message) -> None:  # noqa: ANN001
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.lower().encode(), v.encode()) for k, v in headers.items() if k.lower().encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
