"""Fixtures of the disaggregated-prefill tests: shims that live for a whole module, and the
endpoint suite's helpers (tests/endpoints/endpoints_helpers.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoints"))
from harness import make_shim_factory  # noqa: E402


@pytest.fixture(scope="module")
def module_shims(tmp_path_factory):
    start, stop_all = make_shim_factory(tmp_path_factory.mktemp("shims"))
    yield start
    stop_all()
