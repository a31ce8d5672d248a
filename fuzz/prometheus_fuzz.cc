// libFuzzer target for the Prometheus text parser and everything the scraper
// does with a parsed SGLang scrape: aggregation into vLLM names and rendering.
// Invariants checked beyond "no crash": every kept sample has a valid name, and
// the shim's own output parses back without a skipped line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "metrics/loads.h"
#include "metrics/metrics_render.h"
#include "metrics/prometheus_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace shim::metrics;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  ParsedMetrics parsed;
  std::string err;
  if (!ParsePrometheusText(text, &parsed, &err)) return 0;
  for (const Sample& sample : parsed.samples) {
    if (!IsValidMetricName(sample.name)) std::abort();
  }

  // The same bytes as a /v1/loads body exercise the JSON side.
  std::string problems;
  ScrapeSnapshot snapshot = BuildScrapeSnapshot(text, text, std::chrono::steady_clock::time_point(), &problems);
  FrontDoorCounters counters;
  counters.requests = {{std::string(text.substr(0, 16)), 200, 1}};  // odd route text must be escaped
  std::string rendered = RenderMetrics(snapshot, counters, {std::string(text.substr(0, 32)), "0"}, {},
                                       std::chrono::steady_clock::time_point());
  ParsedMetrics reparsed;
  if (!ParsePrometheusText(rendered, &reparsed, &err) || reparsed.skipped_lines != 0) std::abort();
  return 0;
}
