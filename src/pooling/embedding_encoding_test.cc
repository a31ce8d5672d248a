#include "pooling/embedding_encoding.h"

#include <gtest/gtest.h>

namespace shim::pooling {
namespace {

TEST(EmbeddingEncodingTest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

// The bytes numpy writes for np.array([1.0, -2.5], dtype="<f4").tobytes(): what the OpenAI
// SDKs decode as Float32Array.
TEST(EmbeddingEncodingTest, Float32LittleEndianByDefault) {
  EmbeddingEncoding e;
  e.base64 = true;
  EXPECT_EQ(EncodeEmbeddingBase64({1.0f, -2.5f}, e), Base64Encode(std::string("\x00\x00\x80\x3f\x00\x00\x20\xc0", 8)));
  e.big_endian = true;
  EXPECT_EQ(EncodeEmbeddingBase64({1.0f}, e), Base64Encode(std::string("\x3f\x80\x00\x00", 4)));
}

TEST(EmbeddingEncodingTest, HalfPrecisionRoundsToNearestEven) {
  EXPECT_EQ(FloatToHalfBits(1.0f), 0x3c00);
  EXPECT_EQ(FloatToHalfBits(-2.0f), 0xc000);
  EXPECT_EQ(FloatToHalfBits(65504.0f), 0x7bff);
  EXPECT_EQ(FloatToHalfBits(65520.0f), 0x7c00);                 // the tie above the largest half rounds to infinity
  EXPECT_EQ(FloatToHalfBits(1.0f + 1.0f / 2048), 0x3c00);       // halfway, even below
  EXPECT_EQ(FloatToHalfBits(1.0f + 3.0f / 2048), 0x3c02);       // halfway, even above
  EXPECT_EQ(FloatToHalfBits(5.960464477539063e-08f), 0x0001);   // the smallest subnormal
  EXPECT_EQ(FloatToHalfBits(2.9802322387695312e-08f), 0x0000);  // half of it: ties to even zero
  EXPECT_EQ(FloatToHalfBits(6.103515625e-05f), 0x0400);         // the smallest normal
  EXPECT_EQ(FloatToHalfBits(0.0f), 0x0000);
  EXPECT_EQ(FloatToHalfBits(-0.0f), 0x8000);
}

TEST(EmbeddingEncodingTest, BFloat16RoundsToNearestEven) {
  EXPECT_EQ(FloatToBFloat16Bits(1.0f), 0x3f80);
  EXPECT_EQ(FloatToBFloat16Bits(-2.5f), 0xc020);
  EXPECT_EQ(FloatToBFloat16Bits(1.0f + 1.0f / 256), 0x3f80);  // halfway, even below
  EXPECT_EQ(FloatToBFloat16Bits(1.0f + 3.0f / 256), 0x3f82);  // halfway, even above
}

TEST(EmbeddingEncodingTest, ReadsVllmFieldsAndRefusesWhatCannotBeServed) {
  EmbeddingEncoding e;
  std::string err;
  ASSERT_TRUE(ParseEmbeddingEncoding(nlohmann::json::object(), &e, &err));
  EXPECT_FALSE(e.base64);
  ASSERT_TRUE(ParseEmbeddingEncoding(
      {{"encoding_format", "base64"}, {"embed_dtype", "bfloat16"}, {"endianness", "big"}}, &e, &err));
  EXPECT_TRUE(e.base64);
  EXPECT_EQ(e.dtype, EmbedDType::kBFloat16);
  EXPECT_TRUE(e.big_endian);
  ASSERT_TRUE(ParseEmbeddingEncoding({{"encoding_format", nullptr}}, &e, &err));
  EXPECT_FALSE(e.base64);
  EXPECT_FALSE(ParseEmbeddingEncoding({{"encoding_format", "bytes"}}, &e, &err));
  EXPECT_NE(err.find("bytes"), std::string::npos);
  EXPECT_FALSE(ParseEmbeddingEncoding({{"encoding_format", "hex"}}, &e, &err));
  EXPECT_FALSE(ParseEmbeddingEncoding({{"encoding_format", 3}}, &e, &err));
  EXPECT_FALSE(ParseEmbeddingEncoding({{"embed_dtype", "fp8_e4m3"}}, &e, &err));
  EXPECT_FALSE(ParseEmbeddingEncoding({{"endianness", "middle"}}, &e, &err));
}

}  // namespace
}  // namespace shim::pooling
