"""The front door's listener: --host as vLLM (uvicorn) takes it, IPv4 and IPv6,
wildcards, and one clear line when a port is taken."""

import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frontdoor_helpers import raw_connect, read_response, request_bytes, wait_for  # noqa: E402
from harness import SLOW, free_port_pair  # noqa: E402


def health_over(host, port):
    try:
        s = raw_connect(port, host=host, timeout=2)
    except OSError:
        return None
    try:
        s.sendall(request_bytes("GET", "/health"))
        return read_response(s)[0]
    except OSError:
        return None
    finally:
        s.close()


def test_ipv6_wildcard_serves_both_families(shim_factory):
    shim = shim_factory(args=["--host", "::"])  # ready means 127.0.0.1 answered 200
    assert health_over("::1", shim.port) == 200


def test_ipv4_wildcard(shim_factory):
    shim = shim_factory(args=["--host", "0.0.0.0"])
    assert health_over("127.0.0.1", shim.port) == 200
    assert health_over("::1", shim.port) is None  # IPv4 only, as uvicorn


def test_ipv6_loopback_only(shim_factory):
    shim = shim_factory(args=["--host", "::1"], wait=False)
    wait_for(lambda: health_over("::1", shim.port) == 200, 30, "/health 200 over ::1")
    assert health_over("127.0.0.1", shim.port) is None


def test_taken_port_fails_fast_with_one_clear_line(shim_factory):
    for taken_offset, hint in ((0, "cannot listen on"), (1, "VLLM_SGLANG_BACKEND_PORT")):
        port = free_port_pair()
        with socket.socket() as blocker:
            blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            blocker.bind(("127.0.0.1", port + taken_offset))
            blocker.listen()
            start = time.monotonic()
            shim = shim_factory(port=port, wait=False)
            code = shim.proc.wait(timeout=10 * SLOW)
            took = time.monotonic() - start
        logs = shim.logs()
        errors = [line for line in logs.splitlines() if line.startswith("ERROR")]
        assert code != 0 and took < 5 * SLOW, (code, took)
        assert len(errors) == 1 and hint in errors[0] and "Address already in use" in errors[0], logs
        assert str(port + taken_offset) in errors[0]
        assert "starting SGLang" not in logs
