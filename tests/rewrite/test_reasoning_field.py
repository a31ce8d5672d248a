"""A reasoning model's answers in vLLM's field name. With --reasoning-parser, SGLang puts the
thinking in `reasoning_content` (python/sglang/srt/entrypoints/openai/protocol.py @8905cbd4);
vLLM calls it `reasoning` (vllm/entrypoints/openai/chat_completion/protocol.py @9aaf83ef,
ChatMessage.reasoning and DeltaMessage.reasoning), and VLLM_SGLANG_REASONING_FIELD picks
`reasoning`, `reasoning_content` or `both`."""

import importlib.util
import json
from pathlib import Path

import pytest

from harness import run_binary

# This folder's conftest by path: another folder's conftest may already be the module "conftest".
_spec = importlib.util.spec_from_file_location("rewrite_conftest", Path(__file__).with_name("conftest.py"))
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)
Recorded = _conftest.Recorded

CHAT = {"model": "Qwen/Qwen2.5-0.5B-Instruct", "messages": [{"role": "user", "content": "think"}], "max_tokens": 8}


def deltas(response):
    out = []
    for block in response.body.decode().split("\n\n"):
        if block.startswith("data: {"):
            for choice in json.loads(block[6:])["choices"]:
                out.append(choice["delta"])
    return out


@pytest.fixture(scope="module")
def reasoning_shims(tmp_path_factory):
    from harness import make_shim_factory
    tmp = tmp_path_factory.mktemp("reasoning")
    start, stop_all = make_shim_factory(tmp)
    record = tmp / "record.jsonl"
    shims = {field: start(args=["--reasoning-parser", "qwen3"],
                          env={"VLLM_SGLANG_REASONING_FIELD": field, "FAKE_SGLANG_RECORD": str(record)})
             for field in ("reasoning", "reasoning_content", "both")}
    shims["none"] = start()
    for shim in shims.values():
        shim.recorded = Recorded(record)
    yield shims
    stop_all()


def test_answers_carry_vllms_reasoning_field(reasoning_shims):
    message = reasoning_shims["reasoning"].post("/v1/chat/completions", CHAT).json()["choices"][0]["message"]
    assert isinstance(message["reasoning"], str) and message["reasoning"]
    assert message["content"]
    assert "reasoning_content" not in message
    assert list(message) == ["role", "content", "reasoning", "tool_calls"]  # SGLang's order, renamed in place


def test_streamed_deltas_carry_it_too(reasoning_shims):
    r = reasoning_shims["reasoning"].post("/v1/chat/completions", {**CHAT, "stream": True})
    assert r.status == 200
    ds = deltas(r)
    reasoning = "".join(d.get("reasoning") or "" for d in ds)
    content = "".join(d.get("content") or "" for d in ds)
    assert reasoning and content
    assert not any("reasoning_content" in d for d in ds)


def test_the_setting_keeps_sglangs_name_or_both(reasoning_shims):
    old = reasoning_shims["reasoning_content"].post("/v1/chat/completions", CHAT).json()["choices"][0]["message"]
    assert old["reasoning_content"] and "reasoning" not in old
    both = reasoning_shims["both"].post("/v1/chat/completions", CHAT).json()["choices"][0]["message"]
    assert both["reasoning"] == both["reasoning_content"] == old["reasoning_content"]
    ds = deltas(reasoning_shims["both"].post("/v1/chat/completions", {**CHAT, "stream": True}))
    assert any(d.get("reasoning") and d.get("reasoning") == d.get("reasoning_content") for d in ds)


def test_without_a_reasoning_parser_answers_are_untouched(reasoning_shims):
    message = reasoning_shims["none"].post("/v1/chat/completions", CHAT).json()["choices"][0]["message"]
    assert message["reasoning_content"] is None and "reasoning" not in message  # SGLang's answer as it is


def test_history_reasoning_reaches_sglang_as_reasoning_content(reasoning_shims):
    shim = reasoning_shims["reasoning"]
    mark = shim.recorded.mark()
    history = {**CHAT, "messages": [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": "a", "reasoning": "since q"},
        {"role": "user", "content": "and?"}]}
    assert shim.post("/v1/chat/completions", history).status == 200
    sent = json.loads(shim.recorded.since(mark)[-1]["body"])
    assert sent["messages"][1] == {"role": "assistant", "content": "a", "reasoning_content": "since q"}
    assert sent["messages"][0] == {"role": "user", "content": "q"}


def test_thinking_turned_off_gives_no_reasoning(reasoning_shims):
    body = {**CHAT, "chat_template_kwargs": {"enable_thinking": False}}
    message = reasoning_shims["reasoning"].post("/v1/chat/completions", body).json()["choices"][0]["message"]
    assert message["reasoning"] is None and message["content"]


@pytest.mark.parametrize("field", ["reasoning", "reasoning_content", "both"])
def test_include_reasoning_false_leaves_the_reasoning_out(reasoning_shims, field):
    # vLLM @9aaf83ef vllm/entrypoints/openai/chat_completion/serving.py: with include_reasoning
    # false the message's reasoning is None; SGLang has no such field and keeps it.
    shim = reasoning_shims[field]
    body = {**CHAT, "include_reasoning": False}
    full = shim.post("/v1/chat/completions", CHAT).json()["choices"][0]["message"]
    message = shim.post("/v1/chat/completions", body).json()["choices"][0]["message"]
    assert message["content"] == full["content"]
    for key in ("reasoning", "reasoning_content"):
        assert message.get(key) is None, (key, message)
    ds = deltas(shim.post("/v1/chat/completions", {**body, "stream": True}))
    assert "".join(d.get("content") or "" for d in ds) == full["content"]
    assert not any(d.get("reasoning") or d.get("reasoning_content") for d in ds)
    # include_reasoning true (vLLM's default) changes nothing.
    again = shim.post("/v1/chat/completions", {**CHAT, "include_reasoning": True}).json()["choices"][0]["message"]
    assert again == full


def test_api_key_gate_still_holds(tmp_path):
    from harness import make_shim_factory
    start, stop_all = make_shim_factory(tmp_path)
    try:
        shim = start(args=["--reasoning-parser", "qwen3", "--api-key", "k"])
        assert shim.post("/v1/chat/completions", CHAT).status == 401
        r = shim.post("/v1/chat/completions", CHAT, headers={"Authorization": "Bearer k"})
        assert r.status == 200 and r.json()["choices"][0]["message"]["reasoning"]
    finally:
        stop_all()


def test_a_bad_setting_is_a_one_line_error():
    out = run_binary("vllm", ["serve", "m", "--reasoning-parser", "qwen3"], {"VLLM_SGLANG_REASONING_FIELD": "thoughts"})
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "VLLM_SGLANG_REASONING_FIELD" in out.stderr, out.stderr
