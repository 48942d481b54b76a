"""Coverage-guided fuzzing with atheris (libFuzzer for Python) of the readers and the plain-text
cleaner: a few thousand mutated inputs per run, in a subprocess (atheris.Fuzz never returns).
An uncaught exception makes libFuzzer stop with a crash file and a non-zero exit, failing the test.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from test_fuzz_readers import report_line

atheris = pytest.importorskip("atheris", reason="atheris is in the dev extra; pip install -e '.[dev]'")

RUNS = int(1500 * float(os.environ.get("DYAD_FUZZ_SCALE", "1")))
HARNESS = r'''
import os, sys, tempfile
from pathlib import Path
import atheris

with atheris.instrument_imports(include=["dyad"]):
    from dyad.ingest import read_path
    from dyad.clean.text import clean_text
    from dyad.records import Document, Rejection

EXTENSIONS = (".txt", ".html", ".jsonl", ".warc", ".warc.gz")
FOLDER = Path(tempfile.mkdtemp())


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    ext = EXTENSIONS[provider.ConsumeIntInRange(0, len(EXTENSIONS) - 1)]
    body = provider.ConsumeBytes(provider.remaining_bytes())
    path = FOLDER / ("input" + ext)
    path.write_bytes(body)
    for item in read_path(path, max_bytes=50_000):
        if isinstance(item, Rejection):
            assert item.code.startswith("E-") and item.message
        elif item.kind == "text":
            result = clean_text(item.content)
            for paragraph in result.paragraphs:
                assert item.content[paragraph.raw_start:paragraph.raw_end] == paragraph.text


atheris.Setup(sys.argv, one_input)
atheris.Fuzz()
'''


def test_atheris_finds_no_crash_in_readers_and_text_cleaner(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    harness = tmp_path / "harness.py"
    harness.write_text(HARNESS, encoding="utf-8")
    seeds = tmp_path / "corpus"
    seeds.mkdir()
    (seeds / "a").write_bytes(b"\x00" + "Talks resume\n\nLONDON (Reuters) — The ministers met on Monday.\n".encode())
    (seeds / "b").write_bytes(b"\x02" + b'{"text": "The ministers met.", "url": "http://x/"}\n[1]\n')
    # Linux carries a process's peak RSS across fork and exec, so the child starts at this test
    # process's peak (models loaded by earlier tests); the limit is 1 GiB above that.
    rss_limit_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 + 1024
    result = subprocess.run(
        [sys.executable, str(harness), f"-runs={RUNS}", "-max_len=4096", "-len_control=0", f"-rss_limit_mb={rss_limit_mb}", "-timeout=10",
         "-seed=1", f"-artifact_prefix={tmp_path}/", str(seeds)],
        capture_output=True, text=True, timeout=max(120, RUNS // 20), cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    done = re.search(r"Done (\d+) runs", output)
    assert done and int(done.group(1)) >= RUNS, output[-2000:]
    line = f"fuzz inputs tried (atheris): readers+clean_text={done.group(1)}"
    report_line(request.config, line)
