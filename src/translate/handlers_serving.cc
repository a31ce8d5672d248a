// Handlers for the HTTP-side rows: listening address, API keys, TLS, parsers, logging.
#include <algorithm>

#include "common/strings.h"
#include "translate/flag_handlers.h"
#include "translate/parser_names.h"

namespace shim {
namespace {
using Action = FlagOutcome::Action;
}  // namespace

bool HandleHost(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  // vLLM: host None (or "") binds every IPv4 interface (cli_args.py, api_server.py).
  const std::string& value = FirstValue(flag);
  ctx->out->frontend.listen.host = IsNoneValue(value) ? "0.0.0.0" : value;
  SetOutcome(outcome, Action::kDropped, {});
  return true;
}

bool HandlePort(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  std::optional<long long> port = ParseInt(TrimSpaces(FirstValue(flag)));
  if (!port || *port < 1 || *port > 65535) {
    *err = "argument --port: port must be between 1 and 65535, got '" + FirstValue(flag) + "'";
    return false;
  }
  ctx->out->frontend.listen.port = static_cast<int>(*port);
  SetOutcome(outcome, Action::kDropped, {});
  return true;
}

bool HandleApiKey(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  for (const std::string& key : flag.values) {
    if (key.empty()) {
      *err = "argument --api-key: an API key must not be empty";
      return false;
    }
  }
  ctx->out->frontend.api_keys = flag.values;
  // SGLang's --api-key takes one value; the front door checks all of them.
  SetOutcome(outcome, flag.values.size() > 1 ? Action::kTranslated : Action::kPassed,
             {"--api-key", flag.values.front()});
  return true;
}

bool HandleTls(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (IsNoneValue(FirstValue(flag))) {
    SetOutcome(outcome, Action::kDropped, {}, "set to None: no TLS");
    return true;
  }
  *err =
      "argument " + flag.spelling +
      ": the shim's front door does not terminate TLS; terminate TLS before it (ingress or sidecar) and drop this flag";
  return false;
}

bool HandleRootPath(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (IsNoneValue(FirstValue(flag))) {
    SetOutcome(outcome, Action::kDropped, {}, "empty root path");
    return true;
  }
  ctx->out->frontend.root_path = FirstValue(flag);
  SetOutcome(outcome, Action::kTranslated, {"--fastapi-root-path", FirstValue(flag)});
  return true;
}

bool HandleRequestIdHeaders(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  ctx->out->frontend.enable_request_id_headers = !flag.negated;
  SetOutcome(outcome, Action::kDropped, {});
  return true;
}

bool HandleDisableAccessLog(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  ctx->out->frontend.disable_uvicorn_access_log = !flag.negated;
  SetOutcome(outcome, Action::kDropped, {});
  return true;
}

bool HandleShutdownTimeout(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  std::optional<long long> seconds = ParseInt(TrimSpaces(FirstValue(flag)));
  if (!seconds || *seconds < 0) {
    *err = "argument --shutdown-timeout: expected a non-negative number of seconds, got '" + FirstValue(flag) + "'";
    return false;
  }
  // vLLM accepts any int; past a year is "forever" and kept there so that
  // arithmetic in milliseconds cannot overflow.
  constexpr long long kYear = 366LL * 24 * 3600;
  ctx->out->frontend.shutdown_timeout = std::chrono::seconds(std::min(*seconds, kYear));
  SetOutcome(outcome, Action::kDropped, {});
  return true;
}

bool HandleToolCallParser(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (IsNoneValue(FirstValue(flag))) {
    SetOutcome(outcome, Action::kDropped, {}, "set to None: no tool parsing");
    return true;
  }
  std::string name;
  if (!MapParserName(ParserKind::kToolCall, FirstValue(flag), *ctx->sglang, &name, err)) return false;
  ctx->out->frontend.tool_call_parser = name;
  SetOutcome(outcome, name == FirstValue(flag) ? Action::kPassed : Action::kTranslated, {"--tool-call-parser", name});
  return true;
}

bool HandleReasoningParser(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (IsNoneValue(FirstValue(flag))) {
    SetOutcome(outcome, Action::kDropped, {}, "set to None: no reasoning parsing");
    return true;
  }
  std::string name;
  if (!MapParserName(ParserKind::kReasoning, FirstValue(flag), *ctx->sglang, &name, err)) return false;
  ctx->out->frontend.reasoning_parser = name;
  SetOutcome(outcome, name == FirstValue(flag) ? Action::kPassed : Action::kTranslated, {"--reasoning-parser", name});
  return true;
}

bool HandleEnableAutoToolChoice(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  // vLLM's validate_parsed_serve_args: the flag is meaningless without a parser.
  if (!flag.negated && !ctx->Value("--tool-call-parser")) {
    *err = "argument --enable-auto-tool-choice: requires --tool-call-parser";
    return false;
  }
  SetOutcome(outcome, Action::kDropped, {});
  return true;
}

bool HandleOtlpEndpoint(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (IsNoneValue(FirstValue(flag))) {
    SetOutcome(outcome, Action::kDropped, {}, "set to None: no tracing");
    return true;
  }
  SetOutcome(outcome, Action::kTranslated, {"--otlp-traces-endpoint", FirstValue(flag), "--enable-trace"});
  return true;
}

bool HandleSchedulingPolicy(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (FirstValue(flag) == "priority") {
    SetOutcome(outcome, Action::kTranslated, {"--enable-priority-scheduling"});
  } else {
    SetOutcome(outcome, Action::kTranslated, {"--schedule-policy", "fcfs"});
  }
  return true;
}

}  // namespace shim
