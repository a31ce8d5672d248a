"""/health and /ping of the front door, through the real `vllm` entry point:
answered from state in milliseconds, readiness = SGLang's /health ok AND
/v1/models answered, rise/fall hysteresis (issue 4; vLLM @9aaf83ef
vllm/entrypoints/openai/api_server.py answers /health and /ping itself)."""

import http.client
import selectors
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frontdoor_helpers import (ScriptedEngine, health_status, raw_connect, stream_request,  # noqa: E402
                               wait_for)
from harness import SLOW  # noqa: E402


def probe_health_ms(port, probes=40):
    """Latencies of GET /health on one warm keep-alive connection, in ms."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5 * SLOW)
    conn.request("GET", "/health")  # warm: connect and first request not counted
    conn.getresponse().read()
    latencies = []
    try:
        for _ in range(probes):
            start = time.perf_counter()
            conn.request("GET", "/health")
            r = conn.getresponse()
            r.read()
            latencies.append((time.perf_counter() - start) * 1000)
            assert r.status == 200
            time.sleep(0.005)
    finally:
        conn.close()
    return latencies


def test_health_is_fast_while_the_engines_health_takes_over_a_second(shim_factory):
    shim = shim_factory(env={"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "1", "FAKE_SGLANG_HEALTH_DELAY": "1.2",
                             "VLLM_SGLANG_HEALTH_INTERVAL": "0.5", "VLLM_SGLANG_HEALTH_TIMEOUT": "5"},
                        timeout=60)
    # The condition of the test holds: SGLang's own /health is slow.
    start = time.monotonic()
    assert shim.get("/health", port=shim.backend_port).status == 200
    assert time.monotonic() - start >= 1.0
    latencies = probe_health_ms(shim.port)
    assert statistics.median(latencies) < 10, latencies
    for method in ("GET", "POST"):
        assert shim.request(method, "/ping").status == 200


def test_health_is_fast_while_200_streams_run(shim_factory):
    shim = shim_factory(env={"FAKE_SGLANG_ITL_MS": "30", "FAKE_SGLANG_TTFT_MS": "10"})
    streams = [raw_connect(shim.port) for _ in range(200)]
    for s in streams:
        s.sendall(stream_request(max_tokens=int(100 * SLOW)))
    finished = {}
    started = set()
    lock = threading.Lock()

    def drain():
        selector = selectors.DefaultSelector()
        data = {}
        for s in streams:
            s.setblocking(False)
            selector.register(s, selectors.EVENT_READ)
            data[s] = b""
        deadline = time.monotonic() + 60 * SLOW
        while len(finished) < len(streams) and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.5):
                s = key.fileobj
                try:
                    chunk = s.recv(65536)
                except BlockingIOError:
                    continue
                data[s] += chunk
                with lock:
                    if b"data: " in data[s]:
                        started.add(s)
                if not chunk or data[s].endswith(b"0\r\n\r\n"):
                    finished[s] = data[s]
                    selector.unregister(s)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    wait_for(lambda: len(started) == len(streams), 30, "all 200 streams to emit a first event")
    latencies = probe_health_ms(shim.port, probes=60)
    running = len(streams) - len(finished)
    reader.join(timeout=90 * SLOW)
    for s in streams:
        s.close()
    # The probes ran while (nearly) every stream was still generating.
    assert running >= 150, running
    assert statistics.median(latencies) < 10, latencies
    assert len(finished) == len(streams)
    assert all(b"data: [DONE]" in body for body in finished.values())


def test_readiness_waits_for_v1_models(shim_factory, tmp_path):
    engine = ScriptedEngine(tmp_path, health=200, models=503)
    shim = shim_factory(env={**engine.env(), "VLLM_SGLANG_HEALTH_INTERVAL": "0.2"}, wait=False)
    wait_for(lambda: len(engine.requests("/v1/models")) >= 3, 30, "the shim to ask /v1/models three times")
    assert engine.requests("/health") and all(e["status"] == 200 for e in engine.requests("/health"))
    assert health_status(shim) == 503
    assert shim.post("/ping").status == 503
    engine.set(models=200)
    wait_for(lambda: health_status(shim) == 200, 10, "/health 200 once /v1/models answers")
    assert shim.post("/ping").status == 200


def test_rise_and_fall_hysteresis(shim_factory, tmp_path):
    engine = ScriptedEngine(tmp_path)
    shim = shim_factory(env={**engine.env(), "VLLM_SGLANG_HEALTH_INTERVAL": "0.1", "VLLM_SGLANG_HEALTH_FALL": "3",
                             "VLLM_SGLANG_HEALTH_RISE": "4"})
    engine.set(health=500)
    wait_for(lambda: health_status(shim) == 503, 10, "/health 503 after failed checks")
    failures = [e for e in engine.requests("/health") if e["status"] == 500]
    assert len(failures) >= 3, "503 after %d failed checks, fall is 3" % len(failures)
    assert shim.get("/ping").status == 503

    seen = len(engine.requests("/health"))
    engine.set(health=200)
    wait_for(lambda: health_status(shim) == 200, 10, "/health 200 after good checks")
    successes = [e for e in engine.requests("/health")[seen:] if e["status"] == 200]
    assert len(successes) >= 4, "200 after %d good checks, rise is 4" % len(successes)
