"""Black-box test harness: runs the real `vllm` entry point of a build in front of
the SGLang stand-in engine, on free loopback ports, and always tears it down.

Tests import helpers from here (`from harness import ...`); tests/conftest.py
turns them into fixtures:
  shim_factory(...) -> Shim   start `vllm serve` (or another entry point); see Shim.
  shim                        one running shim with default arguments, ready.
"""

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN_DIR = Path(os.environ.get("SHIM_BIN_DIR", REPO / "build" / "bin"))
SANITIZED = os.environ.get("SHIM_SANITIZED", "0") in ("1", "ON", "TRUE", "true")
# Sanitized binaries start and run slower; every wait scales with this.
SLOW = 3.0 if SANITIZED else 1.0
DEFAULT_MODEL = "Qwen/Qwen2.5-0.5B-Instruct"


def _ephemeral_range():
    try:
        low, high = map(int, open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999


def free_port_pair():
    """A port P such that P and P+1 are both free on loopback (vLLM port, SGLang port).

    Chosen outside the kernel's ephemeral range: a port from that range can be
    taken as the source port of any outgoing connection (the tests make many)
    between this check and the engine's bind, which made the engine fail with
    EADDRINUSE now and then."""
    low, high = _ephemeral_range()
    candidates = (10000, low - 2) if low - 2 > 10000 else (high + 1, 65533)
    for _ in range(200):
        port = random.randint(*candidates)
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port pair")


def _process_table():
    """(pid, ppid, session) of every process."""
    table = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2:].split()  # state, ppid, pgrp, session, ...
            table.append((int(entry), int(fields[1]), int(fields[3])))
        except (OSError, ValueError, IndexError):
            continue
    return table


def tree_pids(root):
    """A process started with start_new_session, everything in its session, and every
    descendant with the sessions they lead: SGLang runs in a session of its own."""
    table = _process_table()
    found = {root} | {pid for pid, _, session in table if session == root}
    while True:
        more = {pid for pid, ppid, session in table
                if pid not in found and (ppid in found or session in found)}
        if not more:
            return found
        found |= more


def kill_session(proc):
    """SIGKILLs a process started with start_new_session and its whole tree (SGLang's
    session included), then reaps it. The tree is read while the shim still lives:
    an orphaned SGLang could no longer be told from any other process."""
    for _ in range(3):
        pids = tree_pids(proc.pid)
        if proc.poll() is not None:
            pids.discard(proc.pid)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


class Shim:
    """One `vllm serve` process (a new session, so teardown finds all its children)."""

    def __init__(self, args, env, entry, tmp_dir):
        self.port = None
        self.args = list(args)
        self.env = env
        self.entry = entry
        self.tmp_dir = Path(tmp_dir)
        self.log_path = self.tmp_dir / "shim.log"
        self.proc = None

    @property
    def backend_port(self):
        return int(self.env.get("VLLM_SGLANG_BACKEND_PORT", self.port + 1))

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def command(self):
        if self.entry == "vllm":
            return [str(BIN_DIR / "vllm"), "serve"] + self.args
        if self.entry == "api_server":
            return ["/usr/bin/python3", "-m", "vllm.entrypoints.openai.api_server"] + self.args
        if self.entry == "cli_main":
            return ["/usr/bin/python3", "-m", "vllm.entrypoints.cli.main", "serve"] + self.args
        raise ValueError(self.entry)

    def start(self):
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command(), env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        return self

    def logs(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def request(self, method, path, body=None, headers=None, timeout=10.0, port=None):
        conn = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=timeout * SLOW)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
                headers = dict(headers or {})
                headers.setdefault("Content-Type", "application/json")
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, r.getheaders(), data)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def wait_ready(self, timeout=30.0):
        deadline = time.monotonic() + timeout * SLOW
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"shim exited with {self.proc.returncode} before ready:\n{self.logs()}")
            try:
                r = self.get("/health", timeout=1.0)
                last = r.status
                if r.status == 200:
                    return self
            except OSError as e:
                last = e
            time.sleep(0.05)
        raise AssertionError(f"shim not ready after {timeout}s (last: {last}):\n{self.logs()}")

    def stop(self, sig=signal.SIGTERM, timeout=40.0):
        """Sends a signal to the shim and waits for its exit code."""
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=timeout * SLOW)

    def kill_all(self):
        if self.proc is None:
            return
        kill_session(self.proc)
        self._log.close()


def base_env(extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VLLM_", "FAKE_SGLANG_", "SGLANG_"))}
    env.update({
        "VLLM_SGLANG_LAUNCHER": str(BIN_DIR / "fake-sglang"),
        "VLLM_SGLANG_DRAIN_DELAY": "0",
        # The stand-in's one-second /health (SGLang's real behaviour) is tested on
        # purpose where it matters; elsewhere it only slows start-up.
        "SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0",
        "PYTHONPATH": str(REPO / "python"),
        # The shadow package would find build/bin by itself; name this build's binary.
        "VLLM_SGLANG_SHIM_BIN": str(BIN_DIR / "vllm-sglang-shim"),
        "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "detect_leaks=1"),
    })
    env.update(extra or {})
    return env


def make_shim_factory(tmp_path):
    """Returns (start, stop_all): start(...) launches a Shim; stop_all() kills them all."""
    started = []

    def start(args=None, env=None, model=DEFAULT_MODEL, entry="vllm", wait=True, port=None, timeout=30.0):
        shim = Shim([], base_env(env), entry, tmp_path / f"shim{len(started)}")
        shim.tmp_dir.mkdir(parents=True, exist_ok=True)
        shim.port = port or free_port_pair()
        words = []
        if model is not None:
            words += ["--model", model] if entry == "api_server" else [model]
        words += ["--host", "127.0.0.1", "--port", str(shim.port)]
        shim.args = words + list(args or [])
        started.append(shim)
        shim.start()
        if wait:
            shim.wait_ready(timeout)
        return shim

    def stop_all():
        for shim in started:
            shim.kill_all()

    return start, stop_all


def run_binary(name, args, env=None, timeout=30.0, input_text=None):
    """Runs a build binary to completion; returns CompletedProcess with text output."""
    return subprocess.run([str(BIN_DIR / name)] + list(args), env=base_env(env), capture_output=True, text=True,
                          timeout=timeout * SLOW, input=input_text)
