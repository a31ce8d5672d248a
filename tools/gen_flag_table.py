#!/usr/bin/python3
"""Bootstrap generator for src/translate/flag_table.cc.

It was run once to write every row's parse columns from data/reference/vllm-flags.json and
vllm-flags-legacy.json, with the translation columns taken from RULES below. flag_table.cc is
checked in; flag_table_test.cc keeps its parse columns equal to the JSON. Rerun (and review
the diff) when the vLLM flag data is refreshed:
    /usr/bin/python3 tools/gen_flag_table.py
"""
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data", "reference")
OUT = os.environ.get("FLAG_TABLE_OUT", os.path.join(ROOT, "src", "translate", "flag_table.cc"))

NO_EQUIV = "no SGLang equivalent; SGLang's own behaviour applies"

# flag -> (rule, sglang flags, handler, reason)
RULES = {
    # serve-only
    "--headless": ("kDrop", "", None, "headless (engine without API server) is not supported; the shim always serves HTTP"),
    "--api-server-count": ("kDrop", "", None, "SGLang runs one HTTP server; the front door is the API server"),
    "--config": ("kCustom", "", "HandleConfig", "read by the shim: its keys are parsed as vLLM flags (CLI wins)"),
    "--grpc": ("kDrop", "", None, "vLLM's gRPC server is not provided; SGLang serves HTTP"),
    # model
    "--model": ("kCustom", "--model-path", "HandleModel", "becomes --model-path (a positional model wins)"),
    "--runner": ("kCustom", "--is-embedding", "HandleRunner", "pooling -> --is-embedding; other runners are SGLang's default generation"),
    "--convert": ("kCustom", "--is-embedding", "HandleConvert", "embed/classify -> --is-embedding; none/auto dropped"),
    "--tokenizer": ("kRename", "--tokenizer-path", None, "becomes --tokenizer-path (--tokenizer is an ambiguous prefix in SGLang)"),
    "--tokenizer-mode": ("kCustom", "--tokenizer-mode", "HandleTokenizerMode", "auto/hf -> auto, slow -> slow; SGLang has no other modes (dropped with a warning)"),
    "--trust-remote-code": ("kSwitch", "--trust-remote-code", None, "same flag"),
    "--dtype": ("kSame", "--dtype", None, "same flag and choices"),
    "--seed": ("kRename", "--random-seed", None, "becomes --random-seed"),
    "--revision": ("kSame", "--revision", None, "same flag"),
    "--max-model-len": ("kCustom", "--context-length", "HandleMaxModelLen", "becomes --context-length N; auto/-1 leave SGLang's model default"),
    "--quantization": ("kCustom", "--quantization", "HandleQuantization", "same flag; a method SGLang lacks is an error"),
    "--enforce-eager": ("kSwitch", "--disable-cuda-graph", None, "becomes --disable-cuda-graph"),
    "--enable-return-routed-experts": ("kSwitch", "--enable-return-routed-experts", None, "same flag"),
    "--skip-tokenizer-init": ("kSwitch", "--skip-tokenizer-init", None, "same flag"),
    "--served-model-name": ("kCustom", "--served-model-name", "HandleServedModelName", "the first name becomes --served-model-name (SGLang takes one); the front door answers to all"),
    "--hf-token": ("kCustom", "", "HandleHfToken", "given to SGLang as the HF_TOKEN environment variable (never on its command line)"),
    "--hf-overrides": ("kCustom", "--json-model-override-args", "HandleHfOverrides", "a JSON object becomes --json-model-override-args"),
    "--generation-config": ("kCustom", "--sampling-defaults", "HandleGenerationConfig", "vllm -> --sampling-defaults openai, auto -> model; a folder is not supported (dropped with a warning)"),
    "--enable-sleep-mode": ("kSwitch", "--enable-memory-saver", None, "becomes --enable-memory-saver (needed to release and resume GPU memory)"),
    "--model-impl": ("kCustom", "--model-impl", "HandleModelImpl", "auto and transformers pass; vLLM-specific implementations are dropped"),
    # load
    "--load-format": ("kCustom", "--load-format", "HandleLoadFormat", "same flag; a format SGLang lacks is an error"),
    "--download-dir": ("kSame", "--download-dir", None, "same flag"),
    "--model-loader-extra-config": ("kSame", "--model-loader-extra-config", None, "same flag"),
    "--attention-backend": ("kCustom", "--attention-backend", "HandleAttentionBackend", "vLLM backend names mapped to SGLang's (FLASH_ATTN->fa3, FLASHINFER->flashinfer, TRITON_ATTN->triton, ...); others dropped"),
    "--enable-mamba-cache-stochastic-rounding": ("kSwitch", "--enable-mamba-cache-stochastic-rounding", None, "same flag"),
    "--mamba-cache-philox-rounds": ("kSame", "--mamba-cache-philox-rounds", None, "same flag"),
    "--reasoning-parser": ("kCustom", "--reasoning-parser", "HandleReasoningParser", "same flag, parser renamed to SGLang's name; an unknown parser is an error"),
    # parallel
    "--pipeline-parallel-size": ("kRename", "--pp-size", None, "becomes --pp-size"),
    "--master-addr": ("kCustom", "--dist-init-addr", "HandleMasterAddr", "with --master-port becomes --dist-init-addr host:port"),
    "--master-port": ("kCustom", "--dist-init-addr", "HandleMasterPort", "with --master-addr becomes --dist-init-addr host:port"),
    "--nnodes": ("kSame", "--nnodes", None, "same flag"),
    "--node-rank": ("kSame", "--node-rank", None, "same flag"),
    "--distributed-executor-backend": ("kCustom", "--use-ray", "HandleExecutorBackend", "ray -> --use-ray; mp/uni are SGLang's default"),
    "--tensor-parallel-size": ("kRename", "--tp-size", None, "becomes --tp-size"),
    "--decode-context-parallel-size": ("kRename", "--dcp-size", None, "becomes --dcp-size"),
    "--data-parallel-size": ("kRename", "--dp-size", None, "becomes --dp-size"),
    "--enable-expert-parallel": ("kCustom", "--ep-size", "HandleExpertParallel", "becomes --ep-size <tensor-parallel size> (vLLM's EP spans the TP group)"),
    "--enable-eplb": ("kSwitch", "--enable-eplb", None, "same flag"),
    "--disable-custom-all-reduce": ("kSwitch", "--disable-custom-all-reduce", None, "same flag"),
    # cache
    "--block-size": ("kRename", "--page-size", None, "becomes --page-size"),
    "--gpu-memory-utilization": ("kCustom", "--mem-fraction-static", "HandleGpuMemoryUtilization",
                                 "becomes --mem-fraction-static = value - 0.05, clamped to [0.05, 0.95]: vLLM's fraction covers "
                                 "everything, SGLang's only weights and KV cache, so 5% of the GPU is left for activations and CUDA graphs"),
    "--kv-cache-dtype": ("kCustom", "--kv-cache-dtype", "HandleKvCacheDtype", "fp8/fp8_e4m3 -> fp8_e4m3, fp8_e5m2 -> fp8_e5m2; types SGLang lacks are dropped (model dtype)"),
    "--enable-prefix-caching": ("kNegSwitch", "--disable-radix-cache", None, "prefix caching is on by default in SGLang; --no-enable-prefix-caching -> --disable-radix-cache"),
    "--cpu-offload-gb": ("kCustom", "--cpu-offload-gb", "HandleCpuOffloadGb", "same flag, rounded up to whole GiB (SGLang takes an int)"),
    "--offload-group-size": ("kSame", "--offload-group-size", None, "same flag"),
    "--offload-num-in-group": ("kSame", "--offload-num-in-group", None, "same flag"),
    "--offload-prefetch-step": ("kSame", "--offload-prefetch-step", None, "same flag"),
    # multimodal
    "--limit-mm-per-prompt": ("kCustom", "--limit-mm-data-per-request", "HandleLimitMmPerPrompt", "becomes --limit-mm-data-per-request {modality: count}"),
    # lora
    "--enable-lora": ("kCustom", "--enable-lora --max-lora-rank --lora-target-modules", "HandleEnableLora",
                      "same flag; without --lora-modules adds vLLM's defaults --max-lora-rank 16 --lora-target-modules all so adapters can be loaded at run time"),
    "--max-loras": ("kRename", "--max-loras-per-batch", None, "becomes --max-loras-per-batch"),
    "--max-lora-rank": ("kSame", "--max-lora-rank", None, "same flag"),
    "--max-cpu-loras": ("kRename", "--max-loaded-loras", None, "becomes --max-loaded-loras"),
    "--lora-target-modules": ("kCustom", "--lora-target-modules", "HandleLoraTargetModules", "same flag; module names SGLang lacks are an error"),
    "--lora-modules": ("kCustom", "--lora-paths", "HandleLoraModules", "becomes --lora-paths name=path ... (JSON items keep name and path); the front door lists them"),
    # observability
    "--otlp-traces-endpoint": ("kCustom", "--otlp-traces-endpoint --enable-trace", "HandleOtlpEndpoint", "same flag plus --enable-trace"),
    "--enable-mfu-metrics": ("kSwitch", "--enable-mfu-metrics", None, "same flag"),
    "--disable-log-stats": ("kDrop", "", None, "SGLang logs its own throughput lines; the front door's /metrics is unaffected"),
    # scheduler
    "--max-num-batched-tokens": ("kCustom", "--chunked-prefill-size --max-prefill-tokens", "HandleMaxNumBatchedTokens",
                                 "becomes --chunked-prefill-size N (or --max-prefill-tokens N when chunked prefill is off)"),
    "--max-num-seqs": ("kRename", "--max-running-requests", None, "becomes --max-running-requests"),
    "--scheduling-policy": ("kCustom", "--schedule-policy --enable-priority-scheduling", "HandleSchedulingPolicy", "fcfs -> --schedule-policy fcfs, priority -> --enable-priority-scheduling"),
    "--enable-chunked-prefill": ("kCustom", "--chunked-prefill-size", "HandleEnableChunkedPrefill", "chunked prefill is on by default in SGLang; --no-enable-chunked-prefill -> --chunked-prefill-size -1"),
    "--stream-interval": ("kSame", "--stream-interval", None, "same flag"),
    "--cudagraph-capture-sizes": ("kRename", "--cuda-graph-bs", None, "becomes --cuda-graph-bs"),
    "--max-cudagraph-capture-size": ("kRename", "--cuda-graph-max-bs", None, "becomes --cuda-graph-max-bs"),
    # vllm config
    "--speculative-config": ("kCustom", "--speculative-algorithm --speculative-draft-model-path --speculative-num-steps --speculative-eagle-topk --speculative-num-draft-tokens",
                             "HandleSpeculativeConfig", "method eagle->EAGLE, eagle3->EAGLE3, *mtp->NEXTN, ngram->NGRAM, draft_model->STANDALONE, with the draft model and token counts"),
    "--spec-method": ("kCustom", "--speculative-algorithm", "HandleSpecMethod", "folded into SGLang's speculative flags (see --speculative-config)"),
    "--spec-model": ("kCustom", "--speculative-draft-model-path", "HandleSpecModel", "folded into SGLang's speculative flags (see --speculative-config)"),
    "--spec-tokens": ("kCustom", "--speculative-num-steps --speculative-num-draft-tokens", "HandleSpecTokens", "folded into SGLang's speculative flags (see --speculative-config)"),
    "--kv-transfer-config": ("kCustom", "--enable-lmcache", "HandleKvTransferConfig", "an LMCache connector becomes --enable-lmcache; other connectors are dropped with a warning"),
    "--enable-log-requests": ("kSwitch", "--log-requests", None, "becomes --log-requests"),
    "--shutdown-timeout": ("kCustom", "", "HandleShutdownTimeout", "honoured by the front door's drain on SIGTERM"),
    # frontend
    "--chat-template": ("kCustom", "--chat-template", "HandleChatTemplate", "same flag"),
    "--default-chat-template-kwargs": ("kSame", "--default-chat-template-kwargs", None, "same flag"),
    "--enable-auto-tool-choice": ("kCustom", "", "HandleEnableAutoToolChoice", "dropped: SGLang parses tool calls whenever --tool-call-parser is set"),
    "--tool-call-parser": ("kCustom", "--tool-call-parser", "HandleToolCallParser", "same flag, parser renamed to SGLang's name; an unknown parser is an error"),
    "--tool-server": ("kSame", "--tool-server", None, "same flag"),
    "--host": ("kCustom", "", "HandleHost", "the front door listens here; SGLang listens on 127.0.0.1:<backend port>"),
    "--port": ("kCustom", "", "HandlePort", "the front door listens here; SGLang gets port+1 (or VLLM_SGLANG_BACKEND_PORT)"),
    "--uvicorn-log-level": ("kRename", "--log-level-http", None, "becomes --log-level-http"),
    "--disable-uvicorn-access-log": ("kCustom", "", "HandleDisableAccessLog", "honoured by the front door's access log"),
    "--api-key": ("kCustom", "--api-key", "HandleApiKey", "the front door checks every key; SGLang gets the first as --api-key"),
    "--ssl-keyfile": ("kCustom", "", "HandleTls", "TLS is not terminated by the shim: an error rather than serving plain HTTP unexpectedly"),
    "--ssl-certfile": ("kCustom", "", "HandleTls", "TLS is not terminated by the shim: an error rather than serving plain HTTP unexpectedly"),
    "--root-path": ("kCustom", "--fastapi-root-path", "HandleRootPath", "becomes --fastapi-root-path; the front door strips it too"),
    "--enable-request-id-headers": ("kCustom", "", "HandleRequestIdHeaders", "honoured by the front door (X-Request-Id on responses)"),
}

LEGACY_RULES = {
    "--device": ("kCustom", "--device", "HandleDevice", "removed from vLLM; cuda/cpu/xpu/hpu/npu pass as SGLang --device, auto is dropped"),
    "--task": ("kCustom", "--is-embedding", "HandleTask", "removed from vLLM (now --runner/--convert); embedding-like tasks become --is-embedding"),
    "--cuda-graph-sizes": ("kRename", "--cuda-graph-bs", None, "removed from vLLM (now --cudagraph-capture-sizes); becomes --cuda-graph-bs"),
    "--guided-decoding-backend": ("kCustom", "--grammar-backend", "HandleGuidedDecodingBackend", "removed from vLLM; xgrammar/outlines/llguidance become --grammar-backend"),
    "--speculative-model": ("kCustom", "--speculative-draft-model-path", "HandleSpecModel", "removed from vLLM (now --speculative-config); folded into SGLang's speculative flags"),
    "--num-speculative-tokens": ("kCustom", "--speculative-num-steps --speculative-num-draft-tokens", "HandleSpecTokens", "removed from vLLM (now --speculative-config); folded into SGLang's speculative flags"),
    "--enable-reasoning": ("kDrop", "", None, "removed from vLLM: --reasoning-parser alone enables reasoning, in SGLang too"),
    "--disable-log-requests": ("kDrop", "", None, "removed from vLLM; requests are not logged by default in SGLang either"),
}

KIND = {}


def kind_of(f):
    if f.get("action") == "append" or f.get("repeatable"):
        return "kAppend"
    if f["boolean_optional"]:
        return "kBooleanOptional"
    if not f["takes_value"]:
        return "kStoreTrue"
    if f["nargs"] == "+":
        return "kOneOrMore"
    if f["nargs"] == "?":
        return "kOptionalValue"
    return "kValue"


TYPE = {None: "kNone", "bool": "kBool", "str": "kStr", "int": "kInt", "float": "kFloat", "json": "kJson",
        "json_or_str": "kJsonOrStr", "human_readable_int": "kHumanInt", "human_readable_int_or_auto": "kHumanIntOrAuto"}


def c(text):
    return json.dumps(text)


KIND_BUILDER = {"kStoreTrue": "StoreTrue", "kBooleanOptional": "BoolOptional", "kValue": "Value",
                "kOneOrMore": "OneOrMore", "kOptionalValue": "OptionalValue", "kAppend": "Appended"}
RULE_BUILDER = {"kDrop": "Drop", "kSame": "Same", "kRename": "Rename", "kSwitch": "Switch",
                "kNegSwitch": "NegSwitch", "kCustom": "Custom"}


def row(f, legacy, rules):
    """One row in the words of src/translate/flag_row_builders.h."""
    rule = rules.get(f["flag"])
    if rule is None:
        if legacy:
            note = f.get("note") or ""
            reason = "removed from vLLM" + (" (" + note + ")" if note else "") + "; accepted and ignored"
            rule = ("kDrop", "", None, reason)
        else:
            rule = ("kDrop", "", None, NO_EQUIV)
    r, sglang, handler, reason = rule
    kind = kind_of(f)
    if legacy:
        spec = "Legacy(ArgKind::%s, %s)" % (kind, c(f["flag"]))
    elif kind in ("kStoreTrue", "kBooleanOptional"):
        spec = "%s(%s)" % (KIND_BUILDER[kind], c(f["flag"]))
    else:
        spec = "%s(%s, %s)" % (KIND_BUILDER[kind], c(f["flag"]), TYPE[f["type"]])
    if f["aliases"]:
        spec += ".Alias(%s)" % c(" ".join(f["aliases"]))
    if f["choices"]:
        spec += ".OneOf(%s)" % c("|".join(str(x) for x in f["choices"]))
    args = [spec]
    if r == "kCustom":
        args += [c(sglang), handler]
    elif r in ("kRename", "kSwitch", "kNegSwitch"):
        args.append(c(sglang))
    name = RULE_BUILDER[r]
    return "    %s(%s,\n%s%s)," % (name, ", ".join(args), " " * (len(name) + 5), c(reason))


def main():
    current = json.load(open(os.path.join(DATA, "vllm-flags.json")))
    legacy = json.load(open(os.path.join(DATA, "vllm-flags-legacy.json")))
    handlers = sorted({r[2] for r in list(RULES.values()) + list(LEGACY_RULES.values()) if r and r[2]})
    out = [
        "// The vLLM -> SGLang translation table: one row per vLLM flag. Parse columns come from",
        "// vLLM 9aaf83ef (vllm/engine/arg_utils.py, vllm/entrypoints/openai/cli_args.py) via",
        "// data/reference/vllm-flags*.json (flag_table_test.cc keeps them equal); translation",
        "// columns name SGLang 8905cbd4 flags (python/sglang/srt/server_args.py via data/reference/sglang-flags.json;",
        "// flag_table_test.cc and all_flags_test.cc check them). First written by tools/gen_flag_table.py.",
        '#include "translate/flag_table.h"',
        "",
        '#include "translate/flag_handlers.h"',
        '#include "translate/flag_row_builders.h"',
        "",
        "namespace shim {",
        "",
        "const std::vector<FlagRow>& FlagTable() {",
        "  using namespace flag_rows;",
        "  // One row per flag, laid out for reading as a table.",
        "  // clang-format off",
        "  static const std::vector<FlagRow> kRows = {",
        "    // ---- current vLLM flags ----",
    ]
    for f in current:
        out.append(row(f, False, RULES))
    out.append("    // ---- legacy flags: removed upstream, still sent by older stacks ----")
    for f in legacy:
        out.append(row(f, True, LEGACY_RULES))
    out += ["  };", "  // clang-format on", "  return kRows;", "}", "", "}  // namespace shim", ""]
    with open(OUT, "w") as fh:
        fh.write("\n".join(out))
    print("handlers:", " ".join(handlers))


if __name__ == "__main__":
    main()
