"""Request rewriting through the real `vllm serve` entry point, checked by what the stand-in SGLang received.

Rules: docs/rewriting.md (src/rewrite/rewrite_rules.cc). vLLM field names from vllm/entrypoints/openai/protocol.py
(ChatCompletionRequest, CompletionRequest, StructuredOutputsParams); SGLang's from
python/sglang/srt/entrypoints/openai/protocol.py. The stand-in validates bodies as SGLang's pydantic models do
(it rejects `null` for non-optional fields), so a 200 proves the rewrite was needed and happened.
"""

import json
import re
import time

import pytest

from harness import SLOW

MODEL = "Qwen/Qwen2.5-0.5B-Instruct"
CHAT = "/v1/chat/completions"
COMPLETIONS = "/v1/completions"


def send_raw(shim, path, text):
    """POSTs `text` exactly as given; returns (response, the body the stand-in received or None)."""
    mark = shim.recorded.mark()
    r = shim.post(path, body=text.encode(), headers={"Content-Type": "application/json"})
    got = shim.recorded.since(mark, path_prefix=path, wait_for=1, timeout=2.0)
    return r, (got[-1]["body"] if got else None)


def send(shim, path, obj):
    return send_raw(shim, path, json.dumps(obj))


def chat_body(**extra):
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hello"}], "max_tokens": 3}
    body.update(extra)
    return body


def completion_body(**extra):
    body = {"model": MODEL, "prompt": "hello", "max_tokens": 3}
    body.update(extra)
    return body


def assert_vllm_error(r, status, param=None):
    """vLLM's ErrorResponse: {"error": {message, type, param, code}} with code == HTTP status."""
    assert r.status == status, (r.status, r.body)
    body = r.json()
    assert list(body) == ["error"], body
    assert list(body["error"]) == ["message", "type", "param", "code"], body
    assert body["error"]["code"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if param is not None:
        assert body["error"]["param"] == param
    return body["error"]


# ---- rule 1: top-level nulls ------------------------------------------------------------------------------


def test_chat_nulls_are_removed_before_sglang_sees_them(recording_shim):
    # SGLang's ChatCompletionRequest rejects null for logprobs, n, stream, ... (the stand-in too).
    body = chat_body(n=None, stream=None, temperature=None, stop=None, seed=7, tools=None,
                     messages=[{"role": "user", "content": "hello", "name": None}])
    r, got = send(recording_shim, CHAT, body)
    assert r.status == 200, r.body
    received = json.loads(got)
    for key in ("n", "stream", "temperature", "stop", "tools"):
        assert key not in received
    assert received["seed"] == 7
    # Nested nulls are left alone.
    assert received["messages"] == [{"role": "user", "content": "hello", "name": None}]


def test_completion_nulls_are_removed(recording_shim):
    r, got = send(recording_shim, COMPLETIONS, completion_body(temperature=None, n=None, echo=None))
    assert r.status == 200, r.body
    assert json.loads(got) == completion_body()


# ---- rule 2: strip list -----------------------------------------------------------------------------------


def test_default_strip_list_removes_chat_logprobs(recording_shim):
    r, got = send(recording_shim, CHAT, chat_body(logprobs=True, top_logprobs=2))
    assert r.status == 200, r.body
    assert json.loads(got) == chat_body()


def test_strip_list_does_not_touch_completions_logprobs(recording_shim):
    # On /v1/completions `logprobs` is an integer that SGLang supports: forwarded as sent.
    text = json.dumps(completion_body(logprobs=2))
    r, got = send_raw(recording_shim, COMPLETIONS, text)
    assert r.status == 200, r.body
    assert json.loads(got) == json.loads(text)
    assert '"logprobs": 2' in got


def test_legacy_422_mode_proves_the_strip_list(shim_factory):
    # FAKE_SGLANG_LEGACY_422: the stand-in answers chat logprobs/top_logprobs with FastAPI's 422, as
    # SGLang < v0.4.9 with a tool parser did. The default strip list keeps such requests working.
    shim = shim_factory(env={"FAKE_SGLANG_LEGACY_422": "1"})
    r = shim.post(CHAT, chat_body(logprobs=True, top_logprobs=3))
    assert r.status == 200, r.body
    assert r.json()["object"] == "chat.completion"


def post_logprobs_with_empty_strip_list(shim_factory, tmp_path):
    record = tmp_path / "record.jsonl"
    shim = shim_factory(env={"FAKE_SGLANG_LEGACY_422": "1", "VLLM_SGLANG_STRIP_PARAMS": "",
                             "FAKE_SGLANG_RECORD": str(record)})
    text = json.dumps(chat_body(logprobs=True))
    r = shim.post(CHAT, body=text.encode(), headers={"Content-Type": "application/json"})
    lines = [json.loads(x) for x in record.read_text().splitlines()]
    return r, text, [x["body"] for x in lines if x["path"] == CHAT]


def test_empty_strip_list_forwards_logprobs_and_422_body_becomes_vllm_shape(shim_factory, tmp_path):
    r, text, received = post_logprobs_with_empty_strip_list(shim_factory, tmp_path)
    assert json.loads(received[0]) == json.loads(text)  # nothing stripped
    # FastAPI's 422 {"detail":[...]} becomes the body vLLM sends for validation errors (code 400).
    body = r.json()
    assert "detail" not in body
    assert list(body) == ["error"] and list(body["error"]) == ["message", "type", "param", "code"], body
    assert body["error"]["code"] == 400
    assert "validation error" in body["error"]["message"] and "logprobs" in body["error"]["message"]


def test_legacy_422_arrives_with_status_400(shim_factory, tmp_path):
    r, _, _ = post_logprobs_with_empty_strip_list(shim_factory, tmp_path)
    assert_vllm_error(r, 400)


# ---- rule 3: renames and constraints ----------------------------------------------------------------------


@pytest.mark.parametrize("path,make", [(CHAT, chat_body), (COMPLETIONS, completion_body)])
def test_request_id_include_stop_str_and_top_k_are_translated(recording_shim, path, make):
    r, got = send(recording_shim, path, make(request_id="req-42", include_stop_str_in_output=True, top_k=0))
    assert r.status == 200, r.body
    received = json.loads(got)
    assert received["top_k"] == -1  # vLLM's "disabled" is 0, SGLang's is -1
    assert received["rid"] == "req-42" and "request_id" not in received
    assert received["no_stop_trim"] is True and "include_stop_str_in_output" not in received


SCHEMA = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}


@pytest.mark.parametrize("source", ["structured_outputs", "guided"])
def test_json_schema_constraint(recording_shim, source):
    field = {"structured_outputs": {"json": SCHEMA}} if source == "structured_outputs" else {"guided_json": SCHEMA}
    r, got = send(recording_shim, CHAT, chat_body(**field))
    assert r.status == 200, r.body
    received = json.loads(got)
    assert received == chat_body(response_format={"type": "json_schema",
                                                  "json_schema": {"name": "structured_output", "schema": SCHEMA}})
    r, got = send(recording_shim, COMPLETIONS, completion_body(**field))
    assert r.status == 200, r.body
    received = json.loads(got)
    assert json.loads(received.pop("json_schema")) == SCHEMA  # CompletionRequest.json_schema is a string
    assert received == completion_body()


@pytest.mark.parametrize("path,make", [(CHAT, chat_body), (COMPLETIONS, completion_body)])
@pytest.mark.parametrize("source", ["structured_outputs", "guided"])
def test_regex_and_grammar_constraints(recording_shim, path, make, source):
    regex = r"\d{3}-[a-z]+"
    field = {"structured_outputs": {"regex": regex}} if source == "structured_outputs" else {"guided_regex": regex}
    r, got = send(recording_shim, path, make(**field))
    assert r.status == 200, r.body
    assert json.loads(got) == make(regex=regex)

    grammar = 'root ::= "yes" | "no"'
    field = {"structured_outputs": {"grammar": grammar}} if source == "structured_outputs" else {"guided_grammar": grammar}
    r, got = send(recording_shim, path, make(**field))
    assert r.status == 200, r.body
    assert json.loads(got) == make(ebnf=grammar)


@pytest.mark.parametrize("source", ["structured_outputs", "guided"])
def test_choice_becomes_an_escaped_alternation(recording_shim, source):
    choices = ["yes", "no (maybe)", "a.b|c", "1+1=2?", "back\\slash"]
    field = {"structured_outputs": {"choice": choices}} if source == "structured_outputs" else {"guided_choice": choices}
    r, got = send(recording_shim, CHAT, chat_body(**field))
    assert r.status == 200, r.body
    received = json.loads(got)
    regex = received.pop("regex")
    assert received == chat_body()
    # The alternation matches exactly the choices: every special character is escaped.
    for choice in choices:
        assert re.fullmatch(regex, choice), (regex, choice)
    for other in ["", "yes|no", "no maybe", "axb|c", "a.b", "11=2", "back\\\\slash", "yesno"]:
        assert not re.fullmatch(regex, other), (regex, other)


def test_json_object_and_structural_tag(recording_shim):
    r, got = send(recording_shim, CHAT, chat_body(structured_outputs={"json_object": True}))
    assert r.status == 200, r.body
    assert json.loads(got) == chat_body(response_format={"type": "json_object"})

    r, got = send(recording_shim, COMPLETIONS, completion_body(structured_outputs={"json_object": True}))
    assert r.status == 200, r.body
    received = json.loads(got)
    assert json.loads(received.pop("json_schema")) == {"type": "object"}

    tag = {"structures": [{"begin": "<f>", "schema": SCHEMA, "end": "</f>"}], "triggers": ["<f>"]}
    r, got = send(recording_shim, CHAT, chat_body(structured_outputs={"structural_tag": json.dumps(tag)}))
    assert r.status == 200, r.body
    assert json.loads(got) == chat_body(response_format=dict(tag, type="structural_tag"))


def test_two_constraint_sources_are_a_vllm_400(recording_shim):
    mark = recording_shim.recorded.mark()
    r = recording_shim.post(CHAT, chat_body(guided_regex="a+", structured_outputs={"regex": "b+"}))
    assert_vllm_error(r, 400)
    r = recording_shim.post(CHAT, chat_body(structured_outputs={"regex": "b+", "choice": ["x"]}))
    assert_vllm_error(r, 400)
    assert recording_shim.recorded.since(mark, wait_for=0) == []


# ---- rule 3e: fields SGLang cannot honour -----------------------------------------------------------------


@pytest.mark.parametrize("path,make", [(CHAT, chat_body), (COMPLETIONS, completion_body)])
@pytest.mark.parametrize("field,value,default", [("prompt_logprobs", 1, None), ("use_beam_search", True, False)])
def test_unsupported_field_is_a_vllm_400_unless_default(recording_shim, path, make, field, value, default):
    mark = recording_shim.recorded.mark()
    r = recording_shim.post(path, make(**{field: value}))
    error = assert_vllm_error(r, 400, param=field)
    assert error["type"] == "BadRequestError"
    assert field in error["message"]
    # The rejection is the shim's: SGLang never saw the request.
    assert recording_shim.recorded.since(mark, wait_for=0, timeout=0.3) == []

    r, got = send(recording_shim, path, make(**{field: default}))
    assert r.status == 200, r.body
    received = json.loads(got)
    assert received.get(field, default) == default


# ---- byte faithfulness ------------------------------------------------------------------------------------


def test_unchanged_body_is_forwarded_byte_for_byte(recording_shim):
    # Odd whitespace, key order, number spellings and escapes: nothing to rewrite, so nothing may change.
    text = ('{ "max_tokens" :3,\n\t"temperature": 0.50 , "messages":[ {"content":"h\\u00e9llo \\"q\\"",'
            '"role":"user"} ],"model":"' + MODEL + '",  "top_p":1e0, "seed" : 12 }  ')
    r, got = send_raw(recording_shim, CHAT, text)
    assert r.status == 200, r.body
    assert got == text


def test_unchanged_completion_body_is_forwarded_byte_for_byte(recording_shim):
    text = '{"prompt" : "x",  "model": "' + MODEL + '", "max_tokens": 2, "logprobs": 1}'
    r, got = send_raw(recording_shim, COMPLETIONS, text)
    assert r.status == 200, r.body
    assert got == text


def test_unchanged_body_keeps_every_value_and_key(recording_shim):
    # Parsed equality and each value's bytes, whatever happens to the whitespace.
    text = ('{ "max_tokens" :3,\n\t"temperature": 0.50 , "messages":[ {"content":"h\\u00e9llo \\"q\\"",'
            '"role":"user"} ],"model":"' + MODEL + '",  "top_p":1e0, "seed" : 12 }  ')
    r, got = send_raw(recording_shim, CHAT, text)
    assert r.status == 200, r.body
    assert json.loads(got) == json.loads(text)
    for raw in ('0.50', '[ {"content":"h\\u00e9llo \\"q\\"","role":"user"} ]', '1e0'):
        assert raw in got, (raw, got)


def test_rewritten_body_keeps_other_values_exactly(recording_shim):
    text = ('{"model":"' + MODEL + '", "temperature": 0.50, "logprobs": true,\n "top_p":1e0,'
            ' "messages":[{"role":"user","content":"\\u00e9t\\u00e9 \\/ x"}], "request_id":"r-1",'
            ' "stop":["\\n\\n"], "n": null, "max_tokens":3}')
    r, got = send_raw(recording_shim, CHAT, text)
    assert r.status == 200, r.body
    for raw in ('"temperature": 0.50', '"top_p":1e0', '"messages":[{"role":"user","content":"\\u00e9t\\u00e9 \\/ x"}]',
                '"stop":["\\n\\n"]', '"max_tokens":3', '"rid":"r-1"'):
        assert raw in got, (raw, got)
    for gone in ('"logprobs"', '"n"', '"request_id"'):
        assert gone not in got, (gone, got)


@pytest.mark.parametrize("text", ['{"model": "x", "messages": [', '[{"role":"user"}]', '"hello"', 'not json at all'])
def test_bad_bodies_are_forwarded_unchanged_and_answered_in_vllm_shape(recording_shim, text):
    r, got = send_raw(recording_shim, CHAT, text)
    assert got == text  # the engine, not the shim, judged it
    assert_vllm_error(r, 400)


# ---- response errors --------------------------------------------------------------------------------------


def test_sglang_error_keeps_status_in_vllm_shape(shim_factory):
    shim = shim_factory(env={"FAKE_SGLANG_500_EVERY": "1"})
    for path, body in ((CHAT, chat_body()), (COMPLETIONS, completion_body()), (CHAT, chat_body(stream=True))):
        r = shim.post(path, body)
        error = assert_vllm_error(r, 500)
        assert "injected fault" in error["message"]
        assert r.header("Content-Type").startswith("application/json")


def test_sglang_validation_400_reaches_client_in_vllm_shape(recording_shim):
    # n=0: SGLang's own check ("n must be between 1 and 128"), flat ErrorResponse from the engine.
    r, got = send(recording_shim, CHAT, chat_body(n=0))
    assert got is not None
    error = assert_vllm_error(r, 400)
    assert "object" not in error


def test_debug_log_says_what_was_rewritten_never_values(shim_factory):
    shim = shim_factory(env={"VLLM_SGLANG_LOG_LEVEL": "debug"})
    r = shim.post(CHAT, chat_body(logprobs=True, seed=None, request_id="req-secret-42"))
    assert r.status == 200, r.body
    deadline = time.monotonic() + 5 * SLOW
    while "body: " not in shim.logs() and time.monotonic() < deadline:
        time.sleep(0.05)
    notes = [line for line in shim.logs().splitlines() if "POST /v1/chat/completions body: " in line]
    assert len(notes) == 1, shim.logs()[-2000:]
    assert "removed 1 null field(s)" in notes[0] and "stripped logprobs" in notes[0], notes[0]
    assert "request_id" in notes[0] and "req-secret-42" not in shim.logs()
