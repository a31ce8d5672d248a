#include "metrics/metrics_scraper.h"

#include <algorithm>
#include <exception>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"

namespace shim::metrics {

MetricsScraper::MetricsScraper(MetricsFetcher fetch, std::chrono::duration<double> interval)
    : fetch_(std::move(fetch)),
      // A floor of 100 ms keeps a bad setting from turning the scrape into a busy loop.
      interval_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::max(interval, std::chrono::duration<double>(0.1)))),
      latest_(std::make_shared<const ScrapeSnapshot>()) {}

std::shared_ptr<const ScrapeSnapshot> MetricsScraper::Latest() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latest_;
}

boost::asio::awaitable<std::optional<std::string>> MetricsScraper::Fetch(const std::string& target, int* status) {
  *status = 0;
  FetchResult result;
  try {
    result = co_await fetch_(target);
  } catch (const std::exception& e) {  // the fetcher promises not to throw; stay alive if it does
    result.ok = false;
    result.error = e.what();
  }
  if (!result.ok) {
    LogDebug("metrics scrape of ", target, " failed: ", result.error);
    co_return std::nullopt;
  }
  *status = result.status;
  if (result.status != 200) {
    LogDebug("metrics scrape of ", target, " answered HTTP ", result.status);
    co_return std::nullopt;
  }
  co_return std::move(result.body);
}

boost::asio::awaitable<void> MetricsScraper::ScrapeOnce() {
  int status = 0;
  std::optional<std::string> metrics_text = co_await Fetch("/metrics", &status);
  std::optional<std::string> loads_body;
  if (loads_supported_) {
    loads_body = co_await Fetch("/v1/loads", &status);
    if (status == 404) {
      loads_supported_ = false;
      LogInfo("SGLang has no /v1/loads; metrics gauges come from /metrics only");
    }
  }
  std::string problems;
  auto now = std::chrono::steady_clock::now();
  ScrapeSnapshot next = BuildScrapeSnapshot(metrics_text, loads_body, now, &problems);
  if (!problems.empty()) LogDebug("metrics scrape: ", problems);
  continuity_.Apply(&next.vllm);

  std::lock_guard<std::mutex> lock(mutex_);
  // A failed cycle keeps the time of the last success, so the age keeps growing.
  if (!next.scraped_at) next.scraped_at = latest_->scraped_at;
  latest_ = std::make_shared<const ScrapeSnapshot>(std::move(next));
}

boost::asio::awaitable<void> MetricsScraper::Run() {
  timer_ = std::make_unique<boost::asio::steady_timer>(co_await boost::asio::this_coro::executor);
  while (!stopped_) {
    co_await ScrapeOnce();
    if (stopped_) break;
    timer_->expires_after(interval_);
    boost::system::error_code ec;
    co_await timer_->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec == boost::asio::error::operation_aborted) break;
  }
}

void MetricsScraper::Stop() {
  stopped_ = true;
  if (timer_) timer_->cancel();
}

}  // namespace shim::metrics
