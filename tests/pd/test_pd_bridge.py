"""Disaggregated prefill through the shim (issue 15): production-stack's router legs, as
production-stack @a6c01db0 src/vllm_router/services/request_service/request.py sends them,
against two shims fronting the stand-in's SGLang PD mode (docs/stand-in.md).

The router awaits the prefill leg's JSON before it sends the decode leg; an SGLang prefill holds
its request until the decode server for the same room connects. A shim that forwarded the
prefill leg as it came would hang until SGLang's bootstrap timeout, which these tests set to
60 s: every test here finishes in a second or two.

Each prefill shim listens on 0.0.0.0 and names POD_IP=127.0.0.2 as its pod address, so the
decode stand-in reaches the prefill stand-in's bootstrap listener (bound, as SGLang binds it, to
SGLang's loopback --host) only through the shim's relay on 127.0.0.2."""

import http.client
import json
import re
import socket
import threading
import time
import uuid

import pytest

from endpoints_helpers import VLLM_ERROR_KEYS, recorded, recording_shim
from harness import DEFAULT_MODEL, SLOW, free_port_pair

POD_IP = "127.0.0.2"
PREFILL_CONFIG = json.dumps({"kv_connector": "NixlConnector", "kv_role": "kv_producer"})
DECODE_CONFIG = json.dumps({"kv_connector": "NixlConnector", "kv_role": "kv_consumer"})
SGLANG_ENV = {"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0",
              "SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT": "60",
              "SGLANG_DISAGGREGATION_WAITING_TIMEOUT": "60"}
PREFILL_TIMEOUT_S = 1  # VLLM_SGLANG_PD_PREFILL_TIMEOUT: far below SGLang's 60 s here
ROUTES = ["/v1/chat/completions", "/v1/completions"]


def free_bootstrap_port():
    """A port free on both 127.0.0.1 (SGLang's listener) and 127.0.0.2 (the relay)."""
    return free_port_pair()


def prefill_shim(module_shims, tmp_path_factory, extra_env=None, args=()):
    port = free_bootstrap_port()
    env = dict(SGLANG_ENV, POD_IP=POD_IP, VLLM_SGLANG_PD_BOOTSTRAP_PORT=str(port),
               VLLM_SGLANG_PD_PREFILL_TIMEOUT=str(PREFILL_TIMEOUT_S), **(extra_env or {}))
    shim = recording_shim(module_shims, tmp_path_factory, env=env,
                          args=["--host", "0.0.0.0", "--kv-transfer-config", PREFILL_CONFIG, *args])
    shim.bootstrap_port = port
    return shim


def decode_shim(module_shims, tmp_path_factory, prefill=None):
    env = dict(SGLANG_ENV)
    if prefill is not None:  # the chart's non-orchestrated routing: the decode names its prefill
        env.update(VLLM_SGLANG_PD_PREFILL_HOST=POD_IP, VLLM_SGLANG_PD_BOOTSTRAP_PORT=str(prefill.bootstrap_port))
    return recording_shim(module_shims, tmp_path_factory, env=env, args=["--kv-transfer-config", DECODE_CONFIG])


@pytest.fixture(scope="module")
def pair(module_shims, tmp_path_factory):
    prefill = prefill_shim(module_shims, tmp_path_factory)
    return prefill, decode_shim(module_shims, tmp_path_factory)


@pytest.fixture(scope="module")
def helm_pair(module_shims, tmp_path_factory):
    prefill = prefill_shim(module_shims, tmp_path_factory)
    return prefill, decode_shim(module_shims, tmp_path_factory, prefill=prefill)


def post(host, port, path, body, headers):
    """(status, parsed JSON or SSE payloads, seconds) over a fresh connection."""
    started = time.monotonic()
    conn = http.client.HTTPConnection(host, port, timeout=30 * SLOW)
    try:
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json", **headers})
        r = conn.getresponse()
        data = r.read()
        content_type = r.getheader("Content-Type", "")
    finally:
        conn.close()
    elapsed = time.monotonic() - started
    if content_type.startswith("text/event-stream"):
        events = [line[6:] for line in data.decode().splitlines() if line.startswith("data: ")]
        return r.status, [e if e == "[DONE]" else json.loads(e) for e in events], elapsed
    return r.status, json.loads(data), elapsed


def client_body(path, stream):
    body = {"model": DEFAULT_MODEL, "max_tokens": 5, "stream": stream, "min_tokens": 2}
    if stream:
        body["stream_options"] = {"include_usage": True}
    if path == "/v1/chat/completions":
        body["messages"] = [{"role": "user", "content": "tell me about rooms"}]
    else:
        body["prompt"] = "tell me about rooms"
    return body


def orchestrated(prefill, decode, path, body, request_id):
    """route_orchestrated_disaggregated_request: prefill leg with kv_transfer_params, await its
    JSON, then the decode leg with the answer's kv_transfer_params and remote_host set to the
    prefill URL's host."""
    leg = dict(body, max_tokens=1, stream=False)
    if "max_completion_tokens" in leg:
        leg["max_completion_tokens"] = 1
    leg.pop("stream_options", None)
    leg["kv_transfer_params"] = {"do_remote_decode": True, "do_remote_prefill": False, "remote_engine_id": None,
                                 "remote_block_ids": None, "remote_host": None, "remote_port": None}
    p_status, p_answer, p_time = post(POD_IP, prefill.port, path, leg, {"X-Request-Id": request_id})
    assert p_status == 200, p_answer
    params = dict(p_answer["kv_transfer_params"], remote_host=POD_IP)
    d_status, d_answer, d_time = post("127.0.0.1", decode.port, path, dict(body, kv_transfer_params=params),
                                      {"X-Request-Id": request_id})
    return p_answer, (d_status, d_answer), p_time + d_time


def non_orchestrated(prefill, decode, path, body, request_id):
    """route_disaggregated_prefill_request: send_request_to_prefiller, then send_request_to_decode,
    both with the same X-Request-Id."""
    leg = dict(body, max_tokens=1, stream=False)
    leg.pop("min_tokens", None)
    leg.pop("stream_options", None)
    headers = {"Authorization": "Bearer None", "X-Request-Id": request_id}
    p_status, p_answer, p_time = post(POD_IP, prefill.port, path, leg, headers)
    assert p_status == 200, p_answer
    d_status, d_answer, d_time = post("127.0.0.1", decode.port, path, body, headers)
    return p_answer, (d_status, d_answer), p_time + d_time


def generated(path, answer):
    if isinstance(answer, list):
        text = ""
        for event in answer:
            if event == "[DONE]":
                continue
            for choice in event["choices"]:
                text += (choice["delta"].get("content") or "") if path.endswith("chat/completions") else choice["text"]
        return text
    choice = answer["choices"][0]
    return choice["message"]["content"] if path.endswith("chat/completions") else choice["text"]


def engine_requests(shim, path):
    """Bodies SGLang got on `path` (a prefill leg is the front door's own call to SGLang)."""
    return [json.loads(r["body"]) for r in recorded(shim.record) if r["route_path"] == path and r["body"]]


def engine_gauge(shim, name):
    """A gauge of the stand-in behind `shim` (SGLang's own /metrics, on the backend port)."""
    conn = http.client.HTTPConnection("127.0.0.1", shim.port + 1, timeout=5 * SLOW)
    try:
        conn.request("GET", "/metrics")
        text = conn.getresponse().read().decode()
    finally:
        conn.close()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name + "{"))


def wait_for(predicate, what, seconds=10):
    deadline = time.monotonic() + seconds * SLOW
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("stream", [False, True])
def test_orchestrated_legs_complete_at_once(pair, path, stream):
    prefill, decode = pair
    rid = str(uuid.uuid4())
    p_answer, (status, answer), seconds = orchestrated(prefill, decode, path, client_body(path, stream), rid)
    assert status == 200, answer
    assert seconds < 5, seconds  # SGLang's own timeout is 60 s
    assert len(generated(path, answer).split()) == 5
    if stream:
        assert answer[-1] == "[DONE]"
    # The prefill's answer is vLLM's shape and names this pod's bootstrap listener.
    assert p_answer["object"] == ("chat.completion" if path.endswith("chat/completions") else "text_completion")
    assert p_answer["choices"][0]["finish_reason"] == "length"
    params = p_answer["kv_transfer_params"]
    assert params["remote_host"] == POD_IP and params["remote_port"] == prefill.bootstrap_port
    room = params["bootstrap_room"]
    # Both SGLang servers got the same room; neither got vLLM's kv_transfer_params.
    wait_for(lambda: any(b.get("bootstrap_room") == room for b in engine_requests(prefill, path)), "prefill leg")
    p_sent = [b for b in engine_requests(prefill, path) if b.get("bootstrap_room") == room][-1]
    d_sent = [b for b in engine_requests(decode, path) if b.get("bootstrap_room") == room][-1]
    assert "kv_transfer_params" not in p_sent and "kv_transfer_params" not in d_sent
    assert (d_sent["bootstrap_host"], d_sent["bootstrap_port"]) == (POD_IP, prefill.bootstrap_port)
    assert d_sent["stream"] is stream


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("stream", [False, True])
def test_helm_routing_pairs_the_legs_by_request_id(helm_pair, path, stream):
    prefill, decode = helm_pair
    rid = str(uuid.uuid4())
    _, (status, answer), seconds = non_orchestrated(prefill, decode, path, client_body(path, stream), rid)
    assert status == 200, answer
    assert seconds < 5, seconds
    assert len(generated(path, answer).split()) == 5
    d_sent = [b for b in engine_requests(decode, path) if "bootstrap_room" in b][-1]
    wait_for(lambda: any(b.get("bootstrap_room") == d_sent["bootstrap_room"] for b in engine_requests(prefill, path)),
             "the prefill leg in the same room")


def test_two_prefills_two_decodes_keep_their_rooms_apart(module_shims, tmp_path_factory):
    prefills = [prefill_shim(module_shims, tmp_path_factory) for _ in range(2)]
    decodes = [decode_shim(module_shims, tmp_path_factory) for _ in range(2)]
    results = {}

    def one(i):
        path = ROUTES[i % 2]
        results[i] = orchestrated(prefills[i % 2], decodes[(i // 2) % 2], path, client_body(path, i % 3 == 0),
                                  "rr-%d" % i)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(30 * SLOW)
    assert len(results) == 8
    assert time.monotonic() - started < 10
    rooms = set()
    for i, (p_answer, (status, answer), _) in results.items():
        assert status == 200, answer
        assert len(generated(ROUTES[i % 2], answer).split()) == 5
        rooms.add(p_answer["kv_transfer_params"]["bootstrap_room"])
    assert len(rooms) == 8


def test_a_prefill_whose_decode_never_comes_is_dropped_long_before_sglangs_timeout(pair):
    prefill, _ = pair
    path = "/v1/completions"
    leg = dict(client_body(path, False), max_tokens=1,
               kv_transfer_params={"do_remote_decode": True, "do_remote_prefill": False})
    status, answer, seconds = post(POD_IP, prefill.port, path, leg, {"X-Request-Id": "lonely"})
    assert status == 200 and seconds < 1, (status, seconds)
    room = answer["kv_transfer_params"]["bootstrap_room"]
    # The shim hangs up on SGLang after VLLM_SGLANG_PD_PREFILL_TIMEOUT; SGLang then drops the request.
    started = time.monotonic()
    wait_for(lambda: "PD prefill for room %d" % room in prefill.logs(), "the shim gave the prefill up", seconds=10)
    assert time.monotonic() - started < PREFILL_TIMEOUT_S + 5
    # ... and SGLang holds no KV for it: its bootstrap queue is empty again.
    wait_for(lambda: engine_gauge(prefill, "sglang:num_prefill_prealloc_queue_reqs") == 0, "SGLang kept the prefill")


def test_a_client_that_leaves_during_the_decode_frees_sglangs_decode_request(pair):
    # A decode leg whose KV never comes waits in SGLang's transfer queue; the client hanging up
    # must take it out (the shim closes its SGLang connection and SGLang aborts the request).
    prefill, decode = pair
    params = {"do_remote_prefill": True, "remote_host": POD_IP, "remote_port": prefill.bootstrap_port,
              "remote_engine_id": "777", "bootstrap_room": 777}
    body = dict(client_body("/v1/completions", True), kv_transfer_params=params)
    queue = "sglang:num_decode_transfer_queue_reqs"
    conn = http.client.HTTPConnection("127.0.0.1", decode.port, timeout=30 * SLOW)
    conn.request("POST", "/v1/completions", json.dumps(body), {"Content-Type": "application/json"})
    wait_for(lambda: engine_gauge(decode, queue) == 1, "the decode leg reached SGLang's transfer queue")
    conn.sock.shutdown(socket.SHUT_RDWR)
    conn.close()
    started = time.monotonic()
    wait_for(lambda: engine_gauge(decode, queue) == 0, "SGLang kept the decode request")
    assert time.monotonic() - started < 5


def test_the_relay_exposes_the_bootstrap_listener_and_nothing_else(pair):
    prefill, _ = pair
    with socket.create_connection((POD_IP, prefill.bootstrap_port), timeout=5) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := s.recv(4096):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"OK"), reply
    # SGLang's HTTP API stays on loopback only.
    with pytest.raises(OSError):
        socket.create_connection((POD_IP, prefill.port + 1), timeout=2).close()


def test_a_decode_leg_that_names_no_prefill_gets_vllms_error(pair):
    _, decode = pair
    for body, needle in [({"prompt": "hi", "max_tokens": 2}, "kv_transfer_params"),
                         ({"prompt": "hi", "kv_transfer_params": {"remote_host": POD_IP}}, "remote_port")]:
        status, answer, _ = post("127.0.0.1", decode.port, "/v1/completions", body, {})
        assert status == 400, answer
        assert list(answer) == ["error"] and list(answer["error"]) == VLLM_ERROR_KEYS
        assert needle in answer["error"]["message"]


def test_client_bootstrap_fields_never_reach_sglang(pair):
    prefill, decode = pair
    path = "/v1/completions"
    body = dict(client_body(path, False), bootstrap_host="203.0.113.9", bootstrap_port=1, bootstrap_room=5)
    _, (status, answer), _ = orchestrated(prefill, decode, path, body, "spoof")
    assert status == 200, answer
    assert all(b["bootstrap_host"] != "203.0.113.9" for b in engine_requests(decode, path) if "bootstrap_host" in b)
    wait_for(lambda: engine_requests(prefill, path), "prefill leg")
    assert all(b["bootstrap_host"] == POD_IP for b in engine_requests(prefill, path))


def test_the_key_gate_holds_on_both_legs(module_shims, tmp_path_factory):
    prefill = prefill_shim(module_shims, tmp_path_factory, args=["--api-key", "k3y"])
    leg = dict(client_body("/v1/completions", False), max_tokens=1, kv_transfer_params={"do_remote_decode": True})
    status, answer, _ = post(POD_IP, prefill.port, "/v1/completions", leg, {})
    assert status == 401 and answer == {"error": "Unauthorized"}
    status, answer, _ = post(POD_IP, prefill.port, "/v1/completions", leg, {"Authorization": "Bearer k3y"})
    assert status == 200 and "kv_transfer_params" in answer


def test_kv_both_without_a_role_stops_with_one_line(shim_factory):
    shim = shim_factory(args=["--kv-transfer-config", json.dumps({"kv_connector": "NixlConnector",
                                                                   "kv_role": "kv_both"})], wait=False)
    assert shim.proc.wait(timeout=30 * SLOW) == 2
    assert re.search(r"VLLM_SGLANG_PD_ROLE", shim.logs())
    assert "Traceback" not in shim.logs()


@pytest.mark.parametrize("stream", [False, True])
def test_a_decode_leg_whose_prefill_is_gone_fails_at_once(pair, stream):
    # Nothing listens where the leg says the prefill is: SGLang's decode would retry its
    # handshake for about 15 s; the shim's probe answers 503 at once and SGLang never sees it.
    _, decode = pair
    gone = free_bootstrap_port()
    params = {"do_remote_prefill": True, "remote_host": POD_IP, "remote_port": gone, "remote_engine_id": "9",
              "bootstrap_room": 9}
    before = len(engine_requests(decode, "/v1/completions"))
    body = dict(client_body("/v1/completions", stream), kv_transfer_params=params)
    status, answer, seconds = post("127.0.0.1", decode.port, "/v1/completions", body, {"X-Request-Id": "gone"})
    assert status == 503 and seconds < 2, (status, answer, seconds)
    assert list(answer) == ["error"] and list(answer["error"]) == VLLM_ERROR_KEYS
    assert "%s:%d" % (POD_IP, gone) in answer["error"]["message"]
    assert len(engine_requests(decode, "/v1/completions")) == before


def test_a_decode_leg_whose_kv_never_comes_fails_within_the_pd_timeout(module_shims, tmp_path_factory):
    # No SGLANG_DISAGGREGATION_* here: the shim gives SGLang VLLM_SGLANG_PD_PREFILL_TIMEOUT for
    # both, instead of SGLang's 300 s.
    prefill = prefill_shim(module_shims, tmp_path_factory)
    env = {"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0", "VLLM_SGLANG_PD_PREFILL_TIMEOUT": "1"}
    decode = recording_shim(module_shims, tmp_path_factory, env=env, args=["--kv-transfer-config", DECODE_CONFIG])
    params = {"do_remote_prefill": True, "remote_host": POD_IP, "remote_port": prefill.bootstrap_port,
              "remote_engine_id": "4242", "bootstrap_room": 4242}  # a room no prefill leg has
    for stream in (False, True):
        body = dict(client_body("/v1/completions", stream), kv_transfer_params=params)
        status, answer, seconds = post("127.0.0.1", decode.port, "/v1/completions", body, {"X-Request-Id": "x"})
        assert seconds < 5, seconds
        if stream:  # SGLang streams its error as a frame, which the shim puts in vLLM's shape
            assert status == 200 and answer[-1] == "[DONE]"
            error = next(e for e in answer if e != "[DONE]" and "error" in e)["error"]
        else:
            assert status == 500, answer
            assert list(answer) == ["error"] and list(answer["error"]) == VLLM_ERROR_KEYS
            error = answer["error"]
        assert "WaitingForInput" in error["message"], error
