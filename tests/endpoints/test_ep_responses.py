"""vLLM's Responses API over SGLang (issue 14 item 3).

Shapes are checked against vLLM @9aaf83ef vllm/entrypoints/openai/responses/protocol.py
(ResponsesResponse.from_request, ResponseUsage) and the event types of openai.types.responses.
SGLang @8905cbd4 (python/sglang/srt/entrypoints/openai/serving_responses.py) answers whole and
stored responses with chat-style usage and builds its chat request without `text.format`; the
stand-in does the same, so these tests show the front door's corrections."""

import json

import pytest

from endpoints_helpers import VLLM_ERROR_KEYS, recorded, recording_shim
from test_ep_security import KEY, raw_request, spellings

AUTH = {"Authorization": "Bearer " + KEY}
USAGE_KEYS = ["input_tokens", "input_tokens_details", "output_tokens", "output_tokens_details", "total_tokens"]
SCHEMA = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
          "required": ["name", "age"]}
JSON_FORMAT = {"format": {"type": "json_schema", "name": "person", "schema": SCHEMA, "strict": True}}


@pytest.fixture(scope="module")
def shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory)


@pytest.fixture(scope="module")
def keyed(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--api-key", KEY])


def events(response):
    out = []
    for block in response.body.decode().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "data" in lines:
            out.append((lines.get("event"), json.loads(lines["data"])))
    return out


def forwarded(shim, since):
    return [r for r in recorded(shim.record)[since:] if "x-forwarded-for" in r["headers"]]


def assert_vllm_usage(usage):
    assert list(usage) == USAGE_KEYS, usage
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert "cached_tokens" in usage["input_tokens_details"]
    assert "reasoning_tokens" in usage["output_tokens_details"]


def text_of(response_object):
    return "".join(part["text"] for item in response_object["output"] if item["type"] == "message"
                   for part in item["content"] if part["type"] == "output_text")


def test_plain_response_gets_vllms_usage_whole_and_when_retrieved(shim):
    mark = len(recorded(shim.record))
    r = shim.post("/v1/responses", {"input": "hello there", "max_output_tokens": 8})
    assert r.status == 200, r.body
    body = r.json()
    assert body["object"] == "response" and body["status"] == "completed" and body["id"].startswith("resp_")
    assert_vllm_usage(body["usage"])
    assert text_of(body)
    assert [x["route_path"] for x in forwarded(shim, mark)] == ["/v1/responses"]
    stored = shim.get("/v1/responses/" + body["id"])
    assert stored.status == 200
    assert_vllm_usage(stored.json()["usage"])
    assert stored.json()["id"] == body["id"]


def test_plain_stream_ends_with_vllms_usage(shim):
    r = shim.post("/v1/responses", {"input": "hello", "stream": True})
    assert r.status == 200 and r.header("content-type").startswith("text/event-stream")
    evs = events(r)
    assert evs[0][0] == "response.created" and evs[-1][0] == "response.completed"
    usage = evs[-1][1]["response"]["usage"]
    assert usage["input_tokens"] > 0 and "prompt_tokens" not in usage


def test_json_schema_format_is_honoured_through_the_chat_route(shim):
    # Straight to SGLang the format is dropped: the answer is plain words.
    direct = shim.post("/v1/responses", {"model": "Qwen/Qwen2.5-0.5B-Instruct", "input": "who?", "text": JSON_FORMAT},
                       port=shim.backend_port)
    assert direct.status == 200, direct.body
    with pytest.raises(ValueError):
        json.loads(text_of(direct.json()))
    mark = len(recorded(shim.record))
    r = shim.post("/v1/responses", {"input": "who?", "text": JSON_FORMAT, "instructions": "answer as JSON",
                                    "max_output_tokens": 50})
    assert r.status == 200, r.body
    body = r.json()
    person = json.loads(text_of(body))
    assert isinstance(person["name"], str) and isinstance(person["age"], int)
    assert body["text"] == JSON_FORMAT and body["instructions"] == "answer as JSON" and body["max_output_tokens"] == 50
    assert body["id"].startswith("resp_") and body["status"] == "completed" and body["object"] == "response"
    for key in ("created_at", "model", "output", "parallel_tool_calls", "temperature", "tool_choice", "tools",
                "top_p", "background", "service_tier", "truncation", "usage", "user", "incomplete_details"):
        assert key in body, key
    assert_vllm_usage(body["usage"])
    sent = forwarded(shim, mark)
    assert [x["route_path"] for x in sent] == ["/v1/chat/completions"]
    chat = json.loads(sent[0]["body"])
    assert chat["response_format"] == {"type": "json_schema", "json_schema": {
        "name": "person", "schema": SCHEMA, "strict": True}}
    assert chat["messages"] == [{"role": "system", "content": "answer as JSON"}, {"role": "user", "content": "who?"}]
    assert chat["max_tokens"] == 50
    # Kept by the front door: retrievable, not cancellable, and a conversation can go on from it.
    assert shim.get("/v1/responses/" + body["id"]).json() == body
    cancel = shim.post("/v1/responses/%s/cancel" % body["id"], {})
    assert cancel.status == 400 and cancel.json()["error"]["message"] == "Cannot cancel a synchronous response."
    mark = len(recorded(shim.record))
    follow = shim.post("/v1/responses", {"input": "and again", "text": JSON_FORMAT,
                                         "previous_response_id": body["id"]})
    assert follow.status == 200, follow.body
    history = json.loads(forwarded(shim, mark)[0]["body"])["messages"]
    assert history == [{"role": "user", "content": "who?"}, {"role": "assistant", "content": text_of(body)},
                       {"role": "user", "content": "and again"}]


def test_json_schema_format_streams_vllms_events(shim):
    r = shim.post("/v1/responses", {"input": "who?", "text": JSON_FORMAT, "stream": True})
    assert r.status == 200 and r.header("content-type").startswith("text/event-stream")
    evs = events(r)
    types = [t for t, _ in evs]
    assert types[:2] == ["response.created", "response.in_progress"] and types[-1] == "response.completed"
    assert "response.output_text.delta" in types and "response.output_item.done" in types
    assert [d["sequence_number"] for _, d in evs] == list(range(len(evs)))
    assert all(d["type"] == t for t, d in evs)
    text = "".join(d["delta"] for t, d in evs if t == "response.output_text.delta")
    final = evs[-1][1]["response"]
    assert text_of(final) == text and isinstance(json.loads(text)["age"], int)
    assert_vllm_usage(final["usage"])
    assert shim.get("/v1/responses/" + final["id"]).json() == final


def test_json_object_format(shim):
    r = shim.post("/v1/responses", {"input": "x", "text": {"format": {"type": "json_object"}}})
    assert r.status == 200 and isinstance(json.loads(text_of(r.json())), dict)


@pytest.mark.parametrize("body", [
    {"input": "x", "text": JSON_FORMAT, "previous_response_id": "resp_unknown"},
    {"text": JSON_FORMAT},
    {"input": "x", "text": JSON_FORMAT, "background": True},
    {"input": [{"type": "computer_call_output"}], "text": JSON_FORMAT},
])
def test_what_the_bridge_cannot_carry_is_a_vllm_400(shim, body):
    r = shim.post("/v1/responses", body)
    assert r.status == 400, r.body
    assert list(r.json()["error"]) == VLLM_ERROR_KEYS


def test_unknown_ids_and_bad_bodies(shim):
    r = shim.get("/v1/responses/resp_nope")
    assert r.status == 404 and sorted(r.json()["error"]) == sorted(VLLM_ERROR_KEYS)
    status, body = raw_request(shim.port, "POST", "/v1/responses", headers={"Content-Type": "application/json"},
                               body=b'{"input": ')
    assert status == 400 and "error" in json.loads(body)
    status, body = raw_request(shim.port, "GET", "/v1/responses")
    assert status == 405
    assert shim.get("/health").status == 200


@pytest.mark.parametrize("method,path", [("POST", "/v1/responses"), ("GET", "/v1/responses/resp_x"),
                                         ("POST", "/v1/responses/resp_x/cancel")])
def test_responses_routes_keep_the_key_gate_under_every_spelling(keyed, method, path):
    for target, refused in spellings(path):
        status, body = raw_request(keyed.port, method, target, headers={"Content-Type": "application/json"},
                                   body=b'{"input": "x", "text": {"format": {"type": "json_object"}}}'
                                   if method == "POST" else b"")
        assert status == (400 if refused else 401), (target, status, body[:200])
    r = keyed.post("/v1/responses", {"input": "x", "text": {"format": {"type": "json_object"}}}, headers=AUTH)
    assert r.status == 200, r.body
