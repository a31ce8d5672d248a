#!/usr/bin/python3
"""The front-door benchmark, all configurations in one run on this machine.

  (a) direct   clients straight to the stand-in engine
  (b) shim     `vllm serve` (this project) in front of the engine
  (c) haproxy  haproxy 2.6 as a plain HTTP reverse proxy (bench/haproxy_plain.cfg)
  (d) original the original design: haproxy + FastAPI/httpx middleware (bench/original_design/)

For each configuration: non-streaming chat completions at concurrency 1 and 64,
then 1,000 concurrent SSE streams with /health probed every 10 ms. Raw JSON goes
to bench/results/<timestamp>/, then bench/report.py renders docs/benchmarks.md
and docs/bench-latency.png. Run through bench/run.sh (raises the fd limit).

Environment: BENCH_BIN_DIR (default build/bin), BENCH_QUICK=1 (about a minute),
BENCH_CONFIGS=a,b,c,d (subset), BENCH_STREAMS, BENCH_ITL_MS, BENCH_NO_REPORT=1.
"""

import datetime
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
MODEL = "Qwen/Qwen2.5-0.5B-Instruct"
CONFIG_NAMES = {"a": "direct", "b": "shim", "c": "haproxy", "d": "original"}

QUICK = os.environ.get("BENCH_QUICK", "0") == "1"
BIN = Path(os.environ.get("BENCH_BIN_DIR", REPO / "build" / "bin"))

# Every figure below is bounded: durations in seconds, counts in streams.
PLAN = {
    "post_warmup": 1.0,
    # Five interleaved rounds: a median of five keeps one noisy round on this
    # shared machine from deciding a verdict at concurrency 1.
    "post_rounds": 1 if QUICK else 5,
    "post_c1_duration": 3.0 if QUICK else 5.0,
    "post_c64_duration": 3.0 if QUICK else 5.0,
    "streams": int(os.environ.get("BENCH_STREAMS", "200" if QUICK else "1000")),
    "stream_tokens": 30,
    "stream_itl_ms": float(os.environ.get("BENCH_ITL_MS", "100")),
    "stream_ttft_ms": 20.0,
    "stream_ramp": 1.0 if QUICK else 2.0,
    "stream_warmup": 1.0,
    "stream_duration": 4.0 if QUICK else 15.0,
    "probe_interval_ms": 10.0,
    # /metrics is scraped every few seconds in production (router, Prometheus);
    # 4/s is already generous and does not turn the probe into load of its own.
    "metrics_probe_interval_ms": 250.0,
    "ready_timeout": 60.0,
}

# Two cores: the engine gets core 0 to itself; the proxy under test and the load
# generator share core 1, so whatever CPU a proxy spends is taken from the same
# core that drives the load and shows up in latency and requests/s directly.
ENGINE_CORE = 0
PROXY_CORE = 1
LOADGEN_CORE = 1


def log(*parts):
    print("[bench]", *parts, flush=True)


def pinned(core):
    if core is None or (os.cpu_count() or 1) < 2 or not shutil.which("taskset"):
        return []
    return ["taskset", "-c", str(core)]


def free_port_base(count):
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count > 65535:
            continue
        sockets = []
        try:
            for i in range(count):
                t = socket.socket()
                sockets.append(t)
                t.bind(("127.0.0.1", base + i))
            return base
        except OSError:
            continue
        finally:
            for t in sockets:
                t.close()
    raise RuntimeError("no run of free loopback ports")


class Proc:
    """A process of the system under test, in its own session, always torn down."""

    def __init__(self, name, argv, env, log_dir):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self.log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen(argv, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.alive():
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        self.log_file.close()


def children_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def http_status(port, method, path, body=None, timeout=2.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def wait_ready(port, procs, timeout):
    """Until /health and a chat completion both answer 200 through the front port."""
    body = json.dumps({"model": MODEL, "messages": [{"role": "user", "content": "ready?"}], "max_tokens": 2})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in procs:
            if not p.alive():
                raise RuntimeError(f"{p.name} exited early (see {p.log_path})")
        if http_status(port, "GET", "/health") == 200 and \
                http_status(port, "POST", "/v1/chat/completions", body) == 200:
            return
        time.sleep(0.2)
    raise RuntimeError(f"port {port} not ready after {timeout:.0f}s")


def engine_env(streaming):
    env = dict(os.environ)
    env["SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION"] = "0"  # engine /health immediate in every config
    env["FAKE_SGLANG_STAMP_CHUNKS"] = "1"
    env["FAKE_SGLANG_TTFT_MS"] = str(PLAN["stream_ttft_ms"] if streaming else 0)
    env["FAKE_SGLANG_ITL_MS"] = str(PLAN["stream_itl_ms"] if streaming else 0)
    return env


def engine_argv(port):
    return [str(BIN / "fake-sglang"), "--model-path", MODEL, "--host", "127.0.0.1", "--port", str(port),
            "--enable-metrics"]


def start_config(key, base, streaming, log_dir):
    """Starts one configuration; returns (procs, front_port, watch {name: pid}, rss_pid)."""
    env = engine_env(streaming)
    if key == "a":
        engine = Proc("engine", pinned(ENGINE_CORE) + engine_argv(base), env, log_dir)
        return [engine], base, {"engine": engine.pid}, None
    if key == "b":
        env["VLLM_SGLANG_LAUNCHER"] = " ".join(pinned(ENGINE_CORE) + [str(BIN / "fake-sglang")])
        shim = Proc("shim", pinned(PROXY_CORE) + [str(BIN / "vllm"), "serve", MODEL, "--host", "127.0.0.1",
                                                  "--port", str(base)], env, log_dir)
        return [shim], base, {"shim": shim.pid}, shim.pid
    engine = Proc("engine", pinned(ENGINE_CORE) + engine_argv(base + 1), env, log_dir)
    ports_env = dict(os.environ, BENCH_PORT=str(base), BENCH_ENGINE_PORT=str(base + 1),
                     BENCH_MIDDLEWARE_PORT=str(base + 2))
    if key == "c":
        haproxy = Proc("haproxy", pinned(PROXY_CORE) + ["haproxy", "-db", "-f", str(BENCH / "haproxy_plain.cfg")],
                       ports_env, log_dir)
        return [engine, haproxy], base, {"engine": engine.pid, "haproxy": haproxy.pid}, haproxy.pid
    middleware = Proc("middleware", pinned(PROXY_CORE) + [
        "/usr/bin/python3", str(BENCH / "original_design" / "vllm_middleware.py"),
        "--port", str(base + 2), "--backend-port", str(base + 1)], ports_env, log_dir)
    haproxy = Proc("haproxy", pinned(PROXY_CORE) + ["haproxy", "-db", "-f",
                                                    str(BENCH / "original_design" / "haproxy.cfg")],
                   ports_env, log_dir)
    return ([engine, middleware, haproxy], base,
            {"engine": engine.pid, "middleware": middleware.pid, "haproxy": haproxy.pid}, middleware.pid)


def run_loadgen(args, out_path, timeout):
    argv = pinned(LOADGEN_CORE) + [str(BIN / "shim-loadgen")] + args + ["--out", str(out_path)]
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"shim-loadgen failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    with open(out_path) as f:
        return json.load(f)


def stop_all(procs):
    for p in reversed(procs):
        p.stop()


def watch_args_of(watch):
    return [a for n, pid in watch.items() for a in ("--watch", f"{n}={pid}")]


def start_ready(key, streaming, log_dir):
    """Starts one configuration and waits until it answers; returns (procs, port, watch, rss_pid)."""
    procs, port, watch, rss_pid = start_config(key, free_port_base(3), streaming, log_dir)
    try:
        wait_ready(port, procs, PLAN["ready_timeout"])
        if key == "b":  # the engine is the shim's child
            watch.update({"engine": pid for pid in children_of(rss_pid)[:1]})
    except BaseException:
        stop_all(procs)
        raise
    return procs, port, watch, rss_pid


def bench_post(configs, out_dir, log_dir, summaries):
    """Non-streaming: every configuration up at once, measured in interleaved rounds
    (a, b, c, d, a, b, ...) so a burst of outside load on this shared machine hits
    all of them alike instead of skewing whichever ran at that moment."""
    running = {}
    try:
        for key in configs:
            running[key] = start_ready(key, False, log_dir)
            if key == "b":
                time.sleep(1.0)
                summaries[key]["shim_rss_idle_kib"] = rss_kib(running[key][3])
        for round_index in range(PLAN["post_rounds"]):
            for concurrency, duration in ((1, PLAN["post_c1_duration"]), (64, PLAN["post_c64_duration"])):
                for key in configs:
                    _, port, watch, _ = running[key]
                    name = CONFIG_NAMES[key]
                    log(f"round {round_index + 1}/{PLAN['post_rounds']}: {name}, non-streaming, "
                        f"concurrency {concurrency}, {duration:g}s")
                    run_loadgen(["post", "--url", f"http://127.0.0.1:{port}/v1/chat/completions", "--model", MODEL,
                                 "--concurrency", str(concurrency), "--duration", str(duration),
                                 "--warmup", str(PLAN["post_warmup"])] + watch_args_of(watch),
                                out_dir / f"{key}_{name}_post_c{concurrency}_r{round_index + 1}.json", duration + 60)
        if "b" in running:
            summaries["b"]["shim_rss_after_post_kib"] = rss_kib(running["b"][3])
    finally:
        for procs, _, _, _ in running.values():
            stop_all(procs)


def bench_stream(key, out_dir, log_dir, summary):
    """Streaming: one configuration at a time (1,000 streams each), fresh start, slow token clock."""
    name = CONFIG_NAMES[key]
    procs, port, watch, rss_pid = start_ready(key, True, log_dir)
    try:
        time.sleep(1.0)
        if rss_pid:
            summary["rss_idle_before_streams_kib"] = rss_kib(rss_pid)
        log(f"{name}: {PLAN['streams']} streams, {PLAN['stream_duration']:g}s")
        args = ["stream", "--url", f"http://127.0.0.1:{port}/v1/chat/completions", "--model", MODEL,
                "--concurrency", str(PLAN["streams"]),
                "--tokens", str(PLAN["stream_tokens"]), "--ramp", str(PLAN["stream_ramp"]),
                "--warmup", str(PLAN["stream_warmup"]), "--duration", str(PLAN["stream_duration"]),
                "--probe", f"http://127.0.0.1:{port}/health",
                "--probe", f"{PLAN['metrics_probe_interval_ms']:g}@http://127.0.0.1:{port}/metrics",
                "--probe-interval-ms", str(PLAN["probe_interval_ms"])] + watch_args_of(watch)
        if rss_pid:
            args += ["--rss-pid", str(rss_pid)]
        total = PLAN["stream_ramp"] + PLAN["stream_warmup"] + PLAN["stream_duration"]
        run_loadgen(args, out_dir / f"{key}_{name}_stream.json", total + 60)
    finally:
        stop_all(procs)


def command_output(argv):
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10).stdout.decode()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine_info():
    lscpu = command_output(["lscpu"])
    model = next((line.split(":", 1)[1].strip() for line in lscpu.splitlines() if line.startswith("Model name")), "")
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "kernel": platform.release(),
        "haproxy": command_output(["haproxy", "-v"]).splitlines()[0] if shutil.which("haproxy") else "",
        "python": platform.python_version(),
        "shim_version": command_output([str(BIN / "vllm-sglang-shim"), "--version"]).strip()[:200],
        "fd_limit": command_output(["sh", "-c", "ulimit -n"]).strip(),
    }


def main():
    missing = [b for b in ("fake-sglang", "shim-loadgen") if not (BIN / b).exists()]
    configs = [c.strip() for c in os.environ.get("BENCH_CONFIGS", "a,b,c,d").split(",") if c.strip()]
    if "b" in configs and not (BIN / "vllm").exists():
        missing.append("vllm")
    if missing:
        sys.exit(f"bench: missing {', '.join(missing)} in {BIN} (run `make build` first)")
    if any(c not in CONFIG_NAMES for c in configs) or "a" not in configs:
        sys.exit("bench: BENCH_CONFIGS must include a (the baseline) and only a, b, c, d")
    if any(c in configs for c in "cd") and not shutil.which("haproxy"):
        sys.exit("bench: haproxy not found (scripts/install-deps.sh installs it)")

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = BENCH / "results" / stamp
    log_dir = out_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    meta = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "quick": QUICK,
        "plan": PLAN,
        "pinning": {"engine": ENGINE_CORE, "proxy": PROXY_CORE, "loadgen": LOADGEN_CORE,
                    "applied": bool(pinned(0))},
        "machine": machine_info(),
    }
    meta["configs"] = {key: {"key": key, "name": CONFIG_NAMES[key]} for key in configs}
    bench_post(configs, out_dir, log_dir, meta["configs"])
    for key in configs:
        bench_stream(key, out_dir, log_dir, meta["configs"][key])
    meta["duration_s"] = round(time.monotonic() - started, 1)
    with open(out_dir / "meta.json", "w") as f:
        json.dump(meta, f, indent=2)
    log(f"raw results in {out_dir} ({meta['duration_s']}s)")
    if os.environ.get("BENCH_NO_REPORT") != "1":
        subprocess.run(["/usr/bin/python3", str(BENCH / "report.py"), str(out_dir)], check=True)


if __name__ == "__main__":
    main()
