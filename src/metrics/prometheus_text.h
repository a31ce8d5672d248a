// A parser for the Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/), used to read
// SGLang's /metrics. SGLang's output is untrusted input to us: the parser never
// throws and never crashes, and bounds its memory.
//
// Error policy: a malformed line is skipped, counted and (for the first few)
// described, and parsing continues. One odd line from a new SGLang version must
// not blind the shim to every other metric. ParsePrometheusText returns false
// only when the whole document is unusable (over the size or sample limits).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shim::metrics {

using LabelPairs = std::vector<std::pair<std::string, std::string>>;

struct Sample {
  std::string name;
  LabelPairs labels;  // in document order, names unique
  double value = 0;
  std::optional<int64_t> timestamp_ms;

  // The value of label `name`, or nullptr when the sample has no such label.
  const std::string* FindLabel(std::string_view label_name) const;
};

enum class MetricType { kUntyped, kCounter, kGauge, kHistogram, kSummary, kGaugeHistogram };
const char* MetricTypeName(MetricType type);

struct ParsedMetrics {
  std::vector<Sample> samples;
  std::map<std::string, MetricType, std::less<>> types;  // from "# TYPE"
  std::map<std::string, std::string, std::less<>> help;  // from "# HELP", unescaped
  size_t skipped_lines = 0;
  std::vector<std::string> errors;  // the first kMaxKeptErrors problems, "line N: why"
};

struct ParseLimits {
  size_t max_bytes = 32 * 1024 * 1024;
  size_t max_samples = 500000;
  size_t max_kept_errors = 10;
};

// Parses `text`. Returns false with *err set only when a limit is exceeded;
// malformed lines are skipped as described above.
bool ParsePrometheusText(std::string_view text, ParsedMetrics* out, std::string* err,
                         const ParseLimits& limits = ParseLimits{});

// Parses one sample line ("name{l="v"} 1.5 123"). Returns false with *err on
// malformed input. Exposed for tests and the fuzzer.
bool ParseSampleLine(std::string_view line, Sample* out, std::string* err);

// A sample value: a decimal float, or +Inf/-Inf/Inf/NaN in any letter case.
std::optional<double> ParsePrometheusValue(std::string_view text);

bool IsValidMetricName(std::string_view name);
bool IsValidLabelName(std::string_view name);

// Formatting for the writer side.
std::string FormatPrometheusValue(double value);       // "1", "0.25", "+Inf", "NaN"
std::string EscapeLabelValue(std::string_view value);  // \\ \" \n
std::string EscapeHelpText(std::string_view text);     // \\ \n

}  // namespace shim::metrics
