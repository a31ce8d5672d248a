"""Fixtures of the endpoint-parity suite (issue 6): one shim per configuration,
shared by a module's tests so the suite stays quick on a loaded machine."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness import make_shim_factory  # noqa: E402


@pytest.fixture(scope="module")
def module_shims(tmp_path_factory):
    """Like shim_factory, but the shims live for the whole test module."""
    start, stop_all = make_shim_factory(tmp_path_factory.mktemp("shims"))
    yield start
    stop_all()
