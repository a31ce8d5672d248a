#include "fake_sglang/audio_content.h"

namespace shim::fake_sglang {
namespace {

using nlohmann::json;

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string Loc(size_t message, size_t index, const char* member, const char* field) {
  return "('body', 'messages', " + std::to_string(message) + ", 'ChatCompletionMessageUserParam', 'content', " +
         "'list[union[...]]', " + std::to_string(index) + ", '" + member + "', '" + field + "')";
}

}  // namespace

bool DecodeBase64Strict(std::string_view in, std::string* out) {
  if (in.size() % 4 != 0) return false;
  out->clear();
  out->reserve(in.size() / 4 * 3);
  for (size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = in[i + k];
      if (c == '=' && i + 4 == in.size() && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return false;  // data after padding
      v[k] = Base64Value(c);
      if (v[k] < 0) return false;
    }
    uint32_t triple = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                      (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    out->push_back(static_cast<char>((triple >> 16) & 0xff));
    if (pad < 2) out->push_back(static_cast<char>((triple >> 8) & 0xff));
    if (pad < 1) out->push_back(static_cast<char>(triple & 0xff));
  }
  return true;
}

bool CheckAudioPart(const json& part, size_t message, size_t index, std::vector<FieldError>* errors,
                    std::string* load_error, int* audio_items) {
  auto type = part.find("type");
  if (type == part.end() || !type->is_string()) return false;
  if (*type == "input_audio") {
    // No member of SGLang's content-part union takes it: pydantic lists each member's complaint.
    errors->push_back({"literal_error", Loc(message, index, "ChatCompletionMessageContentTextPart", "type"),
                       "Input should be 'text'"});
    errors->push_back({"literal_error", Loc(message, index, "ChatCompletionMessageContentImagePart", "type"),
                       "Input should be 'image_url'"});
    errors->push_back({"literal_error", Loc(message, index, "ChatCompletionMessageContentAudioPart", "type"),
                       "Input should be 'audio_url'"});
    errors->push_back(
        {"missing", Loc(message, index, "ChatCompletionMessageContentAudioPart", "audio_url"), "Field required"});
    return true;
  }
  if (*type != "audio_url") return false;
  auto audio = part.find("audio_url");
  if (audio == part.end() || !audio->is_object() || !audio->contains("url") || !(*audio)["url"].is_string()) {
    errors->push_back(
        {"missing", Loc(message, index, "ChatCompletionMessageContentAudioPart", "audio_url"), "Field required"});
    return true;
  }
  const std::string url = (*audio)["url"].get<std::string>();
  if (url.rfind("data:", 0) != 0) {
    ++*audio_items;  // http(s) and file URLs: the stand-in fetches nothing
    return true;
  }
  size_t comma = url.find(',');
  std::string media = url.substr(5, comma == std::string::npos ? std::string::npos : comma - 5);
  std::string bytes;
  if (comma == std::string::npos || !DecodeBase64Strict(std::string_view(url).substr(comma + 1), &bytes) ||
      bytes.empty()) {
    *load_error = "Invalid audio data URL: the data is not valid base64 (messages[" + std::to_string(message) +
                  "].content[" + std::to_string(index) + "])";
  } else if (media.rfind("audio/", 0) != 0) {
    *load_error = "Invalid audio data URL: media type '" + media.substr(0, media.find(';')) + "' is not audio/*";
  } else {
    ++*audio_items;
  }
  return true;
}

}  // namespace shim::fake_sglang
