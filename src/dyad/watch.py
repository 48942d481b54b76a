"""Watch a folder and ingest files as they arrive or change, each content exactly once.

Every file taken in is recorded in the store (``watched_files``: path, size, modification time,
SHA-256 of its bytes). A pass lists the folder; a file whose size and time match its record is
skipped without being read, a file whose bytes hash to its record is skipped too (a touched
file), and the rest are ingested in chunks: first marked ``pending``, then ingested with
``dyad.api.ingest``, then marked ``done``. A watcher killed in the middle finds ``pending`` files
when it starts again and ingests them again; ingest adds nothing already stored, and the
rejections the killed attempt recorded are replaced, so nothing is lost and nothing doubled.
"""

from __future__ import annotations

import hashlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from dyad.api import ingest
from dyad.ingest import discover
from dyad.store import BatchCounts, Store
from dyad.settings import Settings

COMMAND = "watch"


@dataclass(frozen=True, slots=True)
class Fingerprint:
    path: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass(slots=True)
class PassReport:
    files: list[str] = field(default_factory=list)
    counts: BatchCounts = field(default_factory=BatchCounts)


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:  # ingest records why it cannot be read; this marks the attempt
        return f"unreadable:{exc.errno}"
    return digest.hexdigest()


def changed_files(folder: Path, store: Store, settings: Settings, *, settle: float = 2.0) -> list[Fingerprint]:
    """Files under ``folder`` that are new, changed, or left ``pending`` by an interrupted
    watcher; files modified in the last ``settle`` seconds wait for the next pass (they may still
    be being written)."""
    now = time.time_ns()
    found = []
    for path in discover([folder.absolute()], settings.extensions):  # one name per file, wherever it is run from
        if not isinstance(path, Path):
            continue  # an unreadable folder or a symlink loop: nothing to fingerprint
        try:
            info = path.stat()
        except OSError:
            continue  # removed since it was listed
        key = str(path)
        known = store.db.execute("SELECT size, mtime_ns, sha256, state FROM watched_files WHERE path = ?", (key,)).fetchone()
        if known and known["state"] == "done" and (known["size"], known["mtime_ns"]) == (info.st_size, info.st_mtime_ns):
            continue
        if now - info.st_mtime_ns < settle * 1e9:
            continue
        digest = content_hash(path)
        if known and known["state"] == "done" and known["sha256"] == digest:
            store.db.execute("UPDATE watched_files SET size = ?, mtime_ns = ? WHERE path = ?", (info.st_size, info.st_mtime_ns, key))
            continue
        found.append(Fingerprint(key, info.st_size, info.st_mtime_ns, digest))
    return found


def ingest_files(files: list[Fingerprint], store: Store, settings: Settings) -> BatchCounts:
    """Ingest these files as one run and record them as done; see the module's docstring."""
    _mark(store, files, "pending", None)
    for fingerprint in files:
        # Rejections recorded by a watcher run that never finished: this attempt records them again.
        store.db.execute(
            "DELETE FROM rejections WHERE source = ? AND run_id IN"
            " (SELECT id FROM runs WHERE command = ? AND status <> 'done')", (fingerprint.path, COMMAND))
    report = ingest([Path(f.path) for f in files], store=store, settings=settings, command=COMMAND)
    _mark(store, files, "done", report.run_id)
    return report.counts


def _mark(store: Store, files: list[Fingerprint], state: str, run_id: int | None) -> None:
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    store.db.executemany(
        "INSERT INTO watched_files (path, size, mtime_ns, sha256, state, run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256,"
        " state = excluded.state, run_id = excluded.run_id, updated_at = excluded.updated_at",
        [(f.path, f.size, f.mtime_ns, f.sha256, state, run_id, at) for f in files])


def watch_pass(folder: Path, store: Store, settings: Settings, *, settle: float = 2.0, chunk: int = 20,
               stop: Callable[[], bool] = lambda: False) -> PassReport:
    """One pass: ingest what changed, ``chunk`` files per run, checking ``stop`` between chunks."""
    report = PassReport()
    files = changed_files(folder, store, settings, settle=settle)
    for start in range(0, len(files), chunk):
        if stop():
            break
        part = files[start:start + chunk]
        report.counts.add(ingest_files(part, store, settings))
        report.files.extend(f.path for f in part)
    return report


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGINT or SIGTERM (instead of the default abrupt exit), so the watcher
    finishes the chunk in hand and stops; the previous handlers are restored after."""
    stop = threading.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda signum, frame: stop.set()) for sig in signals}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def watch(folder: Path, store: Store, settings: Settings, *, interval: float = 5.0, once: bool = False,
          settle: float = 2.0, on_pass: Callable[[PassReport], None] | None = None) -> BatchCounts:
    """Poll ``folder`` every ``interval`` seconds until SIGINT/SIGTERM (or one pass with ``once``)."""
    total = BatchCounts()
    with stop_on_signals() as stop:
        while True:
            try:
                report = watch_pass(folder, store, settings, settle=settle, stop=stop.is_set)
            except KeyboardInterrupt:
                # Ctrl-C in a terminal reaches the ingest's worker processes too, and one of them can
                # hand its KeyboardInterrupt back: stop here; the chunk in hand stays 'pending' and
                # is ingested again at the next start.
                return total
            total.add(report.counts)
            if on_pass:
                on_pass(report)
            if once or stop.wait(interval):
                return total
