// Command line of shim-loadgen. Two modes:
//   post   : N keep-alive connections each sending non-streaming POSTs back to back.
//   stream : N concurrent SSE streams (restarted as they finish), with side
//            probes (e.g. GET /health every 10 ms) on their own connections.
#pragma once
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

#include "loadgen/http_url.h"

namespace shim::loadgen {

struct WatchedProcess {
  std::string name;
  pid_t pid = 0;
};

struct LoadOptions {
  std::string mode;  // "post" or "stream"
  HttpUrl url;
  std::string url_text;
  std::string model = "Qwen/Qwen2.5-0.5B-Instruct";
  std::string body;                        // request body; built from model/tokens when not given
  int concurrency = 1;                     // post: connections; stream: concurrent streams
  double duration_s = 10;                  // measured window
  double warmup_s = 1;                     // before the window, not recorded
  long long max_requests = 0;              // post: end the window after this many (0: no cap)
  int stream_tokens = 32;                  // stream: max_tokens of the default body (ignore_eos)
  double ramp_s = 1;                       // stream: spread the first stream starts over this time
  std::vector<HttpUrl> probes;             // stream: GET these on their own connections
  std::vector<std::string> probe_texts;    // the URLs as given (result keys)
  std::vector<double> probe_intervals_ms;  // per probe; 0: probe_interval_ms
  double probe_interval_ms = 10;
  pid_t rss_pid = 0;                  // stream: sample this process's RSS under load
  std::vector<WatchedProcess> watch;  // CPU% over the window, RSS at the end
  double grace_s = 5;                 // after the window, in-flight work gets this long
  std::string out;                    // JSON result file ("" or "-": stdout)
};

std::string LoadgenUsage();

// Parses argv (after the program name). Returns false with *err on a bad or
// missing value; every number is range-checked.
bool ParseLoadOptions(const std::vector<std::string>& args, LoadOptions* out, std::string* err);

// The default request body for the mode: a small chat completion; streaming
// ones ask for exactly stream_tokens tokens.
std::string DefaultBody(const LoadOptions& options);

}  // namespace shim::loadgen
