"""Successful chat answers in vLLM's response shape where SGLang's differs: a message's
`tool_calls` is a list, never null (vLLM @9aaf83ef vllm/entrypoints/openai/chat_completion/
protocol.py, ChatMessage; SGLang @8905cbd4 python/sglang/srt/entrypoints/openai/protocol.py
sends null when there are none)."""

import json

CHAT = {"model": "Qwen/Qwen2.5-0.5B-Instruct", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4}
TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]


def test_a_plain_answer_has_an_empty_tool_call_list(shim):
    r = shim.post("/v1/chat/completions", CHAT)
    assert r.status == 200
    message = r.json()["choices"][0]["message"]
    assert message["tool_calls"] == []
    assert r.header("content-length") == str(len(r.body))


def test_a_tool_call_answer_keeps_its_calls(shim_factory):
    shim = shim_factory(args=["--enable-auto-tool-choice", "--tool-call-parser", "hermes"])
    message = shim.post("/v1/chat/completions", {**CHAT, "tools": TOOLS}).json()["choices"][0]["message"]
    assert len(message["tool_calls"]) == 1 and message["tool_calls"][0]["function"]["name"] == "get_weather"


def test_every_choice_is_fixed_and_streams_are_untouched(shim):
    body = shim.post("/v1/chat/completions", {**CHAT, "n": 3}).json()
    assert [c["message"]["tool_calls"] for c in body["choices"]] == [[], [], []]
    r = shim.post("/v1/chat/completions", {**CHAT, "stream": True})
    frames = [json.loads(b[6:]) for b in r.body.decode().split("\n\n") if b.startswith("data: {")]
    assert frames and all("tool_calls" not in f["choices"][0]["delta"] for f in frames if f["choices"])
