"""Settings: the commented defaults in ``defaults.toml``, overridden per key by a user file."""

from __future__ import annotations

import codecs
import os
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from dyad.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: Path | str  # a SQLite file, or a postgresql:// URL (dyad.store.postgres)
    busy_timeout: float
    max_bytes: int
    batch_size: int
    workers: int  # processes that clean and extract; 1 runs in the main process
    encoding: str
    extensions: tuple[str, ...]
    min_body_chars: int
    clean_time_limit: float
    extract: bool
    extract_model: bool = True
    model_threshold: float = 0.3
    model_fill: bool = False
    model_fill_threshold: float = 0.6
    serve_host: str = "127.0.0.1"
    serve_port: int = 8765
    serve_max_body_bytes: int = 65_536
    serve_mutations_per_minute: int = 30


def _merge(base: dict, override: dict, where: str) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if key not in base:
            raise ConfigError(f"[C001] unknown setting '{where}{key}'; known: {', '.join(sorted(base))}")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"[C002] setting '{where}{key}' must be a table")
            merged[key] = _merge(base[key], value, f"{where}{key}.")
        else:
            merged[key] = value
    return merged


def load_settings(config: Path | None = None, **overrides: object) -> Settings:
    """Defaults, then the user file (``config`` or $DYAD_CONFIG), then explicit overrides
    (keyword arguments that are not None, as given on the command line)."""
    values = tomllib.loads(resources.files("dyad").joinpath("defaults.toml").read_text("utf-8"))
    config = config or (Path(os.environ["DYAD_CONFIG"]) if os.environ.get("DYAD_CONFIG") else None)
    if config is not None:
        try:
            user = tomllib.loads(Path(config).read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"[C003] cannot read config file {config}: {exc}") from exc
        values = _merge(values, user, "")
    store, ingest, clean = values["store"], values["ingest"], values["clean"]
    try:
        settings = _from_tables(store, ingest, clean, values["extract"], values["serve"])
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[C007] a setting has the wrong type: {exc}") from exc
    return with_overrides(settings, **overrides)


def _from_tables(store: dict, ingest: dict, clean: dict, extract: dict, serve: dict) -> Settings:
    return Settings(
        db_path=store_location(os.environ.get("DYAD_DB") or store["path"]),
        busy_timeout=float(store["busy_timeout"]),
        max_bytes=int(ingest["max_bytes"]),
        batch_size=int(ingest["batch_size"]),
        workers=int(ingest["workers"]) or os.cpu_count() or 1,
        encoding=str(ingest["encoding"]),
        extensions=tuple(str(e).lower() for e in ingest["extensions"]),
        min_body_chars=int(clean["min_body_chars"]),
        clean_time_limit=float(clean["time_limit"]),
        extract=bool(extract["enabled"]),
        extract_model=bool(extract["model"]),
        model_threshold=float(extract["model_threshold"]),
        model_fill=bool(extract["model_fill"]),
        model_fill_threshold=float(extract["model_fill_threshold"]),
        serve_host=str(serve["host"]),
        serve_port=int(serve["port"]),
        serve_max_body_bytes=int(serve["max_body_bytes"]),
        serve_mutations_per_minute=int(serve["mutations_per_minute"]),
    )


def store_location(value: object) -> Path | str:
    """A store's file, or a PostgreSQL URL kept as text (a Path would fold its '//')."""
    text = str(value)
    return text if text.startswith(("postgresql://", "postgres://")) else Path(text)


def with_overrides(settings: Settings, **overrides: object) -> Settings:
    """``settings`` with the given keys replaced (None means: not given), validated."""
    given = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(given) - set(Settings.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"[C004] unknown override(s): {', '.join(sorted(unknown))}")
    if "db_path" in given:
        given["db_path"] = store_location(given["db_path"])  # type: ignore[arg-type]
    settings = replace(settings, **given)
    try:
        codecs.lookup(settings.encoding)
    except LookupError:
        raise ConfigError(f"[C006] unknown encoding '{settings.encoding}'; try utf-8, cp1252 or latin-1") from None
    if settings.batch_size < 1 or settings.max_bytes < 1 or settings.workers < 1:
        raise ConfigError("[C005] batch_size, max_bytes and workers must be positive")
    if settings.serve_max_body_bytes < 1 or settings.serve_mutations_per_minute < 1 or not 0 < settings.serve_port < 65536:
        raise ConfigError("[C009] serve.max_body_bytes and serve.mutations_per_minute must be positive, serve.port 1..65535")
    if not (0.0 <= settings.model_threshold <= 1.0 and 0.0 <= settings.model_fill_threshold <= 1.0):
        raise ConfigError("[C008] extract.model_threshold and model_fill_threshold must be between 0 and 1")
    return settings
