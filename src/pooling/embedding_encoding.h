// vLLM's encodings of an embedding (vLLM @9aaf83ef vllm/utils/serial_utils.py, used by
// pooling/embed/protocol.py): `encoding_format` "float" (a JSON list) or "base64" (the raw
// values of `embed_dtype` in `endianness` byte order, base64-encoded). The OpenAI SDKs ask
// for base64 float32 unless told otherwise; SGLang before 2026-07 answers floats whatever
// was asked, so the front door always asks SGLang for floats and encodes them itself.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace shim::pooling {

enum class EmbedDType { kFloat32, kFloat16, kBFloat16 };

struct EmbeddingEncoding {
  bool base64 = false;
  EmbedDType dtype = EmbedDType::kFloat32;
  bool big_endian = false;  // vLLM's "native" is the server's order: little-endian on x86 and Arm
};

// Reads encoding_format, embed_dtype and endianness from a request object. Returns false with
// *err (a client error) for a value vLLM refuses or the front door cannot produce.
bool ParseEmbeddingEncoding(const nlohmann::json& request, EmbeddingEncoding* out, std::string* err);

// RFC 4648 base64 with padding.
std::string Base64Encode(std::string_view bytes);

// The base64 text of `values` in `encoding`'s dtype and byte order (float16 and bfloat16
// rounded to nearest, ties to even, as torch does).
std::string EncodeEmbeddingBase64(const std::vector<float>& values, const EmbeddingEncoding& encoding);

// IEEE 754 binary16 and bfloat16 bits of a float, rounded to nearest even.
uint16_t FloatToHalfBits(float value);
uint16_t FloatToBFloat16Bits(float value);

}  // namespace shim::pooling
