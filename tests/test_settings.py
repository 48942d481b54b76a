"""Settings: defaults, a user file overriding per key, and clear errors for mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyad.errors import ConfigError
from dyad.settings import load_settings, with_overrides


def test_settings_defaults_are_read_from_the_packaged_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DYAD_DB", raising=False)
    monkeypatch.delenv("DYAD_CONFIG", raising=False)
    settings = load_settings()
    assert settings.db_path == Path("dyad.db") and settings.encoding == "utf-8" and ".warc.gz" in settings.extensions


def test_settings_user_file_overrides_only_its_keys(tmp_path: Path) -> None:
    config = tmp_path / "dyad.toml"
    config.write_text("[ingest]\nbatch_size = 7\n")
    settings = load_settings(config)
    assert settings.batch_size == 7 and settings.max_bytes == load_settings().max_bytes


def test_settings_environment_names_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DYAD_DB", "/tmp/elsewhere.db")
    assert load_settings().db_path == Path("/tmp/elsewhere.db")
    assert load_settings(db_path="given.db").db_path == Path("given.db")


@pytest.mark.parametrize(
    ("text", "code"),
    [("[ingest]\nbatchsize = 7\n", "C001"), ("[ingest]\nbatch_size = 'many'\n", "C007"), ("not toml [", "C003"),
     ("[ingest]\nencoding = 'klingon'\n", "C006"), ("[ingest]\nbatch_size = 0\n", "C005")],
)
def test_settings_mistakes_raise_with_code(tmp_path: Path, text: str, code: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(text)
    with pytest.raises(ConfigError, match=code):
        load_settings(config)


def test_settings_overrides_are_validated() -> None:
    with pytest.raises(ConfigError, match="C004"):
        with_overrides(load_settings(), colour="blue")
    assert with_overrides(load_settings(), encoding=None).encoding == "utf-8"
