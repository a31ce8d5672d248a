"""Fixtures for the rewriting tests: one recording shim per module, and reading what the stand-in received."""

import json
import time

import pytest

from harness import SLOW, make_shim_factory


class Recorded:
    """The stand-in's FAKE_SGLANG_RECORD file, read from a mark onwards."""

    def __init__(self, path):
        self.path = path

    def mark(self):
        try:
            with open(self.path, "rb") as f:
                return len(f.read())
        except FileNotFoundError:
            return 0

    def since(self, mark, path_prefix="/v1/", wait_for=1, timeout=5.0):
        """Requests on `path_prefix` recorded after `mark`; waits until `wait_for` are there (0: no wait)."""
        deadline = time.monotonic() + timeout * SLOW
        while True:
            try:
                with open(self.path, "rb") as f:
                    data = f.read()[mark:]
            except FileNotFoundError:
                data = b""
            lines = [json.loads(line) for line in data.decode().splitlines() if line.strip()]
            lines = [r for r in lines if r["path"].startswith(path_prefix)]
            if len(lines) >= wait_for or time.monotonic() > deadline:
                return lines
            time.sleep(0.02)


@pytest.fixture(scope="module")
def recording_shim(tmp_path_factory):
    """One shim with the default strip list whose stand-in records every request it receives."""
    tmp = tmp_path_factory.mktemp("recording")
    start, stop_all = make_shim_factory(tmp)
    record = tmp / "record.jsonl"
    shim = start(env={"FAKE_SGLANG_RECORD": str(record)})
    shim.recorded = Recorded(record)
    yield shim
    stop_all()
