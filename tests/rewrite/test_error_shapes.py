"""Errors in vLLM's shape, streamed and not, from an engine that fails mid-stream as SGLang does.

vLLM sends a mid-stream error as one `data: {"error":{message,type,param,code}}` frame followed by `[DONE]`
(vLLM @9aaf83ef vllm/entrypoints/openai/engine/serving.py create_streaming_error_response); SGLang sends
`data: {"error": {"object": "error", ...}}` (SGLang @8905cbd4 python/sglang/srt/entrypoints/openai/serving_base.py),
older versions the flat ErrorResponse. sse_error_engine.py plays SGLang here because the stand-in never fails inside a stream.
"""

import http.client
import json
from pathlib import Path

import pytest

from harness import SLOW

ENGINE = Path(__file__).resolve().parent / "sse_error_engine.py"


def stream_frames(shim, body):
    conn = http.client.HTTPConnection("127.0.0.1", shim.port, timeout=10 * SLOW)
    try:
        conn.request("POST", "/v1/chat/completions", body=json.dumps(body),
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        assert r.status == 200
        assert r.getheader("Content-Type").startswith("text/event-stream")
        text = r.read().decode()
    finally:
        conn.close()
    assert text.endswith("\n\n"), repr(text)
    return [frame for frame in text.split("\n\n") if frame]


@pytest.mark.parametrize("shape", ["nested", "flat"])
def test_mid_stream_error_frame_in_vllm_shape(shim_factory, shape):
    shim = shim_factory(env={"VLLM_SGLANG_LAUNCHER": f"/usr/bin/python3 {ENGINE}", "ENGINE_ERROR_SHAPE": shape})
    frames = stream_frames(shim, {"model": "Qwen/Qwen2.5-0.5B-Instruct", "stream": True,
                                  "messages": [{"role": "user", "content": "hi"}]})
    assert len(frames) == 3, frames
    first = json.loads(frames[0].removeprefix("data: "))
    assert first["choices"][0]["delta"]["content"] == "Hi"  # ordinary frames pass untouched
    assert frames[1].startswith("data: ")
    error = json.loads(frames[1].removeprefix("data: "))
    assert list(error) == ["error"], error
    assert list(error["error"]) == ["message", "type", "param", "code"], error
    assert error["error"]["message"] == "Generation failed: sequence too long for the KV cache"
    assert error["error"]["type"] == "BadRequestError"
    assert error["error"]["param"] is None
    assert error["error"]["code"] == 400
    assert frames[2] == "data: [DONE]"


def test_non_streamed_error_from_the_same_engine(shim_factory):
    shim = shim_factory(env={"VLLM_SGLANG_LAUNCHER": f"/usr/bin/python3 {ENGINE}"})
    r = shim.post("/v1/chat/completions", {"model": "Qwen/Qwen2.5-0.5B-Instruct",
                                           "messages": [{"role": "user", "content": "hi"}]})
    assert r.status == 400
    assert r.json() == {"error": {"message": "Generation failed: sequence too long for the KV cache",
                                  "type": "BadRequestError", "param": None, "code": 400}}
