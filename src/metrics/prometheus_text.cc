#include "metrics/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "common/invariants.h"
#include "common/strings.h"

namespace shim::metrics {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A cursor over one line; every read is bounds-checked.
class LineReader {
 public:
  explicit LineReader(std::string_view line) : line_(line) {}
  bool AtEnd() const { return pos_ >= line_.size(); }
  char Peek() const { return AtEnd() ? '\0' : line_[pos_]; }
  void Advance() { ++pos_; }
  void SkipBlanks() {
    while (!AtEnd() && IsBlank(line_[pos_])) ++pos_;
  }
  std::string_view ReadMetricName() {
    size_t start = pos_;
    if (AtEnd() || !(IsNameStart(line_[pos_]) || line_[pos_] == ':')) return {};
    while (!AtEnd() && (IsNameStart(line_[pos_]) || IsDigit(line_[pos_]) || line_[pos_] == ':')) ++pos_;
    return line_.substr(start, pos_ - start);
  }
  std::string_view ReadLabelName() {
    size_t start = pos_;
    if (AtEnd() || !IsNameStart(line_[pos_])) return {};
    while (!AtEnd() && (IsNameStart(line_[pos_]) || IsDigit(line_[pos_]))) ++pos_;
    return line_.substr(start, pos_ - start);
  }
  std::string_view ReadWord() {
    size_t start = pos_;
    while (!AtEnd() && !IsBlank(line_[pos_])) ++pos_;
    return line_.substr(start, pos_ - start);
  }
  std::string_view Rest() const { return AtEnd() ? std::string_view() : line_.substr(pos_); }

 private:
  std::string_view line_;
  size_t pos_ = 0;
};

// Reads a quoted label value; the opening quote has been consumed.
bool ReadQuotedLabelValue(LineReader* reader, std::string* out, std::string* err) {
  out->clear();
  while (true) {
    if (reader->AtEnd()) {
      *err = "unterminated label value";
      return false;
    }
    char c = reader->Peek();
    reader->Advance();
    if (c == '"') return true;
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    if (reader->AtEnd()) {
      *err = "unterminated escape in label value";
      return false;
    }
    char escaped = reader->Peek();
    reader->Advance();
    switch (escaped) {
      case '\\':
        out->push_back('\\');
        break;
      case '"':
        out->push_back('"');
        break;
      case 'n':
        out->push_back('\n');
        break;
      default:
        *err = std::string("invalid escape sequence \\") + escaped + " in label value";
        return false;
    }
  }
}

bool ParseLabels(LineReader* reader, LabelPairs* labels, std::string* err) {
  // The opening brace has been consumed. A trailing comma is allowed.
  while (true) {
    reader->SkipBlanks();
    if (reader->Peek() == '}') {
      reader->Advance();
      return true;
    }
    std::string_view name = reader->ReadLabelName();
    if (name.empty()) {
      *err = "invalid label name";
      return false;
    }
    reader->SkipBlanks();
    if (reader->Peek() != '=') {
      *err = "expected '=' after label name " + std::string(name);
      return false;
    }
    reader->Advance();
    reader->SkipBlanks();
    if (reader->Peek() != '"') {
      *err = "expected '\"' to start the value of label " + std::string(name);
      return false;
    }
    reader->Advance();
    std::string value;
    if (!ReadQuotedLabelValue(reader, &value, err)) return false;
    for (const auto& [existing, unused] : *labels) {
      if (existing == name) {
        *err = "duplicate label " + std::string(name);
        return false;
      }
    }
    labels->emplace_back(std::string(name), std::move(value));
    reader->SkipBlanks();
    if (reader->Peek() == ',') {
      reader->Advance();
      continue;
    }
    if (reader->Peek() == '}') {
      reader->Advance();
      return true;
    }
    *err = "expected ',' or '}' after a label value";
    return false;
  }
}

std::optional<MetricType> ParseTypeName(std::string_view text) {
  if (text == "counter") return MetricType::kCounter;
  if (text == "gauge") return MetricType::kGauge;
  if (text == "histogram") return MetricType::kHistogram;
  if (text == "summary") return MetricType::kSummary;
  if (text == "untyped" || text == "unknown") return MetricType::kUntyped;
  if (text == "gaugehistogram") return MetricType::kGaugeHistogram;
  return std::nullopt;
}

std::string UnescapeHelp(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      if (text[i + 1] == 'n') {
        out.push_back('\n');
        ++i;
        continue;
      }
      if (text[i + 1] == '\\') {
        out.push_back('\\');
        ++i;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// "# HELP name text", "# TYPE name type"; any other comment is ignored.
bool ParseCommentLine(std::string_view line, ParsedMetrics* out, std::string* err) {
  LineReader reader(line);
  reader.Advance();  // '#'
  reader.SkipBlanks();
  std::string_view keyword = reader.ReadWord();
  if (keyword != "HELP" && keyword != "TYPE") return true;
  reader.SkipBlanks();
  std::string_view name = reader.ReadMetricName();
  if (name.empty() || !(reader.AtEnd() || IsBlank(reader.Peek()))) {
    *err = "invalid metric name in " + std::string(keyword) + " line";
    return false;
  }
  if (keyword == "HELP") {
    if (!reader.AtEnd()) reader.Advance();  // exactly one separator; the text keeps the rest
    if (out->help.count(name)) {
      *err = "second HELP line for " + std::string(name);
      return false;
    }
    out->help.emplace(std::string(name), UnescapeHelp(reader.Rest()));
    return true;
  }
  reader.SkipBlanks();
  std::string_view type_text = reader.ReadWord();
  reader.SkipBlanks();
  std::optional<MetricType> type = ParseTypeName(type_text);
  if (!type || !reader.AtEnd()) {
    *err = "unknown metric type '" + std::string(type_text) + "'";
    return false;
  }
  if (out->types.count(name)) {
    *err = "second TYPE line for " + std::string(name);
    return false;
  }
  out->types.emplace(std::string(name), *type);
  return true;
}

}  // namespace

const std::string* Sample::FindLabel(std::string_view label_name) const {
  for (const auto& [name, value] : labels) {
    if (name == label_name) return &value;
  }
  return nullptr;
}

const char* MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
    case MetricType::kSummary:
      return "summary";
    case MetricType::kGaugeHistogram:
      return "gaugehistogram";
    case MetricType::kUntyped:
      break;
  }
  return "untyped";
}

bool IsValidMetricName(std::string_view name) {
  LineReader reader(name);
  return !name.empty() && reader.ReadMetricName().size() == name.size();
}

bool IsValidLabelName(std::string_view name) {
  LineReader reader(name);
  return !name.empty() && reader.ReadLabelName().size() == name.size();
}

std::optional<double> ParsePrometheusValue(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string lower = ToLower(text);
  if (lower == "+inf" || lower == "inf") return std::numeric_limits<double>::infinity();
  if (lower == "-inf") return -std::numeric_limits<double>::infinity();
  if (lower == "nan") return std::numeric_limits<double>::quiet_NaN();
  std::string_view digits = text;
  if (digits.front() == '+') digits.remove_prefix(1);  // from_chars rejects a leading '+'
  if (digits.empty() || digits.front() == '+') return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, std::chars_format::general);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

bool ParseSampleLine(std::string_view line, Sample* out, std::string* err) {
  LineReader reader(line);
  reader.SkipBlanks();
  std::string_view name = reader.ReadMetricName();
  if (name.empty()) {
    *err = "invalid metric name";
    return false;
  }
  if (!reader.AtEnd() && !IsBlank(reader.Peek()) && reader.Peek() != '{') {
    *err = "invalid character after metric name " + std::string(name);
    return false;
  }
  Sample sample;
  sample.name = std::string(name);
  reader.SkipBlanks();
  if (reader.Peek() == '{') {
    reader.Advance();
    if (!ParseLabels(&reader, &sample.labels, err)) return false;
    reader.SkipBlanks();
  }
  std::string_view value_text = reader.ReadWord();
  if (value_text.empty()) {
    *err = "missing value for " + sample.name;
    return false;
  }
  std::optional<double> value = ParsePrometheusValue(value_text);
  if (!value) {
    *err = "invalid value '" + std::string(value_text.substr(0, 64)) + "' for " + sample.name;
    return false;
  }
  sample.value = *value;
  reader.SkipBlanks();
  if (!reader.AtEnd()) {
    std::string_view timestamp_text = reader.ReadWord();
    std::optional<long long> timestamp = ParseInt(timestamp_text);
    if (!timestamp) {
      *err = "invalid timestamp '" + std::string(timestamp_text.substr(0, 64)) + "'";
      return false;
    }
    sample.timestamp_ms = *timestamp;
    reader.SkipBlanks();
    if (!reader.AtEnd()) {
      *err = "unexpected text after the timestamp";
      return false;
    }
  }
  *out = std::move(sample);
  return true;
}

bool ParsePrometheusText(std::string_view text, ParsedMetrics* out, std::string* err, const ParseLimits& limits) {
  *out = ParsedMetrics{};
  if (text.size() > limits.max_bytes) {
    *err = "metrics text is " + std::to_string(text.size()) + " bytes, over the limit of " +
           std::to_string(limits.max_bytes);
    return false;
  }
  size_t line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t newline = text.find('\n', pos);
    size_t end = newline == std::string_view::npos ? text.size() : newline;
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    line.remove_prefix(first);

    std::string line_err;
    bool ok = true;
    if (line.front() == '#') {
      ok = ParseCommentLine(line, out, &line_err);
    } else {
      Sample sample;
      ok = ParseSampleLine(line, &sample, &line_err);
      if (ok) {
        if (out->samples.size() >= limits.max_samples) {
          *err = "metrics text has more than " + std::to_string(limits.max_samples) + " samples";
          return false;
        }
        out->samples.push_back(std::move(sample));
      }
    }
    if (!ok) {
      ++out->skipped_lines;
      if (out->errors.size() < limits.max_kept_errors) {
        out->errors.push_back("line " + std::to_string(line_number) + ": " + line_err);
      }
    }
  }
  return true;
}

std::string FormatPrometheusValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  // (No structured binding: SHIM_BUG's lambda captures it, which Clang 14 refuses.)
  const std::to_chars_result written = std::to_chars(buffer, buffer + sizeof(buffer), value);
  // The shortest form of any double fits in 64 bytes; never emit garbage.
  if (!SHIM_BUG(written.ec == std::errc(), "a double did not fit 64 bytes")) return "NaN";
  return std::string(buffer, written.ptr);
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

std::string EscapeHelpText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace shim::metrics
