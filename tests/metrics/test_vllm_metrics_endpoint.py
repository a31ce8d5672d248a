"""GET /metrics of the real `vllm serve` in front of the stand-in: vLLM's names, labels and content type, values that
follow a generated load, the fallback without SGLang metrics, and the text read back as Prometheus, promtool and the
production-stack router read it.

Names: vLLM @9aaf83ef vllm/v1/metrics/loggers.py; router names: production-stack @a6c01db0
src/vllm_router/stats/engine_stats.py. Mapping: docs/metrics.md.
"""

import http.client
import shutil
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
              "vllm:request_queue_time_seconds"]
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
    text = wait_metrics(metrics_shim, lambda t: (value(t, "vllm:request_success_total") or 0) >= 1,
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
    for name in GAUGES + [c + "_total" for c in COUNTERS] + [h + "_count" for h in HISTOGRAMS]:
        assert value(text, name) is not None, f"{name} lacks model_name={SERVED!r}, engine='0'"
    # Every vLLM series carries exactly the model labels (plus `le` on buckets).
    for fam in fams.values():
        if fam.name.startswith("vllm:") and fam.name != "vllm:engine_sleep_state":
            for s in fam.samples:
                extra = set(s.labels) - {"model_name", "engine", "le"}
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
                                                "vllm:request_success_total", "vllm:e2e_request_latency_seconds_count",
                                                "vllm:time_to_first_token_seconds_count",
                                                "vllm:prefix_cache_queries_total")}
    prompt_tokens = generation_tokens = 0
    for i, max_tokens in enumerate((3, 5, 8)):
        usage = complete(metrics_shim, max_tokens, prompt=f"request number {i} about counting").json()["usage"]
        assert usage["completion_tokens"] == max_tokens  # ignore_eos
        prompt_tokens += usage["prompt_tokens"]
        generation_tokens += usage["completion_tokens"]

    def caught_up(t):
        return (value(t, "vllm:request_success_total") or 0) >= base["vllm:request_success_total"] + 3
    text = wait_metrics(metrics_shim, caught_up, "three more finished requests")
    assert value(text, "vllm:request_success_total") == base["vllm:request_success_total"] + 3
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
    assert value(after, "vllm:request_success_total") >= 5
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
    text = wait_metrics(metrics_shim, lambda t: (value(t, "vllm:request_success_total") or 0) >= 2, "two requests")
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
