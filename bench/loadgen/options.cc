#include "loadgen/options.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace shim::loadgen {

std::string LoadgenUsage() {
  return R"(usage: shim-loadgen post   --url URL [options]
       shim-loadgen stream --url URL [options]

  --url URL               http://127.0.0.1:PORT/v1/chat/completions (loopback, numeric)
  --model NAME            model in the default body (default Qwen/Qwen2.5-0.5B-Instruct)
  --body JSON             request body instead of the default chat completion
  --concurrency N         post: keep-alive connections; stream: concurrent streams
  --duration S            measured window in seconds (default 10)
  --warmup S              load before the window, not recorded (default 1)
  --max-requests N        post: end the window after N recorded requests
  --tokens N              stream: tokens per stream in the default body (default 32)
  --ramp S                stream: spread first stream starts over S seconds (default 1)
  --probe [MS@]URL        stream: GET URL every MS (default --probe-interval-ms) on its
                          own connection, e.g. --probe 250@http://127.0.0.1:8000/metrics
  --probe-interval-ms MS  default 10
  --rss-pid PID           stream: sample this process's VmRSS when all streams are open
  --watch NAME=PID        report CPU% over the window and RSS of this process
  --grace S               time in-flight work may take after the window (default 5)
  --out FILE              write the JSON result here (default stdout)
)";
}

namespace {

bool ReadNumber(const std::string& flag, const std::string& text, double min, double max, double* out,
                std::string* err) {
  auto v = ParseDouble(text);
  if (!v || *v < min || *v > max) {
    *err =
        flag + ": expected a number in [" + std::to_string(min) + ", " + std::to_string(max) + "], got '" + text + "'";
    return false;
  }
  *out = *v;
  return true;
}

bool ReadInteger(const std::string& flag, const std::string& text, long long min, long long max, long long* out,
                 std::string* err) {
  auto v = ParseInt(text);
  if (!v || *v < min || *v > max) {
    *err = flag + ": expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got '" + text +
           "'";
    return false;
  }
  *out = *v;
  return true;
}

}  // namespace

bool ParseLoadOptions(const std::vector<std::string>& args, LoadOptions* out, std::string* err) {
  if (args.empty() || (args[0] != "post" && args[0] != "stream")) {
    *err = "first argument must be the mode: post or stream";
    return false;
  }
  LoadOptions o;
  o.mode = args[0];
  bool have_url = false;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (i + 1 >= args.size()) {
      *err = flag + ": missing value (or unknown flag)";
      return false;
    }
    const std::string& value = args[++i];
    long long integer = 0;
    if (flag == "--url") {
      if (!ParseHttpUrl(value, &o.url, err)) return false;
      o.url_text = value;
      have_url = true;
    } else if (flag == "--model") {
      o.model = value;
    } else if (flag == "--body") {
      auto parsed = nlohmann::json::parse(value, nullptr, false);
      if (parsed.is_discarded()) {
        *err = "--body: not valid JSON";
        return false;
      }
      o.body = value;
    } else if (flag == "--concurrency") {
      if (!ReadInteger(flag, value, 1, 100000, &integer, err)) return false;
      o.concurrency = static_cast<int>(integer);
    } else if (flag == "--duration") {
      if (!ReadNumber(flag, value, 0.01, 3600, &o.duration_s, err)) return false;
    } else if (flag == "--warmup") {
      if (!ReadNumber(flag, value, 0, 600, &o.warmup_s, err)) return false;
    } else if (flag == "--max-requests") {
      if (!ReadInteger(flag, value, 0, 1'000'000'000, &o.max_requests, err)) return false;
    } else if (flag == "--tokens") {
      if (!ReadInteger(flag, value, 1, 100000, &integer, err)) return false;
      o.stream_tokens = static_cast<int>(integer);
    } else if (flag == "--ramp") {
      if (!ReadNumber(flag, value, 0, 600, &o.ramp_s, err)) return false;
    } else if (flag == "--probe") {
      std::string url_text = value;
      double interval = 0;
      size_t at = value.find('@');
      if (at != std::string::npos && !StartsWith(value, "http://")) {
        if (!ReadNumber(flag, value.substr(0, at), 0.1, 60000, &interval, err)) return false;
        url_text = value.substr(at + 1);
      }
      HttpUrl probe;
      if (!ParseHttpUrl(url_text, &probe, err)) return false;
      o.probes.push_back(probe);
      o.probe_texts.push_back(url_text);
      o.probe_intervals_ms.push_back(interval);
    } else if (flag == "--probe-interval-ms") {
      if (!ReadNumber(flag, value, 0.1, 60000, &o.probe_interval_ms, err)) return false;
    } else if (flag == "--rss-pid") {
      if (!ReadInteger(flag, value, 1, 1LL << 31, &integer, err)) return false;
      o.rss_pid = static_cast<pid_t>(integer);
    } else if (flag == "--watch") {
      size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0) {
        *err = "--watch: expected NAME=PID, got '" + value + "'";
        return false;
      }
      if (!ReadInteger(flag, value.substr(eq + 1), 1, 1LL << 31, &integer, err)) return false;
      o.watch.push_back({value.substr(0, eq), static_cast<pid_t>(integer)});
    } else if (flag == "--grace") {
      if (!ReadNumber(flag, value, 0, 600, &o.grace_s, err)) return false;
    } else if (flag == "--out") {
      o.out = value;
    } else {
      *err = "unknown flag '" + flag + "'";
      return false;
    }
  }
  if (!have_url) {
    *err = "--url is required";
    return false;
  }
  for (double& interval : o.probe_intervals_ms) {
    if (interval == 0) interval = o.probe_interval_ms;
  }
  if (o.body.empty()) o.body = DefaultBody(o);
  *out = std::move(o);
  return true;
}

std::string DefaultBody(const LoadOptions& options) {
  nlohmann::json body = {
      {"model", options.model},
      {"messages", {{{"role", "user"}, {"content", "Write one short sentence about load balancers."}}}},
  };
  if (options.mode == "stream") {
    body["stream"] = true;
    body["max_tokens"] = options.stream_tokens;
    body["ignore_eos"] = true;  // SGLang and vLLM both accept it: every stream has the same length
  } else {
    body["max_tokens"] = 16;
    // vLLM clients send it by default; the shim and the original middleware strip it.
    body["logprobs"] = false;
  }
  return body.dump();
}

}  // namespace shim::loadgen
