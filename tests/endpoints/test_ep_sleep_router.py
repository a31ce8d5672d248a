"""Sleep mode (issue 6 item 3) as the production-stack router drives it
(src/vllm_router/service_discovery.py and services/request_service/request.py):
discovery through /v1/models with and without the key, /is_sleeping, then
/sleep and /wake_up with only X-Request-Id and the Bearer key."""

import time

import pytest

from endpoints_helpers import VLLM_ERROR_KEYS, chat, error_keys, metric_value, recorded, wait_for
from harness import SLOW

KEY = "router-secret-key"


@pytest.fixture(scope="module")
def sleepy(module_shims, tmp_path_factory):
    record = tmp_path_factory.mktemp("record") / "requests.jsonl"
    shim = module_shims(
        args=["--enable-sleep-mode", "--api-key", KEY],
        env={"VLLM_SERVER_DEV_MODE": "1", "FAKE_SGLANG_RECORD": str(record),
             # Fast background checks, so a health check paused while asleep is really exercised.
             "VLLM_SGLANG_HEALTH_INTERVAL": "0.2", "VLLM_SGLANG_HEALTH_FALL": "2", "VLLM_SGLANG_METRICS_INTERVAL": "0.2"})
    shim.record = record
    return shim


def router_headers(request_id):
    return {"Authorization": f"Bearer {KEY}", "X-Request-Id": request_id}


def gauge(shim, state):
    return metric_value(shim.get("/metrics").body.decode(), "vllm:engine_sleep_state", {"sleep_state": state})


def sglang_calls(shim, path):
    return [x for x in recorded(shim.record) if x["path"] == path]


def test_router_discovery_needs_the_key_for_models(sleepy):
    r = sleepy.get("/v1/models")
    assert r.status == 401 and r.json() == {"error": "Unauthorized"}
    r = sleepy.get("/v1/models", headers={"Authorization": f"Bearer {KEY}"})
    assert r.status == 200 and [c["id"] for c in r.json()["data"]] == ["Qwen/Qwen2.5-0.5B-Instruct"]
    # /is_sleeping is outside the guarded prefixes: with or without the key.
    assert sleepy.get("/is_sleeping").json() == {"is_sleeping": False}
    assert sleepy.get("/is_sleeping", headers=router_headers("disc-1")).json() == {"is_sleeping": False}


def test_router_sleep_and_wake_cycle(sleepy):
    assert chat(sleepy, headers={"Authorization": f"Bearer {KEY}"}).status == 200
    r = sleepy.post("/sleep?level=1", headers=router_headers("sleep-1"))
    assert r.status == 200 and r.body == b""
    assert sleepy.get("/is_sleeping", headers=router_headers("s-2")).json() == {"is_sleeping": True}
    release = sglang_calls(sleepy, "/release_memory_occupation")
    assert release and release[-1]["headers"].get("authorization") == f"Bearer {KEY}"
    aborts = sglang_calls(sleepy, "/abort_request")  # default mode=abort
    assert aborts and aborts[-1]["headers"].get("authorization") == f"Bearer {KEY}"
    assert gauge(sleepy, "awake") == 0.0 and gauge(sleepy, "weights_offloaded") == 1.0

    # Generation gets a clear error, quickly, instead of hanging on released memory.
    started = time.monotonic()
    r = chat(sleepy, headers={"Authorization": f"Bearer {KEY}"})
    assert r.status == 503 and error_keys(r) == VLLM_ERROR_KEYS
    assert "sleep" in r.json()["error"]["message"]
    assert time.monotonic() - started < 5 * SLOW
    # The stand-in's /health fails while memory is released; the shim must not declare the engine dead.
    fall_window = time.monotonic() + 1.5 * SLOW
    while time.monotonic() < fall_window:
        assert sleepy.get("/health").status == 200
        time.sleep(0.1)

    # Partial wake-up: still asleep until every tag is back (vLLM's executor semantics).
    r = sleepy.post("/wake_up?tags=weights", headers=router_headers("w-1"))
    assert r.status == 200 and r.body == b""
    assert sleepy.get("/is_sleeping").json() == {"is_sleeping": True}
    r = sleepy.post("/wake_up?tags=kv_cache", headers=router_headers("w-2"))
    assert r.status == 200
    assert sleepy.get("/is_sleeping").json() == {"is_sleeping": False}
    assert sglang_calls(sleepy, "/resume_memory_occupation")
    assert gauge(sleepy, "awake") == 1.0
    assert sleepy.get("/health").status == 200
    r = wait_for(lambda: (lambda x: x if x.status == 200 else None)(chat(sleepy, headers={"Authorization": f"Bearer {KEY}"})),
                 timeout=5, what="generation after wake-up")
    assert r.json()["choices"][0]["message"]["content"]


def test_sleep_level_two_and_full_wake_up(sleepy):
    r = sleepy.post("/sleep?level=2&mode=wait")
    assert r.status == 200
    assert gauge(sleepy, "discard_all") == 1.0
    # Sleeping again only changes the reported level.
    calls = len(sglang_calls(sleepy, "/release_memory_occupation"))
    assert sleepy.post("/sleep?level=1").status == 200
    assert len(sglang_calls(sleepy, "/release_memory_occupation")) == calls
    assert gauge(sleepy, "weights_offloaded") == 1.0
    assert sleepy.post("/wake_up").status == 200
    assert sleepy.get("/is_sleeping").json() == {"is_sleeping": False}
    # Waking an awake engine is a no-op 200, as in vLLM.
    assert sleepy.post("/wake_up").status == 200


@pytest.mark.parametrize("path", ["/sleep?level=abc", "/sleep?mode=pause", "/wake_up?tags=gpu"])
def test_malformed_sleep_parameters_are_400(sleepy, path):
    r = sleepy.post(path)
    assert r.status == 400 and error_keys(r) == VLLM_ERROR_KEYS
    assert sleepy.get("/is_sleeping").json() == {"is_sleeping": False}


def test_sleep_routes_take_their_methods_only(sleepy):
    assert sleepy.get("/sleep").status == 405
    assert sleepy.post("/is_sleeping").status == 405
    assert sleepy.get("/is_sleeping").status == 200


def test_server_info_in_dev_mode(sleepy):
    r = sleepy.get("/server_info")
    assert r.status == 200
    body = r.json()
    assert body["engine"] == "sglang" and isinstance(body["vllm_config"], dict)
    assert body["sglang_server_info"] is not None
    r = sleepy.get("/server_info?config_format=text")
    assert isinstance(r.json()["vllm_config"], str)
