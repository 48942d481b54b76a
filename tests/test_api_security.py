"""The REST API's defences: a token for changes when exposed (dyad serve on a non-loopback host
prints one), 413 for large bodies, 429 for too many changes, Host checks on loopback, no CORS,
no SQL from user input, and JSON errors only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import REPO, copy_store
from dyad.settings import load_settings
from dyad.web import create_app
from dyad.web.security import LOOPBACK_NAMES, is_loopback


@pytest.fixture
def own_store(seeds_db: Path, tmp_path: Path) -> Path:
    return copy_store(seeds_db, tmp_path / "own.db")


def app_for(db: Path, token: str | None = None, **settings: object) -> TestClient:
    return TestClient(create_app(db, load_settings(db_path=db, **settings), token))


def an_event(api: TestClient) -> str:
    return api.get("/api/dyad", params={"a": "KAZ", "b": "AFG"}).json()["events"][0]["id"]


def test_changes_need_the_bearer_token_when_the_app_has_one(own_store: Path) -> None:
    api = app_for(own_store, token="s3cret-token")
    event = an_event(api)  # reading needs no token
    assert api.get("/api/health").json()["token_required"] is True
    review = {"action": "confirm", "note": "checked"}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-token"}, {"Authorization": "Basic s3cret-token"}):
        response = api.post(f"/api/events/{event}/review", json=review, headers=headers)
        assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer", headers
        assert "Bearer <token>" in response.json()["detail"]
    assert api.post("/api/merges/e1/undo").status_code == 401
    assert api.get(f"/api/events/{event}").json()["reviewed"] is None
    ok = api.post(f"/api/events/{event}/review", json=review, headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200 and ok.json()["action"] == "confirm"
    assert api.get(f"/api/events/{event}").json()["reviewed"]["action"] == "confirm"


def test_body_over_the_limit_gets_413_declared_or_streamed(own_store: Path) -> None:
    api = app_for(own_store, serve_max_body_bytes=1000)
    event = an_event(api)
    response = api.post(f"/api/events/{event}/review", json={"action": "confirm", "note": "x" * 1200})
    assert response.status_code == 413 and "1000 bytes" in response.json()["detail"]

    def chunks():  # no Content-Length: sent chunked, counted as it arrives
        yield b'{"action": "confirm", "note": "'
        for _ in range(20):
            yield b"y" * 100
        yield b'"}'

    streamed = api.post(f"/api/events/{event}/review", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert api.post(f"/api/events/{event}/review", json={"action": "confirm", "note": "short"}).status_code == 200


def test_too_many_changes_get_429_and_reads_go_on(own_store: Path) -> None:
    api = app_for(own_store, serve_mutations_per_minute=3)
    event = an_event(api)
    codes = [api.post(f"/api/events/{event}/review", json={"action": "confirm"}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    limited = api.post(f"/api/events/{event}/review", json={"action": "confirm"})
    assert 1 <= int(limited.headers["retry-after"]) <= 60 and "at most 3 a minute" in limited.json()["detail"]
    assert all(api.get("/api/events").status_code == 200 for _ in range(10))
    assert len(api.get(f"/api/events/{event}").json()["history"]) == 3


def test_loopback_server_refuses_other_host_names(seeds_db: Path) -> None:
    """A page on another site cannot reach a local server through DNS rebinding."""
    app = create_app(seeds_db, load_settings(db_path=seeds_db), allowed_hosts=sorted(LOOPBACK_NAMES))
    assert TestClient(app, base_url="http://127.0.0.1:8765").get("/api/health").status_code == 200
    assert TestClient(app, base_url="http://localhost:8765").get("/api/health").status_code == 200
    assert TestClient(app, base_url="http://attacker.example").get("/api/health").status_code == 400
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


def test_no_cors_json_errors_and_protective_headers(own_store: Path) -> None:
    api = app_for(own_store)
    origin = {"Origin": "https://elsewhere.example"}
    preflight = api.options("/api/events/x/review", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    response = api.get("/api/events", headers=origin)
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff" and response.headers["x-frame-options"] == "DENY"
    # a cross-site form can only send text/plain or form bodies: not JSON, so not a review
    event = an_event(api)
    form = api.post(f"/api/events/{event}/review", content=b'{"action": "reject"}', headers={"content-type": "text/plain"})
    assert form.status_code == 422 and form.headers["content-type"] == "application/json"
    assert api.get(f"/api/events/{event}").json()["reviewed"] is None
    missing = api.get("/api/no/such/route")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}


def test_sql_in_parameters_is_only_data(own_store: Path) -> None:
    api = app_for(own_store)
    articles = api.get("/api/articles").json()["total"]
    hostile = ["KAZ' OR '1'='1", "'; DROP TABLE articles; --", '" OR 1=1 --', "KAZ%", "%", "_", "\\", "\x00"]
    for text in hostile:
        for url, params in (("/api/dyad", {"a": text, "b": "AFG"}), ("/api/events", {"actor": text}),
                            ("/api/actors", {"q": text}), ("/api/articles", {"q": text}), ("/api/search", {"q": text}),
                            ("/api/brief", {"a": text, "b": "AFG"}), (f"/api/events/{text.strip(chr(0))}x", {}),
                            (f"/api/articles/{text.strip(chr(0))}xxxx", {})):
            response = api.get(url, params=params)
            assert response.status_code < 500, (url, params, response.text)
            assert response.headers["content-type"] == "application/json"
    assert api.get("/api/dyad", params={"a": "KAZ' OR '1'='1", "b": "AFG"}).status_code == 404
    assert api.get("/api/actors", params={"q": "%"}).json()["total"] == 0
    assert api.get("/api/articles").json()["total"] == articles


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen) -> httpx.Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("dyad serve did not answer within 60 s")


def test_dyad_serve_on_an_exposed_host_prints_a_token_and_requires_it(own_store: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DYAD_TOKEN"}
    process = subprocess.Popen(
        [sys.executable, "-c", "from dyad.serve.cli import main; main()", "--db", str(own_store), "serve",
         "--host", "0.0.0.0", "--port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stderr.readline()
        assert first.startswith("token for changes (shown once): "), first
        token = first.split(": ", 1)[1].strip()
        assert len(token) >= 24
        assert "dyad workbench on http://0.0.0.0:" in process.stderr.readline()
        base = f"http://127.0.0.1:{port}"
        assert _wait_healthy(f"{base}/api/health", process).json()["token_required"] is True
        event = httpx.get(f"{base}/api/dyad", params={"a": "KAZ", "b": "AFG"}).json()["events"][0]["id"]
        review = {"action": "confirm", "note": "seen"}
        assert httpx.post(f"{base}/api/events/{event}/review", json=review).status_code == 401
        done = httpx.post(f"{base}/api/events/{event}/review", json=review, headers={"Authorization": f"Bearer {token}"})
        assert done.status_code == 200, done.text
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


def test_dyad_serve_on_loopback_takes_the_token_from_the_environment(own_store: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from dyad.serve.cli import main; main()", "--db", str(own_store), "serve", "--port", str(port),
         "--no-browser-hint"],
        cwd=REPO, env={**os.environ, "DYAD_TOKEN": "from-the-environment"}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        assert _wait_healthy(f"{base}/api/health", process).json()["token_required"] is True
        event = httpx.get(f"{base}/api/dyad", params={"a": "KAZ", "b": "AFG"}).json()["events"][0]["id"]
        assert httpx.post(f"{base}/api/events/{event}/review", json={"action": "confirm"}).status_code == 401
        assert httpx.post(f"{base}/api/events/{event}/review", json={"action": "confirm"},
                          headers={"Authorization": "Bearer from-the-environment"}).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
        stderr = process.stderr.read()
        process.stderr.close()
    assert "token for changes" not in stderr and "dyad workbench on" not in stderr
