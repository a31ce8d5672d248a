#include "frontdoor/route_filter.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

// Records its calls in a shared log and acts as configured.
class Step final : public RouteFilter {
 public:
  Step(std::string name, std::string* log) : name_(std::move(name)), log_(log) {}
  bool refuse = false;
  bool body = false;
  int wants_status = 0;      // whole body wanted for this status (0: none)
  int change_status_to = 0;  // OnResponseBody sets it
  bool frames = false;
  bool drop = false;

  bool NeedsRequestBody() const override { return body; }
  bool OnRequestBody(const RequestHead&, std::string* b, BodyScan*, LocalResponse* reject) override {
    *log_ += name_ + ":body ";
    if (refuse) {
      reject->status = 404;
      return false;
    }
    *b += name_;
    return true;
  }
  bool EditsResponseHead() const override { return true; }
  void OnResponseHead(const RequestHead&, int, HeaderList* headers) override { headers->emplace_back(name_, "1"); }
  bool WantsResponseBody(int status) const override { return status == wants_status; }
  void OnResponseBody(const RequestHead&, int* status, HeaderList*, std::string* b) override {
    *b += name_;
    if (change_status_to) *status = change_status_to;
  }
  bool RewritesSseFrames() const override { return frames; }
  bool OnSseFrame(std::string_view frame, std::string* out) override {
    if (drop) {
      out->clear();
      return true;
    }
    *out = std::string(frame) + name_;
    return true;
  }
  void OnLocalAnswer(const RequestHead&, LocalResponse* response) override {
    response->headers.emplace_back(name_, "local");
  }

 private:
  std::string name_;
  std::string* log_;
};

TEST(FilterChain, RequestBodyRunsInOrderAndARefusalIsAnAnswerForEveryFilter) {
  std::string log;
  auto a = std::make_shared<Step>("a", &log);
  auto b = std::make_shared<Step>("b", &log);
  auto c = std::make_shared<Step>("c", &log);
  a->body = b->body = c->body = true;
  FilterChain chain;
  chain.Add(a);
  chain.Add(b);
  chain.Add(c);
  std::string body = "x";
  LocalResponse reject;
  ASSERT_TRUE(chain.RunRequestBody(RequestHead{}, &body, &reject));
  EXPECT_EQ(body, "xabc");
  b->refuse = true;
  log.clear();
  EXPECT_FALSE(chain.RunRequestBody(RequestHead{}, &body, &reject));
  EXPECT_EQ(log, "a:body b:body ");  // c never ran
  EXPECT_EQ(reject.status, 404);
  EXPECT_EQ(reject.headers.size(), 3u);  // ...but every filter saw the answer
}

TEST(FilterChain, ResponseBodyFiltersSeeTheStatusTheOnesBeforeLeft) {
  std::string log;
  auto first = std::make_shared<Step>("1", &log);
  auto second = std::make_shared<Step>("2", &log);
  first->wants_status = 422;
  first->change_status_to = 400;
  second->wants_status = 400;
  FilterChain chain;
  chain.Add(first);
  chain.Add(second);
  EXPECT_TRUE(chain.WantsResponseBody(422));
  EXPECT_FALSE(chain.WantsResponseBody(200));
  int status = 422;
  std::string body;
  HeaderList headers;
  chain.RunResponseBody(RequestHead{}, &status, &headers, &body);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body, "12");
}

TEST(FilterChain, SseFramesChainAndADroppedFrameStops) {
  std::string log;
  auto a = std::make_shared<Step>("a", &log);
  auto b = std::make_shared<Step>("b", &log);
  auto quiet = std::make_shared<Step>("q", &log);  // does not rewrite frames
  a->frames = b->frames = true;
  FilterChain chain;
  chain.Add(a);
  chain.Add(quiet);
  chain.Add(b);
  std::string out;
  ASSERT_TRUE(chain.RunSseFrame("f", &out));
  EXPECT_EQ(out, "fab");
  a->drop = true;
  out.clear();
  ASSERT_TRUE(chain.RunSseFrame("f", &out));
  EXPECT_TRUE(out.empty());
  FilterChain none;
  EXPECT_FALSE(none.RewritesSseFrames());
  EXPECT_FALSE(none.RunSseFrame("f", &out));
}

TEST(FilterChain, HeadsInOrderAndEmptyChainsCostNothing) {
  std::string log;
  FilterChain chain;
  chain.Add(std::make_shared<Step>("a", &log));
  chain.Add(nullptr);  // ignored
  chain.Add(std::make_shared<Step>("b", &log));
  EXPECT_EQ(chain.size(), 2u);
  HeaderList headers;
  chain.RunResponseHead(RequestHead{}, 200, &headers);
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers[0].first, "a");
  EXPECT_EQ(headers[1].first, "b");
  FilterChain empty;
  EXPECT_FALSE(empty.NeedsRequestBody() || empty.EditsResponseHead() || empty.WantsResponseBody(500));
}

}  // namespace
}  // namespace shim
