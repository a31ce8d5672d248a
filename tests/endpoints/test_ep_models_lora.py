"""Served names, /v1/models and runtime LoRA through `vllm serve` and the stand-in
(issue 6 items 1-2), including the production-stack LoRA controller's full cycle
(operator/internal/controller/loraadapter_controller.go: load, status via
/v1/models, duplicate load accepted as "already loaded", unload)."""

import pytest

from endpoints_helpers import VLLM_ERROR_KEYS, chat, error_keys, recorded, recorded_paths, sse_payloads
from harness import DEFAULT_MODEL

CARD_KEYS = ["id", "object", "created", "owned_by", "root", "parent", "max_model_len", "permission"]
CONTEXT_LENGTH = 4096  # given to SGLang only through VLLM_SGLANG_EXTRA_ARGS: the shim must learn it


@pytest.fixture(scope="module")
def lora_shim(module_shims, tmp_path_factory):
    record = tmp_path_factory.mktemp("record") / "requests.jsonl"
    shim = module_shims(
        args=["--served-model-name", "base", "alias", "--enable-lora", "--lora-modules", "boot=/adapters/boot"],
        env={"VLLM_ALLOW_RUNTIME_LORA_UPDATING": "true", "FAKE_SGLANG_RECORD": str(record),
             "VLLM_SGLANG_EXTRA_ARGS": f"--context-length {CONTEXT_LENGTH}"})
    shim.record = record
    return shim


def models(shim, **kw):
    r = shim.get("/v1/models", **kw)
    assert r.status == 200, r.body
    return r.json()


def card(shim, name):
    return next((c for c in models(shim)["data"] if c["id"] == name), None)


def load(shim, name, path, **extra):
    return shim.post("/v1/load_lora_adapter", dict({"lora_name": name, "lora_path": path}, **extra))


def unload(shim, name):
    return shim.post("/v1/unload_lora_adapter", {"lora_name": name})


def test_models_lists_every_served_name_in_vllm_card_shape(lora_shim):
    listing = models(lora_shim)
    assert list(listing.keys()) == ["object", "data"]
    assert listing["object"] == "list"
    base, alias = listing["data"][0], listing["data"][1]
    assert [base["id"], alias["id"]] == ["base", "alias"]
    for c in (base, alias):
        assert list(c.keys()) == CARD_KEYS
        assert c["object"] == "model" and c["owned_by"] == "vllm"
        assert c["root"] == DEFAULT_MODEL and c["parent"] is None
        perm = c["permission"][0]
        assert perm["object"] == "model_permission" and perm["id"].startswith("modelperm-")
        assert perm["allow_sampling"] is True and perm["organization"] == "*" and perm["group"] is None


def test_max_model_len_is_learned_from_sglang_when_not_given(lora_shim):
    # vLLM always reports the model's length; without --max-model-len the shim asks SGLang.
    for c in models(lora_shim)["data"][:2]:
        assert c["max_model_len"] == CONTEXT_LENGTH
    r = lora_shim.post("/tokenize", {"prompt": "hello world"})
    assert r.status == 200 and r.json()["max_model_len"] == CONTEXT_LENGTH


def test_startup_lora_module_is_a_card_and_runs(lora_shim):
    c = card(lora_shim, "boot")
    assert c is not None and c["parent"] == "base" and c["root"] == "/adapters/boot"
    assert c["max_model_len"] is None  # LoRA cards carry none (ModelCard default)
    r = chat(lora_shim, "boot")
    assert r.status == 200, r.body
    assert r.json()["model"] == "boot"
    assert r.json()["choices"][0]["message"]["content"].startswith("[lora:boot]")


@pytest.mark.parametrize("sent,answered", [(None, "base"), ("", "base"), ("base", "base"), ("alias", "alias")])
def test_served_names_run_the_base_model_under_the_name_sent(lora_shim, sent, answered):
    # serving_engine.py _get_model_name: the requested name, else the first served name.
    r = chat(lora_shim, sent)
    assert r.status == 200, r.body
    assert r.json()["model"] == answered
    assert "[lora:" not in r.json()["choices"][0]["message"]["content"]


def test_unknown_model_is_vllms_404(lora_shim):
    r = chat(lora_shim, "no-such-model")
    assert r.status == 404
    assert r.json() == {"error": {"message": "The model `no-such-model` does not exist.", "type": "NotFoundError",
                                  "param": "model", "code": 404}}
    assert error_keys(r) == VLLM_ERROR_KEYS
    r = lora_shim.post("/v1/completions", {"model": "no-such-model", "prompt": "hi", "max_tokens": 2})
    assert r.status == 404 and r.json()["error"]["type"] == "NotFoundError"


def test_lora_controller_full_cycle(lora_shim):
    name, path = "sql-lora", "/adapters/sql-lora"
    # 1. load (controller: POST, JSON body, 200 = success)
    r = load(lora_shim, name, path)
    assert r.status == 200, r.body
    assert r.body.decode() == f"Success: LoRA adapter '{name}' added successfully."
    assert any(x["path"] == "/load_lora_adapter" for x in recorded(lora_shim.record))
    # 2. status: loaded iff a card has parent != null and id == adapter name; root = path
    c = card(lora_shim, name)
    assert c is not None and c["parent"] == "base" and c["root"] == path and isinstance(c["created"], int)
    # 3. load again: 400 with top-level message/type that the controller accepts as "already loaded"
    r = load(lora_shim, name, path)
    assert r.status == 400
    body = r.json()
    assert "has already been loaded" in body["message"] and body["type"] == "InvalidUserInput"
    assert body["error"]["type"] == "InvalidUserInput" and body["error"]["code"] == 400
    # 4. a request with the adapter's name runs the adapter (the stand-in marks its output) and keeps the name
    r = chat(lora_shim, name)
    assert r.status == 200, r.body
    assert r.json()["model"] == name
    assert r.json()["choices"][0]["message"]["content"].startswith(f"[lora:{name}]")
    sent = [x for x in recorded(lora_shim.record) if x["path"] == "/v1/chat/completions"][-1]
    assert f'"lora_path":"{name}"' in sent["body"]
    r = chat(lora_shim, name, stream=True)
    assert r.status == 200
    chunks = sse_payloads(r)
    assert chunks and all(ch["model"] == name for ch in chunks)
    assert "".join(ch["choices"][0]["delta"].get("content") or "" for ch in chunks).startswith(f"[lora:{name}]")
    # 5. unload
    r = unload(lora_shim, name)
    assert r.status == 200, r.body
    assert r.body.decode() == f"Success: LoRA adapter '{name}' removed successfully."
    assert card(lora_shim, name) is None
    assert chat(lora_shim, name).status == 404


def test_load_inplace_replaces_the_adapter(lora_shim):
    assert load(lora_shim, "swap", "/adapters/v1").status == 200
    r = load(lora_shim, "swap", "/adapters/v2", load_inplace=True)
    assert r.status == 200, r.body
    assert card(lora_shim, "swap")["root"] == "/adapters/v2"
    assert chat(lora_shim, "swap").json()["choices"][0]["message"]["content"].startswith("[lora:swap]")
    assert unload(lora_shim, "swap").status == 200


def test_adapter_name_with_colon_is_not_split_by_sglang(lora_shim):
    # SGLang reads "a:b" as base:adapter; the shim sends a neutral name and renames the answer back.
    assert load(lora_shim, "team:v1", "/adapters/team").status == 200
    try:
        r = lora_shim.post("/v1/completions", {"model": "team:v1", "prompt": "hi", "max_tokens": 3})
        assert r.status == 200, r.body
        assert r.json()["model"] == "team:v1"
        assert r.json()["choices"][0]["text"].startswith("[lora:team:v1]")
        r = lora_shim.post("/v1/completions", {"model": "team:v1", "prompt": "hi", "max_tokens": 3, "stream": True})
        assert r.status == 200
        assert all(ch["model"] == "team:v1" for ch in sse_payloads(r))
    finally:
        unload(lora_shim, "team:v1")


def test_adapter_name_with_colon_on_a_prefix_routed_path(lora_shim):
    # /v1/responses has no route of its own; the gates must still select the model exactly once.
    assert load(lora_shim, "emb:v1", "/adapters/emb").status == 200
    try:
        lora_shim.post("/v1/responses", {"model": "emb:v1", "input": "hi"})
        sent = [x for x in recorded(lora_shim.record) if x["path"] == "/v1/responses"]
        assert sent, "the request must reach SGLang, not be refused by the shim"
        assert '"lora_path":"emb:v1"' in sent[-1]["body"]
    finally:
        unload(lora_shim, "emb:v1")


@pytest.mark.parametrize("body,status,kind", [
    ({"lora_name": "x"}, 400, "Bad Request"),                        # lora_path missing (pydantic)
    ({"lora_path": "/a"}, 400, "Bad Request"),                       # lora_name missing
    ({"lora_name": 5, "lora_path": "/a"}, 400, "Bad Request"),       # wrong type
    ({"lora_name": "", "lora_path": "/a"}, 400, "InvalidUserInput"),
    ({"lora_name": "x", "lora_path": ""}, 400, "InvalidUserInput"),
    ({"lora_name": "x", "lora_path": "/a", "load_inplace": "yes"}, 400, "Bad Request"),
])
def test_load_validation_errors(lora_shim, body, status, kind):
    before = recorded_paths(lora_shim.record).count("/load_lora_adapter")
    r = lora_shim.post("/v1/load_lora_adapter", body)
    assert r.status == status, r.body
    assert r.json()["error"]["type"] == kind and r.json()["type"] == kind
    assert r.json()["error"]["code"] == status
    assert recorded_paths(lora_shim.record).count("/load_lora_adapter") == before, "SGLang must not be called"


def test_load_body_not_json_is_400(lora_shim):
    r = lora_shim.post("/v1/load_lora_adapter", "not json", headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.json()["error"]["code"] == 400


def test_unload_unknown_adapter_is_404(lora_shim):
    r = unload(lora_shim, "never-loaded")
    assert r.status == 404
    assert r.json()["error"]["type"] == "NotFoundError" and "never-loaded" in r.json()["error"]["message"]
    r = lora_shim.post("/v1/unload_lora_adapter", {})
    assert r.status == 400


def test_startup_adapter_can_be_unloaded_and_loaded_again(lora_shim):
    assert load(lora_shim, "boot", "/adapters/boot").status == 400  # already loaded at start-up
    assert unload(lora_shim, "boot").status == 200
    assert card(lora_shim, "boot") is None
    assert load(lora_shim, "boot", "/adapters/boot").status == 200
    assert card(lora_shim, "boot")["root"] == "/adapters/boot"


def test_lora_admin_routes_only_take_post(lora_shim):
    r = lora_shim.get("/v1/load_lora_adapter")
    assert r.status in (404, 405)
    assert not any(x["path"] == "/v1/load_lora_adapter" for x in recorded(lora_shim.record))
