"""Stream lifecycles through the front door: client disconnects abort the
generation in SGLang at once, SGLang failures reach the client as cut
connections or 503s, SIGTERM drains, and the shim exits with SGLang's status."""

import json
import selectors
import signal
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frontdoor_helpers import (ScriptedEngine, engine_metric, raw_connect, read_until_closed,  # noqa: E402
                               request_bytes, stream_request, wait_for)
from harness import SANITIZED, SLOW, tree_pids  # noqa: E402

ABORTED = "sglang:num_aborted_requests_total"


def read_until(s, marker, timeout=10.0):
    s.settimeout(timeout * SLOW)
    data = b""
    while marker not in data:
        chunk = s.recv(65536)
        assert chunk, "closed before %r; got %r" % (marker, data[:400])
        data += chunk
    return data


def abort_latency(shim, pipelined):
    s = raw_connect(shim.port)
    s.sendall(stream_request(max_tokens=400))
    read_until(s, b"data: ")
    if pipelined:
        # A second request sent while the stream runs (so it is not read with the
        # first): the disconnect behind it must still be seen.
        s.sendall(request_bytes("GET", "/health"))
        time.sleep(0.05)
    before = engine_metric(shim.backend_port, ABORTED)
    # FIN first, as a client that read everything sends (closing with unread
    # bytes would send a reset, which is noticed by other means).
    s.shutdown(socket.SHUT_WR)
    s.close()
    start = time.monotonic()
    wait_for(lambda: engine_metric(shim.backend_port, ABORTED) > before, 5, "the stand-in to count the abort",
             step=0.001)
    return time.monotonic() - start


def test_client_disconnect_mid_stream_aborts_within_100ms(shim_factory):
    # Tokens 400 ms apart: a disconnect noticed only by a failed write to the
    # client would take one to two token intervals.
    shim = shim_factory(env={"FAKE_SGLANG_ITL_MS": "400"})
    # Issue 4: 100 ms for the optimised build; sanitizers slow every hop.
    limit = 0.3 if SANITIZED else 0.1
    assert abort_latency(shim, pipelined=False) < limit
    assert abort_latency(shim, pipelined=True) < limit


def test_sigterm_during_50_streams_lets_them_finish_and_exits_0(shim_factory):
    shim = shim_factory(env={"FAKE_SGLANG_ITL_MS": "25", "VLLM_SGLANG_DRAIN_DELAY": "0.5"})
    streams = [raw_connect(shim.port) for _ in range(50)]
    for s in streams:
        s.sendall(stream_request(max_tokens=int(40 * SLOW)))
    for s in streams:
        read_until(s, b"data: ")
    shim.proc.send_signal(signal.SIGTERM)
    # /health turns 503 at once (once the signal is handled) while the listener
    # still accepts for the drain delay.
    wait_for(lambda: shim.get("/health").status == 503, 0.4, "/health 503 after SIGTERM", step=0.01)
    selector = selectors.DefaultSelector()
    bodies = {}
    for s in streams:
        s.setblocking(False)
        selector.register(s, selectors.EVENT_READ)
        bodies[s] = b""
    open_streams = set(streams)
    deadline = time.monotonic() + 30 * SLOW
    while open_streams and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.5):
            try:
                chunk = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            except ConnectionResetError:
                chunk = b""
            bodies[key.fileobj] += chunk
            if not chunk:
                selector.unregister(key.fileobj)
                open_streams.discard(key.fileobj)
    assert not open_streams, "%d streams still open" % len(open_streams)
    for s, body in bodies.items():
        assert b"data: [DONE]" in body and body.endswith(b"0\r\n\r\n"), body[-200:]
        s.close()
    assert shim.proc.wait(timeout=30 * SLOW) == 0, shim.logs()


def test_engine_crash_makes_the_shim_exit_with_its_status(shim_factory):
    shim = shim_factory(env={"FAKE_SGLANG_CRASH_AFTER": "1"})
    body = {"model": "Qwen/Qwen2.5-0.5B-Instruct", "prompt": "hi", "max_tokens": 2}
    try:
        # The stand-in exits right after answering; the answer and its exit race.
        shim.post("/v1/completions", body)
    except OSError:
        pass
    assert shim.proc.wait(timeout=20 * SLOW) == 1, shim.logs()


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def test_engine_dies_with_a_sigkilled_shim(shim_factory):
    # The OOM killer's SIGKILL gives the shim no chance to stop SGLang: the
    # kernel must (a parent-death signal), or SGLang keeps the GPU and the port.
    shim = shim_factory()
    engine_pids = tree_pids(shim.proc.pid) - {shim.proc.pid}
    assert engine_pids, "no engine process found"
    shim.proc.kill()
    shim.proc.wait(timeout=10)
    wait_for(lambda: not any(_alive(pid) for pid in engine_pids), 5, "the engine to die with the shim")

    def port_free():
        with socket.socket() as probe:
            # As uvicorn binds: connections in TIME_WAIT do not hold the port.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", shim.backend_port))
                return True
            except OSError:
                return False

    wait_for(port_free, 5, "SGLang's port to be free")


def test_engine_exit_status_is_passed_through(shim_factory, tmp_path):
    engine = ScriptedEngine(tmp_path)
    shim = shim_factory(env=engine.env())
    engine.set(exit=7)
    assert shim.proc.wait(timeout=20 * SLOW) == 7, shim.logs()


def test_engine_failing_mid_stream_cuts_the_client_connection(shim_factory):
    shim = shim_factory(env={"FAKE_SGLANG_CRASH_MID_STREAM": "3", "FAKE_SGLANG_ITL_MS": "10"})
    s = raw_connect(shim.port)
    s.sendall(stream_request(max_tokens=50))
    data, how = read_until_closed(s, timeout=15)
    s.close()
    assert data.startswith(b"HTTP/1.1 200"), data[:200]
    assert b"data: " in data
    # Not a clean chunked end: the client must be able to tell the answer is incomplete.
    assert b"[DONE]" not in data
    assert not data.endswith(b"0\r\n\r\n"), (how, data[-100:])


def test_engine_unreachable_gives_503_at_once(shim_factory, tmp_path):
    engine = ScriptedEngine(tmp_path)
    shim = shim_factory(env={**engine.env(), "VLLM_SGLANG_HEALTH_INTERVAL": "30"})
    engine.set(listen=False)

    def refused():
        try:
            socket.create_connection(("127.0.0.1", shim.backend_port), timeout=1).close()
            return False
        except ConnectionRefusedError:
            return True
        except OSError:  # e.g. reset while the listener closes
            return False

    wait_for(refused, 10, "the engine to stop listening")
    start = time.monotonic()
    r = shim.post("/v1/completions", {"model": "Qwen/Qwen2.5-0.5B-Instruct", "prompt": "hi", "max_tokens": 2})
    assert time.monotonic() - start < 1.0 * SLOW
    assert r.status == 503
    error = json.loads(r.body)["error"]
    assert error["code"] == 503 and error["message"], error


def test_drain_stops_accepting_after_the_delay_and_cuts_streams_at_the_timeout(shim_factory):
    shim = shim_factory(env={"FAKE_SGLANG_ITL_MS": "100", "VLLM_SGLANG_DRAIN_DELAY": "0.5",
                             "VLLM_SGLANG_DRAIN_TIMEOUT": "2"})
    s = raw_connect(shim.port)
    s.sendall(stream_request(max_tokens=300))  # 30 s: outlives the drain timeout
    read_until(s, b"data: ")
    start = time.monotonic()
    shim.proc.send_signal(signal.SIGTERM)
    # Accepted during the delay, but not ready.
    wait_for(lambda: shim.get("/health").status == 503, 0.4, "/health 503 after SIGTERM", step=0.01)

    def refused():
        try:
            socket.create_connection(("127.0.0.1", shim.port), timeout=1).close()
            return False
        except ConnectionRefusedError:
            return True
        except socket.timeout:
            # While the listener closes its SYNs are dropped; the client's
            # retry a second later is refused.
            return False

    wait_for(refused, 5, "the listener to close after the drain delay", step=0.01)
    assert time.monotonic() - start >= 0.45
    data, _ = read_until_closed(s, timeout=10)
    s.close()
    cut_after = time.monotonic() - start
    assert 1.8 <= cut_after < 2 + 3 * SLOW, cut_after
    assert not data.endswith(b"0\r\n\r\n")
    # Not a clean drain: the exit status says so.
    assert shim.proc.wait(timeout=20 * SLOW) != 0
