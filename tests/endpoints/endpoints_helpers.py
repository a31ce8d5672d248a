"""Helpers of the endpoint-parity suite: the stand-in's request record and
small polling loops (bounded, scaled by SLOW)."""

import json
import time

from harness import SLOW

CHAT = {"messages": [{"role": "user", "content": "hello"}], "max_tokens": 3}
# vLLM's ErrorResponse member order (vllm/entrypoints/openai/engine/protocol.py ErrorInfo).
VLLM_ERROR_KEYS = ["message", "type", "param", "code"]


def recorded(path):
    """Requests the stand-in received (FAKE_SGLANG_RECORD), oldest first."""
    try:
        text = path.read_text()
    except OSError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def recorded_paths(path):
    return [r["path"] for r in recorded(path)]


def wait_for(predicate, timeout=10.0, interval=0.05, what="condition"):
    """Polls until predicate() is truthy; returns its value or fails after timeout*SLOW."""
    deadline = time.monotonic() + timeout * SLOW
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def error_keys(response):
    """The member order of a vLLM error body, read from the bytes (json.loads keeps order)."""
    return list(response.json()["error"].keys())


def chat(shim, model=None, stream=False, headers=None, **extra):
    body = dict(CHAT, **extra)
    if model is not None:
        body["model"] = model
    if stream:
        body["stream"] = True
    return shim.post("/v1/chat/completions", body, headers=headers)


def sse_payloads(response):
    """The JSON payloads of an SSE body (without [DONE])."""
    out = []
    for line in response.body.decode().splitlines():
        if line.startswith("data: ") and line != "data: [DONE]":
            out.append(json.loads(line[6:]))
    return out


def metric_value(text, name, labels):
    """The value of one Prometheus sample whose labels include `labels` (dict), else None."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def recording_shim(module_shims, tmp_path_factory, args=None, env=None):
    """A module-scoped shim whose stand-in records every request it gets (shim.record)."""
    record = tmp_path_factory.mktemp("record") / "requests.jsonl"
    shim = module_shims(args=args, env={**(env or {}), "FAKE_SGLANG_RECORD": str(record)})
    shim.record = record
    return shim
