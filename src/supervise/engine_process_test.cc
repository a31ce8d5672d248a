#include "supervise/engine_process.h"

#include <unistd.h>

#include <csignal>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "supervise/engine_environment.h"

namespace shim {
namespace {

int WaitFor(EngineProcess& p) {
  int code = -1;
  for (int i = 0; i < 500 && !p.Reap(&code); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return code;
}

TEST(EngineProcess, ReportsExitStatus) {
  EngineProcess p;
  std::string err;
  ASSERT_TRUE(p.Start({"sh", "-c", "exit 7"}, CurrentEnvironment(), &err)) << err;
  EXPECT_EQ(WaitFor(p), 7);
  EXPECT_FALSE(p.running());
}

TEST(EngineProcess, SignalReachesTheWholeGroup) {
  EngineProcess p;
  std::string err;
  // The child starts a grandchild and waits: both are in the new group.
  ASSERT_TRUE(p.Start({"sh", "-c", "sleep 30 & wait"}, CurrentEnvironment(), &err)) << err;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(::getpgid(p.pid()), p.pid());
  p.SignalGroup(SIGTERM);
  EXPECT_EQ(WaitFor(p), 128 + SIGTERM);
}

TEST(EngineProcess, ChildLeadsItsOwnSession) {
  // Under autogroup the kernel shares CPU per session: SGLang's must not be the shim's.
  EngineProcess p;
  std::string err;
  ASSERT_TRUE(p.Start({"sleep", "30"}, CurrentEnvironment(), &err)) << err;
  EXPECT_EQ(::getsid(p.pid()), p.pid());
  EXPECT_NE(::getsid(p.pid()), ::getsid(0));
  p.SignalGroup(SIGTERM);
  EXPECT_EQ(WaitFor(p), 128 + SIGTERM);
}

TEST(EngineProcess, MissingLauncherIsAOneLineError) {
  EngineProcess p;
  std::string err;
  EXPECT_FALSE(p.Start({"/nonexistent/sglang-launcher"}, CurrentEnvironment(), &err));
  EXPECT_NE(err.find("cannot start SGLang launcher '/nonexistent/sglang-launcher'"), std::string::npos) << err;
  EXPECT_EQ(err.find('\n'), std::string::npos);
}

TEST(EngineProcess, ChildGetsDefaultSignalDispositions) {
  // The shim ignores SIGPIPE for itself; SGLang must not inherit that.
  std::signal(SIGPIPE, SIG_IGN);
  EngineProcess p;
  std::string err;
  ASSERT_TRUE(p.Start({"sh", "-c", "kill -PIPE $$; sleep 5"}, CurrentEnvironment(), &err)) << err;
  EXPECT_EQ(WaitFor(p), 128 + SIGPIPE);
  std::signal(SIGPIPE, SIG_DFL);
}

TEST(ExitCode, ShellConvention) {
  EXPECT_EQ(ExitCodeFromWaitStatus(0), 0);
  EXPECT_EQ(ExitCodeFromWaitStatus(3 << 8), 3);
  EXPECT_EQ(ExitCodeFromWaitStatus(SIGKILL), 128 + SIGKILL);
}

}  // namespace
}  // namespace shim
