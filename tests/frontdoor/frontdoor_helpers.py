"""Helpers of the front door's black-box tests: raw sockets, SSE streams, the
stand-in's own counters and the scripted engine."""

import json
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness import SLOW  # noqa: E402

HERE = Path(__file__).resolve().parent
SCRIPTED_ENGINE = HERE / "scripted_engine.py"
MODEL = "Qwen/Qwen2.5-0.5B-Instruct"


def raw_connect(port, host="127.0.0.1", timeout=10.0):
    s = socket.create_connection((host, port), timeout=timeout * SLOW)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_until_closed(s, timeout=10.0):
    """Everything the peer sends until it closes (or resets) the connection."""
    s.settimeout(timeout * SLOW)
    data = b""
    deadline = time.monotonic() + timeout * SLOW
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return data, "reset"
        if not chunk:
            return data, "closed"
        data += chunk
    raise AssertionError("connection still open after %ss; got %r" % (timeout, data[:400]))


def read_response(s, timeout=10.0):
    """One HTTP/1.1 response (Content-Length or chunked body) from a raw socket.
    Returns (status, headers dict lower-cased, body bytes, leftover bytes)."""
    s.settimeout(timeout * SLOW)
    buf = b""

    def more():
        nonlocal buf
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed mid-response; got %r" % buf[:400])
        buf += chunk

    while b"\r\n\r\n" not in buf:
        more()
    head, buf = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, value = line.split(":", 1)
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        n = int(headers["content-length"])
        while len(buf) < n:
            more()
        return status, headers, buf[:n], buf[n:]
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            while b"\r\n" not in buf:
                more()
            size_line, buf = buf.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            while len(buf) < size + 2:
                more()
            body += buf[:size]
            buf = buf[size + 2:]
            if size == 0:
                return status, headers, body, buf
    return status, headers, b"", buf


def request_bytes(method, path, body=b"", headers=None):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: localhost"]
    for name, value in (headers or {}).items():
        lines.append("%s: %s" % (name, value))
    if body or method in ("POST", "PUT"):
        lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def stream_request(max_tokens, path="/v1/completions"):
    body = json.dumps({"model": MODEL, "prompt": "once upon a time", "max_tokens": max_tokens, "stream": True,
                       "ignore_eos": True}).encode()
    return request_bytes("POST", path, body, {"Content-Type": "application/json"})


def engine_metric(port, name):
    """Sum of a metric on the stand-in's own /metrics (not the shim's)."""
    s = raw_connect(port)
    try:
        s.sendall(request_bytes("GET", "/metrics", headers={"Connection": "close"}))
        status, _, body, _ = read_response(s)
    finally:
        s.close()
    assert status == 200, status
    total = 0.0
    for line in body.decode().splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(" ", 1)[1])
    return total


def wait_for(predicate, timeout, what, step=0.02):
    deadline = time.monotonic() + timeout * SLOW
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out after %.1fs waiting for %s" % (timeout * SLOW, what))


def health_status(shim):
    try:
        return shim.get("/health", timeout=2.0).status
    except OSError:
        return None


class ScriptedEngine:
    """Control and request log of scripted_engine.py, started by the shim."""

    def __init__(self, tmp_path, **state):
        self.control = tmp_path / "engine-control.json"
        self.log = tmp_path / "engine-requests.jsonl"
        self.set(**{"health": 200, "models": 200, "listen": True, **state})

    def env(self):
        return {"VLLM_SGLANG_LAUNCHER": "/usr/bin/python3 %s" % SCRIPTED_ENGINE,
                "SCRIPTED_ENGINE_CONTROL": str(self.control), "SCRIPTED_ENGINE_LOG": str(self.log)}

    def set(self, **state):
        current = {}
        if self.control.exists():
            current = json.loads(self.control.read_text())
        current.update(state)
        tmp = self.control.with_suffix(".tmp")
        tmp.write_text(json.dumps(current))
        tmp.replace(self.control)

    def requests(self, path=None):
        if not self.log.exists():
            return []
        entries = [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]
        return [e for e in entries if path is None or e["path"] == path]
