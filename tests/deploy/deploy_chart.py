"""The production stack's engine command lines, rendered in Python for the tests.

Helm: the chart's `vllm` container `command:` from
vllm-project/production-stack helm/templates/deployment-vllm-multi.yaml L120-221
(@a6c01db0), in the same order and under
the same conditions. Operator: the Deployment the VLLMRuntime controller builds,
operator/internal/controller/vllmruntime_controller.go L388-845 (same commit).

Values arrive through Helm as JSON, so every number is a float64 and `quote`
prints it with Go's %v: go_value() reproduces that (1048576 -> "1.048576e+06").
"""

from decimal import Decimal


def go_value(value):
    """What Helm's `quote` makes of a YAML scalar (fmt.Sprint of the JSON value)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _go_float(float(value))
    if value is None:
        return ""
    return str(value)


def _go_float(f):
    # strconv.FormatFloat(f, 'g', -1, 64), which %v uses: the shortest digits that
    # round-trip, in %e form when the exponent is < -4 or >= eprec (Go's ftoa.go).
    if f == 0:
        return "0"
    sign = "-" if f < 0 else ""
    d = Decimal(repr(abs(f))).normalize()
    _, digit_tuple, exponent = d.as_tuple()
    digits = "".join(str(x) for x in digit_tuple)
    nd = len(digits)
    dp = nd + exponent            # position of the decimal point
    eprec = 6
    if eprec > nd and nd >= dp:
        eprec = nd
    x = dp - 1
    if x < -4 or x >= eprec:
        mantissa = digits[0] + ("." + digits[1:] if nd > 1 else "")
        return f"{sign}{mantissa}e{'+' if x >= 0 else '-'}{abs(x):02d}"
    if dp <= 0:
        return f"{sign}0.{'0' * -dp}{digits}"
    if dp >= nd:
        return f"{sign}{digits}{'0' * (dp - nd)}"
    return f"{sign}{digits[:dp]}.{digits[dp:]}"


def _truthy(value):
    # Go template truth: false, 0, nil, empty string/list/map are false.
    return bool(value)


def helm_engine_command(model_spec, serving_engine_spec):
    """The `command:` list of the `vllm` container for one modelSpec entry."""
    spec = model_spec
    argv = []
    if spec.get("repository") == "lmcache/vllm-openai":
        argv.append("/opt/venv/bin/vllm")
    else:
        argv.append("vllm")
    port = serving_engine_spec.get("containerPort", 8000)
    argv += ["serve", go_value(spec["modelURL"]), "--host", "0.0.0.0", "--port", go_value(port)]
    if _truthy(spec.get("enableLoRA")):
        argv.append("--enable-lora")
    if _truthy(spec.get("enableTool")):
        argv.append("--enable-auto-tool-choice")
    if _truthy(spec.get("toolCallParser")):
        argv += ["--tool-call-parser", go_value(spec["toolCallParser"])]
    config = spec.get("vllmConfig")
    if _truthy(config):  # {{- with $modelSpec.vllmConfig }}
        if "enableChunkedPrefill" in config:
            argv.append("--enable-chunked-prefill" if _truthy(config["enableChunkedPrefill"])
                        else "--no-enable-chunked-prefill")
        argv.append("--enable-prefix-caching" if _truthy(config.get("enablePrefixCaching"))
                    else "--no-enable-prefix-caching")
        for key, flag in (("maxModelLen", "--max-model-len"),
                          ("dtype", "--dtype"),
                          ("tensorParallelSize", "--tensor-parallel-size"),
                          ("maxNumSeqs", "--max-num-seqs"),
                          ("gpuMemoryUtilization", "--gpu_memory_utilization"),
                          ("maxLoras", "--max_loras"),
                          ("runner", "--runner"),
                          ("convert", "--convert")):
            if key in config:
                argv += [flag, go_value(config[key])]
        for word in config.get("extraArgs") or []:
            argv.append(go_value(word))
    if _truthy(spec.get("modelRevision")):
        argv += ["--revision", go_value(spec["modelRevision"])]
    lmcache = spec.get("lmcacheConfig") or {}
    if _truthy(lmcache.get("enabled")):
        role = lmcache.get("kvRole") or "kv_both"
        if "enablePD" in lmcache:
            rpc = go_value(lmcache.get("nixlRole"))
            value = ('{"kv_connector":"LMCacheConnectorV1","kv_role":"%s","kv_connector_extra_config":'
                     '{"discard_partial_chunks": false, "lmcache_rpc_port": "%s"}}' % (role, rpc))
        elif config and "v0" in config and go_value(config["v0"]) == "1":
            value = '{"kv_connector":"LMCacheConnector","kv_role":"%s"}' % role
        else:
            value = '{"kv_connector":"LMCacheConnectorV1","kv_role":"%s"}' % role
        argv += ["--kv-transfer-config", value]
    if _truthy(spec.get("chatTemplate")):
        argv += ["--chat-template", "/templates/" + go_value(spec["chatTemplate"])]
    return argv


def helm_engine_env(model_spec, serving_engine_spec):
    """The plain-value env the chart sets on the `vllm` container (secrets as names)."""
    env = {"HF_HOME": "/data" if "pvcStorage" in model_spec else "/tmp"}
    config = model_spec.get("vllmConfig")
    if _truthy(config):
        if "v0" in config and go_value(config["v0"]) == "1":
            env["VLLM_USE_V1"] = "0"
        else:
            env["PROMETHEUS_MULTIPROC_DIR"] = config.get("prometheusMultiprocDir") or "/tmp"
    for item in model_spec.get("env") or []:
        if "value" in item:
            env[item["name"]] = go_value(item["value"])
    return env


def operator_engine_command(runtime):
    """command + args of the Deployment a VLLMRuntime becomes (vllmruntime_controller.go, see above)."""
    spec = runtime["spec"]
    model = spec.get("model", {})
    config = spec.get("vllmConfig", {})
    args = [go_value(model["modelURL"]), "--host", "0.0.0.0", "--port", go_value(config.get("port", 8000))]
    if _truthy(model.get("enableLoRA")):
        args.append("--enable-lora")
    if _truthy(model.get("enableTool")):
        args.append("--enable-auto-tool-choice")
    if _truthy(model.get("toolCallParser")):
        args += ["--tool-call-parser", go_value(model["toolCallParser"])]
    args.append("--enable-chunked-prefill" if _truthy(config.get("enableChunkedPrefill"))
                else "--no-enable-chunked-prefill")
    args.append("--enable-prefix-caching" if _truthy(config.get("enablePrefixCaching"))
                else "--no-enable-prefix-caching")
    for source, key, flag in ((model, "maxModelLen", "--max-model-len"),
                              (model, "dtype", "--dtype"),
                              (config, "tensorParallelSize", "--tensor-parallel-size"),
                              (model, "maxNumSeqs", "--max-num-seqs"),
                              (config, "gpuMemoryUtilization", "--gpu_memory_utilization"),
                              (config, "maxLoras", "--max_loras")):
        if _truthy(source.get(key)):
            args += [flag, go_value(source[key])]
    args += [go_value(word) for word in config.get("extraArgs") or []]
    return ["/opt/venv/bin/vllm", "serve"], args
