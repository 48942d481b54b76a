"""Property test of the REST API against its own OpenAPI spec (schemathesis, in process over
ASGI, on a copy of the seed store): whatever the generated input, valid by the spec or not, no
5xx, every status code and content type documented, every JSON body valid against its schema.

Bounded for CI: DYAD_API_FUZZ_EXAMPLES examples per operation and generation mode (positive:
valid by the spec; negative: not), default 8. A longer run:
    DYAD_API_FUZZ_EXAMPLES=300 .venv/bin/python -m pytest tests/test_api_fuzz.py -s
The test prints how many cases it tried.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from conftest import copy_store
from dyad.settings import load_settings
from dyad.web import create_app

EXAMPLES = int(os.environ.get("DYAD_API_FUZZ_EXAMPLES", "8"))
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]


def test_api_conforms_to_its_spec(seeds_db: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = copy_store(seeds_db, tmp_path / "fuzz.db")
    # no rate limit here: the fuzzer's reviews are data to check, not an attack
    app = create_app(db, load_settings(db_path=db, serve_mutations_per_minute=1_000_000))
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    tried: Counter[str] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        for mode in GenerationMode:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                      database=None)
            def conforms(case) -> None:  # noqa: ANN001 - a schemathesis Case
                tried[operation.label] += 1
                case.call_and_validate(checks=CHECKS)

            try:
                conforms()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # an operation without parameters has no invalid input
    with capsys.disabled():
        print(f"\ntest_api_fuzz: {sum(tried.values())} cases over {len(tried)} operations "
              f"(up to {EXAMPLES} per operation and mode; DYAD_API_FUZZ_EXAMPLES to change)")
    assert sum(tried.values()) >= len(operations) * 2
