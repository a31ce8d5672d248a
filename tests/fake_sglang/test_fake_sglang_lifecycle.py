"""SIGTERM drain and injected faults (python/sglang/srt/managers/tokenizer_manager.py sigterm_watchdog)."""
import json
import signal
import time

CHAT = {"model": "m", "messages": [{"role": "user", "content": "hi there"}]}
FAST_HEALTH = {"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0"}


def test_sigterm_drains_in_flight_health_503_exit_0(start_engine):
    engine = start_engine(env={"FAKE_SGLANG_TTFT_MS": "800", **FAST_HEALTH})
    c = engine.conn()
    c.request("POST", "/v1/chat/completions", json.dumps(CHAT), {"Content-Type": "application/json"})
    time.sleep(0.2)
    engine.proc.send_signal(signal.SIGTERM)
    engine.wait_log("SIGTERM received")
    assert engine.request("GET", "/health")[0] == 503
    assert engine.proc.poll() is None  # still draining
    assert c.getresponse().status == 200
    assert engine.proc.wait(timeout=5) == 0


def test_sigterm_when_idle_exits_at_once(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    engine.proc.send_signal(signal.SIGTERM)
    assert engine.proc.wait(timeout=5) == 0


def test_crash_after_n_requests(start_engine):
    engine = start_engine(env={"FAKE_SGLANG_CRASH_AFTER": "2", **FAST_HEALTH})
    assert engine.post_json("/v1/chat/completions", CHAT)[0] == 200
    assert engine.post_json("/v1/chat/completions", CHAT)[0] == 200
    assert engine.proc.wait(timeout=5) != 0


def test_crash_mid_stream(start_engine):
    engine = start_engine(env={"FAKE_SGLANG_CRASH_MID_STREAM": "3", **FAST_HEALTH})
    c = engine.conn()
    c.request("POST", "/v1/chat/completions", json.dumps({**CHAT, "stream": True}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    try:
        data = r.read()
    except Exception:  # incomplete chunked body is the point
        data = b""
    assert b"[DONE]" not in data
    assert engine.proc.wait(timeout=5) != 0


def test_500_every_n(start_engine):
    engine = start_engine(env={"FAKE_SGLANG_500_EVERY": "2", **FAST_HEALTH})
    assert engine.post_json("/v1/chat/completions", CHAT)[0] == 200
    status, body = engine.post_json("/v1/chat/completions", CHAT)
    assert status == 500 and body["type"] == "InternalServerError"


def test_hang_and_failing_health(start_engine):
    engine = start_engine(env={"FAKE_SGLANG_HANG": "1", "FAKE_SGLANG_HEALTH_DELAY": "0.1"})
    c = engine.conn(timeout=0.5)
    c.request("POST", "/v1/chat/completions", json.dumps(CHAT), {"Content-Type": "application/json"})
    try:
        c.getresponse()
        raise AssertionError("a hung engine answered")
    except TimeoutError:
        pass
    c.close()
    assert engine.request("GET", "/health")[0] == 503
    failing = start_engine(env={"FAKE_SGLANG_FAIL_HEALTH": "1", "FAKE_SGLANG_HEALTH_DELAY": "0.1"})
    assert failing.request("GET", "/health")[0] == 503
