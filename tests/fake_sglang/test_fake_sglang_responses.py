"""/v1/responses of fake-sglang as SGLang answers it for a non-harmony model
(python/sglang/srt/entrypoints/openai/serving_responses.py @41c3e5a4: chat-style usage, `text`
ignored, the simple stream path, the response store and its nested errors), and chat's
response_format, which SGLang honours through its grammar backend (protocol.py @004c82e0)."""
import json
import re

FAST_HEALTH = {"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0"}
MODEL = "org/test-model"
SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer", "minimum": 21},
        "tags": {"type": "array", "items": {"type": "string"}},
        "kind": {"enum": ["a", "b"]},
        "inner": {"type": "object", "properties": {"ok": {"type": "boolean"}, "x": {"type": "number"}}},
    },
    "required": ["name", "age", "tags", "kind", "inner"],
}
JSON_SCHEMA_FORMAT = {"type": "json_schema", "json_schema": {"name": "person", "schema": SCHEMA, "strict": True}}
WANT = {"name": "sample", "age": 21, "tags": ["sample"], "kind": "a", "inner": {"ok": True, "x": 1.5}}


def responses_frames(raw):
    text = raw.decode()
    assert "[DONE]" not in text
    frames = [f for f in text.split("\n\n") if f]
    out = []
    for frame in frames:
        event, data = frame.split("\n")
        assert event.startswith("event: ") and data.startswith("data: ")
        payload = json.loads(data[6:])
        assert payload["type"] == event[7:]
        out.append(payload)
    return out


def is_json(text):
    try:
        json.loads(text)
        return True
    except ValueError:
        return False


def test_responses_non_streaming_shape_and_chat_style_usage(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    body = {"model": MODEL, "input": "tell me a story", "instructions": "be brief", "temperature": 0.5}
    status, r = engine.post_json("/v1/responses", body)
    assert status == 200
    assert re.fullmatch(r"resp_[0-9a-f]{32}", r["id"])
    assert r["object"] == "response" and r["status"] == "completed" and r["model"] == MODEL
    assert isinstance(r["created_at"], int)
    assert len(r["output"]) == 1
    msg = r["output"][0]
    assert re.fullmatch(r"msg_[0-9a-f]{32}", msg["id"])
    assert msg["type"] == "message" and msg["role"] == "assistant" and msg["status"] == "completed"
    part = msg["content"][0]
    assert part["type"] == "output_text" and part["annotations"] == [] and part["logprobs"] is None
    words = len(part["text"].split())
    # UsageInfo with chat names, not the Responses API's input_tokens/output_tokens.
    assert r["usage"] == {
        "prompt_tokens": 6,  # "be brief" + "tell me a story"
        "completion_tokens": words,
        "total_tokens": 6 + words,
        "reasoning_tokens": 0,
        "prompt_tokens_details": None,
    }
    assert r["instructions"] == "be brief" and r["temperature"] == 0.5 and r["store"] is True
    assert r["text"] == {"format": {"type": "text"}}
    assert r["reasoning"] == {"effort": None, "summary": None}
    assert r["tool_choice"] == "auto" and r["tools"] == [] and r["parallel_tool_calls"] is True
    assert r["metadata"] == {} and r["truncation"] == "disabled" and r["error"] is None
    assert r["previous_response_id"] is None and r["max_output_tokens"] is None


def test_responses_max_output_tokens_minus_two_and_message_list_input(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    body = {
        "model": MODEL,
        "max_output_tokens": 5,
        "input": [{"role": "user", "content": [{"type": "input_text", "text": "one two"}]}],
    }
    status, r = engine.post_json("/v1/responses", body)
    assert status == 200
    assert r["usage"]["prompt_tokens"] == 2
    assert r["usage"]["completion_tokens"] == 3  # to_sampling_params: max_output_tokens - 2
    assert len(r["output"][0]["content"][0]["text"].split()) == 3
    assert r["max_output_tokens"] == 5


def test_responses_text_format_is_ignored(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    text = {"format": {"type": "json_schema", "name": "person", "schema": SCHEMA, "strict": True}}
    status, r = engine.post_json("/v1/responses", {"model": MODEL, "input": "who?", "text": text})
    assert status == 200
    answer = r["output"][0]["content"][0]["text"]
    assert not is_json(answer)
    assert r["text"] == {"format": {"type": "text"}}  # from_request does not echo the request's text
    status, r = engine.post_json("/v1/responses", {"model": MODEL, "input": "who?", "text": {"format": {"type": "json_object"}}})
    assert status == 200 and not is_json(r["output"][0]["content"][0]["text"])


def test_responses_reasoning_parser_splits_a_reasoning_item(start_engine):
    engine = start_engine("--reasoning-parser", "deepseek-r1", env=FAST_HEALTH)
    status, chat = engine.post_json("/v1/chat/completions", {"model": MODEL, "messages": [{"role": "user", "content": "why?"}]})
    assert status == 200
    status, r = engine.post_json("/v1/responses", {"model": MODEL, "input": "why?", "reasoning": {}})
    assert status == 200
    rs, msg = r["output"]
    assert re.fullmatch(r"rs_[0-9a-f]{32}", rs["id"])
    assert rs["type"] == "reasoning" and rs["summary"] == [] and rs["status"] is None
    assert rs["content"] == [{"type": "reasoning_text", "text": chat["choices"][0]["message"]["reasoning_content"]}]
    assert msg["content"][0]["text"] == chat["choices"][0]["message"]["content"]
    assert r["text"] is None  # a reasoning item makes the output "not text only"
    assert r["reasoning"] == {"effort": "medium", "summary": None}
    assert r["usage"]["reasoning_tokens"] == 0


def test_responses_stream_simple_path_events_and_converted_usage(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    body = {"model": MODEL, "input": "tell me a story", "stream": True}
    status, headers, raw = engine.request("POST", "/v1/responses", body)
    assert status == 200 and headers["content-type"].startswith("text/event-stream")
    events = responses_frames(raw)
    # The loop of responses_stream_generator skips SimpleContext: no item, part or delta events.
    assert [e["type"] for e in events] == ["response.created", "response.in_progress", "response.completed"]
    assert [e["sequence_number"] for e in events] == [0, 1, 2]
    first = events[0]["response"]
    assert first["status"] == "in_progress" and first["output"] == [] and first["usage"] is None
    assert first["text"] is None
    assert events[1]["response"] == first
    final = events[2]["response"]
    assert final["id"] == first["id"] and final["created_at"] == first["created_at"]
    assert final["status"] == "completed"
    words = len(final["output"][0]["content"][0]["text"].split())
    assert final["usage"] == {
        "input_tokens": 4,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": words,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": 4 + words,
    }
    # The stored copy keeps the chat-style usage.
    status, stored = engine.get_json("/v1/responses/" + final["id"])
    assert status == 200 and stored["usage"]["prompt_tokens"] == 4 and stored["usage"]["completion_tokens"] == words


def test_responses_retrieve_cancel_and_errors(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    status, r = engine.post_json("/v1/responses", {"model": MODEL, "input": "hello there"})
    assert status == 200
    status, got = engine.get_json("/v1/responses/" + r["id"])
    assert status == 200 and got == r
    status, err = engine.post_json("/v1/responses/%s/cancel" % r["id"], {})
    assert status == 400
    assert err == {"error": {"message": "Cannot cancel a synchronous response.", "type": "invalid_request_error", "param": None, "code": 400}}
    unknown = "resp_" + "0" * 32
    for method, path in (("GET", "/v1/responses/" + unknown), ("POST", "/v1/responses/%s/cancel" % unknown)):
        status, _, data = engine.request(method, path, {} if method == "POST" else None)
        assert status == 404
        assert json.loads(data) == {"error": {"message": "Response with id '%s' not found." % unknown, "type": "invalid_request_error", "param": "response_id", "code": 404}}
    status, err = engine.get_json("/v1/responses/abc")
    assert status == 400 and err["error"]["param"] == "response_id"
    assert err["error"]["message"] == "Invalid 'response_id': 'abc'. Expected an ID that begins with 'resp'."
    status, _ = engine.post_json("/v1/responses/" + r["id"], {})
    assert status == 405
    status, _ = engine.get_json("/v1/responses/%s/other" % r["id"])
    assert status == 404
    # store: false keeps nothing.
    status, r2 = engine.post_json("/v1/responses", {"model": MODEL, "input": "x", "store": False})
    assert status == 200 and r2["store"] is False
    assert engine.get_json("/v1/responses/" + r2["id"])[0] == 404


def test_responses_previous_response_id(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    status, err = engine.post_json("/v1/responses", {"model": MODEL, "input": "x", "previous_response_id": "resp_missing"})
    assert status == 404 and err["error"]["message"] == "Response with id 'resp_missing' not found."
    status, first = engine.post_json("/v1/responses", {"model": MODEL, "input": "one two three", "instructions": "sys"})
    assert status == 200 and first["usage"]["prompt_tokens"] == 4
    body = {"model": MODEL, "input": "four", "instructions": "sys", "previous_response_id": first["id"]}
    status, second = engine.post_json("/v1/responses", body)
    assert status == 200
    assert second["previous_response_id"] == first["id"]
    # _construct_input_messages: [sys] + stored [sys, "one two three"] + one [sys] per output part + "four".
    assert second["usage"]["prompt_tokens"] == 1 + 4 + 1 + 1


def test_responses_validation_errors(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    status, headers, data = engine.request("POST", "/v1/responses", {"model": MODEL})
    assert status == 500 and data == b"Internal Server Error"  # ResponsesRequest(**request) inside the handler
    assert headers["content-type"].startswith("text/plain")
    status, _, data = engine.request("POST", "/v1/responses", {"model": MODEL, "input": 5})
    assert status == 500 and data == b"Internal Server Error"
    status, _, data = engine.request("POST", "/v1/responses", "{bad", {"Content-Type": "application/json"})
    assert status == 400 and json.loads(data)["object"] == "error"  # RequestValidationError: flat
    status, _, data = engine.request("POST", "/v1/responses", "x", {"Content-Type": "text/plain"})
    assert status == 400 and "Unsupported Media Type" in json.loads(data)["message"]


def test_chat_response_format_json_schema_and_json_object(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    chat = {"model": MODEL, "messages": [{"role": "user", "content": "describe a person"}]}
    status, r = engine.post_json("/v1/chat/completions", dict(chat, response_format=JSON_SCHEMA_FORMAT))
    assert status == 200
    assert json.loads(r["choices"][0]["message"]["content"]) == WANT
    status, r = engine.post_json("/v1/chat/completions", dict(chat, response_format={"type": "json_object"}))
    assert status == 200 and json.loads(r["choices"][0]["message"]["content"]) == {}
    status, r = engine.post_json("/v1/chat/completions", dict(chat, response_format={"type": "text"}))
    assert status == 200 and not is_json(r["choices"][0]["message"]["content"])
    # set_json_schema: a bare "schema" beside the type is accepted.
    status, r = engine.post_json("/v1/chat/completions", dict(chat, response_format={"type": "json_schema", "schema": SCHEMA}))
    assert status == 200 and json.loads(r["choices"][0]["message"]["content"]) == WANT


def test_chat_response_format_streamed_and_with_reasoning(start_engine):
    engine = start_engine("--reasoning-parser", "qwen3", env=FAST_HEALTH)
    chat = {"model": MODEL, "messages": [{"role": "user", "content": "describe a person"}], "response_format": JSON_SCHEMA_FORMAT}
    status, r = engine.post_json("/v1/chat/completions", chat)
    assert status == 200
    message = r["choices"][0]["message"]
    assert message["reasoning_content"] and not is_json(message["reasoning_content"])
    assert json.loads(message["content"]) == WANT
    status, _, raw = engine.request("POST", "/v1/chat/completions", dict(chat, stream=True))
    assert status == 200
    chunks = [json.loads(e[6:]) for e in raw.decode().split("\n\n") if e and e != "data: [DONE]"]
    deltas = [c["choices"][0]["delta"] for c in chunks if c["choices"]]
    content = [d["content"] for d in deltas if d.get("content")]
    assert len(content) > 1  # the JSON arrives split across deltas
    assert json.loads("".join(content)) == WANT
    assert "".join(d.get("reasoning_content") or "" for d in deltas) == message["reasoning_content"]


def test_chat_response_format_validation(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    chat = {"model": MODEL, "messages": [{"role": "user", "content": "x"}]}
    status, err = engine.post_json("/v1/chat/completions", dict(chat, response_format={"type": "json_schema"}))
    assert status == 500 and err["type"] == "InternalServerError"
    assert err["message"] == "Internal server error: 'NoneType' object has no attribute 'strict'"
    status, err = engine.post_json("/v1/chat/completions", dict(chat, response_format={"type": "yaml"}))
    assert status == 400 and err["object"] == "error" and "response_format" in err["message"]
    bad = {"type": "json_schema", "json_schema": {"schema": SCHEMA}}
    status, err = engine.post_json("/v1/chat/completions", dict(chat, response_format=bad))
    assert status == 400 and "'json_schema', 'name'" in err["message"] and "Field required" in err["message"]
