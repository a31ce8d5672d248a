"""Smoke test of the benchmark tooling: shim-loadgen against the stand-in engine
directly (no shim), briefly, in both modes; and the report renders from them.
Must finish in well under 20 s."""

import json
import os
import signal
import subprocess
import sys
import time
import http.client
from pathlib import Path

import pytest

from harness import free_port_pair

REPO = Path(__file__).resolve().parents[2]
BIN_DIR = Path(os.environ.get("SHIM_BIN_DIR", REPO / "build" / "bin"))
LOADGEN = BIN_DIR / "shim-loadgen"
ENGINE = BIN_DIR / "fake-sglang"
MODEL = "bench-smoke-model"

pytestmark = pytest.mark.skipif(not LOADGEN.exists() or not ENGINE.exists(),
                                reason="shim-loadgen or fake-sglang not built")


def wait_health(port, proc, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "fake-sglang exited"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.05)
    pytest.fail("fake-sglang never became healthy")


def start_engine(tmp_path, itl_ms, ttft_ms):
    port = free_port_pair()
    env = dict(os.environ, SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION="0", FAKE_SGLANG_STAMP_CHUNKS="1",
               FAKE_SGLANG_ITL_MS=str(itl_ms), FAKE_SGLANG_TTFT_MS=str(ttft_ms))
    log = open(tmp_path / f"engine-{port}.log", "wb")
    proc = subprocess.Popen([str(ENGINE), "--model-path", MODEL, "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return port, proc, log


def stop_engine(proc, log):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=5)
    log.close()


@pytest.fixture
def engine(tmp_path):
    """A stand-in with instant tokens (non-streaming load)."""
    port, proc, log = start_engine(tmp_path, 0, 0)
    try:
        wait_health(port, proc)
        yield port, proc
    finally:
        stop_engine(proc, log)


@pytest.fixture
def slow_engine(tmp_path):
    """A stand-in with 5 ms to the first token and 20 ms between tokens (streaming load)."""
    port, proc, log = start_engine(tmp_path, 20, 5)
    try:
        wait_health(port, proc)
        yield port, proc
    finally:
        stop_engine(proc, log)


def loadgen(args, timeout=15):
    result = subprocess.run([str(LOADGEN)] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_post_mode_measures_requests(engine):
    port, proc = engine
    out = loadgen(["post", "--url", f"http://127.0.0.1:{port}/v1/chat/completions", "--model", MODEL,
                   "--concurrency", "4", "--duration", "1", "--warmup", "0.2", "--watch", f"engine={proc.pid}"])
    assert out["mode"] == "post"
    assert out["requests"] > 100, out
    assert out["non_200"] == 0 and out["io_errors"] == 0, out
    lat = out["latency_us"]
    assert 0 < lat["p50"] <= lat["p99"] <= lat["max"]
    assert out["rps"] == pytest.approx(out["requests"] / out["window_s"])
    assert out["processes"]["engine"]["cpu_percent"] > 0
    assert out["processes"]["engine"]["rss_kib"] > 0


def test_post_mode_respects_request_cap(engine):
    port, _ = engine
    out = loadgen(["post", "--url", f"http://127.0.0.1:{port}/v1/chat/completions", "--model", MODEL,
                   "--concurrency", "2", "--duration", "10", "--warmup", "0", "--max-requests", "50"])
    assert 50 <= out["requests"] <= 52
    assert out["window_s"] < 5


def test_stream_mode_measures_chunks_and_health(slow_engine):
    port, proc = slow_engine
    out = loadgen(["stream", "--url", f"http://127.0.0.1:{port}/v1/chat/completions", "--model", MODEL,
                   "--concurrency", "20", "--tokens", "20", "--ramp", "0.2", "--warmup", "0.2", "--duration", "1.5",
                   "--probe", f"http://127.0.0.1:{port}/health", "--rss-pid", str(proc.pid)])
    assert out["max_streaming"] == 20
    assert out["streams_completed"] >= 20 and out["stream_errors"] == 0 and out["non_200"] == 0, out
    assert out["short_streams"] == 0
    assert out["ttft_us"]["count"] > 0 and out["ttft_us"]["p50"] >= 5000  # the engine waits 5 ms
    health = out["probes"][f"http://127.0.0.1:{port}/health"]
    assert health["ok"] > 50 and health["errors"] == 0
    assert out["rss"]["first_all_open_kib"] > 0
    # Every chunk carries the engine's send time (FAKE_SGLANG_STAMP_CHUNKS).
    assert out["chunks"] > 0 and out["chunk_us"]["p50"] > 0
    assert out["unstamped_chunks"] == 0


def test_bad_arguments_fail_cleanly():
    result = subprocess.run([str(LOADGEN), "post", "--url", "https://example.com/"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=5)
    assert result.returncode == 2
    assert b"http://" in result.stderr


def test_unreachable_server_is_bounded():
    port = free_port_pair()  # nothing listens here
    started = time.monotonic()
    out = loadgen(["post", "--url", f"http://127.0.0.1:{port}/", "--duration", "0.5", "--warmup", "0"])
    assert time.monotonic() - started < 5
    assert out["requests"] == 0 and out["connect_errors"] > 0


def test_report_renders_from_one_run(slow_engine, tmp_path):
    """bench/report.py turns a run's raw JSON into the doc and the plot (direct-only run here)."""
    port, _ = slow_engine
    results = tmp_path / "results" / "20000101-000000"
    results.mkdir(parents=True)
    url = f"http://127.0.0.1:{port}/v1/chat/completions"
    for concurrency in (1, 64):
        out = loadgen(["post", "--url", url, "--model", MODEL, "--concurrency", str(concurrency),
                       "--duration", "0.5", "--warmup", "0"])
        (results / f"a_direct_post_c{concurrency}.json").write_text(json.dumps(out))
    out = loadgen(["stream", "--url", url, "--model", MODEL, "--concurrency", "5", "--tokens", "3",
                   "--ramp", "0", "--warmup", "0", "--duration", "0.5", "--probe", f"http://127.0.0.1:{port}/health"])
    (results / "a_direct_stream.json").write_text(json.dumps(out))
    meta = {"generated_at": "2000-01-01T00:00:00+00:00", "quick": True, "duration_s": 1,
            "plan": {"post_warmup": 0, "post_c1_duration": 0.3, "post_c64_duration": 0.3, "streams": 5,
                     "stream_tokens": 3, "stream_itl_ms": 20, "stream_ttft_ms": 5, "stream_ramp": 0,
                     "stream_warmup": 0, "stream_duration": 0.5, "probe_interval_ms": 10},
            "pinning": {"engine": 0, "proxy": 1, "loadgen": 1, "applied": False},
            "machine": {"nproc": 2, "cpu_model": "test", "kernel": "test", "haproxy": "", "python": "3",
                        "fd_limit": "1024"},
            "configs": {"a": {"key": "a", "name": "direct"}}}
    (results / "meta.json").write_text(json.dumps(meta))
    docs = tmp_path / "docs"
    subprocess.run(["/usr/bin/python3", str(REPO / "bench" / "report.py"), str(results), "--docs", str(docs)],
                   check=True, timeout=30)
    text = (docs / "benchmarks.md").read_text()
    assert "(a) direct to engine" in text
    assert "Missing: (b) shim" in text  # a partial run says what it lacks
    assert (docs / "bench-latency.png").stat().st_size > 1000
