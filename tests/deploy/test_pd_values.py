"""The disaggregated-prefill values files in deploy/production-stack translate into an SGLang
prefill/decode pair.

Each engine of values-pd.yaml and values-pd-orchestrated.yaml is rendered the way the chart
renders it (deploy_chart.py, after production-stack @a6c01db0
helm/templates/deployment-vllm-multi.yaml: `lmcacheConfig.enablePD` becomes LMCacheConnectorV1
with the engine's kv_role) and run through `vllm-sglang-shim translate --json`."""

import pytest
import yaml

import deploy_chart
from test_values_render import DEPLOY, check_sglang_argv, model_env, sglang_flags, translate

FILES = ["values-pd.yaml", "values-pd-orchestrated.yaml"]


def engines(name):
    values = yaml.safe_load((DEPLOY / name).read_text())
    spec = values["servingEngineSpec"]
    return values, [(m, spec) for m in spec["modelSpec"]]


@pytest.mark.parametrize("name", FILES)
def test_each_engine_becomes_its_half_of_an_sglang_pair(name):
    values, specs = engines(name)
    table = sglang_flags()
    modes = {}
    for model_spec, serving in specs:
        argv = deploy_chart.helm_engine_command(model_spec, serving)
        out = translate(argv, model_env(model_spec, serving))
        flags = check_sglang_argv(out["sglang_argv"], table)
        modes[model_spec["labels"]["model"]] = flags["--disaggregation-mode"]
        assert flags["--disaggregation-transfer-backend"] == ["nixl"]  # the chart's LMCache NIXL setup
        assert flags["--disaggregation-bootstrap-port"] == ["8998"]
        assert "--enable-lmcache" not in flags
    assert modes == {"llama-prefill": ["prefill"], "llama-decode": ["decode"]}
    # The router picks the legs' engines by these labels.
    args = values["routerSpec"]["extraArgs"]
    assert args[args.index("--prefill-model-labels") + 1] == "llama-prefill"
    assert args[args.index("--decode-model-labels") + 1] == "llama-decode"


def test_the_helm_routing_names_the_prefill_bootstrap_service():
    values, specs = engines("values-pd.yaml")
    decode = next(m for m, _ in specs if m["labels"]["model"] == "llama-decode")
    host = {e["name"]: e["value"] for e in decode["env"]}["VLLM_SGLANG_PD_PREFILL_HOST"]
    service = next(o for o in values["extraObjects"] if o["metadata"]["name"] == host)
    assert service["spec"]["selector"] == {"model": "llama-prefill"}
    assert [p["port"] for p in service["spec"]["ports"]] == [8998]
    assert values["routerSpec"]["routingLogic"] == "disaggregated_prefill"
