"""API keys (issue 6 item 6; vllm/entrypoints/openai/server_utils.py
AuthenticationMiddleware) and request ids (item 7) through `vllm serve`."""

import re

import pytest

from endpoints_helpers import CHAT, chat, recorded, recording_shim, sse_payloads

KEYS = ["first-key-123", "second-key-456"]


@pytest.fixture(scope="module")
def keyed(module_shims, tmp_path_factory):
    # --api-key wins over VLLM_API_KEY (vllm/entrypoints/openai/api_server.py).
    return recording_shim(module_shims, tmp_path_factory, args=["--api-key", *KEYS],
                          env={"VLLM_API_KEY": "env-key-789"})


@pytest.fixture(scope="module")
def env_keyed(module_shims):
    return module_shims(env={"VLLM_API_KEY": "env-only-key"})


@pytest.fixture(scope="module")
def with_ids(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--enable-request-id-headers"])


@pytest.fixture(scope="module")
def without_ids(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory)


def bearer(key, scheme="Bearer"):
    return {"Authorization": f"{scheme} {key}"}


@pytest.mark.parametrize("method,path", [
    ("GET", "/v1/models"), ("POST", "/v1/chat/completions"), ("POST", "/v1/completions"),
    ("POST", "/v1/embeddings"), ("POST", "/v2/rerank"), ("POST", "/inference/v1/generate"), ("GET", "/v1x"),
])
def test_guarded_paths_answer_401_without_a_valid_key(keyed, method, path):
    body = CHAT if method == "POST" else None
    for headers in (None, bearer("wrong"), bearer("env-key-789"), {"Authorization": KEYS[0]},
                    bearer(KEYS[0], "Basic")):
        r = keyed.request(method, path, body=body, headers=headers)
        assert r.status == 401, (headers, r.body)
        assert r.json() == {"error": "Unauthorized"}


def test_every_key_is_accepted_and_the_scheme_is_case_insensitive(keyed):
    for key in KEYS:
        assert keyed.get("/v1/models", headers=bearer(key)).status == 200
    assert keyed.get("/v1/models", headers=bearer(KEYS[1], "bearer")).status == 200
    assert chat(keyed, headers=bearer(KEYS[0], "BEARER")).status == 200


def test_a_second_key_works_on_proxied_routes(keyed):
    r = chat(keyed, headers=bearer(KEYS[1]))
    assert r.status == 200, r.body


@pytest.mark.parametrize("method,path", [
    ("GET", "/health"), ("GET", "/ping"), ("GET", "/metrics"), ("GET", "/version"), ("GET", "/load"),
    ("OPTIONS", "/v1/models"),
    ("OPTIONS", "/v1/chat/completions"),
])
def test_exempt_paths_need_no_key(keyed, method, path):
    r = keyed.request(method, path)
    assert r.status != 401, r.body


def test_tokenize_is_exempt_and_the_shims_own_call_carries_the_key(keyed):
    r = keyed.post("/tokenize", {"prompt": "hello"})
    assert r.status == 200, r.body  # the stand-in enforces --api-key: the shim's call had it
    sent = [x for x in recorded(keyed.record) if x["path"] == "/tokenize"][-1]
    assert sent["headers"].get("authorization") == f"Bearer {KEYS[0]}"


def test_sglang_gets_the_key_and_keys_are_never_logged(keyed):
    assert chat(keyed, headers=bearer(KEYS[0])).status == 200
    keyed.get("/v1/models", headers=bearer("near-miss-" + KEYS[0]))
    logs = keyed.logs()
    # The stand-in's own log echoes its argv with --api-key; only the shim's lines matter here.
    shim_lines = "\n".join(line for line in logs.splitlines() if "[vllm-sglang-shim]" in line)
    assert shim_lines, logs
    for secret in KEYS + ["env-key-789"]:
        assert secret not in shim_lines


def test_vllm_api_key_env_alone_guards(env_keyed):
    assert env_keyed.get("/v1/models").status == 401
    assert env_keyed.get("/v1/models", headers=bearer("env-only-key")).status == 200
    assert chat(env_keyed, headers=bearer("env-only-key")).status == 200


def test_incoming_request_id_is_passed_to_sglang(without_ids):
    r = chat(without_ids, headers={"X-Request-Id": "client-id-1"})
    assert r.status == 200
    assert r.header("X-Request-Id") is None  # only with --enable-request-id-headers
    sent = [x for x in recorded(without_ids.record) if x["path"] == "/v1/chat/completions"][-1]
    assert sent["headers"].get("x-request-id") == "client-id-1"


@pytest.mark.parametrize("method,path,body", [
    ("GET", "/v1/models", None),                       # answered locally
    ("GET", "/version", None),                         # answered asynchronously
    ("POST", "/tokenize", {"prompt": "a b"}),
    ("POST", "/v1/chat/completions", CHAT),            # proxied
    ("POST", "/v1/chat/completions", dict(CHAT, stream=True)),  # SSE
    ("POST", "/v1/chat/completions", dict(CHAT, model="nope")),  # error
    ("GET", "/health", None),
])
def test_every_answer_carries_the_request_id(with_ids, method, path, body):
    r = with_ids.request(method, path, body=body, headers={"X-Request-Id": "abc-123"})
    assert r.header("X-Request-Id") == "abc-123", (r.status, r.headers)
    r = with_ids.request(method, path, body=body)
    assert re.fullmatch(r"[0-9a-f]{32}", r.header("X-Request-Id") or ""), r.headers


def test_stream_with_request_id_is_intact(with_ids):
    r = chat(with_ids, stream=True, headers={"X-Request-Id": "stream-9"})
    assert r.status == 200 and r.header("X-Request-Id") == "stream-9"
    assert sse_payloads(r) and r.body.decode().rstrip().endswith("data: [DONE]")
