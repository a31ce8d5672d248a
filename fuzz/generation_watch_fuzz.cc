// libFuzzer target for the front door's reading of SGLang's generation
// responses (metrics/generation_watch.h): the same bytes as a stream split at
// a point the input chooses, and as a plain body; then the record goes
// through the per-request metrics and their text must parse back. Invariants
// beyond "no crash": at most one finish reason per choice slot, the counts of
// a complete plain body do not depend on how it was split, and the rendered
// text has no malformed line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "metrics/generation_watch.h"
#include "metrics/prometheus_text.h"
#include "metrics/request_metrics.h"

namespace {

using shim::metrics::GenerationRecord;
using shim::metrics::GenerationWatch;

GenerationRecord Watch(std::string_view body, size_t split, bool stream, bool complete, bool gone) {
  const auto start = GenerationWatch::Clock::time_point() + std::chrono::seconds(1);
  GenerationWatch watch(start);
  watch.OnResponseHead(200, stream);
  watch.OnBody(body.substr(0, split), start + std::chrono::milliseconds(1));
  watch.OnBody(body.substr(split), start + std::chrono::milliseconds(2));
  GenerationRecord record;
  if (!watch.Finish(complete, gone, start + std::chrono::milliseconds(3), &record)) std::abort();
  if (record.finish_reasons.size() > GenerationWatch::kMaxChoices) std::abort();
  return record;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t control = data[0];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t split = body.empty() ? 0 : (static_cast<size_t>(control) * 131) % (body.size() + 1);

  shim::metrics::RequestMetrics metrics(control % 2 ? 4096 : 0);
  metrics.Record(Watch(body, split, true, control & 2, control & 4));
  GenerationRecord plain_split = Watch(body, split, false, true, false);
  GenerationRecord plain_whole = Watch(body, body.size(), false, true, false);
  if (plain_split.generation_tokens != plain_whole.generation_tokens ||
      plain_split.prompt_tokens != plain_whole.prompt_tokens ||
      plain_split.finish_reasons != plain_whole.finish_reasons) {
    std::abort();
  }
  metrics.Record(plain_split);

  std::string text;
  metrics.Render("m", "0", &text);
  shim::metrics::ParsedMetrics parsed;
  std::string err;
  if (!shim::metrics::ParsePrometheusText(text, &parsed, &err) || parsed.skipped_lines != 0) std::abort();
  return 0;
}
