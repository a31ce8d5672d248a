"""Fixtures for the black-box tests of fake-sglang: start the binary on a free loopback port,
wait until it listens, and always kill it afterwards (even when the test fails)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_sglang_helpers import BINARY, Engine  # noqa: E402


@pytest.fixture
def start_engine(tmp_path):
    """start_engine(*args, env={...}, ready=True) → a running Engine; killed at teardown."""
    engines = []

    def start(*args, env=None, ready=True):
        if not os.path.exists(BINARY):
            pytest.fail("fake-sglang binary not found at %s (build it or set SHIM_BIN_DIR)" % BINARY)
        engine = Engine(args, env or {}, str(tmp_path / ("engine-%d.log" % len(engines))))
        engines.append(engine)
        engine.wait_listening()
        if ready:
            engine.wait_log("The server is fired up and ready to roll!")
        return engine

    yield start
    for engine in engines:
        engine.stop()
