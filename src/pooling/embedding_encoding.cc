#include "pooling/embedding_encoding.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace shim::pooling {
namespace {

bool StringMember(const nlohmann::json& request, const char* key, std::string* value, std::string* err) {
  auto it = request.find(key);
  if (it == request.end() || it->is_null()) return true;
  if (!it->is_string()) {
    *err = std::string("`") + key + "` must be a string";
    return false;
  }
  *value = it->get<std::string>();
  return true;
}

uint32_t FloatBits(float value) {
  uint32_t bits = 0;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

}  // namespace

bool ParseEmbeddingEncoding(const nlohmann::json& request, EmbeddingEncoding* out, std::string* err) {
  std::string format = "float";
  std::string dtype = "float32";
  std::string endianness = "native";
  if (!StringMember(request, "encoding_format", &format, err) || !StringMember(request, "embed_dtype", &dtype, err) ||
      !StringMember(request, "endianness", &endianness, err)) {
    return false;
  }
  EmbeddingEncoding e;
  if (format == "base64") {
    e.base64 = true;
  } else if (format == "bytes" || format == "bytes_only") {
    *err = "encoding_format '" + format + "' is not served by this engine; use 'float' or 'base64'";
    return false;
  } else if (format != "float") {
    *err = "encoding_format must be 'float' or 'base64', got '" + format + "'";
    return false;
  }
  if (dtype == "float16") {
    e.dtype = EmbedDType::kFloat16;
  } else if (dtype == "bfloat16") {
    e.dtype = EmbedDType::kBFloat16;
  } else if (dtype != "float32") {
    *err = "embed_dtype must be 'float32', 'float16' or 'bfloat16' on this engine, got '" + dtype + "'";
    return false;
  }
  if (endianness == "big") {
    e.big_endian = true;
  } else if (endianness != "native" && endianness != "little") {
    *err = "endianness must be 'native', 'little' or 'big', got '" + endianness + "'";
    return false;
  }
  *out = e;
  return true;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

uint16_t FloatToBFloat16Bits(float value) {
  uint32_t bits = FloatBits(value);
  if (std::isnan(value)) return static_cast<uint16_t>((bits >> 16) | 0x40);  // stays a quiet NaN
  uint32_t rounding = 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

uint16_t FloatToHalfBits(float value) {
  uint32_t bits = FloatBits(value);
  uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  uint32_t magnitude = bits & 0x7fffffff;
  if (magnitude >= 0x7f800000) {  // infinity or NaN
    return static_cast<uint16_t>(sign | 0x7c00 | (magnitude > 0x7f800000 ? 0x200 : 0));
  }
  if (magnitude >= 0x477ff000) return static_cast<uint16_t>(sign | 0x7c00);  // rounds past 65504
  if (magnitude < 0x38800000) {               // below the smallest normal half: subnormal or zero
    if (magnitude < 0x33000000) return sign;  // under half the smallest subnormal
    uint32_t mantissa = (magnitude & 0x7fffff) | 0x800000;
    int shift = 126 - static_cast<int>(magnitude >> 23);  // 14 .. 24
    uint32_t half = mantissa >> shift;
    uint32_t rest = mantissa & ((1u << shift) - 1);
    uint32_t midpoint = 1u << (shift - 1);
    if (rest > midpoint || (rest == midpoint && (half & 1))) ++half;
    return static_cast<uint16_t>(sign | half);
  }
  uint32_t rebased = magnitude - 0x38000000;  // exponent bias 127 → 15
  uint32_t half = rebased >> 13;
  uint32_t rest = rebased & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (half & 1))) ++half;  // may carry into the exponent: still right
  return static_cast<uint16_t>(sign | half);
}

std::string EncodeEmbeddingBase64(const std::vector<float>& values, const EmbeddingEncoding& encoding) {
  const size_t width = encoding.dtype == EmbedDType::kFloat32 ? 4 : 2;
  std::string raw(values.size() * width, '\0');
  for (size_t i = 0; i < values.size(); ++i) {
    uint32_t bits = 0;
    if (encoding.dtype == EmbedDType::kFloat32) {
      bits = FloatBits(values[i]);
    } else if (encoding.dtype == EmbedDType::kFloat16) {
      bits = FloatToHalfBits(values[i]);
    } else {
      bits = FloatToBFloat16Bits(values[i]);
    }
    for (size_t b = 0; b < width; ++b) {
      size_t shift = encoding.big_endian ? (width - 1 - b) * 8 : b * 8;
      raw[i * width + b] = static_cast<char>((bits >> shift) & 0xff);
    }
  }
  return Base64Encode(raw);
}

}  // namespace shim::pooling
