"""Relaying through the front door: requests and responses unchanged except
hop-by-hop headers and X-Forwarded-For, keep-alive and pipelining, SSE chunk by
chunk, pooled upstream connections that outlive no keep-alive, admin routes
hidden, one log line per request without secrets."""

import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frontdoor_helpers import MODEL, raw_connect, read_response, request_bytes, stream_request  # noqa: E402
from harness import SLOW  # noqa: E402


def records(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_request_and_response_relayed_unchanged(shim_factory, tmp_path):
    record = tmp_path / "engine.jsonl"
    shim = shim_factory(env={"FAKE_SGLANG_RECORD": str(record)})
    body = b'{"text": "caf\\u00e9", "sampling_params": {"max_new_tokens": 2}}'
    s = raw_connect(shim.port)
    # Hop-by-hop headers (RFC 9110 §7.6.1), one named by Connection, and a
    # chunked body sent in pieces with pauses: streamed to SGLang, not lost.
    s.sendall(b"POST /inference/v1/generate?a=1&b=%20x HTTP/1.1\r\nHost: shim.example\r\nX-Custom: kept\r\n"
              b"Connection: keep-alive, X-Drop-Me\r\nX-Drop-Me: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
              b"Upgrade: h2c\r\nProxy-Authorization: Basic eA==\r\nX-Forwarded-For: 10.1.2.3\r\n"
              b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    for piece in (body[:10], body[10:30], body[30:]):
        s.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        time.sleep(0.05)
    s.sendall(b"0\r\n\r\n")
    status, headers, answer, _ = read_response(s)
    s.close()
    seen = [r for r in records(record) if r["path"].startswith("/inference/v1/generate")]
    assert len(seen) == 1
    seen = seen[0]
    assert seen["method"] == "POST" and seen["path"] == "/inference/v1/generate?a=1&b=%20x"
    assert seen["body"].encode() == body
    sent = seen["headers"]
    assert sent["host"] == "shim.example" and sent["x-custom"] == "kept"
    assert sent["content-type"] == "application/json"
    assert sent["x-forwarded-for"] == "10.1.2.3, 127.0.0.1"
    for hop in ("x-drop-me", "keep-alive", "te", "upgrade", "proxy-authorization"):
        assert hop not in sent, hop
    # The engine's answer (a 404 here: the stand-in has no /inference/v1/generate) comes back as it is.
    direct = [r for r in records(record) if r["path"] == "/inference/v1/generate?a=1&b=%20x"]
    assert direct and status == 404 and json.loads(answer) == {"detail": "Not Found"}
    assert headers["server"] == "uvicorn"

    via_shim = shim.get("/v1/messages/count_tokens?x=1")
    via_engine = shim.get("/v1/messages/count_tokens?x=1", port=shim.backend_port)
    assert via_shim.status == via_engine.status
    assert via_shim.body == via_engine.body
    assert via_shim.header("content-type") == via_engine.header("content-type")


def test_keep_alive_and_pipelining_answer_in_order(shim):
    s = raw_connect(shim.port)
    s.sendall(request_bytes("GET", "/health") + request_bytes("GET", "/v1/models") +
              request_bytes("POST", "/ping") + request_bytes("GET", "/nope-not-a-route"))
    leftover = b""
    answers = []
    for _ in range(4):
        s2 = _Buffered(s, leftover)
        status, headers, body, leftover = read_response(s2)
        answers.append((status, body))
    assert [a[0] for a in answers] == [200, 200, 200, 404]
    assert json.loads(answers[1][1])["data"][0]["id"] == MODEL
    # Still open for more.
    s.sendall(request_bytes("GET", "/health"))
    status, _, _, _ = read_response(_Buffered(s, leftover))
    assert status == 200
    s.close()


def test_chat_bodies_pipelined_split_or_behind_100_continue(shim_factory, tmp_path):
    """A chat body is read whole before it is rewritten: from the bytes already
    buffered (two pipelined requests in one write), across separate writes, and
    after 100 Continue."""
    record = tmp_path / "engine.jsonl"
    shim = shim_factory(env={"FAKE_SGLANG_RECORD": str(record)})

    def chat(word):
        body = json.dumps({"model": MODEL, "messages": [{"role": "user", "content": word}], "max_tokens": 2,
                           "logprobs": False}).encode()
        return body, request_bytes("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})

    s = raw_connect(shim.port)
    s.sendall(chat("first")[1] + chat("second")[1])
    leftover = b""
    for _ in range(2):
        status, _, body, leftover = read_response(_Buffered(s, leftover))
        assert status == 200, body
    # Head and half the body now, the rest after a pause.
    body, whole = chat("third")
    split = len(whole) - len(body) // 2
    s.sendall(whole[:split])
    time.sleep(0.1)
    s.sendall(whole[split:])
    status, _, answer, leftover = read_response(_Buffered(s, leftover))
    assert status == 200, answer
    # Expect: 100-continue, body withheld until the interim answer arrives.
    body, _ = chat("fourth")
    s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
    s.settimeout(5 * SLOW)
    interim = s.recv(4096)
    assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"), interim
    s.sendall(body)
    status, _, answer, _ = read_response(_Buffered(s, interim[len(b"HTTP/1.1 100 Continue\r\n\r\n"):]))
    assert status == 200, answer
    s.close()
    deadline = time.monotonic() + 5 * SLOW
    while time.monotonic() < deadline:
        chats = [r for r in records(record) if r["path"] == "/v1/chat/completions"] if record.exists() else []
        if len(chats) >= 4:
            break
        time.sleep(0.05)
    sent = [json.loads(r["body"]) for r in chats]
    assert [b["messages"][0]["content"] for b in sent] == ["first", "second", "third", "fourth"]
    assert all("logprobs" not in b for b in sent)  # rewritten, whichever way the body arrived


class _Buffered:
    """A socket whose first recv returns bytes already read past a response."""

    def __init__(self, sock, pending):
        self.sock = sock
        self.pending = pending

    def settimeout(self, t):
        self.sock.settimeout(t)

    def recv(self, n):
        if self.pending:
            data, self.pending = self.pending, b""
            return data
        return self.sock.recv(n)


def test_sse_chunks_arrive_as_the_engine_emits_them(shim_factory):
    shim = shim_factory(env={"FAKE_SGLANG_ITL_MS": "200", "FAKE_SGLANG_TTFT_MS": "0"})
    s = raw_connect(shim.port)
    s.sendall(stream_request(max_tokens=6))
    s.settimeout(10 * SLOW)
    arrivals = []
    data = b""
    while not data.endswith(b"0\r\n\r\n"):
        chunk = s.recv(65536)
        assert chunk, data
        data += chunk
        arrivals += [time.monotonic()] * chunk.count(b"data: ")
    s.close()
    assert b"data: [DONE]" in data
    tokens = arrivals[:6]
    gaps = [b - a for a, b in zip(tokens, tokens[1:])]
    # Each token arrives on its own, about 200 ms after the previous one; a
    # buffering relay would deliver them together at the end.
    assert len(tokens) == 6 and all(gap > 0.1 for gap in gaps), gaps


def test_pooled_upstream_connection_survives_6s_idle(shim_factory):
    # SGLang (uvicorn) closes idle keep-alive connections after 5 s; the stand-in does too.
    shim = shim_factory()
    body = {"model": MODEL, "prompt": "hi", "max_tokens": 2}
    assert shim.post("/v1/completions", body).status == 200
    time.sleep(6)
    for _ in range(3):
        assert shim.post("/v1/completions", body).status == 200
    assert "SGLang failed" not in shim.logs() and "closed the connection" not in shim.logs()


def test_admin_routes_hidden_unless_exposed(shim_factory):
    hidden = shim_factory()
    for path in ("/flush_cache", "/server_info", "/hicache/storage-backend", "/start_profile"):
        r = hidden.post(path, {})
        assert r.status == 404 and r.json() == {"detail": "Not Found"}, (path, r.status)
    exposed = shim_factory(env={"VLLM_SGLANG_EXPOSE_ADMIN": "1"})
    # (/server_info is vLLM's own dev-mode route, gated elsewhere; /flush_cache is SGLang-only.)
    r = exposed.post("/flush_cache", {})
    assert r.status == 200, (r.status, r.body)


def test_one_log_line_per_request_and_no_secrets(shim_factory):
    secret = "sk-t4-very-secret-value"
    shim = shim_factory(args=["--api-key", secret], env={"VLLM_SGLANG_LOG_LEVEL": "debug"})
    auth = {"Authorization": "Bearer " + secret}
    for _ in range(3):
        assert shim.get("/v1/models?token=" + secret, headers=auth).status == 200
    assert shim.get("/v1/models").status == 401
    # The access line is written after the answer is sent: wait for the fourth.
    deadline = time.monotonic() + 5 * SLOW
    while True:
        logs = shim.logs()
        lines = [line for line in logs.splitlines() if re.search(r'"GET /v1/models" \d{3}', line)]
        if len(lines) >= 4 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(lines) == 4, logs[-3000:]
    assert sum('" 200 ' in line for line in lines) == 3 and sum('" 401 ' in line for line in lines) == 1
    assert secret not in logs
