"""fake-sglang's command line must refuse exactly what SGLang's argparse refuses
(python/sglang/srt/server_args.py, prepare_server_args: parse_args with allow_abbrev=True).
The oracle is Python's own argparse, rebuilt from data/reference/sglang-flags.json."""
import argparse
import io
import json
import os
import contextlib

import pytest

from fake_sglang_helpers import REPO, run_cli

FLAGS = json.load(open(os.path.join(REPO, "data", "reference", "sglang-flags.json")))


def python_parser():
    parser = argparse.ArgumentParser(prog="sglang serve")
    for f in FLAGS:
        names = [f["flag"]] + list(f["aliases"] or [])
        kwargs = {"dest": f["dest"]}
        if f["action"] == "BooleanOptionalAction":
            parser.add_argument(f["flag"], action=argparse.BooleanOptionalAction, dest=f["dest"])
            continue
        if not f["takes_value"]:
            kwargs["action"] = "store_true"
        else:
            if f["nargs"] not in (None,):
                kwargs["nargs"] = f["nargs"]
            if f["type"] == "int":
                kwargs["type"] = int
            elif f["type"] == "float":
                kwargs["type"] = float
            if f["choices"] is not None:
                kwargs["choices"] = f["choices"]
        if f["flag"] == "--model-path":
            kwargs["required"] = True
        parser.add_argument(*names, **kwargs)
    return parser


def python_error(argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exit_info:
        python_parser().parse_args(argv)
    return exit_info.value.code, err.getvalue().strip().splitlines()[-1]


CASES = [
    ["--model-path", "m", "--max-model-len", "4096"],
    ["--model-path", "m", "--enable-auto-tool-choice", "--tool-call-parser", "llama3"],
    ["--model-path", "m", "--tool-call-parser", "llama3_json"],
    ["--model-path", "m", "--kv-cache-dtype", "fp8"],
    ["--model-path", "m", "--tokenizer", "t"],
    ["--model-path", "m", "--pp", "2"],
    ["--model-path", "m", "--served-model-name", "a", "b"],
    ["--model-path", "m", "--port", "x"],
    ["--model-path", "m", "--port"],
    ["--model-path", "m", "-tp", "2"],
    ["--port", "8000"],
    ["--model-path", "m", "--trust-remote-code=yes"],
    ["--model-path", "m", "--dtype=float8"],
    ["--model-path", "m", "--bucket-time-to-first-token", "0.1", "soon"],
    ["--model-path", "m", "--bucket-inter-token-latency=1,2"],
    ["--model-path", "m", "--bucket-e2e-request-latency", "--enable-metrics"],
]


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(c) for c in CASES])
def test_error_line_and_exit_code_match_python_argparse(argv):
    want_code, want_line = python_error(argv)
    got = run_cli(*argv)
    assert got.returncode == want_code == 2
    lines = got.stderr.strip().splitlines()
    assert lines[0].startswith("usage: sglang serve [-h] --model-path MODEL_PATH")
    assert lines[-1] == want_line


def test_accepted_spellings_match_python_argparse():
    argv = ["--model", "m", "--tp", "2", "--max-loras", "4", "--lora-paths", "a=/x", "b=/y", "--dp=1",
            "--no-lora-strict-loading", "--random-seed", "-3", "--help"]
    got = run_cli(*argv)
    assert got.returncode == 0, got.stderr
    assert "FAKE_SGLANG_TTFT_MS" in got.stdout and "--model-path" in got.stdout
    ns = python_parser().parse_args(argv[:-1])
    assert ns.tp_size == 2 and ns.max_loras_per_batch == 4


def test_bad_knob_is_a_clear_error():
    got = run_cli("--model-path", "m", env={"FAKE_SGLANG_ITL_MS": "soon"})
    assert got.returncode == 2
    assert "FAKE_SGLANG_ITL_MS" in got.stderr


def test_argv_file_records_command_line_and_environment(tmp_path):
    path = tmp_path / "argv.json"
    got = run_cli("--model-path", "m", "--bogus", env={"FAKE_SGLANG_ARGV_FILE": str(path), "PYTHONPATH": "/x",
                                                       "SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0"})
    assert got.returncode == 2  # written even when the arguments are refused
    doc = json.loads(path.read_text())
    assert doc["argv"] == ["--model-path", "m", "--bogus"]
    assert doc["env"]["PYTHONPATH"] == "/x"
    assert doc["env"]["PROMETHEUS_MULTIPROC_DIR"] is None
    assert doc["env"]["SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION"] == "0"


def test_bucket_bounds_prometheus_client_refuses_stop_the_start():
    # With --enable-metrics SGLang builds TokenizerMetricsCollector, and prometheus_client's
    # Histogram raises on unsorted bounds: the server does not start.
    got = run_cli("--model-path", "m", "--enable-metrics", "--bucket-e2e-request-latency", "2", "1")
    assert got.returncode == 1
    assert "ValueError: Buckets not in sorted order" in got.stderr
