#include "supervise/sglang_version_probe.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "supervise/engine_environment.h"

namespace shim {
namespace {

// A temporary directory with executable scripts standing in for Python interpreters.
class ProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/shim-probe-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string Script(const std::string& name, const std::string& body) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << body;
    ::chmod(path.c_str(), 0755);
    return path;
  }

  std::string dir_;
};

TEST_F(ProbeTest, LauncherPythonIsTheFirstWordWhenItIsAPython) {
  EXPECT_EQ(LauncherPython({"python3", "-m", "sglang.launch_server"}), "python3");
  EXPECT_EQ(LauncherPython({"/opt/venv/bin/python3.11", "-m", "sglang.launch_server"}), "/opt/venv/bin/python3.11");
  EXPECT_EQ(LauncherPython({"/usr/bin/fake-sglang"}), "");
  EXPECT_EQ(LauncherPython({}), "");
}

TEST_F(ProbeTest, LauncherPythonReadsTheSglangConsoleScript) {
  std::string venv = Script("sglang", "#!/opt/venv/bin/python3\nimport sys\n");
  EXPECT_EQ(LauncherPython({venv, "serve"}), "/opt/venv/bin/python3");
  std::string env = Script("sglang", "#!/usr/bin/env  python3.12\n");
  EXPECT_EQ(LauncherPython({env}), "python3.12");
  std::string shell = Script("sglang", "#!/bin/sh\n");
  EXPECT_EQ(LauncherPython({shell}), "");
}

TEST_F(ProbeTest, ReadsTheVersionThePythonPrints) {
  // Checks that it is asked through importlib.metadata, not by importing sglang.
  std::string python = Script(
      "python3",
      "#!/bin/sh\ncase \"$2\" in *importlib.metadata*\"version('sglang')\"*) echo 0.5.14 ;; *) exit 9 ;; esac\n");
  std::string version;
  std::string why;
  ASSERT_TRUE(ProbeSglangVersion(python, CurrentEnvironment(), std::chrono::seconds(5), &version, &why)) << why;
  EXPECT_EQ(version, "0.5.14");
}

TEST_F(ProbeTest, PassesTheEnvironment) {
  std::string python = Script("python3", "#!/bin/sh\necho \"$SHIM_PROBE_VERSION\"\n");
  std::string version;
  std::string why;
  ASSERT_TRUE(ProbeSglangVersion(python, {"SHIM_PROBE_VERSION=0.5.6.post2"}, std::chrono::seconds(5), &version, &why));
  EXPECT_EQ(version, "0.5.6.post2");
}

TEST_F(ProbeTest, NoPackageOrNoInterpreterSaysWhy) {
  std::string version;
  std::string why;
  std::string missing = Script("python3", "#!/bin/sh\necho 'PackageNotFoundError: sglang' >&2\nexit 1\n");
  EXPECT_FALSE(ProbeSglangVersion(missing, CurrentEnvironment(), std::chrono::seconds(5), &version, &why));
  EXPECT_NE(why.find("no installed sglang package"), std::string::npos) << why;
  EXPECT_FALSE(
      ProbeSglangVersion(dir_ + "/python-absent", CurrentEnvironment(), std::chrono::seconds(5), &version, &why));
  EXPECT_NE(why.find("could not be started"), std::string::npos) << why;
  std::string junk = Script("python3", "#!/bin/sh\necho 'Traceback (most recent call last):'\n");
  EXPECT_FALSE(ProbeSglangVersion(junk, CurrentEnvironment(), std::chrono::seconds(5), &version, &why));
  EXPECT_NE(why.find("not a version"), std::string::npos) << why;
}

TEST_F(ProbeTest, AHungInterpreterIsKilledAtTheTimeout) {
  std::string python = Script("python3", "#!/bin/sh\nexec sleep 30\n");
  std::string version;
  std::string why;
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(ProbeSglangVersion(python, CurrentEnvironment(), std::chrono::milliseconds(200), &version, &why));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_NE(why.find("no answer within 200 ms"), std::string::npos) << why;
}

}  // namespace
}  // namespace shim
