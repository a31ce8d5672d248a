"""The command lines the production stack really sends (production-stack @a6c01db0:
helm/tests/deployment-vllm-multi_test.yaml, tutorials/assets/*.yaml, tests/assets/*.yaml and the
example manifests) give SGLang command lines that SGLang's own argparse accepts, with the values
carried over."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness import run_binary  # noqa: E402
from sglang_cli import flag_value, flag_values, parse_sglang_argv  # noqa: E402


def translate(words, api_server=False, env=None):
    args = ["translate", "--json"] + (["--api-server"] if api_server else []) + list(words)
    r = run_binary("vllm-sglang-shim", args, env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


# helm/tests/deployment-vllm-multi_test.yaml "should render a basic model"
def test_chart_basic_model():
    t = translate(["serve", "facebook/opt-125m", "--host", "0.0.0.0", "--port", "8000"])
    argv = t["sglang_argv"]
    parse_sglang_argv(argv)
    assert flag_value(argv, "--model-path") == "facebook/opt-125m"
    assert flag_value(argv, "--host") == "127.0.0.1"
    assert flag_value(argv, "--port") == "8001"
    assert "--enable-metrics" in argv
    assert t["frontend"] == {"host": "0.0.0.0", "port": 8000}
    assert t["backend"] == {"host": "127.0.0.1", "port": 8001}
    assert t["served_model_names"] == ["facebook/opt-125m"]


# same file, "custom vllmConfig and lmcache" (argv[0] /opt/venv/bin/vllm)
def test_chart_vllm_config_and_lmcache():
    t = translate(["facebook/opt-125m", "--host", "0.0.0.0", "--port", "8000", "--enable-prefix-caching",
                   "--max-model-len", "1024", "--gpu_memory_utilization", "0.8", "--kv-transfer-config",
                   '{"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"}'])
    argv = t["sglang_argv"]
    parse_sglang_argv(argv)
    assert flag_value(argv, "--context-length") == "1024"
    fraction = float(flag_value(argv, "--mem-fraction-static"))
    assert 0.0 < fraction <= 0.8
    assert "--enable-lmcache" in argv
    assert "--disable-radix-cache" not in argv
    by_flag = {f["flag"]: f for f in t["flags"]}
    assert by_flag["--gpu-memory-utilization"]["action"] == "translated"
    assert by_flag["--gpu-memory-utilization"]["reason"]


# tutorials/assets/values-04-multiple-models.yaml, model "llama3"
def test_tutorial_multiple_models_llama3():
    t = translate(["meta-llama/Llama-3.1-8B-Instruct", "--host", "0.0.0.0", "--port", "8000",
                   "--no-enable-prefix-caching", "--max-model-len", "4096", "--max-num-seqs", "32",
                   "--gpu_memory_utilization", "0.8", "--max_loras", "4"])
    argv = t["sglang_argv"]
    parse_sglang_argv(argv)
    assert "--disable-radix-cache" in argv
    assert flag_value(argv, "--context-length") == "4096"
    assert flag_value(argv, "--max-running-requests") == "32"
    assert flag_value(argv, "--max-loras-per-batch") == "4"


# tests/assets/values-01-2pods-minimal-example.yaml (the chart's CI functionality test)
def test_ci_two_pods_minimal():
    t = translate(["facebook/opt-125m", "--host", "0.0.0.0", "--port", "8000", "--no-enable-prefix-caching",
                   "--max-model-len", "1024", "--gpu-memory-utilization", "0.4"])
    parse_sglang_argv(t["sglang_argv"])
    assert float(flag_value(t["sglang_argv"], "--mem-fraction-static")) <= 0.4


# tutorials/assets/values-23-SR.yaml: multi-value --served-model-name in extraArgs
def test_multi_value_served_model_name():
    t = translate(["Qwen/Qwen3-8B", "--host", "0.0.0.0", "--port", "8000", "--served-model-name",
                   "Qwen/Qwen3-8B", "qwen3"])
    argv = t["sglang_argv"]
    parse_sglang_argv(argv)
    assert flag_values(argv, "--served-model-name") == ["Qwen/Qwen3-8B"]
    assert t["served_model_names"] == ["Qwen/Qwen3-8B", "qwen3"]


# chart with enableTool/toolCallParser and enableLoRA
def test_chart_tool_calling_and_lora():
    t = translate(["Qwen/Qwen2.5-7B-Instruct", "--host", "0.0.0.0", "--port", "8000", "--enable-lora",
                   "--enable-auto-tool-choice", "--tool-call-parser", "hermes", "--tensor-parallel-size", "2"])
    argv = t["sglang_argv"]
    parse_sglang_argv(argv)
    assert flag_value(argv, "--tool-call-parser") in ("hermes", "qwen25")
    assert flag_value(argv, "--tp-size") == "2"
    assert "--enable-lora" in argv
    # Runtime adapter loading needs a rank and target modules on SGLang.
    assert flag_value(argv, "--max-lora-rank")
    assert flag_values(argv, "--lora-target-modules")
    dropped = {f["flag"] for f in t["flags"] if f["action"] == "dropped"}
    assert "--enable-auto-tool-choice" in dropped


# src/gateway_inference_extension/configs/vllm/gpu-deployment.yaml (python -m ...api_server)
def test_gateway_example_api_server():
    t = translate(["--model", "meta-llama/Llama-3.1-8B-Instruct", "--port", "8000", "--max-num-seq", "1024",
                   "--compilation-config", "3", "--enable-lora", "--max-loras", "2", "--max-lora-rank", "32",
                   "--max-cpu-loras", "12"], api_server=True)
    argv = t["sglang_argv"]
    parse_sglang_argv(argv)
    assert flag_value(argv, "--model-path") == "meta-llama/Llama-3.1-8B-Instruct"
    assert flag_value(argv, "--max-running-requests") == "1024"  # --max-num-seq is an abbreviation
    assert flag_value(argv, "--max-loras-per-batch") == "2"
    assert flag_value(argv, "--max-lora-rank") == "32"
    assert flag_value(argv, "--max-loaded-loras") == "12"


# examples/disaggregated_prefill_orchestrated/{prefill,decode}-deploy.yaml
def test_disaggregated_example():
    t = translate(["--host", "0.0.0.0", "--port", "8100", "--model", "Qwen/Qwen3-0.6B", "--served-model-name",
                   "qwen", "--max-model-len", "8192"], api_server=True)
    argv = t["sglang_argv"]
    parse_sglang_argv(argv)
    assert flag_value(argv, "--port") == "8101"
    assert flag_value(argv, "--served-model-name") == "qwen"


@pytest.mark.parametrize("words", [
    ["m", "--enforce-eager", "--swap-space", "4", "--device", "cuda", "--trust-remote-code"],
    ["m", "--tensor_parallel_size", "2", "--max_num_batched_tokens", "8k", "--disable-log-requests"],
    ["m", "--speculative-config", '{"method": "eagle3", "model": "d/e", "num_speculative_tokens": 3}'],
    ["m", "--limit-mm-per-prompt", '{"image": 2}', "--enable-sleep-mode", "--kv-cache-dtype", "fp8"],
])
def test_extra_args_seen_in_the_repository(words):
    t = translate(words + ["--port", "8000"])
    parse_sglang_argv(t["sglang_argv"])
