"""Fixtures of the black-box tests; the harness itself is tests/harness.py."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import make_shim_factory  # noqa: E402


@pytest.fixture
def shim_factory(tmp_path):
    start, stop_all = make_shim_factory(tmp_path)
    yield start
    stop_all()


@pytest.fixture
def shim(shim_factory):
    return shim_factory()
