"""vLLM's gates under every spelling of a path (issue 13 items 1, 2 and 4).

The stand-in's HTTP layer routes a path the way uvicorn hands it to Starlette
(fragment dropped, percent-decoded once), and it serves SGLang's own routes
(/generate, /encode, ...) and its admin routes: a request the front door lets
through shows up in the stand-in's request record, and its answer says it was
served. SGLang's /server_info carries api_key and admin_api_key, as the real
one does (python/sglang/srt/entrypoints/http_server.py @8905cbd4,
get_server_info returns dataclasses.asdict(server_args)).
"""

import json
import socket

import pytest

from endpoints_helpers import recorded, recording_shim
from harness import SLOW

KEY = "sk-gate-test-key-0123456789"
ADMIN_KEY = "sk-admin-test-key-9876543210"
AUTH = {"Authorization": "Bearer " + KEY}

ADMIN_PATHS = ["/flush_cache", "/abort_request", "/update_weights_from_disk", "/release_memory_occupation",
               "/load_lora_adapter", "/start_profile", "/set_internal_state", "/get_server_info",
               "/hicache/storage-backend", "/pause_generation", "/slow_down"]

# SGLang's routes that a vLLM server does not have (sglang http_server.py @8905cbd4).
SGLANG_ONLY = ["/generate", "/encode", "/v1/classify", "/api/generate", "/api/chat", "/api/tags", "/api/show",
               "/vertex_generate", "/open_session", "/close_session", "/parse_function_call",
               "/separate_reasoning", "/get_model_info", "/model_info", "/v1/loads", "/get_load", "/"]


def spellings(path):
    """(target, refused_with_400) for other ways to write `path`."""
    first = path[1]
    encoded_first = "/%{:02X}{}".format(ord(first), path[2:])
    return [
        (path, False),
        (path + "#frag", True),
        (path + "#", True),
        (path + "?x=1#frag", True),
        (encoded_first, False),
        (path.replace("_", "%5f"), False),
        ("/" + path, False),
        (path + "/", False),
        (path.replace("/", "//"), False),
        ("/v1/.." + path, True),
        ("/." + path, True),
        ("/v1/%2e%2e" + path, True),
        ("/x/%2E%2E/" + path[1:], True),
        ("http://127.0.0.1" + path, False),
        ("http://127.0.0.1" + path + "#x", True),
        ("HTTP://engine:1" + path, False),
    ]


def raw_request(port, method, target, headers=None, body=b""):
    """Sends exactly `target` on the request line; returns (status, body)."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
             f"Content-Length: {len(body)}"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    data = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    with socket.create_connection(("127.0.0.1", port), timeout=10 * SLOW) as s:
        s.sendall(data)
        reply = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    head, _, rest = reply.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, rest


@pytest.fixture(scope="module")
def keyed_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--api-key", KEY])


@pytest.fixture(scope="module")
def open_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory)


def forwarded(shim):
    """Requests the front door forwarded for a client: they carry X-Forwarded-For,
    unlike the shim's own calls (health checks, the /metrics and /v1/loads scrapes)."""
    return [r for r in recorded(shim.record) if "x-forwarded-for" in r["headers"]]


def engine_saw(shim, path):
    """Whether the stand-in routed a client's request to `path` (decoded as uvicorn does)."""
    return any(r["route_path"] == path for r in forwarded(shim))


@pytest.mark.parametrize("path", ADMIN_PATHS)
@pytest.mark.parametrize("shim_name", ["keyed_shim", "open_shim"])
def test_no_spelling_of_an_admin_route_reaches_the_engine(request, shim_name, path):
    shim = request.getfixturevalue(shim_name)
    for target, refused in spellings(path):
        status, body = raw_request(shim.port, "POST", target, headers=AUTH, body=b"{}")
        expected = 400 if refused else 404
        assert status == expected, (target, status, body[:200])
        if expected == 404:
            assert json.loads(body) == {"detail": "Not Found"}, target
        else:
            assert "error" in json.loads(body), target
    first_segment = path.strip("/").split("/")[0]
    requested = [r["path"] for r in forwarded(shim) if r["route_path"].lstrip("/").startswith(first_segment)]
    assert requested == [], f"the engine received {requested}"


@pytest.mark.parametrize("path", SGLANG_ONLY)
def test_sglang_only_routes_answer_vllms_404_with_or_without_a_key(keyed_shim, path):
    for headers in ({}, AUTH):
        for target, refused in spellings(path) if path != "/" else [("/", False)]:
            status, body = raw_request(keyed_shim.port, "POST", target, headers=headers, body=b'{"text": "hi"}')
            assert status in (400, 401, 404), (target, status)
            if not refused and not target.startswith(("/v1", "/%76")) and "/v1/" not in target:
                assert status == 404 and json.loads(body) == {"detail": "Not Found"}, (target, status, body)
    assert not engine_saw(keyed_shim, path), f"{path} reached the engine"


def test_sglang_only_routes_answer_404_without_keys_too(open_shim):
    for path in SGLANG_ONLY:
        r = open_shim.post(path, {"text": "hi"})
        assert r.status == 404 and r.json() == {"detail": "Not Found"}, (path, r.status)
        assert not engine_saw(open_shim, path)


@pytest.fixture(scope="module")
def exposed_keyed_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--api-key", KEY],
                          env={"VLLM_SGLANG_EXPOSE_SGLANG_ROUTES": "1", "VLLM_SGLANG_EXPOSE_ADMIN": "1"})


@pytest.mark.parametrize("path", [p for p in SGLANG_ONLY if p != "/"] + ["/flush_cache", "/start_profile",
                                                                          "/hicache/storage-backend"])
def test_exposed_sglang_and_admin_routes_need_the_key(exposed_keyed_shim, path):
    shim = exposed_keyed_shim
    for target, refused in spellings(path):
        if refused:
            continue
        status, body = raw_request(shim.port, "POST", target, body=b'{"text": "hi"}')
        assert status == 401 and json.loads(body) == {"error": "Unauthorized"}, (target, status, body[:200])
        status, body = raw_request(shim.port, "POST", target, headers={"Authorization": "Bearer wrong"},
                                   body=b'{"text": "hi"}')
        assert status == 401, (target, status)
    assert not engine_saw(shim, path), f"{path} reached the engine without a key"
    # With the key it goes through, and SGLang gets the key it knows.
    r = shim.post(path, {"text": "hi"}, headers=AUTH)
    assert r.status not in (401, 403, 404), (path, r.status, r.body[:200])
    assert engine_saw(shim, path)


def test_exposed_routes_without_keys_are_open(shim_factory, tmp_path):
    record = tmp_path / "requests.jsonl"
    shim = shim_factory(env={"FAKE_SGLANG_RECORD": str(record), "VLLM_SGLANG_EXPOSE_SGLANG_ROUTES": "1"})
    r = shim.post("/generate", {"text": "hi"})
    assert r.status == 200 and r.json()["route"] == "/generate"
    # Admin routes stay hidden: exposing SGLang's routes does not expose its admin routes.
    assert shim.post("/flush_cache", {}).status == 404


def test_vllm_routes_without_a_v1_prefix_stay_open_as_in_vllm(keyed_shim):
    # vLLM guards only /v1, /v2 and /inference (openai/server_utils.py @9aaf83ef):
    # its /invocations answers without a key there too, and /classify, which a generation
    # model does not have, answers FastAPI's 404 rather than 401 (tests/pooling covers it open).
    r = keyed_shim.post("/invocations", {"prompt": "hi", "max_tokens": 2})
    assert r.status == 200, r.status
    assert keyed_shim.post("/classify", {"input": "hi"}).status == 404
    for path in ("/v1/embeddings", "/v1/rerank", "/v1/score", "/v2/rerank", "/inference/v1/generate"):
        assert keyed_shim.post(path, {"input": "hi"}).status == 401, path


def test_fragment_is_refused_before_any_route(keyed_shim):
    for target in ("/v1/models#x", "/health#", "/metrics#frag"):
        status, body = raw_request(keyed_shim.port, "GET", target, headers=AUTH)
        assert status == 400, target
        assert json.loads(body)["error"]["message"], target


# ---- secrets in relayed info bodies -----------------------------------------


@pytest.fixture(scope="module")
def dev_keyed_shim(module_shims):
    return module_shims(args=["--api-key", KEY],
                        env={"VLLM_SERVER_DEV_MODE": "1", "VLLM_SGLANG_EXTRA_ARGS": "--admin-api-key " + ADMIN_KEY})


def test_dev_mode_server_info_carries_no_secret(dev_keyed_shim):
    r = dev_keyed_shim.get("/server_info")
    assert r.status == 200
    text = r.body.decode()
    assert KEY not in text and ADMIN_KEY not in text
    info = r.json()["sglang_server_info"]
    assert isinstance(info, dict) and info, "SGLang's own info should still be there"
    for field in ("api_key", "admin_api_key", "ssl_keyfile_password"):
        assert field not in info, field
    assert "model_path" in info and "tp_size" in info


def test_exposed_get_server_info_carries_no_secret(exposed_keyed_shim):
    r = exposed_keyed_shim.get("/get_server_info", headers=AUTH)
    assert r.status == 200
    assert KEY not in r.body.decode()
    assert "api_key" not in r.json() and "model_path" in r.json()


def test_the_stand_in_reports_its_keys_as_sglang_does(dev_keyed_shim):
    # Guard against a stand-in that hides the leak: asked directly, it tells.
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", dev_keyed_shim.backend_port, timeout=10 * SLOW)
    conn.request("GET", "/server_info", headers={"Authorization": "Bearer " + ADMIN_KEY})
    body = json.loads(conn.getresponse().read())
    assert body["api_key"] == KEY and body["admin_api_key"] == ADMIN_KEY
