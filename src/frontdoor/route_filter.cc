#include "frontdoor/route_filter.h"

#include <exception>

#include <boost/asio/this_coro.hpp>

#include "common/log.h"

namespace shim {

void FilterChain::Add(std::shared_ptr<RouteFilter> filter) {
  if (filter) filters_.push_back(std::move(filter));
}

bool FilterChain::NeedsRequestBody() const {
  for (const auto& filter : filters_) {
    if (filter->NeedsRequestBody()) return true;
  }
  return false;
}

std::string_view FilterChain::UpstreamPath() const {
  std::string_view path;
  for (const auto& filter : filters_) {
    if (std::string_view p = filter->UpstreamPath(); !p.empty()) path = p;
  }
  return path;
}

bool FilterChain::RunRequestBody(const RequestHead& head, std::string* body, LocalResponse* reject) const {
  BodyScan scan;  // lives only while the filters run, not for the whole exchange
  for (const auto& filter : filters_) {
    if (!filter->NeedsRequestBody()) continue;
    if (!filter->OnRequestBody(head, body, &scan, reject)) {
      RunLocalAnswer(head, reject);
      return false;
    }
  }
  return true;
}

boost::asio::awaitable<bool> RouteFilter::Preflight(const RequestHead&, std::string*, LocalResponse*) {
  // Never called (HasPreflight() is false); the await keeps this an ordinary coroutine.
  co_await boost::asio::this_coro::executor;
  co_return false;
}

bool FilterChain::HasPreflight() const {
  for (const auto& filter : filters_) {
    if (filter->HasPreflight()) return true;
  }
  return false;
}

boost::asio::awaitable<bool> FilterChain::RunPreflight(const RequestHead& head, std::string* body,
                                                       LocalResponse* answer) const {
  bool answered = false;
  for (const auto& filter : filters_) {
    if (!filter->HasPreflight()) continue;
    try {
      answered = co_await filter->Preflight(head, body, answer);
    } catch (const std::exception& e) {
      LogError("a route filter's preflight failed: ", e.what());
      *answer = VllmErrorResponse(500, "internal error in the front door");
      answered = true;
    }
    if (answered) break;
  }
  if (answered) RunLocalAnswer(head, answer);
  co_return answered;
}

bool FilterChain::EditsResponseHead() const {
  for (const auto& filter : filters_) {
    if (filter->EditsResponseHead()) return true;
  }
  return false;
}

void FilterChain::RunResponseHead(const RequestHead& head, int status, HeaderList* headers) const {
  for (const auto& filter : filters_) {
    if (filter->EditsResponseHead()) filter->OnResponseHead(head, status, headers);
  }
}

bool FilterChain::WantsResponseBody(int status) const {
  for (const auto& filter : filters_) {
    if (filter->WantsResponseBody(status)) return true;
  }
  return false;
}

void FilterChain::RunResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) const {
  for (const auto& filter : filters_) {
    if (filter->WantsResponseBody(*status)) filter->OnResponseBody(head, status, headers, body);
  }
}

bool FilterChain::RewritesSseFrames() const {
  for (const auto& filter : filters_) {
    if (filter->RewritesSseFrames()) return true;
  }
  return false;
}

bool FilterChain::RunSseFrame(std::string_view frame, std::string* out) const {
  bool changed = false;
  std::string next;
  for (const auto& filter : filters_) {
    if (!filter->RewritesSseFrames()) continue;
    if (changed) {
      if (out->empty()) return true;  // dropped: nothing left for the filters after it
      next.clear();
      if (filter->OnSseFrame(*out, &next)) out->swap(next);
    } else {
      changed = filter->OnSseFrame(frame, out);
    }
  }
  return changed;
}

void FilterChain::RunLocalAnswer(const RequestHead& head, LocalResponse* response) const {
  for (const auto& filter : filters_) filter->OnLocalAnswer(head, response);
}

bool FilterChain::WatchesExchange() const {
  for (const auto& filter : filters_) {
    if (filter->WatchesExchange()) return true;
  }
  return false;
}

void FilterChain::RunWatchedHead(int status, bool event_stream) const {
  for (const auto& filter : filters_) {
    if (filter->WatchesExchange()) filter->OnWatchedHead(status, event_stream);
  }
}

void FilterChain::RunWatchedBody(std::string_view bytes) const {
  for (const auto& filter : filters_) {
    if (filter->WatchesExchange()) filter->OnWatchedBody(bytes);
  }
}

void FilterChain::RunExchangeEnd(const ExchangeEnd& end) const {
  for (const auto& filter : filters_) {
    if (filter->WatchesExchange()) filter->OnExchangeEnd(end);
  }
}

}  // namespace shim
