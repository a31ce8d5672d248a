// Completion handlers for co_spawn, so that an exception escaping a detached
// task is never lost (boost::asio::detached would drop it silently):
//
//   co_spawn(io, Scrape(), LogTaskFailure("metrics scraper"));
//   co_spawn(io, AcceptLoop(state), EndProcessOnTaskFailure("accept loop"));
//
// The second is for tasks without which the process can neither serve nor
// drain: it logs and aborts, so Kubernetes restarts the container at once
// instead of the pod hanging until its SIGKILL. (SGLang, started with a
// parent-death signal, goes with it.)
#pragma once
#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace shim {

// What an exception_ptr holds, for a log line.
std::string DescribeException(const std::exception_ptr& error);

struct LogTaskFailure {
  explicit LogTaskFailure(std::string_view task_name, std::function<void()> after = nullptr)
      : task(task_name), then(std::move(after)) {}
  void operator()(std::exception_ptr error) const;
  std::string_view task;       // a literal
  std::function<void()> then;  // runs after a failure was logged (e.g. close a connection)
};

struct EndProcessOnTaskFailure {
  explicit EndProcessOnTaskFailure(std::string_view task_name) : task(task_name) {}
  void operator()(std::exception_ptr error) const;
  std::string_view task;  // a literal
};

}  // namespace shim
