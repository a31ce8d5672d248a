"""Limits and request smuggling at the front door, with raw sockets: 431 for big
heads, 413 for big bodies on buffered routes, 408 for slow heads (slowloris),
idle keep-alive timeout, connection cap, and the CL/TE framing attacks."""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frontdoor_helpers import MODEL, raw_connect, read_response, read_until_closed, request_bytes  # noqa: E402
from harness import SLOW  # noqa: E402

LIMITS = {"VLLM_SGLANG_HEADER_TIMEOUT": "1", "VLLM_SGLANG_IDLE_TIMEOUT": "1.5", "VLLM_SGLANG_MAX_BODY_BYTES": "2000",
          "VLLM_SGLANG_MAX_HEADER_BYTES": "8192"}


def first_answer(data):
    assert data.startswith(b"HTTP/1.1 "), data[:200]
    return int(data.split(b" ", 2)[1])


def test_size_and_time_limits(shim_factory, tmp_path):
    shim = shim_factory(env=LIMITS)

    s = raw_connect(shim.port)
    s.sendall(request_bytes("GET", "/v1/models", headers={"X-Big": "a" * 10000}))
    data, _ = read_until_closed(s)
    assert first_answer(data) == 431
    s.close()

    chat = json.dumps({"model": MODEL, "messages": [{"role": "user", "content": "x" * 5000}]}).encode()
    s = raw_connect(shim.port)
    s.sendall(request_bytes("POST", "/v1/chat/completions", chat, {"Content-Type": "application/json"}))
    status, _, body, _ = read_response(s)
    assert status == 413 and json.loads(body)["error"]["code"] == 413
    s.close()
    small = json.dumps({"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2}).encode()
    assert shim.post("/v1/chat/completions", small, headers={"Content-Type": "application/json"}).status == 200

    # Slowloris: half a head, then silence.
    s = raw_connect(shim.port)
    s.sendall(b"GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    start = time.monotonic()
    data, _ = read_until_closed(s, timeout=10)
    took = time.monotonic() - start
    s.close()
    assert first_answer(data) == 408 and 0.8 <= took < 1 + 3 * SLOW, took

    # Idle keep-alive connection: closed after the idle timeout, not before.
    s = raw_connect(shim.port)
    s.sendall(request_bytes("GET", "/health"))
    assert read_response(s)[0] == 200
    start = time.monotonic()
    data, _ = read_until_closed(s, timeout=10)
    took = time.monotonic() - start
    s.close()
    assert data == b"" and 1.3 <= took < 1.5 + 3 * SLOW, took


def test_connection_cap(shim_factory):
    shim = shim_factory(env={"VLLM_SGLANG_MAX_CONNECTIONS": "3"})
    held = [raw_connect(shim.port) for _ in range(3)]
    for s in held:  # each is served, so each is really open at the front door
        s.sendall(request_bytes("GET", "/health"))
        assert read_response(s)[0] == 200
    extra = raw_connect(shim.port)
    data, _ = read_until_closed(extra)
    extra.close()
    assert first_answer(data) == 503
    held.pop().close()
    deadline = time.monotonic() + 5 * SLOW
    while True:  # the freed slot is reusable once the shim has seen the close
        s = raw_connect(shim.port)
        s.sendall(request_bytes("GET", "/health"))
        try:
            status = read_response(s)[0]
        except ConnectionError:
            status = None
        s.close()
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status == 200
    for s in held:
        s.close()


SMUGGLED = b"GET /v1/models?smuggled=1 HTTP/1.1\r\nHost: x\r\n\r\n"


def send_raw(shim, raw):
    s = raw_connect(shim.port)
    s.sendall(raw)
    data, _ = read_until_closed(s, timeout=10)
    s.close()
    return data


def test_smuggling_content_length_with_transfer_encoding(shim_factory, tmp_path):
    record = tmp_path / "engine.jsonl"
    shim = shim_factory(env={"FAKE_SGLANG_RECORD": str(record)})
    body = b"0\r\n\r\n" + SMUGGLED
    data = send_raw(shim, b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n%s" % (len(body), body))
    # Rejected, or answered once and closed: never a second, smuggled answer.
    assert data.count(b"HTTP/1.1 ") <= 1
    if data:
        assert first_answer(data) == 400
    seen = [json.loads(line)["path"] for line in record.read_text().splitlines()]
    assert not any("smuggled" in path for path in seen), seen


def test_smuggling_chunked_twice_and_conflicting_lengths(shim_factory):
    shim = shim_factory()
    cases = [
        b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
        b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"
        b"\r\n0\r\n\r\n",
        b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}" + SMUGGLED,
        b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 40\r\n\r\n{}" + SMUGGLED,
    ]
    for raw in cases:
        data = send_raw(shim, raw)
        assert first_answer(data) == 400, (raw, data[:300])
        assert data.count(b"HTTP/1.1 ") == 1, data
