#include "fake_sglang/multipart.h"

#include <gtest/gtest.h>

namespace shim::fake_sglang {
namespace {

TEST(MultipartTest, Boundary) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data;boundary=\"a b\""), "a b");
  EXPECT_EQ(MultipartBoundary("application/json"), "");
  EXPECT_EQ(MultipartBoundary("multipart/form-data"), "");
}

TEST(MultipartTest, FieldsAndFile) {
  std::string body =
      "preamble\r\n--XY\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm1\r\n"
      "--XY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
      "RIFF\r\n--X-bin\r\n--XY\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm2\r\n--XY--\r\n";
  std::vector<FormPart> parts;
  std::string error;
  ASSERT_TRUE(ParseMultipart(body, "XY", &parts, &error)) << error;
  ASSERT_EQ(parts.size(), 3u);
  const FormPart* file = FindFormPart(parts, "file");
  ASSERT_NE(file, nullptr);
  EXPECT_TRUE(file->is_file);
  EXPECT_EQ(file->filename, "a.wav");
  EXPECT_EQ(file->content_type, "audio/wav");
  EXPECT_EQ(file->data.substr(0, 6), "RIFF\r\n");
  EXPECT_EQ(FindFormPart(parts, "model")->data, "m2");
  EXPECT_FALSE(FindFormPart(parts, "model")->is_file);
  EXPECT_EQ(FindFormPart(parts, "language"), nullptr);
}

TEST(MultipartTest, MalformedBodiesAreRefused) {
  std::vector<FormPart> parts;
  std::string error;
  EXPECT_FALSE(ParseMultipart("no boundary here", "XY", &parts, &error));
  EXPECT_FALSE(ParseMultipart("--XY\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue", "XY", &parts, &error));
  EXPECT_FALSE(ParseMultipart("--XY\r\nContent-Disposition: form-data", "XY", &parts, &error));
  EXPECT_FALSE(ParseMultipart("--XYjunk", "XY", &parts, &error));
  EXPECT_FALSE(ParseMultipart("", "", &parts, &error));
  EXPECT_TRUE(ParseMultipart("--XY--", "XY", &parts, &error));
}

}  // namespace
}  // namespace shim::fake_sglang
