#include "supervise/engine_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <string>
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

TEST(EngineProcess, DiesWithTheShim) {
  // A stand-in for the shim (a forked copy of this test) starts the engine and
  // is then SIGKILLed: the engine must not outlive it.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t shim = ::fork();
  ASSERT_GE(shim, 0);
  if (shim == 0) {
    EngineProcess p;
    std::string err;
    pid_t engine = p.Start({"sleep", "60"}, CurrentEnvironment(), &err) ? p.pid() : -1;
    ssize_t ignored = ::write(pipe_fds[1], &engine, sizeof engine);
    (void)ignored;
    ::pause();
    ::_exit(0);
  }
  pid_t engine = -1;
  ASSERT_EQ(::read(pipe_fds[0], &engine, sizeof engine), static_cast<ssize_t>(sizeof engine));
  ASSERT_GT(engine, 0);
  ::kill(shim, SIGKILL);
  ::waitpid(shim, nullptr, 0);
  // The engine was the forked shim's child; it is reparented and killed. Poll
  // until the pid no longer names a live process (a zombie counts as dead).
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    std::ifstream stat("/proc/" + std::to_string(engine) + "/stat");
    std::string line;
    std::getline(stat, line);
    size_t close_paren = line.rfind(')');
    gone = !stat || close_paren == std::string::npos || line.substr(close_paren + 2, 1) == "Z";
    if (!gone) ::usleep(10000);
  }
  EXPECT_TRUE(gone) << "the engine outlived the shim";
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

TEST(ExitCode, ShellConvention) {
  EXPECT_EQ(ExitCodeFromWaitStatus(0), 0);
  EXPECT_EQ(ExitCodeFromWaitStatus(3 << 8), 3);
  EXPECT_EQ(ExitCodeFromWaitStatus(SIGKILL), 128 + SIGKILL);
}

}  // namespace
}  // namespace shim
