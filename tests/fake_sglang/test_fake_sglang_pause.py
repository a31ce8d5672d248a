"""The stand-in's /flush_cache, /pause_generation, /continue_generation and /abort_request,
as SGLang @8905cbd4 answers them (python/sglang/srt/entrypoints/http_server.py;
managers/io_struct.py PauseGenerationReqInput: abort | retract | in_place)."""
import json
import threading
import time

from harness import SLOW

FAST = {"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0", "FAKE_SGLANG_ITL_MS": "100"}
JSON = {"Content-Type": "application/json"}
PAUSED = {"message": "Generation paused successfully.", "status": "ok"}
CONTINUED = {"message": "Generation continued successfully.", "status": "ok"}


def stream(engine, max_tokens):
    """Starts a streamed chat request in a thread; returns (thread, box) once it runs."""
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": True,
            "max_tokens": max_tokens, "ignore_eos": True}
    box = {}
    thread = threading.Thread(
        target=lambda: box.setdefault("r", engine.request("POST", "/v1/chat/completions", json.dumps(body), JSON,
                                                          timeout=60 * SLOW)), daemon=True)
    thread.start()
    wait_running(engine, 1)
    return thread, box


def wait_running(engine, n):
    deadline = time.monotonic() + 10 * SLOW
    while time.monotonic() < deadline:
        if engine.get_json("/get_load")[1][0]["num_reqs"] >= n:
            return
        time.sleep(0.02)
    raise AssertionError("the request never ran")


def finish_reasons(box):
    status, _, body = box["r"]
    assert status == 200
    out = []
    for line in body.decode().splitlines():
        if line.startswith("data: {"):
            out += [c["finish_reason"] for c in json.loads(line[6:])["choices"] if c.get("finish_reason")]
    return out


def test_flush_is_refused_while_a_request_runs_in_place(start_engine):
    engine = start_engine(env=FAST)
    thread, box = stream(engine, 20)
    assert engine.post_json("/pause_generation", {"mode": "in_place"}) == (200, PAUSED)
    status, _, text = engine.request("POST", "/flush_cache")
    assert status == 400 and text.startswith(b"Cache not flushed")
    assert engine.post_json("/continue_generation", {}) == (200, CONTINUED)
    thread.join(30 * SLOW)
    assert finish_reasons(box) == ["length"]
    status, _, text = engine.request("POST", "/flush_cache")
    assert status == 200 and text.startswith(b"Cache flushed.")


def test_retract_allows_the_flush_and_the_request_completes(start_engine):
    engine = start_engine(env=FAST)
    thread, box = stream(engine, 20)
    assert engine.post_json("/pause_generation", {"mode": "retract"}) == (200, PAUSED)
    assert engine.request("POST", "/flush_cache")[0] == 200
    assert engine.post_json("/continue_generation", {})[0] == 200
    thread.join(30 * SLOW)
    assert finish_reasons(box) == ["length"]


def test_abort_ends_running_requests_and_holds_new_ones(start_engine):
    engine = start_engine(env=FAST)
    thread, box = stream(engine, 20)
    assert engine.post_json("/pause_generation", {}) == (200, PAUSED)  # mode defaults to abort
    thread.join(30 * SLOW)
    assert finish_reasons(box) == ["abort"]
    assert engine.request("POST", "/flush_cache")[0] == 200
    late_box = {}
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2})
    later = threading.Thread(target=lambda: late_box.setdefault(
        "r", engine.request("POST", "/v1/chat/completions", body, JSON, timeout=60 * SLOW)), daemon=True)
    later.start()
    later.join(0.5)
    assert "r" not in late_box  # held until /continue_generation
    assert engine.post_json("/continue_generation", {})[0] == 200
    later.join(30 * SLOW)
    assert late_box["r"][0] == 200


def test_abort_request_abort_all_and_bad_modes(start_engine):
    engine = start_engine(env=FAST)
    thread, box = stream(engine, 20)
    status, _, text = engine.request("POST", "/abort_request", json.dumps({"rid": "", "abort_all": True}), JSON)
    assert status == 200 and text == b""
    thread.join(30 * SLOW)
    assert finish_reasons(box) == ["abort"]
    assert engine.post_json("/pause_generation", {"mode": "freeze"})[0] == 422
