#include "rewrite/audio_parts.h"

#include <vector>

#include "rewrite/json_key_edit.h"
#include "rewrite/json_scanner.h"
#include "rewrite/json_splice.h"

namespace shim {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Calls fn(begin, end) for each element of the array whose '[' is at text[0] (valid JSON).
template <typename Fn>
void ForEachElement(std::string_view text, Fn&& fn) {
  if (text.empty() || text[0] != '[') return;
  size_t i = 1;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i >= text.size() || text[i] == ']') return;
    size_t end = SkipJsonValue(text, i);
    if (end <= i) return;  // never loop on malformed text
    if (!fn(i, end)) return;
    i = end;
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i < text.size() && text[i] == ',') ++i;
  }
}

// The index of the last member named `key`, or -1.
long LastMember(const JsonObjectScan& scan, std::string_view key) {
  long found = -1;
  for (size_t i = 0; i < scan.members.size(); ++i) {
    if (scan.members[i].key == key) found = static_cast<long>(i);
  }
  return found;
}

struct Edit {
  size_t begin;
  size_t end;
  std::string text;
};

std::string Where(size_t message, size_t part) {
  return "messages[" + std::to_string(message) + "].content[" + std::to_string(part) + "]";
}

// One input_audio part (`part` is its object text): its SGLang form in *out, or false with *error.
bool RewritePart(std::string_view part, const JsonObjectScan& scan, size_t type_index, const std::string& where,
                 std::string* out, std::string* error) {
  long audio = LastMember(scan, "input_audio");
  if (audio < 0 || scan.members[audio].kind != JsonKind::kObject) {
    *error = where + ": an input_audio part needs an 'input_audio' object with 'data' and 'format'.";
    return false;
  }
  std::string_view audio_text = scan.members[audio].Value(part);
  JsonObjectScan audio_scan;
  std::string scan_error;
  if (!ScanTopLevelObject(audio_text, &audio_scan, &scan_error)) {
    *error = where + ": 'input_audio' is not a valid object.";
    return false;
  }
  long data = LastMember(audio_scan, "data");
  if (data < 0 || audio_scan.members[data].kind != JsonKind::kString) {
    *error = where + ": 'input_audio.data' must be a string of base64-encoded audio.";
    return false;
  }
  long format = LastMember(audio_scan, "format");
  std::string format_name;
  if (format < 0 || audio_scan.members[format].kind != JsonKind::kString ||
      !DecodeJsonString(audio_scan.members[format].Value(audio_text), &format_name) ||
      AudioMediaType(format_name).empty()) {
    *error = where + ": 'input_audio.format' must be 'wav' or 'mp3'.";
    return false;
  }
  std::string_view literal = audio_scan.members[data].Value(audio_text);  // with its quotes
  std::string url = "\"audio_url\":{\"url\":\"data:";
  url.append(AudioMediaType(format_name)).append(";base64,");
  url.append(literal.substr(1, literal.size() - 2)).append("\"}");

  ObjectSplicer splicer(part, scan);
  for (size_t i = 0; i < scan.members.size(); ++i) {
    const JsonMember& m = scan.members[i];
    if (i == type_index) {
      std::string type(part.substr(m.key_begin, m.value_begin - m.key_begin));
      splicer.Replace(i, type.append("\"audio_url\""));
    } else if (static_cast<long>(i) == audio) {
      splicer.Replace(i, url);
    } else if (m.key == "type" || m.key == "input_audio" || m.key == "audio_url") {
      splicer.Remove(i);
    }
  }
  *out = splicer.Build();
  return true;
}

}  // namespace

std::string_view AudioMediaType(std::string_view format) {
  // vLLM's part type allows these two (openai InputAudio.format); SGLang's loader reads the
  // bytes whatever the media type says, so it is there for the reader.
  if (format == "wav") return "audio/wav";
  if (format == "mp3") return "audio/mpeg";
  return {};
}

AudioPartsRewrite RewriteInputAudioParts(std::string_view messages) {
  AudioPartsRewrite result;
  if (!ContainsBytes(messages, "input_audio")) return result;
  std::vector<Edit> edits;
  size_t message_index = 0;
  ForEachElement(messages, [&](size_t m_begin, size_t m_end) {
    const size_t this_message = message_index++;
    std::string_view message = messages.substr(m_begin, m_end - m_begin);
    if (message[0] != '{' || !ContainsBytes(message, "input_audio")) return true;
    JsonObjectScan message_scan;
    std::string scan_error;
    if (!ScanTopLevelObject(message, &message_scan, &scan_error)) return true;
    long content = LastMember(message_scan, "content");
    if (content < 0 || message_scan.members[content].kind != JsonKind::kArray) return true;
    const size_t content_begin = m_begin + message_scan.members[content].value_begin;
    std::string_view parts = message_scan.members[content].Value(message);
    size_t part_index = 0;
    ForEachElement(parts, [&](size_t p_begin, size_t p_end) {
      const size_t this_part = part_index++;
      std::string_view part = parts.substr(p_begin, p_end - p_begin);
      if (part[0] != '{' || !ContainsBytes(part, "input_audio")) return true;
      JsonObjectScan part_scan;
      if (!ScanTopLevelObject(part, &part_scan, &scan_error)) return true;
      long type = LastMember(part_scan, "type");
      std::string type_name;
      if (type < 0 || part_scan.members[type].kind != JsonKind::kString ||
          !DecodeJsonString(part_scan.members[type].Value(part), &type_name) || type_name != "input_audio") {
        return true;
      }
      std::string rewritten;
      if (!RewritePart(part, part_scan, static_cast<size_t>(type), Where(this_message, this_part), &rewritten,
                       &result.message)) {
        result.outcome = AudioPartsRewrite::kInvalid;
        return false;
      }
      edits.push_back({content_begin + p_begin, content_begin + p_end, std::move(rewritten)});
      ++result.parts;
      return true;
    });
    return result.outcome != AudioPartsRewrite::kInvalid;
  });
  if (result.outcome == AudioPartsRewrite::kInvalid || edits.empty()) return result;
  size_t size = messages.size();
  for (const Edit& e : edits) size += e.text.size();
  result.messages.reserve(size);
  size_t copied = 0;
  for (const Edit& e : edits) {
    result.messages.append(messages.substr(copied, e.begin - copied));
    result.messages.append(e.text);
    copied = e.end;
  }
  result.messages.append(messages.substr(copied));
  result.outcome = AudioPartsRewrite::kRewritten;
  return result;
}

}  // namespace shim
