"""Walk the paths a user gave: files as they are, folders recursively, symlink loops caught."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

from dyad.records import Rejection


def has_extension(path: Path, extensions: tuple[str, ...]) -> bool:
    name = path.name.lower()
    return any(name.endswith(ext) for ext in extensions)


def discover(paths: list[Path], extensions: tuple[str, ...]) -> Iterator[Path | Rejection]:
    """Yield each input file once, in a stable (sorted) order, or a rejection for a path that
    cannot be read. Files named explicitly are yielded whatever their ending, so that the reader
    rejects an unsupported one with a reason; files met inside folders are yielded only when their
    ending is one of ``extensions`` (others are not articles: images, stylesheets)."""
    seen_files: set[tuple[int, int]] = set()
    for path in paths:
        try:
            info = path.stat()
        except OSError as exc:
            yield _unreadable(path, exc)
            continue
        if path.is_dir():
            yield from _walk(path, extensions, seen_files)
        elif _first_visit(info, seen_files):
            yield path


def _walk(root: Path, extensions: tuple[str, ...], seen_files: set[tuple[int, int]]) -> Iterator[Path | Rejection]:
    # Follow symlinks (a corpus folder often links to others) but never enter a folder twice:
    # a link back to an ancestor is reported as a loop rather than walked forever.
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError as exc:
            yield _unreadable(folder, exc)
            continue
        identity = (info.st_dev, info.st_ino)
        if identity in seen_dirs:
            yield Rejection(str(folder), str(folder), "E-SYMLINK-LOOP", f"{folder}: folder already visited through a symlink loop; skipped")
            continue
        seen_dirs.add(identity)
        files: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_file = not is_dir and entry.is_file(follow_symlinks=True)
            except OSError as exc:
                yield _unreadable(path, exc)
                continue
            if is_dir:
                stack.append(path)
            elif is_file:
                if has_extension(path, extensions):
                    files.append(path)
            elif entry.is_symlink():
                yield _broken_link(path)
        for path in reversed(files):
            try:
                info = path.stat()
            except OSError as exc:
                yield _unreadable(path, exc)
                continue
            if _first_visit(info, seen_files):
                yield path


def _first_visit(info: os.stat_result, seen: set[tuple[int, int]]) -> bool:
    identity = (info.st_dev, info.st_ino)
    if identity in seen:
        return False
    seen.add(identity)
    return True


def _broken_link(path: Path) -> Rejection:
    try:
        path.stat()
    except OSError as exc:
        return _unreadable(path, exc)
    return Rejection(str(path), str(path), "E-UNREADABLE", f"{path}: not a regular file")


def _unreadable(path: Path, exc: OSError) -> Rejection:
    if exc.errno == errno.ELOOP:
        return Rejection(str(path), str(path), "E-SYMLINK-LOOP", f"{path}: symlink loop; fix or remove the link")
    if exc.errno == errno.ENOENT:
        return Rejection(str(path), str(path), "E-NOT-FOUND", f"{path}: no such file or folder")
    if exc.errno == errno.EACCES:
        return Rejection(str(path), str(path), "E-UNREADABLE", f"{path}: permission denied")
    return Rejection(str(path), str(path), "E-UNREADABLE", f"{path}: {exc.strerror or exc}")
