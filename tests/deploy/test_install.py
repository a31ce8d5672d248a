"""`cmake --install` lays out a self-contained tree, and the installed entry points
(`<prefix>/bin/vllm serve` and `python3 -m vllm.entrypoints.openai.api_server`
with only `<prefix>/lib/python` on PYTHONPATH) serve in front of the SGLang
stand-in engine and stop cleanly on SIGTERM."""

import http.client
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from deploy_install import BIN_DIR, DOC_DIR, PYTHON_DIR, REPO, install_tree
from harness import SLOW, free_port_pair, kill_session

VERSION = (REPO / "VERSION").read_text().strip()
# Libraries every Linux system (and every SGLang image) provides; anything else
# the binary needs must come from <prefix>/lib.
SYSTEM_LIBS = ("linux-vdso", "ld-linux", "libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so",
               "libresolv.so", "libstdc++.so", "libgcc_s.so", "libasan.so", "libubsan.so")


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    root = tmp_path_factory.mktemp("install") / "opt" / "vllm-sglang-shim"
    install_tree(root)
    return root


def test_tree_holds_binary_link_package_and_docs(prefix):
    binary = prefix / "bin" / "vllm-sglang-shim"
    assert binary.is_file() and os.access(binary, os.X_OK)
    link = prefix / "bin" / "vllm"
    assert link.is_symlink() and os.readlink(link) == "vllm-sglang-shim", "bin/vllm must be a relative link"
    package = prefix / PYTHON_DIR / "vllm"
    for rel in ("__init__.py", "_shim.py", "entrypoints/__init__.py", "entrypoints/openai/__init__.py",
                "entrypoints/openai/api_server.py", "entrypoints/cli/__init__.py", "entrypoints/cli/main.py"):
        assert (package / rel).is_file(), rel
    docs = prefix / DOC_DIR
    for rel in ("LICENSE", "README.md", "CHANGELOG.md", "VERSION", "docs/deploy.md",
                "deploy/production-stack/values-shim.yaml", "deploy/production-stack/vllmruntime.yaml"):
        assert (docs / rel).is_file(), rel
    assert "Apache License" in (docs / "LICENSE").read_text()


def test_tree_holds_nothing_for_tests_only(prefix):
    names = [p.name for p in prefix.rglob("*")]
    assert "fake-sglang" not in names
    assert not [n for n in names if n.endswith("_test") or n.endswith("_bench") or n == "__pycache__"], names
    assert sorted(p.name for p in (prefix / "bin").iterdir()) == ["vllm", "vllm-sglang-shim"]


def test_installed_binary_finds_every_library(prefix):
    proc = subprocess.run(["ldd", str(prefix / "bin" / "vllm-sglang-shim")], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "not found" not in proc.stdout, proc.stdout
    for line in proc.stdout.splitlines():
        name = line.strip().split(" ", 1)[0]
        if "=>" not in line or name.startswith(SYSTEM_LIBS):
            continue
        resolved = os.path.normpath(line.split("=>", 1)[1].strip().split(" (", 1)[0])
        assert resolved.startswith(str(prefix / "lib") + "/"), \
            f"{name} resolves outside the tree ({resolved}): a stock SGLang image would lack it"


def test_installed_tree_runs_after_being_moved(prefix, tmp_path):
    # The image copies the tree whole; a relative link and $ORIGIN RPATH keep it working.
    moved = tmp_path / "elsewhere"
    shutil.copytree(prefix, moved, symlinks=True)
    for name in ("vllm-sglang-shim", "vllm"):
        proc = subprocess.run([str(moved / "bin" / name), "--version"], capture_output=True, text=True,
                              timeout=30 * SLOW, env=clean_env())
        assert proc.returncode == 0, proc.stderr
        assert VERSION in proc.stdout, proc.stdout


# --- running the installed entry points ----------------------------------------------

def clean_env(extra=None):
    # Nothing from the source tree: the installed tree must stand on its own.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("VLLM_", "SGLANG_", "FAKE_SGLANG_", "PYTHON"))}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    env.update(extra or {})
    return env


def request(port, method, path, body=None, timeout=5.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout * SLOW)
    try:
        headers = {}
        if body is not None:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture
def launch(tmp_path):
    started = []

    def start(command, env):
        log = open(tmp_path / f"entry{len(started)}.log", "wb")
        proc = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        started.append((proc, log))
        return proc, Path(log.name)

    yield start
    for proc, log in started:
        kill_session(proc)
        log.close()


def serve_one_request_and_stop(proc, log, port, model):
    deadline = time.monotonic() + 30 * SLOW
    status = None
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"exited with {proc.returncode} before ready:\n{log.read_text()}"
        try:
            status, _ = request(port, "GET", "/health", timeout=1.0)
            if status == 200:
                break
        except OSError as e:
            status = e
        time.sleep(0.05)
    assert status == 200, f"/health never 200 (last {status}):\n{log.read_text()}"

    status, body = request(port, "POST", "/v1/chat/completions",
                           {"model": model, "messages": [{"role": "user", "content": "Hello"}], "max_tokens": 4})
    assert status == 200, body
    reply = json.loads(body)
    assert reply["object"] == "chat.completion" and reply["choices"], reply
    assert reply["model"] == model

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=40 * SLOW) == 0, log.read_text()


def engine_env():
    fake = BIN_DIR / "fake-sglang"
    assert fake.exists(), f"{fake} is not built"
    return clean_env({"VLLM_SGLANG_LAUNCHER": str(fake), "VLLM_SGLANG_DRAIN_DELAY": "0",
                      "SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0"})


def test_installed_vllm_serve_answers_and_exits_cleanly(prefix, launch):
    port = free_port_pair()
    model = "Qwen/Qwen2.5-0.5B-Instruct"
    proc, log = launch([str(prefix / "bin" / "vllm"), "serve", model, "--host", "127.0.0.1", "--port", str(port)],
                       engine_env())
    serve_one_request_and_stop(proc, log, port, model)


def test_installed_python_entry_point_runs_the_installed_binary(prefix, launch):
    port = free_port_pair()
    model = "Qwen/Qwen2.5-0.5B-Instruct"
    env = engine_env()
    env["PYTHONPATH"] = str(prefix / PYTHON_DIR)
    proc, log = launch(["/usr/bin/python3", "-m", "vllm.entrypoints.openai.api_server", "--model", model,
                        "--host", "127.0.0.1", "--port", str(port)], env)
    # The Python process replaced itself with the binary it found in the tree.
    deadline = time.monotonic() + 10 * SLOW
    exe = None
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            exe = os.readlink(f"/proc/{proc.pid}/exe")
        except OSError:
            exe = None
        if exe and not Path(exe).name.startswith("python"):
            break
        time.sleep(0.02)
    assert exe == str(prefix / "bin" / "vllm-sglang-shim"), f"ran {exe}:\n{log.read_text()}"
    serve_one_request_and_stop(proc, log, port, model)
