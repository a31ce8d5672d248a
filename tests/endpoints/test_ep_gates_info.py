"""vLLM's environment gates (a gated route answers FastAPI's 404 when its
variable is off, and SGLang never sees it), /version, /load, /tokenize and
/detokenize through `vllm serve` and the stand-in (issue 6 items 2-5)."""

import threading

import pytest

from endpoints_helpers import VLLM_ERROR_KEYS, error_keys, metric_value, recorded, recorded_paths, wait_for
from harness import REPO, SLOW

GATED = [
    ("POST", "/v1/load_lora_adapter", {"lora_name": "x", "lora_path": "/x"}),
    ("POST", "/v1/unload_lora_adapter", {"lora_name": "x"}),
    ("POST", "/sleep", None),
    ("POST", "/wake_up", None),
    ("GET", "/is_sleeping", None),
    ("GET", "/server_info", None),
]


@pytest.fixture(scope="module")
def plain_shim(module_shims, tmp_path_factory):
    """No VLLM_ALLOW_RUNTIME_LORA_UPDATING, no VLLM_SERVER_DEV_MODE; a slow first token so /load can see work."""
    record = tmp_path_factory.mktemp("record") / "requests.jsonl"
    shim = module_shims(args=["--max-model-len", "2048", "--enable-lora", "--enable-sleep-mode"],
                        env={"FAKE_SGLANG_RECORD": str(record), "FAKE_SGLANG_TTFT_MS": "1500"})
    shim.record = record
    return shim


@pytest.fixture(scope="module")
def off_values_shim(module_shims):
    """The gates read 1/true only; other values keep the routes off, as in vLLM (envs.py)."""
    return module_shims(env={"VLLM_ALLOW_RUNTIME_LORA_UPDATING": "0", "VLLM_SERVER_DEV_MODE": "0"})


@pytest.mark.parametrize("method,path,body", GATED)
def test_gated_route_is_fastapis_404_when_its_variable_is_unset(plain_shim, method, path, body):
    r = plain_shim.request(method, path, body=body)
    assert r.status == 404
    assert r.json() == {"detail": "Not Found"}
    assert path not in recorded_paths(plain_shim.record), "a gated route must not reach SGLang"


@pytest.mark.parametrize("method,path,body", GATED)
def test_gated_route_is_404_when_its_variable_is_zero(off_values_shim, method, path, body):
    r = off_values_shim.request(method, path, body=body)
    assert r.status == 404 and r.json() == {"detail": "Not Found"}


def test_sleep_state_gauge_is_awake_without_dev_mode(plain_shim):
    text = plain_shim.get("/metrics").body.decode()
    assert metric_value(text, "vllm:engine_sleep_state", {"sleep_state": "awake"}) == 1.0
    assert metric_value(text, "vllm:engine_sleep_state", {"sleep_state": "weights_offloaded"}) == 0.0


def test_version(plain_shim):
    r = plain_shim.get("/version")
    assert r.status == 200
    body = r.json()
    # vLLM's shape (a route build_app attaches, vllm/entrypoints/openai/api_server.py @9aaf83ef): "version" is vLLM's,
    # the release of the vLLM API the shim follows; the shim's own is beside it.
    assert body["version"] == "0.22.0"
    assert body["shim_version"] == (REPO / "VERSION").read_text().strip()
    assert body["engine"] == "sglang"
    # The stand-in reports a version in /server_info; the shim passes it on.
    assert isinstance(body["engine_version"], str) and body["engine_version"]


def test_load_counts_requests_in_flight(plain_shim):
    assert plain_shim.get("/load").json() == {"server_load": 0}
    results = []

    def run():
        results.append(plain_shim.post("/v1/completions", {"prompt": "hi", "max_tokens": 2}, timeout=30))

    workers = [threading.Thread(target=run) for _ in range(2)]
    for w in workers:
        w.start()
    try:
        wait_for(lambda: plain_shim.get("/load").json()["server_load"] == 2, timeout=5, what="server_load 2")
    finally:
        for w in workers:
            w.join(30 * SLOW)
    assert [r.status for r in results] == [200, 200]
    wait_for(lambda: plain_shim.get("/load").json()["server_load"] == 0, timeout=5, what="server_load back to 0")


def test_tokenize_completion_style(plain_shim):
    r = plain_shim.post("/tokenize", {"prompt": "hello big world"})
    assert r.status == 200, r.body
    body = r.json()
    assert list(body.keys()) == ["count", "max_model_len", "tokens", "token_strs"]
    assert body["count"] == len(body["tokens"]) == 3
    assert body["max_model_len"] == 2048
    assert body["token_strs"] is None
    assert all(isinstance(t, int) for t in body["tokens"])


def test_tokenize_chat_style_sends_messages(plain_shim):
    messages = [{"role": "user", "content": "hello there"}]
    r = plain_shim.post("/tokenize", {"messages": messages})
    assert r.status == 200, r.body
    assert r.json()["count"] >= 2
    sent = [x for x in recorded(plain_shim.record) if x["path"] == "/tokenize"][-1]
    assert '"messages"' in sent["body"] and '"add_generation_prompt":true' in sent["body"]


def test_tokenize_token_strs_and_detokenize_round_trip(plain_shim):
    # Words of the stand-in's vocabulary (src/fake_sglang/generator.cc), so ids decode back.
    r = plain_shim.post("/tokenize", {"prompt": "quick brown fox", "return_token_strs": True})
    assert r.status == 200, r.body
    body = r.json()
    assert body["count"] == 3
    assert body["token_strs"] == ["quick", "brown", "fox"]
    singles = [x for x in recorded(plain_shim.record) if x["path"] == "/detokenize"][-3:]
    assert [x["body"] for x in singles] == [f'{{"skip_special_tokens":false,"tokens":[{t}]}}' for t in body["tokens"]]
    r = plain_shim.post("/detokenize", {"tokens": body["tokens"]})
    assert r.status == 200, r.body
    assert r.json() == {"prompt": "quick brown fox"}


@pytest.mark.parametrize("path,body,status,param", [
    ("/tokenize", {"prompt": "x", "model": "nope"}, 404, "model"),
    ("/tokenize", {"prompt": "x", "add_special_tokens": "yes"}, 400, "add_special_tokens"),
    ("/tokenize", {"messages": "not a list"}, 400, "messages"),
    ("/tokenize", {"messages": [], "add_generation_prompt": True, "continue_final_message": True}, 400, None),
    ("/tokenize", [1, 2], 400, None),
    ("/detokenize", {"tokens": [1, -2]}, 400, "tokens"),
    ("/detokenize", {"tokens": "abc"}, 400, "tokens"),
    ("/detokenize", {"tokens": [1], "model": "nope"}, 404, "model"),
])
def test_tokenizer_route_errors_are_vllm_shaped(plain_shim, path, body, status, param):
    r = plain_shim.post(path, body)
    assert r.status == status, r.body
    assert error_keys(r) == VLLM_ERROR_KEYS
    assert r.json()["error"]["code"] == status and r.json()["error"]["param"] == param


def test_tokenize_malformed_json_is_400(plain_shim):
    r = plain_shim.post("/tokenize", "{oops", headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.json()["error"]["code"] == 400
