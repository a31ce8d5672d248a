"""No request is lost at the end of the drain, and a hung engine is bounded
(issue 13 items 5 and 6).

At the end of the drain delay the front door stops new handshakes, takes every
connection the kernel already established (they would be reset by the
listener's close), closes the listener, and closes a kept-alive connection only
when nothing of a next request has arrived, read or not."""

import json
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frontdoor_helpers import (MODEL, raw_connect, read_response, read_until_closed, request_bytes,  # noqa: E402
                               stream_request, wait_for)
from harness import SLOW  # noqa: E402

MODELS = request_bytes("GET", "/v1/models")


def answered(s):
    """(status, connection header) of one response, or raises on a cut connection."""
    status, headers, _, _ = read_response(s, timeout=15)
    return status, headers.get("connection", "")


def test_requests_sent_while_the_shim_cannot_run_are_all_answered_across_the_listener_close(shim_factory):
    # The shim is stopped (SIGSTOP) across the end of its drain delay while
    # clients connect (the kernel completes their handshakes) and send requests,
    # new ones and on kept-alive connections: when it runs again the drain
    # timer, the queued connections and the unread requests are all due at once.
    shim = shim_factory(env={"VLLM_SGLANG_DRAIN_DELAY": "1", "VLLM_SGLANG_DRAIN_TIMEOUT": "30"})
    kept = []
    for _ in range(10):
        s = raw_connect(shim.port)
        s.sendall(MODELS)
        assert answered(s)[0] == 200
        kept.append(s)
    shim.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    os.kill(shim.proc.pid, signal.SIGSTOP)
    try:
        time.sleep(1.5)  # the drain delay ends while the shim is stopped
        fresh = []
        for _ in range(20):
            s = raw_connect(shim.port)
            s.sendall(MODELS)
            fresh.append(s)
        for s in kept:
            s.sendall(MODELS)
    finally:
        os.kill(shim.proc.pid, signal.SIGCONT)
    for s in kept + fresh:
        status, connection = answered(s)
        assert status in (200, 503), status
        assert connection.lower() == "close"
        s.close()
    assert shim.proc.wait(timeout=30 * SLOW) == 0


def test_requests_from_a_second_before_to_a_second_after_the_listener_closes_are_never_lost(shim_factory):
    delay = 1.5
    shim = shim_factory(env={"VLLM_SGLANG_DRAIN_DELAY": str(delay), "VLLM_SGLANG_DRAIN_TIMEOUT": "30"})
    counts = {"answered": 0, "refused": 0, "lost": 0}
    lost = []
    lock = threading.Lock()
    stop = threading.Event()

    def count(kind, detail=None):
        with lock:
            counts[kind] += 1
            if detail:
                lost.append(detail)

    def connect():
        """A new connection, or None (counted) when the shim no longer accepts."""
        try:
            return socket.create_connection(("127.0.0.1", shim.port), timeout=5 * SLOW)
        except (ConnectionRefusedError, socket.timeout):
            count("refused")
            time.sleep(0.01)
            return None

    def new_connections():
        while not stop.is_set():
            s = connect()
            if s is None:
                continue
            try:
                s.sendall(MODELS)
                answered(s)
                count("answered")
            except (OSError, ConnectionError) as e:
                count("lost", repr(e))
            finally:
                s.close()

    def kept_alive():
        s = None
        while not stop.is_set():
            if s is None:
                s = connect()
                if s is None:
                    continue
            try:
                s.sendall(MODELS)
                _, connection = answered(s)
                count("answered")
                if connection.lower() == "close":
                    s.close()
                    s = None
            except (OSError, ConnectionError) as e:
                count("lost", repr(e))
                s.close()
                s = None
        if s is not None:
            s.close()

    threads = [threading.Thread(target=new_connections) for _ in range(3)]
    threads += [threading.Thread(target=kept_alive) for _ in range(3)]
    shim.proc.send_signal(signal.SIGTERM)
    start = time.monotonic()
    time.sleep(delay - 1.0)
    for t in threads:
        t.start()
    time.sleep(2.2)  # from one second before the listener closes to one second after
    stop.set()
    for t in threads:
        t.join(timeout=30 * SLOW)
    assert counts["lost"] == 0, (counts, lost[:5])
    assert counts["answered"] > 20, counts
    assert counts["refused"] > 0, counts  # the listener did close inside the window
    assert time.monotonic() - start < 10 * SLOW
    assert shim.proc.wait(timeout=30 * SLOW) == 0


def test_hung_engine_gets_vllms_504_after_the_response_timeout(shim_factory):
    shim = shim_factory(env={"FAKE_SGLANG_HANG": "1", "VLLM_SGLANG_RESPONSE_TIMEOUT": "1"})
    start = time.monotonic()
    r = shim.post("/v1/chat/completions", {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]},
                  timeout=30)
    took = time.monotonic() - start
    assert r.status == 504, (r.status, r.body)
    error = r.json()["error"]
    assert error["code"] == 504 and error["message"], error
    assert 0.9 <= took < 5 * SLOW, took
    assert "did not respond" in shim.logs()
    # The shim's own counter of engine failures saw it.
    text = shim.get("/metrics").body.decode()
    line = [x for x in text.splitlines() if x.startswith("vllm_sglang_shim_upstream_errors_total")]
    assert line and float(line[0].split()[-1]) >= 1, line


def test_engine_silent_mid_stream_is_cut_after_the_stream_timeout(shim_factory):
    shim = shim_factory(env={"FAKE_SGLANG_ITL_MS": "4000", "VLLM_SGLANG_STREAM_TIMEOUT": "1"})
    s = raw_connect(shim.port)
    start = time.monotonic()
    s.sendall(stream_request(max_tokens=5))
    data, how = read_until_closed(s, timeout=20)
    took = time.monotonic() - start
    assert b"HTTP/1.1 200" in data and b"data: " in data
    assert not data.endswith(b"0\r\n\r\n"), "the cut stream must not look complete"
    assert how == "reset"
    assert 0.9 <= took < 3.5 * SLOW, took


def test_without_timeouts_a_slow_engine_is_waited_for(shim_factory):
    shim = shim_factory(env={"FAKE_SGLANG_TTFT_MS": "1500", "VLLM_SGLANG_RESPONSE_TIMEOUT": "0",
                             "VLLM_SGLANG_STREAM_TIMEOUT": "0"})
    r = shim.post("/v1/completions", {"model": MODEL, "prompt": "x", "max_tokens": 2}, timeout=30)
    assert r.status == 200
    assert json.loads(r.body)["choices"]
