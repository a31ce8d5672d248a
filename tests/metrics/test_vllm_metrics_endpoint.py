"""GET /metrics of the real `vllm serve` in front of the stand-in: vLLM's names, labels and content type, values that
follow a generated load, the fallback without SGLang metrics, and the text read back as Prometheus, promtool and the
production-stack router read it.

Names: vLLM @9aaf83ef vllm/v1/metrics/loggers.py; router names: production-stack @a6c01db0
src/vllm_router/stats/engine_stats.py. Mapping: docs/metrics.md.
"""

import http.client
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from harness import REPO, SLOW

SERVED = "metrics-model"
GAUGES = ["vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
          "vllm:gpu_cache_usage_perc", "vllm:gpu_prefix_cache_hit_rate"]
COUNTERS = ["vllm:prefix_cache_hits", "vllm:prefix_cache_queries", "vllm:gpu_prefix_cache_hits",
            "vllm:gpu_prefix_cache_queries", "vllm:prompt_tokens", "vllm:generation_tokens", "vllm:request_success"]
HISTOGRAMS = ["vllm:time_to_first_token_seconds", "vllm:inter_token_latency_seconds",
              "vllm:time_per_output_token_seconds", "vllm:e2e_request_latency_seconds",
              "vllm:request_queue_time_seconds", "vllm:request_prompt_tokens", "vllm:request_generation_tokens",
              "vllm:request_max_num_generation_tokens", "vllm:request_time_per_output_token_seconds",
              "vllm:request_prefill_time_seconds", "vllm:request_decode_time_seconds",
              "vllm:request_inference_time_seconds"]
# vLLM's FinishReason strings (vLLM @9aaf83ef vllm/v1/engine/__init__.py FINISH_REASON_STRINGS).
FINISH_REASONS = ("stop", "length", "abort", "error", "repetition")
ROUTER_SCRAPE = REPO / "src" / "metrics" / "testdata" / "router_scrape.py"
NO_METRICS_ENGINE = REPO / "tests" / "rewrite" / "sse_error_engine.py"  # serves no /metrics and no /v1/loads
FAST_SCRAPE = {"VLLM_SGLANG_METRICS_INTERVAL": "0.1"}


def families(text):
    return {f.name: f for f in text_string_to_metric_families(text)}


def samples(text):
    """{(sample name, frozenset(labels)): value}"""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(text, name, **labels):
    want = {"model_name": SERVED, "engine": "0"} if name.startswith("vllm:") else {}
    want.update(labels)
    return samples(text).get((name, frozenset(want.items())))


def success(text, reason=None):
    """vllm:request_success_total for one finished_reason, or summed over all of them."""
    reasons = [reason] if reason else FINISH_REASONS
    values = [value(text, "vllm:request_success_total", finished_reason=r) for r in reasons]
    return None if None in values else sum(values)


def scrape(shim):
    r = shim.get("/metrics")
    assert r.status == 200, r.body
    return r.body.decode()


def wait_metrics(shim, predicate, what, timeout=15.0):
    deadline = time.monotonic() + timeout * SLOW
    text = ""
    while time.monotonic() < deadline:
        text = scrape(shim)
        if predicate(text):
            return text
        time.sleep(0.05)
    raise AssertionError(f"/metrics never showed {what}:\n{text}")


def complete(shim, max_tokens, prompt="Tell me a story about metrics", stream=False):
    body = {"model": SERVED, "prompt": prompt, "max_tokens": max_tokens, "ignore_eos": True, "stream": stream}
    r = shim.post("/v1/completions", body, timeout=30)
    assert r.status == 200, r.body
    return r


@pytest.fixture
def metrics_shim(shim_factory):
    return shim_factory(args=["--served-model-name", SERVED], env=FAST_SCRAPE)


def test_content_type_and_no_auth_even_with_api_key(shim_factory):
    # Two served names: vLLM labels with the first.
    shim = shim_factory(args=["--served-model-name", SERVED, "second-name", "--api-key", "secret-key"],
                        env=FAST_SCRAPE)
    assert shim.get("/v1/models").status == 401  # the key is enforced elsewhere
    r = shim.get("/metrics")
    assert r.status == 200
    assert r.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8"
    assert value(r.body.decode(), "vllm:num_requests_running") == 0
    assert "second-name" not in r.body.decode()
    assert shim.request("HEAD", "/metrics").status == 200


def test_names_labels_histograms_and_shim_metrics(metrics_shim):
    complete(metrics_shim, 4)
    text = wait_metrics(metrics_shim, lambda t: (value(t, "vllm:e2e_request_latency_seconds_count") or 0) >= 1,
                        "a finished request")
    fams = families(text)
    for name in GAUGES:
        assert fams[name].type == "gauge", name
    for name in COUNTERS:
        assert fams[name].type == "counter", name
    for name in HISTOGRAMS:
        assert fams[name].type == "histogram", name
        names = {s.name for s in fams[name].samples}
        assert names == {name + "_bucket", name + "_sum", name + "_count"}, (name, names)
        assert any(s.labels.get("le") == "+Inf" for s in fams[name].samples)
    for name in GAUGES + [c + "_total" for c in COUNTERS if c != "vllm:request_success"] + [h + "_count" for h in
                                                                                             HISTOGRAMS]:
        assert value(text, name) is not None, f"{name} lacks model_name={SERVED!r}, engine='0'"
    assert success(text, "length") == 1 and success(text) == 1
    # Every vLLM series carries exactly the model labels (plus `le` on buckets, finished_reason on request_success).
    for fam in fams.values():
        # vLLM labels its info gauges otherwise: engine only, or the LoRA labels only.
        if fam.name.startswith("vllm:") and fam.name not in ("vllm:engine_sleep_state", "vllm:cache_config_info",
                                                             "vllm:lora_requests_info"):
            for s in fam.samples:
                extra = set(s.labels) - {"model_name", "engine", "le"}
                if fam.name == "vllm:request_success":
                    assert extra == {"finished_reason"} and s.labels["finished_reason"] in FINISH_REASONS, s
                    extra = set()
                assert not extra and s.labels["model_name"] == SERVED and s.labels["engine"] == "0", s
    # The shim's own metrics (counter families appear without `_total` in prometheus_client).
    for name in ("vllm_sglang_shim_requests_in_flight", "vllm_sglang_shim_requests", "vllm_sglang_shim_backend_healthy",
                 "vllm_sglang_shim_sglang_metrics_up", "vllm_sglang_shim_upstream_errors",
                 "vllm_sglang_shim_client_aborts", "vllm_sglang_shim_metrics_scrape_age_seconds"):
        assert name in fams, name
    assert value(text, "vllm_sglang_shim_sglang_metrics_up") == 1
    assert value(text, "vllm_sglang_shim_backend_healthy") == 1
    assert value(text, "vllm_sglang_shim_requests_total", route="completions", status="200") == 1
    assert value(text, "vllm_sglang_shim_upstream_errors_total") == 0


def test_token_counters_and_histograms_follow_requests(metrics_shim):
    before = wait_metrics(metrics_shim, lambda t: value(t, "vllm_sglang_shim_sglang_metrics_up") == 1, "a scrape")
    base = {n: value(before, n) or 0 for n in ("vllm:prompt_tokens_total", "vllm:generation_tokens_total",
                                                "vllm:e2e_request_latency_seconds_count",
                                                "vllm:time_to_first_token_seconds_count",
                                                "vllm:prefix_cache_queries_total")}
    prompt_tokens = generation_tokens = 0
    for i, max_tokens in enumerate((3, 5, 8)):
        usage = complete(metrics_shim, max_tokens, prompt=f"request number {i} about counting").json()["usage"]
        assert usage["completion_tokens"] == max_tokens  # ignore_eos
        prompt_tokens += usage["prompt_tokens"]
        generation_tokens += usage["completion_tokens"]

    def caught_up(t):
        return (value(t, "vllm:e2e_request_latency_seconds_count") or 0) >= base[
            "vllm:e2e_request_latency_seconds_count"] + 3
    text = wait_metrics(metrics_shim, caught_up, "three more finished requests")
    assert success(text, "length") == 3  # the front door counts at once; the fixture is fresh
    assert value(text, "vllm:prompt_tokens_total") == base["vllm:prompt_tokens_total"] + prompt_tokens
    assert value(text, "vllm:generation_tokens_total") == base["vllm:generation_tokens_total"] + generation_tokens
    assert value(text, "vllm:prefix_cache_queries_total") == base["vllm:prefix_cache_queries_total"] + prompt_tokens
    assert value(text, "vllm:gpu_prefix_cache_queries_total") == value(text, "vllm:prefix_cache_queries_total")
    for h in ("vllm:e2e_request_latency_seconds_count", "vllm:time_to_first_token_seconds_count"):
        assert value(text, h) == base[h] + 3, h


def test_prefix_cache_hits_follow_a_repeated_prompt(metrics_shim):
    prompt = "the same long prompt repeated to hit the radix cache " * 4
    complete(metrics_shim, 2, prompt=prompt)
    complete(metrics_shim, 2, prompt=prompt)
    text = wait_metrics(metrics_shim, lambda t: (value(t, "vllm:prefix_cache_hits_total") or 0) > 0, "a cache hit")
    hits = value(text, "vllm:prefix_cache_hits_total")
    assert value(text, "vllm:gpu_prefix_cache_hits_total") == hits
    assert 0 < value(text, "vllm:gpu_prefix_cache_hit_rate") <= 1
    assert hits <= value(text, "vllm:prefix_cache_queries_total")


def stream_in_background(shim, max_tokens, results, index):
    conn = http.client.HTTPConnection("127.0.0.1", shim.port, timeout=60 * SLOW)
    try:
        conn.request("POST", "/v1/completions",
                     body=f'{{"model":"{SERVED}","prompt":"slow {index}","max_tokens":{max_tokens},'
                          f'"ignore_eos":true,"stream":true}}',
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        results[index] = (r.status, r.read())
    except OSError as e:
        results[index] = (None, repr(e))
    finally:
        conn.close()


def test_running_and_waiting_follow_slow_streams(shim_factory):
    # --max-num-seqs 2 becomes SGLang's --max-running-requests 2: of five slow streams, two run and three wait.
    shim = shim_factory(args=["--served-model-name", SERVED, "--max-num-seqs", "2"],
                        env=dict(FAST_SCRAPE, FAKE_SGLANG_ITL_MS="40"))
    idle = scrape(shim)
    assert value(idle, "vllm:num_requests_running") == 0
    assert value(idle, "vllm:num_requests_waiting") == 0
    results = {}
    threads = [threading.Thread(target=stream_in_background, args=(shim, 50, results, i)) for i in range(5)]
    for t in threads:
        t.start()
    try:
        busy = wait_metrics(shim, lambda t: value(t, "vllm:num_requests_running") == 2
                            and value(t, "vllm:num_requests_waiting") == 3, "running 2 and waiting 3")
        assert value(busy, "vllm:kv_cache_usage_perc") > 0
        assert value(busy, "vllm:gpu_cache_usage_perc") == value(busy, "vllm:kv_cache_usage_perc")
    finally:
        for t in threads:
            t.join(timeout=90 * SLOW)
    assert all(results[i][0] == 200 for i in range(5)), results
    after = wait_metrics(shim, lambda t: value(t, "vllm:num_requests_running") == 0
                         and value(t, "vllm:num_requests_waiting") == 0, "an idle engine again")
    assert success(after, "length") >= 5
    assert value(after, "vllm:request_queue_time_seconds_count") >= 5


def test_fallback_without_sglang_metrics(shim_factory):
    # An engine without /metrics and /v1/loads: running/waiting come from the front door, the rest is left out.
    shim = shim_factory(args=["--served-model-name", SERVED],
                        env=dict(FAST_SCRAPE, VLLM_SGLANG_LAUNCHER=f"/usr/bin/python3 {NO_METRICS_ENGINE}"))
    text = wait_metrics(shim, lambda t: value(t, "vllm_sglang_shim_sglang_metrics_up") == 0, "a failed scrape")
    for _ in range(5):
        text = scrape(shim)
        # Only this /metrics request is in flight, and it is not a request the engine runs.
        assert value(text, "vllm:num_requests_running") == 0, text
        assert value(text, "vllm:num_requests_waiting") == 0
    assert value(text, "vllm_sglang_shim_sglang_loads_up") == 0
    fams = families(text)
    for name in ("vllm:prompt_tokens", "vllm:kv_cache_usage_perc", "vllm:time_to_first_token_seconds"):
        assert name not in fams, name  # not invented


def test_idle_shim_reports_no_running_requests(metrics_shim):
    wait_metrics(metrics_shim, lambda t: value(t, "vllm_sglang_shim_sglang_metrics_up") == 1, "a scrape")
    for _ in range(5):
        assert value(scrape(metrics_shim), "vllm:num_requests_running") == 0


def test_text_passes_promtool_prometheus_client_and_the_router(metrics_shim, tmp_path):
    complete(metrics_shim, 3)
    complete(metrics_shim, 3, stream=True)
    text = wait_metrics(metrics_shim, lambda t: (value(t, "vllm:e2e_request_latency_seconds_count") or 0) >= 2,
                        "two requests")
    path = tmp_path / "metrics.txt"
    path.write_text(text)
    router = subprocess.run([sys.executable, str(ROUTER_SCRAPE), str(path)], capture_output=True, text=True,
                            timeout=30)
    assert router.returncode == 0, router.stdout + router.stderr
    assert f"vllm:num_requests_running 0.0" in router.stdout
    promtool = shutil.which("promtool")
    assert promtool, "promtool missing: run scripts/install-deps.sh (Debian package prometheus)"
    check = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=30)
    findings = [line for line in (check.stdout + check.stderr).splitlines() if line.strip()]
    # The only lint allowed: vLLM's names contain ':' (as vLLM's own do).
    unexpected = [f for f in findings if "should not contain ':'" not in f]
    assert not unexpected, findings


def test_metrics_latency_under_64_streams(shim_factory, capsys):
    """p50/p99 of 200 GET /metrics while 64 streams run (reported; bounded generously)."""
    shim = shim_factory(args=["--served-model-name", SERVED, "--max-num-seqs", "256"],
                        env={"FAKE_SGLANG_ITL_MS": "20", "FAKE_SGLANG_TTFT_MS": "20"})
    results = {}
    streams = [threading.Thread(target=stream_in_background, args=(shim, 250, results, i)) for i in range(64)]
    for t in streams:
        t.start()
    try:
        wait_metrics(shim, lambda t: (value(t, "vllm_sglang_shim_requests_in_flight") or 0) >= 64, "64 streams")
        conn = http.client.HTTPConnection("127.0.0.1", shim.port, timeout=10 * SLOW)
        latencies = []
        deadline = time.monotonic() + 30 * SLOW
        while len(latencies) < 200 and time.monotonic() < deadline:
            t0 = time.perf_counter()
            conn.request("GET", "/metrics")
            r = conn.getresponse()
            r.read()
            latencies.append(time.perf_counter() - t0)
            assert r.status == 200
        conn.close()
        busy = len(results) < 64
    finally:
        for t in streams:
            t.join(timeout=120 * SLOW)
    assert len(latencies) == 200
    assert busy, "the streams ended before the probes did"
    latencies.sort()
    p50, p99 = latencies[100] * 1000, latencies[197] * 1000
    with capsys.disabled():
        print(f"\n/metrics under 64 streams: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {latencies[-1] * 1000:.2f} ms")
    assert p50 < 20 * SLOW and p99 < 200 * SLOW, (p50, p99)
    assert all(results[i][0] == 200 for i in range(64))


def read_some_then_leave(shim, path, body, nbytes=200):
    """Starts a streamed request and closes the connection after the first bytes: a client that leaves."""

    data = json.dumps(body).encode()
    with socket.create_connection(("127.0.0.1", shim.port), timeout=30 * SLOW) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
        got = b""
        while len(got) < nbytes:
            chunk = sock.recv(4096)
            assert chunk, got
            got += chunk


def test_front_door_measures_what_sglang_cannot(shim_factory):
    # vLLM's per-request metrics that SGLang has no source for (docs/metrics.md): finished_reason, per-request
    # time per output token, prefill/decode/inference time, token counts in vLLM's 1-2-5 buckets.
    shim = shim_factory(args=["--served-model-name", SERVED, "--max-model-len", "4096"],
                        env=dict(FAST_SCRAPE, FAKE_SGLANG_ITL_MS="5"))
    complete(shim, 6)  # unstreamed, ends with "length" (ignore_eos)
    r = shim.post("/v1/chat/completions", {"model": SERVED, "messages": [{"role": "user", "content": "hi"}],
                                           "stream": True, "stream_options": {"include_usage": True}}, timeout=30)
    assert r.status == 200 and b'"finish_reason":"stop"' in r.body
    complete(shim, 12, stream=True)  # streamed, "length"
    read_some_then_leave(shim, "/v1/completions", {"model": SERVED, "prompt": "long", "max_tokens": 2000,
                                                   "ignore_eos": True, "stream": True})
    text = wait_metrics(shim, lambda t: success(t) == 4, "four finished requests, the abort included")
    assert (success(text, "stop"), success(text, "length"), success(text, "abort")) == (1, 2, 1)
    assert success(text, "error") == 0 and success(text, "repetition") == 0
    # Streamed requests have a first token: three of them (the abort too).
    assert value(text, "vllm:request_prefill_time_seconds_count") == 3
    assert value(text, "vllm:request_decode_time_seconds_count") == 3
    assert value(text, "vllm:request_time_per_output_token_seconds_count") == 3
    assert value(text, "vllm:request_prefill_time_seconds_sum") > 0
    # Decode time spreads over the tokens after the first: at 5 ms per token, a few ms per token.
    tpot_mean = (value(text, "vllm:request_time_per_output_token_seconds_sum") /
                 value(text, "vllm:request_time_per_output_token_seconds_count"))
    assert 0.001 < tpot_mean < 0.5, tpot_mean
    # Every request, streamed or not, has an inference time and a generation-token count.
    assert value(text, "vllm:request_inference_time_seconds_count") == 4
    assert value(text, "vllm:request_generation_tokens_count") == 4
    # vLLM's token buckets: 1, 2, 5, ... up to --max-model-len.
    les = [s.labels["le"] for s in families(text)["vllm:request_generation_tokens"].samples if "le" in s.labels]
    assert les == ["1.0", "2.0", "5.0", "10.0", "20.0", "50.0", "100.0", "200.0", "500.0", "1000.0", "2000.0", "+Inf"]
    assert value(text, "vllm:request_generation_tokens_bucket", le="5.0") <= 1  # only the abort can be that short
    assert value(text, "vllm:request_generation_tokens_bucket", le="20.0") >= 2  # the 6- and 12-token requests
    assert value(text, "vllm:request_max_num_generation_tokens_count") == 4
    # Prompt counts come from usage: the unstreamed request and the stream that asked for usage.
    assert value(text, "vllm:request_prompt_tokens_count") == 2
    # SGLang is started with vLLM's latency buckets: TTFT has vLLM's top bound (2560 s).
    assert value(text, "vllm:time_to_first_token_seconds_bucket", le="2560.0") is not None


def lora_series(text):
    """running_lora_adapters → value of vllm:lora_requests_info (vLLM sets the current one to the time of day)."""
    fam = families(text).get("vllm:lora_requests_info")
    assert fam is not None and fam.type == "gauge"
    out = {}
    for s in fam.samples:
        assert set(s.labels) == {"max_lora", "waiting_lora_adapters", "running_lora_adapters"}, s
        assert s.labels["max_lora"] == "3" and s.labels["waiting_lora_adapters"] == ""
        out[s.labels["running_lora_adapters"]] = s.value
    return out


def newest_lora(text):
    series = lora_series(text)
    return max(series, key=series.get)


def test_lora_requests_info_and_cache_config_info(shim_factory):
    shim = shim_factory(args=["--served-model-name", SERVED, "--enable-lora", "--max-loras", "3",
                              "--lora-modules", "sql-lora=/adapters/sql"],
                        env=dict(FAST_SCRAPE, FAKE_SGLANG_ITL_MS="20"))
    assert newest_lora(scrape(shim)) == ""
    results = {}
    thread = threading.Thread(target=lambda: results.update(r=shim.post(
        "/v1/completions", {"model": "sql-lora", "prompt": "q", "max_tokens": 40, "ignore_eos": True,
                            "stream": True}, timeout=60 * SLOW)))
    thread.start()
    try:
        busy = wait_metrics(shim, lambda t: newest_lora(t) == "sql-lora", "sql-lora running")
        assert abs(lora_series(busy)["sql-lora"] - time.time()) < 60  # the time of day, as vLLM sets it
    finally:
        thread.join(timeout=60 * SLOW)
    assert results["r"].status == 200
    # A request for the base model names no adapter.
    complete(shim, 2)
    idle = wait_metrics(shim, lambda t: newest_lora(t) == "", "no adapter running")
    assert set(lora_series(idle)) == {"", "sql-lora"}
    # The KV cache's shape for gateways, from SGLang's pool capacity (vLLM labels it engine only).
    info = [s for s in families(idle)["vllm:cache_config_info"].samples]
    assert len(info) == 1 and info[0].value == 1
    assert info[0].labels["engine"] == "0" and int(info[0].labels["block_size"]) >= 1
    assert int(info[0].labels["num_gpu_blocks"]) > 0


def test_no_lora_info_without_enable_lora(metrics_shim):
    assert "vllm:lora_requests_info" not in scrape(metrics_shim)
