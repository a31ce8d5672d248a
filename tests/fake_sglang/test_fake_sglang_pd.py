"""The stand-in's prefill/decode (PD) disaggregation, as SGLang @8905cbd4 behaves for a client:
python/sglang/srt/disaggregation/ (prefill.py, decode.py, common/conn.py; mini_lb.py sends both legs
at once with the same bootstrap_host/port/room), managers/scheduler.py (a PD request without a room is
refused), managers/disagg_service.py (only a prefill runs the bootstrap server, on --host). The
bootstrap listener is put on 127.0.0.2 with FAKE_SGLANG_BOOTSTRAP_HOST while HTTP stays on 127.0.0.1,
and both SGLang timeouts are one second, so every test is quick and its timing unambiguous."""
import json
import socket
import threading
import time

import pytest

from harness import SLOW, free_port_pair

BOOTSTRAP_HOST = "127.0.0.2"
TIMEOUT_S = 1  # SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT and SGLANG_DISAGGREGATION_WAITING_TIMEOUT
ENV = {"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0",
       "SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT": str(TIMEOUT_S),
       "SGLANG_DISAGGREGATION_WAITING_TIMEOUT": str(TIMEOUT_S)}
JSON = {"Content-Type": "application/json"}


def start_prefill(start_engine):
    port = free_port_pair()
    env = dict(ENV, FAKE_SGLANG_BOOTSTRAP_HOST=BOOTSTRAP_HOST)
    engine = start_engine("--disaggregation-mode", "prefill", "--disaggregation-bootstrap-port", str(port),
                          "--enable-metrics", env=env)
    engine.bootstrap_port = port
    return engine


def start_decode(start_engine):
    return start_engine("--disaggregation-mode", "decode", "--enable-metrics", env=ENV)


def body(route, room, prefill=None, stream=False, prompt="tell me about rooms", **extra):
    out = {"model": "m", "max_tokens": 6, "stream": stream}
    if route == "/v1/chat/completions":
        out["messages"] = [{"role": "user", "content": prompt}]
    else:
        out["prompt"] = prompt
    if room is not None:
        out.update(bootstrap_room=room)
    if prefill is not None:
        out.update(bootstrap_host=BOOTSTRAP_HOST, bootstrap_port=prefill.bootstrap_port)
    out.update(extra)
    return out


def send(engine, route, payload):
    """(status, parsed body or list of SSE payloads, seconds)."""
    started = time.monotonic()
    status, headers, data = engine.request("POST", route, json.dumps(payload), JSON, timeout=30 * SLOW)
    elapsed = time.monotonic() - started
    if headers.get("content-type", "").startswith("text/event-stream"):
        events = [line[6:] for line in data.decode().splitlines() if line.startswith("data: ")]
        return status, [e if e == "[DONE]" else json.loads(e) for e in events], elapsed
    return status, json.loads(data), elapsed


def in_thread(fn, *args):
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("r", fn(*args)), daemon=True)
    thread.start()
    return thread, box


def both_at_once(prefill, decode, route, p_body, d_body):
    t1, b1 = in_thread(send, prefill, route, p_body)
    t2, b2 = in_thread(send, decode, route, d_body)
    t1.join(30 * SLOW)
    t2.join(30 * SLOW)
    return b1["r"], b2["r"]


def text_of(route, answer):
    """The generated text of a whole answer or of an SSE stream."""
    key = "message" if route == "/v1/chat/completions" else None
    if isinstance(answer, list):
        parts = []
        for event in answer:
            if event == "[DONE]":
                continue
            for choice in event["choices"]:
                parts.append(choice["delta"].get("content") or "" if key else choice["text"])
        return "".join(parts)
    choice = answer["choices"][0]
    return choice["message"]["content"] if key else choice["text"]


def finish_of(answer):
    if isinstance(answer, list):
        return [c["finish_reason"] for e in answer if e != "[DONE]" for c in e["choices"] if c["finish_reason"]][-1]
    return answer["choices"][0]["finish_reason"]


def wait_metric(engine, name, value):
    deadline = time.monotonic() + 10 * SLOW
    while engine.metric(name) != value:
        assert time.monotonic() < deadline, "%s never became %s" % (name, value)
        time.sleep(0.01)


def test_bootstrap_listener_binds_its_own_address(start_engine):
    prefill = start_prefill(start_engine)
    decode = start_decode(start_engine)
    assert "Bootstrap server started on %s:%d" % (BOOTSTRAP_HOST, prefill.bootstrap_port) in prefill.read_log()
    with socket.create_connection((BOOTSTRAP_HOST, prefill.bootstrap_port), timeout=5) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := s.recv(4096):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"OK")
    with pytest.raises(OSError):  # not on the HTTP address
        socket.create_connection(("127.0.0.1", prefill.bootstrap_port), timeout=5).close()
    assert prefill.get_json("/health")[0] == 200  # while the API stays on 127.0.0.1
    assert "Bootstrap server" not in decode.read_log()  # only a prefill runs one
    assert prefill.get_json("/server_info")[1]["disaggregation_mode"] == "prefill"


@pytest.mark.parametrize("route", ["/v1/chat/completions", "/v1/completions"])
@pytest.mark.parametrize("stream", [False, True])
def test_both_legs_at_once_complete(start_engine, route, stream):
    prefill = start_prefill(start_engine)
    decode = start_decode(start_engine)
    payload = body(route, 12345678901234567, prefill, stream=stream)
    (p_status, p_answer, p_time), (d_status, d_answer, d_time) = both_at_once(prefill, decode, route, payload, payload)
    assert (p_status, d_status) == (200, 200)
    assert max(p_time, d_time) < TIMEOUT_S  # paired at once, no timeout involved
    # prefill.py: max_new_tokens = 1, then FINISH_LENGTH; the decode generates the answer.
    assert finish_of(p_answer) == "length"
    decoded = text_of(route, d_answer)
    assert len(decoded.split()) == 6 and finish_of(d_answer) == "length"
    assert text_of(route, p_answer) == decoded.split()[0]
    if not stream:
        assert p_answer["usage"]["completion_tokens"] == 1
        assert d_answer["usage"]["completion_tokens"] == 6
    else:
        assert p_answer[-1] == "[DONE]" and d_answer[-1] == "[DONE]"
    for engine in (prefill, decode):
        assert engine.metric("sglang:num_running_reqs") == 0
        assert engine.metric("sglang:num_prefill_prealloc_queue_reqs") == 0
        assert engine.metric("sglang:num_decode_transfer_queue_reqs") == 0


def test_sequential_legs_wait_for_the_timeouts(start_engine):
    """production-stack's router sends the prefill leg, awaits it, then the decode leg: on SGLang the
    prefill waits out SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT and the decode leg, alone, then waits out
    SGLANG_DISAGGREGATION_WAITING_TIMEOUT."""
    prefill = start_prefill(start_engine)
    decode = start_decode(start_engine)
    route = "/v1/chat/completions"
    payload = body(route, 77, prefill, rid="seq-1")
    status, answer, elapsed = send(prefill, route, payload)
    assert status == 500 and TIMEOUT_S <= elapsed < TIMEOUT_S + 2 * SLOW
    assert answer["code"] == 500 and answer["message"] == (
        "Prefill bootstrap failed for request rank=0 req.rid='seq-1' req.bootstrap_room=77 with exception "
        "KVTransferError(bootstrap_room=77): Request 77 timed out after 1.0s in KVPoll.Bootstrapping")
    status, answer, elapsed = send(decode, route, payload)
    assert status == 500 and TIMEOUT_S <= elapsed < TIMEOUT_S + 2 * SLOW
    assert answer["message"].startswith(
        "Decode transfer failed for request rank=0 decode_req.req.rid='seq-1' decode_req.req.bootstrap_room=77 "
        "with exception KVTransferError(bootstrap_room=77): Request 77 timed out after ")
    assert answer["message"].endswith("s in KVPoll.WaitingForInput")


def test_a_streamed_prefill_reports_the_timeout_in_the_stream(start_engine):
    prefill = start_prefill(start_engine)
    status, events, elapsed = send(prefill, "/v1/completions", body("/v1/completions", 5, prefill, stream=True))
    assert status == 200 and elapsed >= TIMEOUT_S
    assert events[0]["error"]["code"] == 500 and "KVPoll.Bootstrapping" in events[0]["error"]["message"]
    assert events[-1] == "[DONE]"


def test_a_pd_request_without_a_room_is_refused(start_engine):
    prefill = start_prefill(start_engine)
    decode = start_decode(start_engine)
    for engine in (prefill, decode):
        for route in ("/v1/chat/completions", "/v1/completions"):
            status, answer, elapsed = send(engine, route, body(route, None, rid="no-room"))
            assert status == 400 and elapsed < TIMEOUT_S
            assert answer == {"object": "error", "type": "BadRequestError", "param": None, "code": 400,
                              "message": "Invalid request: Disaggregated request received without bootstrap "
                                         "room id. req.rid='no-room'"}
    status, answer, _ = send(prefill, "/v1/completions", body("/v1/completions", "not-a-room"))
    assert status == 400 and "bootstrap_room" in answer["message"]


def test_the_fake_bootstrap_host_needs_no_partner(start_engine):
    """utils.py FAKE_BOOTSTRAP_HOST (SGLang's warm-up): no bootstrap, no waiting."""
    prefill = start_prefill(start_engine)
    route = "/v1/completions"
    payload = dict(body(route, 1), bootstrap_host="2.2.2.2")
    status, answer, elapsed = send(prefill, route, payload)
    assert status == 200 and elapsed < TIMEOUT_S and answer["usage"]["completion_tokens"] == 1


def test_abort_frees_the_room(start_engine):
    prefill = start_prefill(start_engine)
    decode = start_decode(start_engine)
    route = "/v1/chat/completions"
    payload = body(route, 4242, prefill)
    # A prefill leg waiting for its decode is aborted, and the room can be used again at once.
    thread, box = in_thread(send, prefill, route, payload)
    wait_metric(prefill, "sglang:num_prefill_prealloc_queue_reqs", 1)
    assert prefill.request("POST", "/abort_request", json.dumps({"abort_all": True}), JSON)[0] == 200
    thread.join(30 * SLOW)
    status, answer, elapsed = box["r"]
    assert status == 200 and elapsed < TIMEOUT_S and finish_of(answer) == "abort"
    assert prefill.metric("sglang:num_prefill_prealloc_queue_reqs") == 0
    (p_status, _, _), (d_status, _, _) = both_at_once(prefill, decode, route, payload, payload)
    assert (p_status, d_status) == (200, 200)
    # A decode leg waiting for KV is aborted: it hangs up, so the prefill's room is empty again and a
    # prefill leg for that room waits out its whole bootstrap timeout instead of pairing with a ghost.
    thread, box = in_thread(send, decode, route, payload)
    wait_metric(decode, "sglang:num_decode_transfer_queue_reqs", 1)
    assert decode.request("POST", "/abort_request", json.dumps({"abort_all": True}), JSON)[0] == 200
    thread.join(30 * SLOW)
    status, answer, elapsed = box["r"]
    assert status == 200 and elapsed < TIMEOUT_S and finish_of(answer) == "abort"
    time.sleep(0.05)  # the bootstrap listener sees the hang-up within its 5 ms poll
    status, _, elapsed = send(prefill, route, payload)
    assert status == 500 and elapsed >= TIMEOUT_S


def test_two_pairs_with_distinct_rooms_do_not_cross(start_engine):
    prefills = [start_prefill(start_engine) for _ in range(2)]
    decodes = [start_decode(start_engine) for _ in range(2)]
    route = "/v1/completions"
    payloads = [body(route, 1000 + i, prefills[i], prompt="pair %d speaks" % i) for i in range(2)]
    threads = []
    for i in range(2):
        threads.append(in_thread(send, prefills[i], route, payloads[i]))
        threads.append(in_thread(send, decodes[i], route, payloads[i]))
    for thread, _ in threads:
        thread.join(30 * SLOW)
    results = [box["r"] for _, box in threads]
    assert [r[0] for r in results] == [200] * 4
    firsts = []
    for i in range(2):
        p_answer, d_answer = results[2 * i][1], results[2 * i + 1][1]
        assert text_of(route, p_answer) == text_of(route, d_answer).split()[0]
        firsts.append(text_of(route, d_answer))
    assert firsts[0] != firsts[1]
    # A room lives on one prefill server: a decode pointed at the other prefill never gets its KV.
    crossed = dict(payloads[0], bootstrap_port=prefills[1].bootstrap_port, bootstrap_room=2000)
    own = dict(payloads[0], bootstrap_room=2000)
    (p_status, _, _), (d_status, d_answer, _) = both_at_once(prefills[0], decodes[0], route, own, crossed)
    assert (p_status, d_status) == (500, 500) and "KVPoll.WaitingForInput" in d_answer["message"]
