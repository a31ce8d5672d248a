#include "frontdoor/request_path.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

TEST(RequestPathTest, NormalizePathDefeatsEncodingTricks) {
  EXPECT_EQ(NormalizePath("/flush%5Fcache"), "/flush_cache");
  EXPECT_EQ(NormalizePath("//flush_cache/"), "/flush_cache");
  EXPECT_EQ(NormalizePath("/"), "/");
  EXPECT_EQ(NormalizePath(""), "/");
  EXPECT_EQ(NormalizePath("/a%zz"), "/a%zz");
  EXPECT_EQ(NormalizePath("/a%2"), "/a%2");
}

TEST(RequestPathTest, NormalPathsAreRecognisedWithoutBuildingOne) {
  for (const char* path : {"/", "/v1/chat/completions", "/health"}) {
    EXPECT_TRUE(IsNormalPath(path)) << path;
    EXPECT_EQ(NormalizePath(path), path);
  }
  for (const char* path : {"", "//flush_cache", "/flush%5Fcache", "/v1/models/", "/a//b"}) {
    EXPECT_FALSE(IsNormalPath(path)) << path;
    std::string storage;
    EXPECT_EQ(NormalizedPath(path, &storage), NormalizePath(path)) << path;
  }
  std::string unused;
  std::string_view plain = "/v1/chat/completions";
  EXPECT_EQ(NormalizedPath(plain, &unused).data(), plain.data());  // no copy
  EXPECT_TRUE(unused.empty());
}

TEST(RequestPathTest, DotSegmentsAsSentOrEncoded) {
  for (const char* path : {"/..", "/.", "/v1/../flush_cache", "/./flush_cache", "/a/.", "/a/..", "..", ".",
                           "/v1/%2e%2e/flush_cache", "/%2E/x", "/a/.%2e/b", "/a/%2e./b", "/a/.%2F/b"}) {
    EXPECT_TRUE(HasDotSegment(path)) << path;
  }
  for (const char* path :
       {"/", "/v1/models", "/.well-known/x", "/a..b", "/a/...", "/a/.b/c", "/%2e%2e%2e", "/file.json", "/a%2"}) {
    EXPECT_FALSE(HasDotSegment(path)) << path;
  }
}

TEST(RequestPathTest, DecodesOnceAsUvicornDoes) {
  // A doubly encoded name stays encoded once: uvicorn decodes once and so does the engine.
  EXPECT_EQ(NormalizePath("/flush%255Fcache"), "/flush%5Fcache");
  EXPECT_EQ(NormalizePath("/hicache%2Fstorage-backend"), "/hicache/storage-backend");
}

}  // namespace
}  // namespace shim
