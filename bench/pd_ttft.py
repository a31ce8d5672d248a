#!/usr/bin/env python3
"""Time to first token through the disaggregated-prefill bridge, against SGLang's own pattern.

Two shims run as a prefill and a decode engine (each starting its stand-in, docs/stand-in.md).
Every request is timed two ways, alternating, against the same two stand-ins:

- direct: both legs sent at once to the stand-ins with the same bootstrap room, as SGLang's
  load balancer does (SGLang @8905cbd4 python/sglang/srt/disaggregation/mini_lb.py);
- bridge: production-stack's orchestrated sequence through the shims (prefill leg, await its
  JSON, then the decode leg with its kv_transfer_params; production-stack @a6c01db0
  src/vllm_router/services/request_service/request.py).

Time to first token is from sending the first leg to the first streamed content chunk of the
decode leg. Run: /usr/bin/python3 bench/pd_ttft.py [--requests N] [--out file.json] [--docs docs]
(needs build/bin, or BENCH_BIN_DIR); `make bench` runs it after the front-door benchmark and
renders docs/bench-pd.md."""

import argparse
import datetime
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(os.environ.get("BENCH_BIN_DIR", REPO / "build" / "bin"))
MODEL = "facebook/opt-125m"
POD_IP = "127.0.0.2"
ENGINE_ENV = {"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0", "FAKE_SGLANG_TTFT_MS": "20",
              "FAKE_SGLANG_ITL_MS": "2"}


def free_port():
    while True:
        port = random.randint(20000, 30000)
        ok = True
        for host in ("127.0.0.1", POD_IP):
            for p in (port, port + 1):
                with socket.socket() as s:
                    try:
                        s.bind((host, p))
                    except OSError:
                        ok = False
        if ok:
            return port


def start_shim(role, port, bootstrap_port, log_dir):
    config = json.dumps({"kv_connector": "NixlConnector", "kv_role": "kv_producer" if role == "prefill" else "kv_consumer"})
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VLLM_", "SGLANG_", "FAKE_SGLANG_"))}
    env.update(ENGINE_ENV, VLLM_SGLANG_LAUNCHER=str(BIN / "fake-sglang"), POD_IP=POD_IP,
               VLLM_SGLANG_PD_BOOTSTRAP_PORT=str(bootstrap_port), VLLM_SGLANG_LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "warning"))
    host = "0.0.0.0" if role == "prefill" else "127.0.0.1"
    log = open(Path(log_dir) / f"{role}.log", "wb")
    proc = subprocess.Popen([str(BIN / "vllm"), "serve", MODEL, "--host", host, "--port", str(port),
                             "--kv-transfer-config", config], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/health")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{role} shim not ready; see {log_dir}")


def post_json(host, port, path, body, headers=None):
    c = http.client.HTTPConnection(host, port, timeout=60)
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json", **(headers or {})})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, json.loads(data)


def first_token(host, port, path, body, headers, started):
    """Seconds from `started` to the first streamed content chunk; drains the rest."""
    c = http.client.HTTPConnection(host, port, timeout=60)
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json", **(headers or {})})
    r = c.getresponse()
    assert r.status == 200, (r.status, r.read()[:300])
    ttft = None
    while True:
        line = r.readline()  # chunk-aware: the shim keeps the connection alive
        if not line:
            break
        if ttft is None and line.startswith(b"data: {") and b'"text":"' in line.replace(b" ", b""):
            ttft = time.monotonic() - started
    c.close()
    assert ttft is not None, "no content chunk"
    return ttft


def leg(stream, max_tokens):
    return {"model": MODEL, "prompt": "the quick brown fox " * 20, "max_tokens": max_tokens, "stream": stream}


def direct(ports, bootstrap_port):
    room = random.getrandbits(63)
    fields = {"bootstrap_host": "127.0.0.1", "bootstrap_port": bootstrap_port, "bootstrap_room": room}
    started = time.monotonic()
    prefill = threading.Thread(target=post_json, args=("127.0.0.1", ports["prefill"] + 1, "/v1/completions",
                                                       dict(leg(False, 8), **fields)))
    prefill.start()
    ttft = first_token("127.0.0.1", ports["decode"] + 1, "/v1/completions", dict(leg(True, 8), **fields), {}, started)
    prefill.join()
    return ttft


def bridge(ports, _bootstrap_port):
    rid = "%032x" % random.getrandbits(128)
    started = time.monotonic()
    p = dict(leg(False, 1), kv_transfer_params={"do_remote_decode": True, "do_remote_prefill": False,
                                                "remote_engine_id": None, "remote_block_ids": None,
                                                "remote_host": None, "remote_port": None})
    status, answer = post_json(POD_IP, ports["prefill"], "/v1/completions", p, {"X-Request-Id": rid})
    assert status == 200, answer
    params = dict(answer["kv_transfer_params"], remote_host=POD_IP)
    return first_token("127.0.0.1", ports["decode"], "/v1/completions", dict(leg(True, 8), kv_transfer_params=params),
                       {"X-Request-Id": rid}, started)


def measure(ports, bootstrap_port, concurrency, requests):
    """Alternates direct and bridge rounds of `concurrency` requests each."""
    out = {"direct": [], "bridge": []}
    with ThreadPoolExecutor(concurrency) as pool:
        for round_index in range(max(1, requests // concurrency)):
            for name, fn in (("direct", direct), ("bridge", bridge))[::1 if round_index % 2 == 0 else -1]:
                out[name] += list(pool.map(lambda _: fn(ports, bootstrap_port), range(concurrency)))
    return out


def summary(samples):
    s = sorted(samples)
    return {"n": len(s), "p50_ms": 1000 * statistics.median(s), "p90_ms": 1000 * s[int(0.9 * (len(s) - 1))],
            "mean_ms": 1000 * statistics.fmean(s)}


def render_table(results):
    rows = ["| concurrency | direct p50 ms | bridge p50 ms | added p50 | direct p90 ms | bridge p90 ms | added p90 |",
            "|---|---|---|---|---|---|---|"]
    for c, r in results.items():
        d, b = r["direct"], r["bridge"]
        rows.append("| %d | %.2f | %.2f | %+.2f ms (%+.1f %%) | %.2f | %.2f | %+.2f ms (%+.1f %%) |" % (
            c, d["p50_ms"], b["p50_ms"], b["p50_ms"] - d["p50_ms"], 100 * (b["p50_ms"] / d["p50_ms"] - 1),
            d["p90_ms"], b["p90_ms"], b["p90_ms"] - d["p90_ms"], 100 * (b["p90_ms"] / d["p90_ms"] - 1)))
    return "\n".join(rows)


def verdicts(results):
    """The target: at most 5 % or 1 ms (whichever is larger) added to the median."""
    lines = []
    for c, r in results.items():
        added = r["bridge"]["p50_ms"] - r["direct"]["p50_ms"]
        allowed = max(1.0, 0.05 * r["direct"]["p50_ms"])
        lines.append(f"- concurrency {c}: {added:+.2f} ms added at the median, allowed {allowed:.2f} ms: "
                     f"**{'met' if added <= allowed else 'not met'}**")
    return "\n".join(lines)


def render_page(table, results, requests, seconds):
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    return f"""# Disaggregated-prefill benchmark

Generated at {now} by `bench/pd_ttft.py` in {seconds:.1f} s, {requests} requests per path and concurrency,
on {os.cpu_count()} cores.

Time to first token of a streamed `/v1/completions` request served by a prefill and a decode engine (the SGLang
stand-in in its PD mode, 20 ms to the first token, docs/stand-in.md), measured two ways in alternating rounds
against the same two engines:

- **direct**: both legs sent at once straight to the two engines with one bootstrap room, the pattern of SGLang's
  own load balancer (SGLang @8905cbd4 `python/sglang/srt/disaggregation/mini_lb.py`). This is the baseline.
- **bridge**: production-stack's orchestrated sequence through two shims (production-stack @a6c01db0
  `src/vllm_router/services/request_service/request.py`): the prefill leg, its JSON answer, then the decode leg
  with the answer's `kv_transfer_params`. The prefill shim answers that leg itself and starts SGLang's prefill in
  the background (docs/deploy.md §14), so the sequence costs two extra loopback round trips and the shims' work,
  including the decode shim's check, at most once a second, that the prefill's bootstrap listener is there.

Time to first token runs from sending the first leg to the first streamed chunk with text.

{table}

The target is at most 5 % or 1 ms, whichever is larger, added to the median time to first token:

{verdicts(results)}

A negative figure means the bridge rounds happened to be faster. Tail figures (p90) move by a few milliseconds
between runs on a shared two-core machine. Against a real model, whose prefill takes tens to thousands of
milliseconds, the added fraction is smaller still.
"""


START, END = "<!-- pd_ttft.py: start -->", "<!-- pd_ttft.py: end -->"


def update_benchmarks_page(page, table, results):
    """Puts the figures in docs/benchmarks.md too, between markers (bench/report.py rewrites the
    rest of that page; bench/run.sh runs this script after it)."""
    section = (f"{START}\n## Disaggregated prefill: time to first token\n\n"
               f"The bridge against SGLang's own concurrent dispatch; method in [bench-pd.md](bench-pd.md).\n\n"
               f"{table}\n\n{verdicts(results)}\n{END}\n")
    text = page.read_text() if page.exists() else ""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    page.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per path and concurrency")
    parser.add_argument("--out", help="write the figures as JSON here")
    parser.add_argument("--docs", type=Path, help="render bench-pd.md into this folder")
    args = parser.parse_args()
    begun = time.monotonic()
    ports = {"prefill": free_port(), "decode": free_port()}
    bootstrap_port = free_port()
    with tempfile.TemporaryDirectory(prefix="pd-ttft-") as log_dir:
        procs = [start_shim("prefill", ports["prefill"], bootstrap_port, log_dir),
                 start_shim("decode", ports["decode"], bootstrap_port, log_dir)]
        try:
            measure(ports, bootstrap_port, 4, 40)  # warm-up: connections, caches
            results = {}
            for concurrency in (1, 16):
                raw = measure(ports, bootstrap_port, concurrency, args.requests)
                results[concurrency] = {name: summary(v) for name, v in raw.items()}
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=60)
    table = render_table(results)
    print(table)
    if args.docs:
        (args.docs / "bench-pd.md").write_text(render_page(table, results, args.requests, time.monotonic() - begun))
        update_benchmarks_page(args.docs / "benchmarks.md", table, results)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
