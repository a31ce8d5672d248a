"""`vllm serve` translates for the SGLang release that is installed: it asks the launcher's
Python for the `sglang` package's version (package metadata, never an import) and emits only
flags that release knows. The stand-in plays an older SGLang with FAKE_SGLANG_RELEASE: it
refuses, as SGLang's argparse does, any flag or choice that release lacks (flag lists of
python/sglang/srt/server_args.py at v0.5.4 = 1053e1be, in data/reference/sglang-flags-by-version.json)."""

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness import BIN_DIR, SLOW, base_env, free_port_pair, run_binary  # noqa: E402


def fake_install(tmp_path, version):
    """A site directory with an `sglang` distribution of `version` whose launch_server
    module execs the stand-in: what `python3 -m sglang.launch_server` finds in an image."""
    site = tmp_path / "site"
    (site / "sglang").mkdir(parents=True)
    (site / "sglang" / "__init__.py").write_text("")
    (site / "sglang" / "launch_server.py").write_text(
        "import os, sys\n"
        f"os.execv({str(BIN_DIR / 'fake-sglang')!r}, ['fake-sglang'] + sys.argv[1:])\n")
    dist = site / f"sglang-{version}.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: sglang\nVersion: {version}\n")
    return site


def serve(shim_factory, tmp_path, args, release, version, extra_env=None, wait=True):
    """`vllm serve` (the harness's) with the launcher `python3 -m sglang.launch_server` finding an
    installed sglang `version` whose server plays `release`."""
    site = fake_install(tmp_path, version)
    argv_file = tmp_path / "argv.json"
    env = {
        "VLLM_SGLANG_LAUNCHER": "/usr/bin/python3 -m sglang.launch_server",
        "PYTHONPATH": f"{site}:{base_env()['PYTHONPATH']}",
        "FAKE_SGLANG_RELEASE": release,
        "FAKE_SGLANG_ARGV_FILE": str(argv_file),
        **(extra_env or {}),
    }
    return shim_factory(args=args, env=env, model="org/model", wait=wait), argv_file


# Neither flag is in v0.5.4 (--otlp-traces-endpoint arrived in v0.5.6, --enable-mfu-metrics in
# 2026-04; its --enable-trace is older): a v0.5.4 image exits at start on either.
OBSERVABILITY = ["--otlp-traces-endpoint", "http://collector:4317", "--enable-mfu-metrics"]


def test_serve_starts_an_older_installed_release_with_only_its_flags(shim_factory, tmp_path):
    shim, argv_file = serve(shim_factory, tmp_path, OBSERVABILITY + ["--tool-call-parser", "hermes",
                                                                      "--enable-auto-tool-choice"], "v0.5.4", "0.5.4")
    text = shim.logs()
    assert "SGLang 0.5.4: translating for release v0.5.4" in text
    assert "SGLang v0.5.4 has no --otlp-traces-endpoint" in text
    assert "SGLang v0.5.4 has no --enable-mfu-metrics" in text
    argv = json.loads(argv_file.read_text())["argv"]
    assert "--otlp-traces-endpoint" not in argv and "--enable-mfu-metrics" not in argv
    assert "--enable-trace" in argv  # v0.5.4 has it
    # v0.5.4 has no hermes parser; qwen25 parses the same <tool_call> format.
    assert argv[argv.index("--tool-call-parser") + 1] == "qwen25"


def test_the_same_command_translated_for_the_newest_release_crashes_that_image(shim_factory, tmp_path):
    # What the detection prevents: the newest list's flags make v0.5.4 exit 2 at start.
    shim, _ = serve(shim_factory, tmp_path, OBSERVABILITY, "v0.5.4", "0.5.4",
                    {"VLLM_SGLANG_SGLANG_VERSION": "main@2026-07-20"}, wait=False)
    assert shim.proc.wait(timeout=30 * SLOW) == 2
    assert "unrecognized arguments: --otlp-traces-endpoint" in shim.logs()


def test_a_flag_that_changes_answers_is_refused_on_one_line(shim_factory, tmp_path):
    shim, argv_file = serve(shim_factory, tmp_path, ["--default-chat-template-kwargs", '{"enable_thinking": false}'],
                            "v0.5.4", "0.5.4", wait=False)
    assert shim.proc.wait(timeout=30 * SLOW) == 2
    errors = [line for line in shim.logs().splitlines() if "error" in line]
    assert errors == ["vllm serve: error: argument --default-chat-template-kwargs: SGLang v0.5.4 has no "
                      "--default-chat-template-kwargs (it changes the prompts the chat template renders); use an "
                      "SGLang image of main@2026-07-20 or later, or leave the flag out"], shim.logs()
    assert not argv_file.exists()  # SGLang was never started


def test_without_an_installed_package_the_newest_release_is_used_and_said(tmp_path):
    env = base_env({"VLLM_SGLANG_LAUNCHER": f"/usr/bin/python3 {tmp_path / 'absent.py'}"})
    result = subprocess.run([str(BIN_DIR / "vllm"), "serve", "m", "--port", str(free_port_pair())], env=env,
                            capture_output=True, text=True, timeout=30 * SLOW)
    # The launcher then fails to start SGLang, but the release was chosen, and said, before.
    assert ("/usr/bin/python3 found no installed sglang package; translating for the newest recorded SGLang "
            "release, main@2026-07-20") in result.stderr + result.stdout


def test_extra_args_unknown_to_the_installed_release_are_an_error(shim_factory, tmp_path):
    shim, _ = serve(shim_factory, tmp_path, [], "v0.5.4", "0.5.4", {"VLLM_SGLANG_EXTRA_ARGS": "--enable-mfu-metrics"},
                    wait=False)
    assert shim.proc.wait(timeout=30 * SLOW) == 2
    assert ("VLLM_SGLANG_EXTRA_ARGS: SGLang v0.5.4 has no flag --enable-mfu-metrics (it would exit at start)"
            in shim.logs())


def test_translate_shows_any_recorded_release():
    out = run_binary("vllm-sglang-shim", ["translate", "--json", "--sglang-version", "0.5.14", "m",
                                          "--tool-call-parser", "hermes"])
    assert out.returncode == 0, out.stderr
    t = json.loads(out.stdout)
    assert t["sglang_release"]["label"] == "main@2026-04-15"
    assert "0.5.14" in t["sglang_release"]["note"]
    out = run_binary("vllm-sglang-shim", ["translate", "--sglang-version=v0.5.2", "m", "--tool-call-parser", "hermes"])
    assert out.returncode == 0, out.stderr
    assert "--tool-call-parser qwen25" in out.stdout
    assert "sglang release: translating for SGLang release v0.5.2, as given" in out.stdout
    # Without a version: the newest recorded release, and translate never runs the launcher.
    out = run_binary("vllm-sglang-shim", ["translate", "--json", "m"],
                     {"VLLM_SGLANG_LAUNCHER": "/nonexistent/python3 -m sglang.launch_server"})
    assert json.loads(out.stdout)["sglang_release"]["label"] == "main@2026-07-20"


def test_bad_versions_are_one_line_errors():
    for args, env in ((["--sglang-version", "nightly"], None), (["--sglang-version"], None),
                      ([], {"VLLM_SGLANG_SGLANG_VERSION": "latest"})):
        out = run_binary("vllm-sglang-shim", ["translate", *args, "m"] if args != ["--sglang-version"]
                         else ["translate", "--sglang-version"], env)
        assert out.returncode == 2, out
        assert out.stdout == ""
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    out = run_binary("vllm", ["serve", "m"], {"VLLM_SGLANG_SGLANG_VERSION": "latest"})
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "vllm serve: error: VLLM_SGLANG_SGLANG_VERSION: SGLang version 'latest' is neither a version such as 0.5.14 "
        "nor a recorded release (v0.5.2, v0.5.4, v0.5.6.post2, main@2026-01-14, main@2026-03-01, main@2026-04-15, "
        "main@2026-06-01, main@2026-07-20)"]
