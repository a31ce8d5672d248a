"""Every engine query of the vLLM production-stack, evaluated by a real Prometheus that scrapes the shim's /metrics
while chat and text completions (streamed and not, ending in stop, length and a client abort) flow through the shim,
once with --data-parallel-size 1 and once with 2.

Queries: production-stack @a6c01db0, copied verbatim into data/production_stack_engine_queries.json from the Grafana
dashboards (helm/dashboards/*.json, observability/lmcache-dashboard-cm.yaml, tutorials/terraform/*/config/*.json),
the KEDA triggers (helm/templates/scaledobject-vllm.yaml, helm/values.yaml, tutorials/assets/keda-scaled-object.yaml,
tutorials/20-keda-autoscaling.md, docs/source/use_cases/autoscaling-keda.rst,
operator/internal/controller/vllmruntime_controller.go) and the prometheus-adapter rules (observability/prom-adapter.yaml,
helm/values.yaml). Target labels as the Prometheus Operator adds them for helm/templates/servicemonitor-engine.yaml.
"""

import http.client
import json
import math
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from harness import SLOW, make_shim_factory
from prometheus_helpers import Prometheus, label_kept

DATA = json.loads((Path(__file__).parent / "data" / "production_stack_engine_queries.json").read_text())
QUERIES = DATA["queries"]
SERVED = "ps-model"
JOB = "vllmruntime-sample"  # the operator's KEDA triggers select job="<VLLMRuntime name>"
NAMESPACE = "default"
TARGET_LABELS = {"endpoint": "service-port", "namespace": NAMESPACE, "service": "vllm-ps-model-engine-service",
                 "pod": "vllm-ps-model-deployment-vllm-0", "container": "vllm"}
RATE_INTERVAL = "5m"  # Grafana's $__rate_interval: longer than the whole scenario
GO_ARGS = {"job": JOB, "namespace": NAMESPACE, "model": SERVED}  # fmt.Sprintf's %s, by the label it fills
DP_SIZES = (1, 2)  # --data-parallel-size
SHIM_ENV = {"VLLM_SGLANG_METRICS_INTERVAL": "0.2", "FAKE_SGLANG_ITL_MS": "3"}

# Queries that a real vLLM V1 engine leaves empty too, with the reason. A family listed here makes a query empty only
# when every family the query reads is listed: `A or B` would still return B's series on V1 and `A / B` nothing, so a
# query mixing them would need its own decision. None of the 111 does (test_expectation_table_fits_the_data); the
# coreweave OCI dashboard's "Scheduler State" and "Cache Utilization" panels keep the V0 family in a target of its own.
V0_ONLY_FAMILIES = {
    "vllm:num_requests_swapped": "vLLM V0 only: vLLM V1 has no swapping and vllm/v1/metrics/loggers.py has no gauge",
    "vllm:cpu_cache_usage_perc": "vLLM V0 only: not in vLLM V1's vllm/v1/metrics/loggers.py (no CPU KV cache)",
}
LABELS_NO_ENGINE_HAS = {
    "model": "vLLM labels engine series model_name and engine; neither vLLM nor the chart's ServiceMonitor "
             "(helm/templates/servicemonitor-engine.yaml, no targetLabels or relabelings) adds `model`: the default "
             "KEDA trigger of helm/templates/scaledobject-vllm.yaml matches nothing",
}

# The traffic: (route, stream, extra body, finish_reason vLLM reports). The stand-in answers 8-16 words unless
# max_tokens cuts it ("length"); the last stream is dropped by its client after the first token ("abort").
TRAFFIC = [
    ("completions", False, {"max_tokens": 2}, "length"),
    ("completions", True, {"max_tokens": 3}, "length"),
    ("chat", False, {"max_tokens": 4}, "length"),
    ("completions", False, {}, "stop"),
    ("completions", True, {"stream_options": {"include_usage": True}}, "stop"),
    ("chat", False, {"max_tokens": 64}, "stop"),
    ("chat", True, {"stream_options": {"include_usage": True}}, "stop"),
    ("chat", True, {"max_tokens": 4000, "ignore_eos": True}, "abort"),
]
SENT = Counter(reason for *_, reason in TRAFFIC)


def query_ids():
    """file:line:ref_id, with the first folder that tells apart files of the same name (helm/, coreweave/, eks/)."""
    by_name = {}
    for q in QUERIES:
        by_name.setdefault(q["file"].rsplit("/", 1)[-1], set()).add(q["file"])
    ids = []
    for q in QUERIES:
        name = q["file"].rsplit("/", 1)[-1]
        others = by_name[name] - {q["file"]}
        if others:
            folder = next(part for part in q["file"].split("/") if all(part not in o.split("/") for o in others))
            name = f"{folder}/{name}"
        ids.append(f"{name}:{q['line']}:{q.get('ref_id', q['kind'])}")
    assert len(set(ids)) == len(ids)
    return ids


def substitute(q):
    expr = q["expr"]
    for placeholder in q["placeholders"]:
        if placeholder == "%s":
            expr = re.sub(r'(\w+)="%s"', lambda m: f'{m[1]}="{GO_ARGS[m[1]]}"', expr)
        else:
            value = {"$model_name": SERVED, "$__rate_interval": RATE_INTERVAL, "{{ $modelSpec.name }}": SERVED}
            expr = expr.replace(placeholder, value[placeholder])
        assert placeholder not in expr, (placeholder, expr)
    return expr


def expected_empty(q):
    """Why a vLLM V1 engine returns nothing for q, or None."""
    v0 = [V0_ONLY_FAMILIES[f] for f in q["families"] if f in V0_ONLY_FAMILIES]
    if v0 and len(v0) == len(q["families"]):
        return v0[0]
    return next((LABELS_NO_ENGINE_HAS[label] for label in q["label_roles"]["filter"] if label in LABELS_NO_ENGINE_HAS),
                None)


# --- traffic through the shim ---------------------------------------------------------------------------------------

def request_body(route, stream, extra, index):
    prompt = f"request {index} for the production-stack dashboards"
    body = {"model": SERVED, "stream": stream}
    if route == "chat":
        body["messages"] = [{"role": "user", "content": prompt}]
    else:
        body["prompt"] = prompt
    body.update(extra)
    return body


def send(shim, route, stream, extra, index):
    """Sends one request; returns the finish_reason the client saw ("abort" for the stream it drops)."""
    path = "/v1/chat/completions" if route == "chat" else "/v1/completions"
    conn = http.client.HTTPConnection("127.0.0.1", shim.port, timeout=30 * SLOW)
    try:
        conn.request("POST", path, body=json.dumps(request_body(route, stream, extra, index)),
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        assert r.status == 200, r.read()
        if not stream:
            return json.loads(r.read())["choices"][0]["finish_reason"]
        reasons, usage, done = [], None, False
        for line in r:
            line = line.strip()
            if not line.startswith(b"data: "):
                continue
            if line == b"data: [DONE]":
                done = True
                continue  # and read on to the end of the chunked body: closing earlier is an abort too
            chunk = json.loads(line[6:])
            if extra.get("ignore_eos"):
                return "abort"  # close the connection after the first event, mid-stream
            reasons += [c["finish_reason"] for c in chunk["choices"] if c.get("finish_reason")]
            usage = chunk.get("usage") or usage
        if extra.get("stream_options", {}).get("include_usage"):
            assert usage and usage["completion_tokens"] > 0, usage
        assert done and len(reasons) == 1, (done, reasons)
        return reasons[0]
    finally:
        conn.close()


def shim_value(shim, name):
    text = shim.get("/metrics").body.decode()
    m = re.search(r"^%s(\{[^}]*\})? (\S+)$" % re.escape(name), text, re.M)
    return float(m[2]) if m else None


def wait_shim(shim, name, want, timeout=15.0):
    deadline = time.monotonic() + timeout * SLOW
    while (value := shim_value(shim, name)) != want:
        assert time.monotonic() < deadline, f"the shim's /metrics shows {name} {value}, not {want}"
        time.sleep(0.05)


# --- the scenarios: one per DP size, shared by the module's tests ---------------------------------------------------

class Stack:
    def __init__(self, shim, prom):
        self.shim = shim
        self.prom = prom


def requests_seen(prom):
    return prom.value(f'sum(vllm:request_success_total{{job="{JOB}"}})')


@pytest.fixture(scope="module")
def stacks(tmp_path_factory):
    """Both scenarios, set up side by side so that Prometheus' start-up waits overlap."""
    tmp = tmp_path_factory.mktemp("stacks")
    start, stop_all = make_shim_factory(tmp)
    proms = {}
    try:
        shims = {dp: start(args=["--served-model-name", SERVED, "--data-parallel-size", str(dp)], env=SHIM_ENV)
                 for dp in DP_SIZES}
        for dp, shim in shims.items():
            wait_shim(shim, "vllm_sglang_shim_sglang_metrics_up", 1)  # the vLLM series are in the first scrape
            (tmp / f"prometheus-dp{dp}").mkdir()
            proms[dp] = Prometheus(tmp / f"prometheus-dp{dp}", f"127.0.0.1:{shim.port}", JOB, TARGET_LABELS).launch()
        for prom in proms.values():
            prom.wait_ready().wait_up()
            # Two scrapes of every vLLM series before any traffic: increase() and rate() see the zero baseline.
            prom.wait_for(lambda: prom.fewest_samples(f'{{job="{JOB}",__name__=~"vllm:.+"}}') >= 2,
                          "two scrapes of the idle shim")
            assert requests_seen(prom) == 0
        for shim in shims.values():
            seen = [send(shim, *spec[:3], i) for i, spec in enumerate(TRAFFIC)]
            assert seen == [spec[3] for spec in TRAFFIC]
        for dp, prom in proms.items():
            wait_shim(shims[dp], "vllm_sglang_shim_client_aborts_total", 1)  # the shim saw the client go
            wait_shim(shims[dp], "vllm:num_requests_running", 0)  # and the engine ended that stream
            prom.wait_for(lambda: requests_seen(prom) == len(TRAFFIC), f"{len(TRAFFIC)} finished requests")
        more = {dp: prom.scrapes() + 2 for dp, prom in proms.items()}  # and two scrapes more
        for dp, prom in proms.items():
            prom.wait_scrapes(more[dp])
        yield {dp: Stack(shims[dp], proms[dp]) for dp in DP_SIZES}
    finally:
        for prom in proms.values():
            prom.stop()
        stop_all()


@pytest.fixture(scope="module", params=DP_SIZES, ids=[f"dp{dp}" for dp in DP_SIZES])
def stack(request, stacks):
    return stacks[request.param]


def test_expectation_table_fits_the_data():
    assert DATA["source"]["repository"] == "vllm-project/production-stack"
    assert DATA["source"]["commit"] == "a6c01db05f65f556235413ba8dbcfb0c01132fff"
    assert len(QUERIES) == 111 and len(set(query_ids())) == 111
    v0 = set(V0_ONLY_FAMILIES)
    mixed = [q["expr"] for q in QUERIES if v0 & set(q["families"]) and not set(q["families"]) <= v0]
    assert not mixed, "decide what vLLM V1 returns for these and extend expected_empty()"
    empty = [q for q in QUERIES if expected_empty(q)]
    assert {f for q in empty for f in q["families"]} >= v0  # no stale row
    assert {label for q in empty for label in q["label_roles"]["filter"]} >= set(LABELS_NO_ENGINE_HAS)
    assert len(empty) == 6, [q["expr"] for q in empty]
    for q in QUERIES:  # a legend shows a label the query keeps, or the panel itself is broken
        assert all(label_kept(q["expr"], label) for label in q["label_roles"]["legend"]), q


@pytest.mark.parametrize("q", QUERIES, ids=query_ids())
def test_query(stack, q):
    expr = substitute(q)
    result = stack.prom.query(expr)
    reason = expected_empty(q)
    if reason:
        assert result == [], f"{expr}: a vLLM V1 engine answers nothing ({reason}), the shim did: {result}"
        return
    assert result, f"{q['title']}: {expr} returned no series (families {q['families']})"
    roles = q["label_roles"]
    wanted = {label for role in ("filter", "group", "legend") for label in roles[role] if label_kept(expr, label)}
    for series in result:
        missing = wanted - set(series["metric"])
        assert not missing, f"{q['title']}: {expr} returned {series['metric']} without {sorted(missing)}"
        assert math.isfinite(float(series["value"][1])), f"{q['title']}: {expr} returned {series}"


def test_finish_reason_panel_counts(stack):
    """The "Finish Reason" panel: one series per reason, with the requests sent."""
    panel = next(q for q in QUERIES if q["title"] == "Finish Reason")
    expr = substitute(panel)
    now = {s["metric"].get("finished_reason", ""): float(s["value"][1]) for s in stack.prom.query(expr)}
    assert set(SENT) <= set(now), f"{expr} returned series for {sorted(now)}, not for each of {sorted(SENT)}"
    raw = stack.prom.query(f'sum by(finished_reason) (vllm:request_success_total{{model_name="{SERVED}"}})')
    counts = {s["metric"].get("finished_reason", ""): float(s["value"][1]) for s in raw}
    assert {r: n for r, n in counts.items() if n} == dict(SENT)
    # At the last scrape increase() does not extrapolate: the series start at 0 before the traffic (as vLLM's, which
    # creates one child per FinishReason up front), so the panel shows exactly the requests sent.
    at_last = stack.prom.query(expr, at=stack.prom.last_scrape_time())
    shown = {s["metric"].get("finished_reason", ""): float(s["value"][1]) for s in at_last}
    assert {r: n for r, n in shown.items() if n} == pytest.approx(dict(SENT), abs=1e-9), shown
