"""The production-stack values in deploy/ produce engine command lines the shim
translates into valid SGLang command lines.

Each modelSpec of deploy/production-stack/values-shim.yaml (and the VLLMRuntime in
vllmruntime.yaml) is rendered the way the chart (operator) does
(deploy_chart.py, after production-stack @a6c01db0), then run through
`vllm-sglang-shim translate --json` with the env the pod would have. Every SGLang
flag that comes out must exist in data/reference/sglang-flags.json at the SGLang
version the images pin, every value must be one of its choices, and the values
that matter must come through.
"""

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

import deploy_chart

REPO = Path(__file__).resolve().parents[2]
BIN_DIR = Path(os.environ.get("SHIM_BIN_DIR", REPO / "build" / "bin")).resolve()
DEPLOY = REPO / "deploy" / "production-stack"
# The SGLang flag set of the pinned image (v0.5.15.post1 sits just before the
# commit sglang-flags.json was read at, SGLang 8905cbd4: docs/deploy.md §13).
SGLANG_LABEL = "main@2026-07-20"


def load_values():
    return yaml.safe_load((DEPLOY / "values-shim.yaml").read_text())


def load_runtime():
    return yaml.safe_load((DEPLOY / "vllmruntime.yaml").read_text())


def sglang_flags():
    table = {}
    for entry in json.loads((REPO / "data" / "reference" / "sglang-flags.json").read_text()):
        for name in [entry["flag"]] + list(entry.get("aliases") or []):
            table[name] = entry
    return table


def translate(argv, env_overrides):
    binary = BIN_DIR / "vllm-sglang-shim"
    assert binary.exists(), f"{binary} is not built"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VLLM_", "SGLANG_"))}
    env.update(env_overrides)
    # argv[0] of the pod ("vllm" or /opt/venv/bin/vllm) is the binary itself; the
    # words after `serve` are what the shim parses.
    assert argv[1] == "serve", argv
    proc = subprocess.run([str(binary), "translate", "--json"] + argv[2:], env=env,
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, f"translate failed ({proc.returncode}):\n{proc.stderr}\nargv: {argv}"
    return json.loads(proc.stdout)


def split_sglang_argv(words, table):
    """[(flag, [values])] of an SGLang argv, using the table's value arity."""
    out = []
    i = 0
    while i < len(words):
        word = words[i]
        assert word.startswith("--"), f"stray SGLang word {word!r} in {words}"
        name, eq, inline = word.partition("=")
        assert name in table, f"{name} is not an SGLang flag (sglang-flags.json)"
        entry = table[name]
        values = []
        if eq:
            values = [inline]
        elif entry.get("takes_value"):
            nargs = entry.get("nargs")
            if nargs in (None, 1, "1", "?"):
                if i + 1 < len(words) and (nargs != "?" or not words[i + 1].startswith("--")):
                    values = [words[i + 1]]
                    i += 1
            else:
                while i + 1 < len(words) and not words[i + 1].startswith("--"):
                    values.append(words[i + 1])
                    i += 1
        out.append((name, values))
        i += 1
    return out


def check_sglang_argv(words, table):
    flags = split_sglang_argv(words, table)
    for name, values in flags:
        entry = table[name]
        assert SGLANG_LABEL in entry.get("present_in", []), f"{name} is not in SGLang {SGLANG_LABEL}"
        assert not entry.get("deprecated") or name == "--disable-cuda-graph", f"{name} is deprecated"
        if entry.get("takes_value") and entry.get("nargs") != "?":
            assert values, f"{name} needs a value"
        choices = entry.get("choices")
        if choices:
            for value in values:
                assert value in choices, f"{name} {value!r} is not one of SGLang's choices"
    names = [name for name, _ in flags]
    duplicates = {n for n in names if names.count(n) > 1 and not table[n].get("action", "").startswith("append")}
    assert not duplicates, f"flags given twice: {duplicates}"
    return {name: values for name, values in flags}


def model_env(model_spec, serving_engine_spec):
    env = deploy_chart.helm_engine_env(model_spec, serving_engine_spec)
    # The chart passes VLLM_API_KEY from a secret; any value stands in for it.
    if serving_engine_spec.get("vllmApiKey"):
        env["VLLM_API_KEY"] = "test-key"
    return env


def models():
    values = load_values()
    return [(m["name"], m, values["servingEngineSpec"]) for m in values["servingEngineSpec"]["modelSpec"]]


# --- the renderer itself, against the chart's own examples -------------------------

def test_helm_quote_formats_numbers_like_go():
    # Helm hands values over as JSON numbers (float64) and `quote` prints them with Go's %v
    # (see deploy_chart.py's docstring).
    assert deploy_chart.go_value(1048576) == "1.048576e+06"
    assert deploy_chart.go_value(32768) == "32768"
    assert deploy_chart.go_value(0.85) == "0.85"
    assert deploy_chart.go_value(1000000) == "1e+06"
    assert deploy_chart.go_value(True) == "true"


def test_renderer_matches_chart_unit_test_custom_vllmconfig():
    # production-stack @a6c01db0 helm/tests/deployment-vllm-multi_test.yaml,
    # "should render a model with custom vllmConfig and lmcache".
    spec = {"name": "m", "repository": "lmcache/vllm-openai", "tag": "latest", "modelURL": "facebook/opt-125m",
            "vllmConfig": {"enablePrefixCaching": True, "maxModelLen": 1024, "gpuMemoryUtilization": 0.8},
            "lmcacheConfig": {"enabled": True}}
    assert deploy_chart.helm_engine_command(spec, {}) == [
        "/opt/venv/bin/vllm", "serve", "facebook/opt-125m", "--host", "0.0.0.0", "--port", "8000",
        "--enable-prefix-caching", "--max-model-len", "1024", "--gpu_memory_utilization", "0.8",
        "--kv-transfer-config", '{"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"}']


def test_renderer_matches_chart_basic_model_and_multi_model_tutorial():
    # production-stack @a6c01db0: helm/tests/deployment-vllm-multi_test.yaml "should render a basic model with
    # custom values" and tutorials/assets/values-04-multiple-models.yaml, model "llama3".
    basic = {"repository": "vllm/vllm-openai", "modelURL": "facebook/opt-125m"}
    assert deploy_chart.helm_engine_command(basic, {}) == [
        "vllm", "serve", "facebook/opt-125m", "--host", "0.0.0.0", "--port", "8000"]
    llama = {"repository": "vllm/vllm-openai", "modelURL": "meta-llama/Llama-3.1-8B-Instruct",
             "vllmConfig": {"maxModelLen": 4096, "maxNumSeqs": 32, "gpuMemoryUtilization": 0.8, "maxLoras": 4}}
    assert deploy_chart.helm_engine_command(llama, {}) == [
        "vllm", "serve", "meta-llama/Llama-3.1-8B-Instruct", "--host", "0.0.0.0", "--port", "8000",
        "--no-enable-prefix-caching", "--max-model-len", "4096", "--max-num-seqs", "32",
        "--gpu_memory_utilization", "0.8", "--max_loras", "4"]


# --- the shipped values -------------------------------------------------------------

def test_values_use_the_shim_image_with_a_pinned_tag():
    version = (REPO / "VERSION").read_text().strip()
    for name, spec, _ in models():
        assert "vllm-sglang-shim" in spec["repository"], name
        assert spec["tag"].startswith(version + "-sglang-v"), f"{name}: tag {spec['tag']} must start with VERSION"
        assert "latest" not in spec["tag"], name


def test_values_render_the_expected_vllm_command_lines():
    rendered = {name: deploy_chart.helm_engine_command(spec, see) for name, spec, see in models()}
    tools = rendered["qwen3-tools"]
    assert tools[:7] == ["vllm", "serve", "Qwen/Qwen3-8B", "--host", "0.0.0.0", "--port", "8000"]
    assert "--enable-auto-tool-choice" in tools and tools[tools.index("--tool-call-parser") + 1] == "hermes"
    assert tools[tools.index("--max-model-len") + 1] == "32768"
    lora = rendered["llama-lora"]
    assert "--enable-lora" in lora and "--no-enable-prefix-caching" in lora
    # The chart's underscore spellings reach the shim as they are.
    assert lora[lora.index("--max_loras") + 1] == "4"
    assert lora[lora.index("--gpu_memory_utilization") + 1] == "0.8"
    # extraArgs last, verbatim, so the router's sleep-mode detection sees the word.
    assert lora[-3:] == ["--max-lora-rank", "64", "--enable-sleep-mode"]


@pytest.mark.parametrize("name", [m[0] for m in models()])
def test_helm_values_translate_to_valid_sglang_flags(name):
    table = sglang_flags()
    spec, see = next((s, e) for n, s, e in models() if n == name)
    argv = deploy_chart.helm_engine_command(spec, see)
    env = model_env(spec, see)
    result = translate(argv, env)
    got = check_sglang_argv(result["sglang_argv"], table)

    # What must come through, whatever else the translation decides.
    model = spec["modelURL"]
    assert got.get("--model-path", got.get("--model")) == [model], got
    config = spec["vllmConfig"]
    assert got["--tp-size"] == [deploy_chart.go_value(config["tensorParallelSize"])]
    assert got["--context-length"] == [deploy_chart.go_value(config["maxModelLen"])]
    # vLLM's fraction covers everything, SGLang's weights and KV cache only: 0.05 less.
    fraction = float(got["--mem-fraction-static"][0])
    assert abs(fraction - (float(config["gpuMemoryUtilization"]) - 0.05)) < 1e-9, got["--mem-fraction-static"]
    assert result["frontend"]["port"] == 8000
    assert result["frontend"]["host"] == "0.0.0.0"
    assert result["backend"]["host"] == "127.0.0.1" and result["backend"]["port"] == 8001
    # SGLang listens where the front door expects it.
    assert got["--port"] == ["8001"] and got["--host"] == ["127.0.0.1"]

    if spec.get("toolCallParser"):
        assert got["--tool-call-parser"] == ["hermes"]
    if spec.get("enableLoRA"):
        assert "--enable-lora" in got
        assert got["--max-loras-per-batch"] == [deploy_chart.go_value(config["maxLoras"])]
        assert got["--max-lora-rank"] == ["64"]
        assert "--disable-radix-cache" in got
        assert "--enable-memory-saver" in got
    extra = dict(spec_env_items(spec)).get("VLLM_SGLANG_EXTRA_ARGS")
    if extra:
        words = shlex.split(extra)
        for flag, values in split_sglang_argv(words, table):
            assert got.get(flag) == values, f"VLLM_SGLANG_EXTRA_ARGS {flag} {values} did not come through: {got}"

    # The served names the router will discover.
    served = result["served_model_names"]
    if "--served-model-name" in argv:
        assert served == [argv[argv.index("--served-model-name") + 1]]
    else:
        assert served == [model]
    # Every vLLM flag the chart sent is accounted for.
    flags_seen = {f["flag"] for f in result["flags"]}
    for word in argv[3:]:
        if word.startswith("--"):
            canonical = word.split("=", 1)[0].replace("_", "-")
            assert canonical in flags_seen, f"{word} has no outcome in {sorted(flags_seen)}"
    for outcome in result["flags"]:
        assert outcome["action"] in ("translated", "dropped", "passed"), outcome
        assert outcome["reason"], outcome


def spec_env_items(spec):
    return [(item["name"], str(item.get("value", ""))) for item in spec.get("env") or []]


def test_operator_runtime_translates_to_valid_sglang_flags():
    table = sglang_flags()
    runtime = load_runtime()
    command, args = deploy_chart.operator_engine_command(runtime)
    assert command == ["/opt/venv/bin/vllm", "serve"]
    env = {item["name"]: str(item["value"]) for item in runtime["spec"]["vllmConfig"].get("env", [])}
    env["VLLM_ALLOW_RUNTIME_LORA_UPDATING"] = "True"  # set by the operator with enableLoRA
    result = translate(["vllm", "serve"] + args, env)
    got = check_sglang_argv(result["sglang_argv"], table)
    assert got.get("--model-path", got.get("--model")) == ["meta-llama/Llama-3.1-8B-Instruct"]
    assert got["--tp-size"] == ["2"] and got["--context-length"] == ["8192"]
    assert got["--max-loras-per-batch"] == ["4"] and "--enable-lora" in got
    assert got["--schedule-policy"] == ["lpm"]
    assert result["served_model_names"] == ["llama-3.1-8b"]
    assert runtime["spec"]["deploymentConfig"]["image"]["name"].startswith(
        "vllm-sglang-shim:" + (REPO / "VERSION").read_text().strip() + "-sglang-v")


def test_keda_and_servicemonitor_agree_with_the_values():
    values = load_values()
    names = {m["name"] for m in values["servingEngineSpec"]["modelSpec"]}
    scaled = yaml.safe_load((DEPLOY / "keda-scaledobject.yaml").read_text())
    target = scaled["spec"]["scaleTargetRef"]["name"]
    assert target.endswith("-deployment-vllm") and target.split("-", 1)[1][:-len("-deployment-vllm")] in names
    trigger = scaled["spec"]["triggers"][0]
    assert trigger["metadata"]["metricName"] == "vllm:num_requests_waiting"
    assert "vllm:num_requests_waiting" in trigger["metadata"]["query"]
    monitor = yaml.safe_load((DEPLOY / "servicemonitor.yaml").read_text())
    assert monitor["spec"]["selector"]["matchLabels"] == values["servingEngineSpec"]["labels"]
    assert "model" in monitor["spec"]["podTargetLabels"]
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"
