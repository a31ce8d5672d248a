"""The real entry points launch SGLang (here a recording launcher) with the translated
command line and a clean environment, and turn signals and exits into the right status."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness import BIN_DIR, REPO, SLOW, base_env, free_port_pair, run_binary  # noqa: E402
from sglang_cli import flag_value, parse_sglang_argv  # noqa: E402

RECORDER = Path(__file__).with_name("record_launcher.py")


def launch(tmp_path, command, mode="exit:0", env=None, wait_record=True, preexec_fn=None):
    record = tmp_path / "record.json"
    e = base_env({"VLLM_SGLANG_LAUNCHER": f"/usr/bin/python3 {RECORDER}", "RECORD_FILE": str(record),
                  "RECORD_MODE": mode})
    e.update(env or {})
    proc = subprocess.Popen(command, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=preexec_fn)
    if wait_record:
        deadline = time.monotonic() + 15 * SLOW
        while not record.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        time.sleep(0.1)  # the recorder writes, then acts
    return proc, record


def finish(proc, timeout=20):
    try:
        out, err = proc.communicate(timeout=timeout * SLOW)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise AssertionError("shim did not exit:\n" + err)
    return proc.returncode, out, err


def vllm(*words):
    return [str(BIN_DIR / "vllm"), "serve", *words]


def test_vllm_serve_launches_translated_command(tmp_path):
    port = free_port_pair()
    proc, record = launch(tmp_path, vllm("Qwen/Qwen3-0.6B", "--port", str(port), "--max-model-len", "2048"),
                          mode="exit:0")
    code, _, err = finish(proc)
    rec = json.loads(record.read_text())
    argv = rec["argv"][1:]
    assert flag_value(argv, "--model-path") == "Qwen/Qwen3-0.6B"
    assert flag_value(argv, "--host") == "127.0.0.1"
    assert flag_value(argv, "--port") == str(port + 1)
    assert flag_value(argv, "--context-length") == "2048"
    assert "--enable-metrics" in argv
    assert rec["pgid_is_own"], "SGLang must run in its own process group"
    assert rec["sid_is_own"], "SGLang must run in its own session (autogroup shares CPU per session)"


def test_engine_environment_is_clean(tmp_path):
    port = free_port_pair()
    shadow = str(REPO / "python")
    proc, record = launch(tmp_path, vllm("m", "--port", str(port)),
                          env={"PYTHONPATH": f"{shadow}:/opt/keep", "PROMETHEUS_MULTIPROC_DIR": "/tmp"})
    finish(proc)
    env = json.loads(record.read_text())["env"]
    assert env.get("PYTHONPATH") == "/opt/keep"
    metrics_dir = env["PROMETHEUS_MULTIPROC_DIR"]
    assert metrics_dir != "/tmp" and "vllm-sglang-shim-metrics" in metrics_dir
    assert not os.path.exists(metrics_dir), "the private metrics directory is removed at exit"


@pytest.mark.parametrize("entry", ["api_server", "cli_main"])
def test_python_entry_points_exec_the_shim(tmp_path, entry):
    port = free_port_pair()
    if entry == "api_server":
        command = ["/usr/bin/python3", "-m", "vllm.entrypoints.openai.api_server", "--model", "org/model",
                   "--port", str(port)]
    else:
        command = ["/usr/bin/python3", "-m", "vllm.entrypoints.cli.main", "serve", "org/model", "--port", str(port)]
    proc, record = launch(tmp_path, command)
    code, _, err = finish(proc)
    assert code == 0, err
    argv = json.loads(record.read_text())["argv"][1:]
    assert flag_value(argv, "--model-path") == "org/model"
    assert flag_value(argv, "--port") == str(port + 1)


def test_api_server_ignores_positional_model(tmp_path):
    # python -m vllm.entrypoints.openai.api_server takes the model from --model only.
    port = free_port_pair()
    proc, record = launch(tmp_path, [str(BIN_DIR / "vllm-sglang-shim"), "api-server", "--model", "a/b",
                                     "--port", str(port)])
    finish(proc)
    assert flag_value(json.loads(record.read_text())["argv"][1:], "--model-path") == "a/b"


@pytest.mark.parametrize("status", [0, 1, 7])
def test_shim_exits_with_sglang_status(tmp_path, status):
    proc, _ = launch(tmp_path, vllm("m", "--port", str(free_port_pair())), mode=f"exit:{status}")
    code, _, err = finish(proc)
    assert code == status, err


def test_sigterm_is_forwarded_after_drain_and_exit_is_clean(tmp_path):
    proc, record = launch(tmp_path, vllm("m", "--port", str(free_port_pair())), mode="wait",
                          env={"VLLM_SGLANG_DRAIN_DELAY": "0"})
    proc.send_signal(signal.SIGTERM)
    code, _, err = finish(proc)
    signals = [json.loads(line)["signal"] for line in Path(str(record) + ".signals").read_text().splitlines()]
    assert signals == ["SIGTERM"]
    assert code == 0, err


# Ctrl-C is passed on as it is. A hang-up becomes SIGTERM: SGLang runs in a
# session of its own, so a closed terminal reaches only the shim, and SGLang
# must not outlive it.
@pytest.mark.parametrize("sent,forwarded", [("SIGINT", "SIGINT"), ("SIGHUP", "SIGTERM")])
def test_stop_signal_is_forwarded_and_status_propagates(tmp_path, sent, forwarded):
    proc, record = launch(tmp_path, vllm("m", "--port", str(free_port_pair())), mode="wait",
                          env={"RECORD_SIGNAL_EXIT": "5"})
    proc.send_signal(getattr(signal, sent))
    code, _, err = finish(proc)
    signals = [json.loads(line)["signal"] for line in Path(str(record) + ".signals").read_text().splitlines()]
    assert signals == [forwarded]
    assert code == 5, err
    assert f"{sent} received: stopping" in err


def test_sighup_ignored_under_nohup(tmp_path):
    proc, record = launch(tmp_path, vllm("m", "--port", str(free_port_pair())), mode="wait",
                          preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    proc.send_signal(signal.SIGHUP)
    time.sleep(0.3 * SLOW)
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    code, _, err = finish(proc)
    assert "SIGHUP" not in err
    assert not Path(str(record) + ".signals").read_text().count("SIGHUP")


def test_engine_that_ignores_sigterm_is_killed(tmp_path):
    launcher = tmp_path / "stubborn.sh"
    launcher.write_text("#!/bin/sh\ntrap '' TERM\nwhile true; do sleep 0.1; done\n")
    launcher.chmod(0o755)
    e = base_env({"VLLM_SGLANG_LAUNCHER": str(launcher), "VLLM_SGLANG_ENGINE_STOP_TIMEOUT": "0.5"})
    proc = subprocess.Popen(vllm("m", "--port", str(free_port_pair())), env=e, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(0.5 * SLOW)
    proc.send_signal(signal.SIGTERM)
    code, _, err = finish(proc)
    assert code == 128 + signal.SIGKILL, err
    assert "SIGKILL" in err


def test_missing_launcher_is_one_line_and_nonzero(tmp_path):
    e = base_env({"VLLM_SGLANG_LAUNCHER": "/nonexistent/launcher --flag"})
    r = subprocess.run(vllm("m", "--port", str(free_port_pair())), env=e, capture_output=True, text=True,
                       timeout=20 * SLOW)
    assert r.returncode != 0
    errors = [line for line in r.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, r.stderr
    assert "cannot start SGLang launcher '/nonexistent/launcher'" in errors[0]


def test_api_key_never_logged_but_passed_to_sglang(tmp_path):
    proc, record = launch(tmp_path, vllm("m", "--port", str(free_port_pair()), "--api-key", "sk-very-secret"))
    code, out, err = finish(proc)
    assert "sk-very-secret" not in out + err
    argv = json.loads(record.read_text())["argv"][1:]
    assert flag_value(argv, "--api-key") == "sk-very-secret"


def test_extra_args_replace_translated_flags(tmp_path):
    proc, record = launch(tmp_path, vllm("m", "--port", str(free_port_pair()), "--max-model-len", "2048"),
                          env={"VLLM_SGLANG_EXTRA_ARGS": "--context-length 4096 --log-level debug"})
    finish(proc)
    argv = json.loads(record.read_text())["argv"][1:]
    assert argv.count("--context-length") == 1
    assert flag_value(argv, "--context-length") == "4096"
    assert flag_value(argv, "--log-level") == "debug"


def test_backend_port_setting(tmp_path):
    port = free_port_pair()
    backend = free_port_pair()
    proc, record = launch(tmp_path, vllm("m", "--port", str(port)), env={"VLLM_SGLANG_BACKEND_PORT": str(backend)})
    finish(proc)
    assert flag_value(json.loads(record.read_text())["argv"][1:], "--port") == str(backend)


def test_busy_frontend_port_fails_fast(tmp_path):
    import socket
    port = free_port_pair()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))
        s.listen()
        proc, record = launch(tmp_path, vllm("m", "--host", "127.0.0.1", "--port", str(port)), wait_record=False)
        code, _, err = finish(proc)
    assert code != 0
    assert str(port) in err and "in use" in err.lower(), err
    assert not record.exists(), "nothing is launched when the port is taken"


@pytest.mark.parametrize("words,needle", [
    (["m", "--port", "abc"], "--port"),
    (["m", "--port", "65535"], "--port"),
    (["m", "--kv-transfer-config", "{bad json"], "--kv-transfer-config"),
    (["m", "--max-model-len"], "--max-model-len"),
    (["m", "--config", "/nonexistent/config.yaml"], "--config"),
    (["m", "--enable-auto-tool-choice", "--tool-call-parser", "no_such_parser"], "--tool-call-parser"),
    (["m", "--reasoning-parser", "no_such_parser"], "--reasoning-parser"),
    (["m", "--enforce-eager", "true"], "true"),
])
def test_bad_input_exits_2_with_one_line_and_launches_nothing(tmp_path, words, needle):
    proc, record = launch(tmp_path, vllm(*words), wait_record=False)
    code, out, err = finish(proc)
    assert code == 2, err
    error_lines = [line for line in err.splitlines() if "error" in line.lower()]
    assert len(error_lines) == 1 and needle in error_lines[0], err
    assert not record.exists()


def test_unknown_flag_warns_and_is_dropped(tmp_path):
    proc, record = launch(tmp_path, vllm("m", "--port", str(free_port_pair()), "--no-such-flag", "x"))
    code, out, err = finish(proc)
    assert code == 0
    assert "--no-such-flag" in err
    assert "--no-such-flag" not in json.loads(record.read_text())["argv"]


def test_unknown_flag_is_an_error_when_strict(tmp_path):
    proc, record = launch(tmp_path, vllm("m", "--no-such-flag", "x"), env={"VLLM_SGLANG_STRICT": "1"},
                          wait_record=False)
    code, out, err = finish(proc)
    assert code == 2
    assert "--no-such-flag" in err
    assert not record.exists()


def test_version_and_unprovided_subcommands():
    r = run_binary("vllm", ["--version"])
    assert r.returncode == 0
    assert r.stdout.strip() == (REPO / "VERSION").read_text().strip()
    for sub in ["chat", "complete", "bench", "run-batch", "collect-env"]:
        r = run_binary("vllm", [sub, "--help"])
        assert r.returncode == 2
        assert len(r.stderr.strip().splitlines()) == 1 and "not provided" in r.stderr


def test_serve_help_lists_flags_and_what_they_become():
    r = run_binary("vllm", ["serve", "--help"])
    assert r.returncode == 0
    assert "--max-model-len" in r.stdout and "--context-length" in r.stdout
    assert "--gpu-memory-utilization" in r.stdout and "--mem-fraction-static" in r.stdout


def test_translate_text_explains_every_flag():
    r = run_binary("vllm-sglang-shim", ["translate", "m", "--max-model-len", "4k", "--enable-auto-tool-choice",
                                        "--tool-call-parser", "llama3_json", "--api-key", "sk-hidden"],
                   env={"VLLM_SGLANG_LAUNCHER": "python3 -m sglang.launch_server"})
    assert r.returncode == 0, r.stderr
    assert "sglang.launch_server" in r.stdout
    assert "--context-length" in r.stdout
    assert "--enable-auto-tool-choice" in r.stdout
    assert "llama3" in r.stdout
    assert "sk-hidden" not in r.stdout


# A base64url API key begins with '-' one time in 64. argparse (vLLM's and SGLang's) reads a
# separate word that begins with '-' as an option, so the key reaches SGLang attached:
# --api-key=-abc123. No line the shim prints may contain the key.
DASH_KEY = "-abc123"

KEY_SPELLINGS = {
    "env": (["m"], {"VLLM_API_KEY": DASH_KEY}),
    "equals": (["m", f"--api-key={DASH_KEY}"], {}),
    "equals-underscore": (["m", f"--api_key={DASH_KEY}"], {"VLLM_API_KEY": "other-key"}),
}


def sglang_api_key(argv):
    """The key SGLang's own argparse reads from argv (tests/sglang_cli.py)."""
    namespace = parse_sglang_argv(argv)
    return getattr(namespace, "api_key__--api-key")


def assert_key_not_printed(*outputs):
    for text in outputs:
        for line in text.splitlines():
            assert DASH_KEY.lstrip("-") not in line, line


@pytest.mark.parametrize("spelling", sorted(KEY_SPELLINGS))
def test_api_key_beginning_with_dash_reaches_sglang_attached(tmp_path, spelling):
    words, env = KEY_SPELLINGS[spelling]
    proc, record = launch(tmp_path, vllm(*words, "--port", str(free_port_pair())), mode="wait", env=env)
    assert record.exists(), "SGLang was not started"
    assert proc.poll() is None, "the shim must keep running"
    proc.send_signal(signal.SIGINT)
    code, out, err = finish(proc)
    argv = json.loads(record.read_text())["argv"][1:]
    assert f"--api-key={DASH_KEY}" in argv
    assert DASH_KEY not in argv, "never a separate word: SGLang would read it as a flag"
    assert sglang_api_key(argv) == DASH_KEY
    assert_key_not_printed(out, err)


@pytest.mark.parametrize("spelling", sorted(KEY_SPELLINGS))
def test_translate_api_key_beginning_with_dash(spelling):
    words, env = KEY_SPELLINGS[spelling]
    text = run_binary("vllm-sglang-shim", ["translate", *words], env=env)
    assert text.returncode == 0, text.stderr
    assert "'--api-key=***'" in text.stdout
    as_json = run_binary("vllm-sglang-shim", ["translate", "--json", *words], env=env)
    assert as_json.returncode == 0, as_json.stderr
    assert "--api-key=***" in json.loads(as_json.stdout)["sglang_argv"]
    assert_key_not_printed(text.stdout, text.stderr, as_json.stdout, as_json.stderr)


@pytest.mark.parametrize("command", ["serve", "translate"])
def test_api_key_beginning_with_dash_as_a_separate_word_is_refused_like_vllm(tmp_path, command):
    # vLLM's argparse: "argument --api-key: expected at least one argument".
    if command == "serve":
        proc, record = launch(tmp_path, vllm("m", "--api-key", DASH_KEY), wait_record=False)
        code, out, err = finish(proc)
        assert not record.exists()
    else:
        r = run_binary("vllm-sglang-shim", ["translate", "m", "--api-key", DASH_KEY])
        code, out, err = r.returncode, r.stdout, r.stderr
    assert code == 2, err
    error_lines = [line for line in err.splitlines() if "error" in line.lower()]
    assert len(error_lines) == 1, err
    assert "argument --api-key: expected at least one argument" in error_lines[0]
    assert "--api-key=VALUE" in error_lines[0]
    assert_key_not_printed(out, err)


def test_words_after_an_api_key_are_not_printed(tmp_path):
    # `--api-key k1 -abc123`: argparse ends the key list at -abc123 and reports it as unknown;
    # the shim drops it with a warning (or fails when strict) without printing it.
    proc, record = launch(tmp_path, vllm("m", "--port", str(free_port_pair()), "--api-key", "k1", DASH_KEY))
    code, out, err = finish(proc)
    assert code == 0, err
    assert "unrecognized vLLM argument dropped: ***" in err
    assert_key_not_printed(out, err)
    strict = run_binary("vllm-sglang-shim", ["translate", "m", "--api-key", "k1", DASH_KEY],
                        env={"VLLM_SGLANG_STRICT": "1"})
    assert strict.returncode == 2
    assert "unrecognized arguments: ***" in strict.stderr
    assert_key_not_printed(strict.stdout, strict.stderr)


def test_api_key_beginning_with_dash_authenticates_through_the_front_door(shim_factory):
    shim = shim_factory(args=[f"--api-key={DASH_KEY}"])
    assert shim.get("/v1/models", headers={"Authorization": "Bearer " + DASH_KEY}).status == 200
    assert shim.get("/v1/models").status == 401
    # SGLang (the stand-in) got the key too: it refuses a request without it.
    assert shim.get("/v1/models", port=shim.backend_port).status == 401
    shim_lines = [line for line in shim.logs().splitlines() if "vllm-sglang-shim" in line]
    assert_key_not_printed("\n".join(shim_lines))


def test_other_values_beginning_with_dash_are_attached(tmp_path):
    proc, record = launch(tmp_path, vllm("m", "--port", str(free_port_pair()), "--served-model-name=-alias",
                                         "--no-enable-chunked-prefill"))
    code, _, err = finish(proc)
    assert code == 0, err
    argv = json.loads(record.read_text())["argv"][1:]
    assert "--served-model-name=-alias" in argv
    assert "--chunked-prefill-size=-1" in argv
    namespace = parse_sglang_argv(argv)
    assert getattr(namespace, "served_model_name__--served-model-name") == "-alias"
    assert getattr(namespace, "chunked_prefill_size__--chunked-prefill-size") == "-1"
