"""Browser tests of the web workbench: the app served by uvicorn in a background thread on a free
loopback port, over a temporary store, driven by Playwright through the system chromium
(/usr/bin/chromium, installed by scripts/setup-browser; Playwright never downloads a browser).
Every test skips, saying why, when chromium or the playwright package is missing (fails instead
when $CI is set: CI installs them, so their absence there is an error)."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import copy_store
from dyad.api import ingest, open_store
from dyad.settings import load_settings

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM = Path(os.environ.get("DYAD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class Server:
    """A running workbench: its base URL and the store file it serves."""

    url: str
    db: Path
    _server: object = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(db: Path, token: str | None = None) -> Server:
    """Start the app on ``db`` (changes need ``token`` when given) in a thread; returns once it
    accepts connections."""
    uvicorn = pytest.importorskip("uvicorn")
    from dyad.web import create_app

    app = create_app(db, load_settings(), token)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="dyad-web-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    return Server(f"http://127.0.0.1:{port}", db, server, thread)


def make_store(folder: Path, *inputs: Path) -> Path:
    db = folder / "dyad.db"
    with open_store(db) as store:
        ingest(inputs, store=store, settings=load_settings())
    return db


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless chromium for the session (a temporary profile, no network services)."""
    # In CI (.ci/run installs chromium) a missing browser fails the run instead of skipping quietly.
    missing = pytest.fail if os.environ.get("CI") else pytest.skip
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} not found: run scripts/setup-browser (apt-get install chromium) to run the browser tests")
    try:
        from playwright import sync_api
    except ImportError:
        missing("the playwright package is not installed (pip install -c requirements.lock -e '.[dev]')")
    profile = tempfile.mkdtemp(prefix="dyad-chromium-")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1440, "height": 900}, service_workers="block")
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def seeds_server(seeds_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The workbench over this module's own copy of the seeds' store (conftest's ``seeds_db``;
    tests may change it)."""
    server = serve(copy_store(seeds_db, tmp_path_factory.mktemp("seeds-copy") / "dyad.db"))
    yield server
    server.stop()


class Watched:
    """A page plus every dialog, page error and console error it produced."""

    def __init__(self, context: object) -> None:
        self.page = context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(f"console: {message.text}"))

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self, url: str, ready: str) -> object:
        """Go to ``url`` and wait until the app says the view ``ready`` has rendered."""
        self.page.goto("about:blank")  # a fresh load, so no earlier view can look ready
        self.page.goto(url)
        self.page.wait_for_selector(f"body[data-ready='{ready}']", state="attached", timeout=30_000)
        return self.page

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def watched(browser: object) -> Iterator[Watched]:
    page = Watched(browser)
    yield page
    page.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where tests save screenshots: docs/screenshots with DYAD_SCREENSHOTS=1 (scripts/screenshots), else a temp folder."""
    folder = SCREENSHOTS if os.environ.get("DYAD_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder
