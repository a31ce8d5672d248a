// A one-waiter wake-up between coroutines on one single-threaded executor:
//   co_await wakeup.Wait(asio::use_awaitable);   // suspends
//   wakeup.Notify();                            // elsewhere: resumes it (posted)
// A Notify with nobody waiting is remembered until the next Wait, so a
// wake-up is never lost between a check and the wait. Allocates one small
// object per wait. Not thread-safe, by design (the front door has one thread).
#pragma once
#include <memory>
#include <utility>

#include "common/prelude.h"
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace shim {

class Wakeup {
 public:
  Wakeup() = default;
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  template <typename Token>
  auto Wait(Token&& token) {
    return boost::asio::async_initiate<Token, void()>(
        [this](auto handler) {
          if (notified_) {
            notified_ = false;
            Post(std::move(handler));
            return;
          }
          waiter_ = std::make_unique<Waiter<decltype(handler)>>(std::move(handler));
        },
        token);
  }

  // Resumes the waiter (through its executor, never inline), or lets the next
  // Wait complete at once.
  void Notify() { Wake(/*now=*/false); }

  // Resumes the waiter on this stack when the caller runs on the waiter's
  // executor (it runs until it next suspends, then this returns). For a
  // caller with nothing to do before the waiter that could not wait: it
  // saves a trip through the event loop on the request path.
  void NotifyNow() { Wake(/*now=*/true); }

  bool waiting() const { return waiter_ != nullptr; }

 private:
  struct WaiterBase {
    virtual ~WaiterBase() = default;
    virtual void Resume() = 0;
    virtual void ResumeNow() = 0;
  };
  template <typename Handler>
  struct Waiter : WaiterBase {
    explicit Waiter(Handler h) : handler(std::move(h)) {}
    void Resume() override { Post(std::move(handler)); }
    void ResumeNow() override {
      auto executor = boost::asio::get_associated_executor(handler);
      boost::asio::dispatch(executor, std::move(handler));
    }
    Handler handler;
  };
  template <typename Handler>
  static void Post(Handler handler) {
    auto executor = boost::asio::get_associated_executor(handler);
    boost::asio::post(executor, std::move(handler));
  }

  void Wake(bool now) {
    if (!waiter_) {
      notified_ = true;
      return;
    }
    std::unique_ptr<WaiterBase> waiter = std::move(waiter_);
    if (now) {
      waiter->ResumeNow();
    } else {
      waiter->Resume();
    }
  }

  std::unique_ptr<WaiterBase> waiter_;
  bool notified_ = false;
};

}  // namespace shim
