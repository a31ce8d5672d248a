#include "metrics/prometheus_text.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

namespace shim::metrics {
namespace {

ParsedMetrics MustParse(std::string_view text) {
  ParsedMetrics parsed;
  std::string err;
  EXPECT_TRUE(ParsePrometheusText(text, &parsed, &err)) << err;
  return parsed;
}

TEST(PrometheusTextTest, ParsesHelpTypeAndSamples) {
  ParsedMetrics parsed = MustParse(
      "# HELP http_requests_total The total number of HTTP requests.\n"
      "# TYPE http_requests_total counter\n"
      "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
      "http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n");
  ASSERT_EQ(parsed.samples.size(), 2u);
  EXPECT_EQ(parsed.samples[0].name, "http_requests_total");
  EXPECT_EQ(*parsed.samples[0].FindLabel("method"), "post");
  EXPECT_EQ(*parsed.samples[1].FindLabel("code"), "400");
  EXPECT_EQ(parsed.samples[1].FindLabel("missing"), nullptr);
  EXPECT_EQ(parsed.samples[0].value, 1027);
  EXPECT_EQ(parsed.samples[1].timestamp_ms, 1395066363000);
  EXPECT_EQ(parsed.types.at("http_requests_total"), MetricType::kCounter);
  EXPECT_EQ(parsed.help.at("http_requests_total"), "The total number of HTTP requests.");
  EXPECT_EQ(parsed.skipped_lines, 0u);
}

// The escaping example from the exposition format documentation.
TEST(PrometheusTextTest, UnescapesLabelValuesAndHelp) {
  ParsedMetrics parsed = MustParse(
      "# HELP odd Some \\\\ text\\nacross lines\n"
      "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} "
      "1.458255915e9\n");
  ASSERT_EQ(parsed.samples.size(), 1u);
  EXPECT_EQ(*parsed.samples[0].FindLabel("path"), "C:\\DIR\\FILE.TXT");
  EXPECT_EQ(*parsed.samples[0].FindLabel("error"), "Cannot find file:\n\"FILE.TXT\"");
  EXPECT_DOUBLE_EQ(parsed.samples[0].value, 1.458255915e9);
  EXPECT_EQ(parsed.help.at("odd"), "Some \\ text\nacross lines");
}

TEST(PrometheusTextTest, SpecialValuesNoLabelsAndNegativeTimestamp) {
  ParsedMetrics parsed = MustParse(
      "metric_without_timestamp_and_labels 12.47\n"
      "something_weird{problem=\"division by zero\"} +Inf -3982045\n"
      "minus_inf -Inf\n"
      "not_a_number NaN\n"
      "lower_case_inf inf\n"
      "plus_sign +7\n"
      "exponent 1e-3\n");
  ASSERT_EQ(parsed.samples.size(), 7u);
  EXPECT_EQ(parsed.samples[0].value, 12.47);
  EXPECT_TRUE(std::isinf(parsed.samples[1].value) && parsed.samples[1].value > 0);
  EXPECT_EQ(parsed.samples[1].timestamp_ms, -3982045);
  EXPECT_TRUE(std::isinf(parsed.samples[2].value) && parsed.samples[2].value < 0);
  EXPECT_TRUE(std::isnan(parsed.samples[3].value));
  EXPECT_TRUE(std::isinf(parsed.samples[4].value));
  EXPECT_EQ(parsed.samples[5].value, 7);
  EXPECT_EQ(parsed.samples[6].value, 0.001);
}

TEST(PrometheusTextTest, HistogramSeriesKeepTheirSuffixes) {
  ParsedMetrics parsed = MustParse(
      "# TYPE http_request_duration_seconds histogram\n"
      "http_request_duration_seconds_bucket{le=\"0.05\"} 24054\n"
      "http_request_duration_seconds_bucket{le=\"+Inf\"} 144320\n"
      "http_request_duration_seconds_sum 53423\n"
      "http_request_duration_seconds_count 144320\n");
  ASSERT_EQ(parsed.samples.size(), 4u);
  EXPECT_EQ(parsed.samples[1].name, "http_request_duration_seconds_bucket");
  EXPECT_EQ(*parsed.samples[1].FindLabel("le"), "+Inf");
  EXPECT_EQ(parsed.types.at("http_request_duration_seconds"), MetricType::kHistogram);
}

TEST(PrometheusTextTest, ToleratesBlanksCrlfTrailingCommaAndComments) {
  ParsedMetrics parsed = MustParse(
      "\r\n"
      "   # just a comment\n"
      "#\n"
      "a{ x = \"1\" , y=\"2\", } 5\r\n"
      "\tb\t6\n"
      "c{} 7\n"
      "d:with:colons 8");  // no final newline
  ASSERT_EQ(parsed.samples.size(), 4u) << (parsed.errors.empty() ? "" : parsed.errors[0]);
  EXPECT_EQ(parsed.samples[0].labels.size(), 2u);
  EXPECT_EQ(*parsed.samples[0].FindLabel("x"), "1");
  EXPECT_EQ(parsed.samples[1].value, 6);
  EXPECT_TRUE(parsed.samples[2].labels.empty());
  EXPECT_EQ(parsed.samples[3].name, "d:with:colons");
  EXPECT_EQ(parsed.skipped_lines, 0u);
}

TEST(PrometheusTextTest, SkipsMalformedLinesAndKeepsTheRest) {
  const char* bad_lines[] = {
      "1metric 3",                  // name starts with a digit
      "metric{a=\"1\" 3",           // unterminated label set
      "metric{a=\"1} 3",            // unterminated label value
      "metric{a=\"\\q\"} 3",        // invalid escape
      "metric{a=\"1\",a=\"2\"} 3",  // duplicate label
      "metric{1a=\"1\"} 3",         // bad label name
      "metric{a=1} 3",              // unquoted label value
      "metric",                     // no value
      "metric abc",                 // bad value
      "metric 1 2 3",               // text after the timestamp
      "metric 1 1.5",               // non-integer timestamp
      "metric-x 1",                 // junk after the name
      "# TYPE metric nonsense",     // unknown type
      "# TYPE 9metric gauge",       // bad name in TYPE
      "metric 0x10",                // hex is not a Prometheus float
  };
  std::string text = "good_before 1\n";
  for (const char* line : bad_lines) text.append(line).append("\n");
  text.append("good_after 2\n");
  ParsedMetrics parsed = MustParse(text);
  ASSERT_EQ(parsed.samples.size(), 2u);
  EXPECT_EQ(parsed.samples[0].name, "good_before");
  EXPECT_EQ(parsed.samples[1].name, "good_after");
  EXPECT_EQ(parsed.skipped_lines, std::size(bad_lines));
  ASSERT_EQ(parsed.errors.size(), 10u);  // capped
  EXPECT_NE(parsed.errors[0].find("line 2:"), std::string::npos) << parsed.errors[0];
}

TEST(PrometheusTextTest, SecondTypeOrHelpForTheSameNameIsSkipped) {
  ParsedMetrics parsed = MustParse("# TYPE m gauge\n# TYPE m counter\n# HELP m one\n# HELP m two\nm 1\n");
  EXPECT_EQ(parsed.types.at("m"), MetricType::kGauge);
  EXPECT_EQ(parsed.help.at("m"), "one");
  EXPECT_EQ(parsed.skipped_lines, 2u);
}

TEST(PrometheusTextTest, EnforcesSizeAndSampleLimits) {
  ParsedMetrics parsed;
  std::string err;
  ParseLimits limits;
  limits.max_bytes = 10;
  EXPECT_FALSE(ParsePrometheusText("metric_name 1\n", &parsed, &err, limits));
  EXPECT_NE(err.find("bytes"), std::string::npos);
  limits = ParseLimits{};
  limits.max_samples = 2;
  EXPECT_FALSE(ParsePrometheusText("a 1\nb 2\nc 3\n", &parsed, &err, limits));
  EXPECT_NE(err.find("samples"), std::string::npos);
}

TEST(PrometheusTextTest, FormatsValuesTheWayParsersReadThem) {
  EXPECT_EQ(FormatPrometheusValue(3), "3");
  EXPECT_EQ(FormatPrometheusValue(0.25), "0.25");
  EXPECT_EQ(FormatPrometheusValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatPrometheusValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatPrometheusValue(std::nan("")), "NaN");
  for (double value : {0.1, 1e-300, 123456789.123, -42.0, 1e300}) {
    EXPECT_EQ(*ParsePrometheusValue(FormatPrometheusValue(value)), value);
  }
  EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(EscapeHelpText("a\\b\nc\""), "a\\\\b\\nc\"");
}

TEST(PrometheusTextTest, NamesFollowTheDataModel) {
  EXPECT_TRUE(IsValidMetricName("vllm:num_requests_running"));
  EXPECT_TRUE(IsValidMetricName("_x1"));
  EXPECT_FALSE(IsValidMetricName("1x"));
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_FALSE(IsValidMetricName("a-b"));
  EXPECT_TRUE(IsValidLabelName("sleep_state"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
}

// Garbage must never crash or hang the parser: bounded random documents built
// from the characters that matter to it.
TEST(PrometheusTextTest, SurvivesRandomInput) {
  std::mt19937 random(12345);
  const std::string alphabet = "ab_:{}=\",\\# \t\n\r01.+-eInfNa\x00\xff";
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    size_t length = random() % 200;
    for (size_t i = 0; i < length; ++i) text.push_back(alphabet[random() % alphabet.size()]);
    ParsedMetrics parsed;
    std::string err;
    EXPECT_TRUE(ParsePrometheusText(text, &parsed, &err));
    for (const Sample& sample : parsed.samples) EXPECT_TRUE(IsValidMetricName(sample.name));
  }
}

}  // namespace
}  // namespace shim::metrics
