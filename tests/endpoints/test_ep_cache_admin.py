"""vLLM's cache and scheduling admin routes (issue 14 item 6): /reset_prefix_cache,
/reset_mm_cache, /reset_encoder_cache, /pause, /resume, /is_paused, /collective_rpc and
the RLHF weight-transfer routes, behind VLLM_SERVER_DEV_MODE as in vLLM
(vllm/entrypoints/serve/dev/cache/api_router.py, dev/rlhf/api_router.py), over SGLang's
/flush_cache, /pause_generation and /continue_generation (src/endpoints/cache_admin.h).

Streams are made slow with FAKE_SGLANG_ITL_MS; a stream is known to run when /load counts
it, and is held deterministically by pausing in place (mode=keep)."""

import json
import threading

import pytest

from endpoints_helpers import CHAT, VLLM_ERROR_KEYS, error_keys, recorded, recording_shim, sse_payloads, wait_for
from test_ep_security import raw_request, spellings

KEY = "sk-cache-admin-key-0123456789"
AUTH = {"Authorization": "Bearer " + KEY}
DEV = {"VLLM_SERVER_DEV_MODE": "1", "FAKE_SGLANG_ITL_MS": "100"}
CACHE_ROUTES = ["/reset_prefix_cache", "/reset_mm_cache", "/reset_encoder_cache"]
UNSERVED_POST = ["/collective_rpc", "/init_weight_transfer_engine", "/start_weight_update", "/update_weights",
                 "/finish_weight_update"]
HIDDEN = ["/flush_cache", "/pause_generation", "/continue_generation"]


@pytest.fixture(scope="module")
def dev(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--api-key", KEY], env=DEV)


@pytest.fixture(scope="module")
def plain(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--api-key", KEY])


def calls(shim, path):
    """The shim's calls to one SGLang route, oldest first."""
    return [r for r in recorded(shim.record) if r["route_path"] == path]


def forwarded(shim):
    return [r for r in recorded(shim.record) if "x-forwarded-for" in r["headers"]]


class Stream:
    """A streamed chat request running in a thread; .result once it ended."""

    def __init__(self, shim, max_tokens):
        self.result = None
        self.thread = threading.Thread(target=self._run, args=(shim, max_tokens), daemon=True)
        self.thread.start()
        wait_for(lambda: shim.get("/load").json()["server_load"] >= 1, what="the stream to run")

    def _run(self, shim, max_tokens):
        body = dict(CHAT, stream=True, max_tokens=max_tokens, ignore_eos=True)
        self.result = shim.post("/v1/chat/completions", body, headers=AUTH, timeout=60)

    def finish(self, timeout=30):
        self.thread.join(timeout)
        assert self.result is not None and self.result.status == 200
        payloads = sse_payloads(self.result)
        reasons = [c["finish_reason"] for p in payloads for c in p["choices"] if c.get("finish_reason")]
        text = "".join(c["delta"].get("content") or "" for p in payloads for c in p["choices"])
        return reasons, text


def in_thread(fn):
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("r", fn()), daemon=True)
    thread.start()
    return thread, box


def test_without_dev_mode_every_route_is_fastapis_404_and_sglang_sees_none(plain):
    for path in CACHE_ROUTES + UNSERVED_POST + ["/pause", "/resume"]:
        r = plain.post(path)
        assert r.status == 404 and r.json() == {"detail": "Not Found"}, path
    for path in ["/is_paused", "/get_world_size"]:
        r = plain.get(path)
        assert r.status == 404 and r.json() == {"detail": "Not Found"}, path
    for path in HIDDEN + ["/abort_request"]:
        assert calls(plain, path) == [], path


def test_dev_mode_answers(dev):
    r = dev.post("/reset_prefix_cache")
    assert r.status == 200 and r.json() == {"success": True}
    assert calls(dev, "/flush_cache")[-1]["headers"]["authorization"] == "Bearer " + KEY
    r = dev.post("/reset_mm_cache")
    assert r.status == 200 and r.body == b""
    r = dev.post("/reset_encoder_cache")
    assert r.status == 501 and error_keys(r) == VLLM_ERROR_KEYS
    assert r.json()["error"]["type"] == "NotImplementedError"
    for path in UNSERVED_POST:
        r = dev.post(path, {})
        assert r.status == 501 and error_keys(r) == VLLM_ERROR_KEYS, path
        assert path in r.json()["error"]["message"]
    assert dev.get("/get_world_size").status == 501
    assert dev.get("/reset_prefix_cache").status == 405
    assert dev.get("/is_paused").json() == {"is_paused": False}
    r = dev.post("/reset_prefix_cache?reset_running_requests=maybe")
    assert r.status == 400 and r.json()["error"]["param"] == "reset_running_requests"
    r = dev.post("/pause?mode=freeze")
    assert r.status == 400 and r.json()["error"]["param"] == "mode"
    assert dev.get("/is_paused").json() == {"is_paused": False}


def test_flush_is_retried_until_the_stream_ends(dev):
    stream = Stream(dev, max_tokens=10)
    flushes = len(calls(dev, "/flush_cache"))
    r = dev.post("/pause?mode=keep")  # holds the stream in place: SGLang refuses to flush
    assert r.status == 200 and r.json() == {"status": "paused"}
    assert json.loads(calls(dev, "/pause_generation")[-1]["body"]) == {"mode": "in_place"}
    assert len(calls(dev, "/flush_cache")) == flushes  # keep ignores clear_cache, as in vLLM
    assert dev.get("/is_paused").json() == {"is_paused": True}
    thread, box = in_thread(lambda: dev.post("/reset_prefix_cache", timeout=30))
    wait_for(lambda: len(calls(dev, "/flush_cache")) > flushes, what="a refused flush")
    assert dev.post("/resume").json() == {"status": "resumed"}
    thread.join(30)
    assert box["r"].status == 200 and box["r"].json() == {"success": True}
    assert len(calls(dev, "/flush_cache")) >= flushes + 2
    reasons, _ = stream.finish()
    assert reasons == ["length"]
    assert dev.get("/is_paused").json() == {"is_paused": False}


def test_flush_gives_up_with_503_while_requests_stay(dev):
    stream = Stream(dev, max_tokens=20)
    assert dev.post("/pause?mode=keep").status == 200
    r = dev.post("/reset_prefix_cache", timeout=30)
    assert r.status == 503 and error_keys(r) == VLLM_ERROR_KEYS
    assert "reset_running_requests=true" in r.json()["error"]["message"]
    assert dev.post("/resume").status == 200
    assert stream.finish()[0] == ["length"]


def test_reset_running_requests_retracts_flushes_and_continues(dev):
    stream = Stream(dev, max_tokens=20)
    r = dev.post("/reset_prefix_cache?reset_running_requests=true", timeout=30)
    assert r.status == 200 and r.json() == {"success": True}
    tail = [x["route_path"] for x in recorded(dev.record)
            if x["route_path"] in ("/pause_generation", "/flush_cache", "/continue_generation")][-3:]
    assert tail == ["/pause_generation", "/flush_cache", "/continue_generation"]
    assert json.loads(calls(dev, "/pause_generation")[-1]["body"]) == {"mode": "retract"}
    reasons, _ = stream.finish()  # preempted, not aborted: it completes
    assert reasons == ["length"]


def test_pause_abort_ends_running_requests_and_holds_new_ones(dev):
    stream = Stream(dev, max_tokens=20)
    assert dev.post("/pause?mode=keep").status == 200  # held, so the abort finds it running
    flushes = len(calls(dev, "/flush_cache"))
    r = dev.post("/pause")  # default mode=abort, clear_cache=true
    assert r.status == 200 and r.json() == {"status": "paused"}
    assert json.loads(calls(dev, "/pause_generation")[-1]["body"]) == {"mode": "abort"}
    assert len(calls(dev, "/flush_cache")) > flushes
    assert stream.finish()[0] == ["abort"]
    thread, box = in_thread(lambda: dev.post("/v1/chat/completions", CHAT, headers=AUTH, timeout=30))
    thread.join(0.5)
    assert "r" not in box  # held while paused (it cannot finish before /resume)
    assert dev.get("/is_paused").json() == {"is_paused": True}
    assert dev.post("/resume").status == 200
    thread.join(30)
    assert box["r"].status == 200
    assert dev.get("/is_paused").json() == {"is_paused": False}


def test_pause_wait_lets_running_requests_finish(dev):
    stream = Stream(dev, max_tokens=10)
    flushes = len(calls(dev, "/flush_cache"))
    r = dev.post("/pause?mode=wait", timeout=60)
    assert r.status == 200 and r.json() == {"status": "paused"}
    assert json.loads(calls(dev, "/pause_generation")[-1]["body"]) == {"mode": "in_place"}
    assert len(calls(dev, "/flush_cache")) > flushes
    assert stream.finish()[0] == ["length"]
    assert dev.post("/resume").status == 200


def test_open_without_a_key_as_in_vllm_under_every_spelling(dev):
    for target, refused in spellings("/reset_mm_cache"):
        status, body = raw_request(dev.port, "POST", target)
        assert status == (400 if refused else 200), (target, status, body[:200])
    for target, refused in spellings("/collective_rpc"):
        status, body = raw_request(dev.port, "POST", target, body=b"{}")
        assert status == (400 if refused else 501), (target, status, body[:200])
    assert dev.get("/is_paused").status == 200


@pytest.mark.parametrize("path", HIDDEN)
def test_sglangs_admin_routes_stay_hidden(dev, path):
    for target, refused in spellings(path):
        status, body = raw_request(dev.port, "POST", target, headers=AUTH, body=b"{}")
        assert status == (400 if refused else 404), (target, status, body[:200])
        if not refused:
            assert json.loads(body) == {"detail": "Not Found"}
    assert [r["path"] for r in forwarded(dev) if r["route_path"] == path] == []
