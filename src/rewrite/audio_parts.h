// OpenAI's `input_audio` chat content parts in the form SGLang takes.
//
// vLLM accepts {"type":"input_audio","input_audio":{"data":"<base64>","format":"wav"|"mp3"}}
// in messages[].content[] (vLLM @9aaf83ef vllm/entrypoints/chat_utils.py: the part type is
// openai's ChatCompletionContentPartInputAudioParam, whose InputAudio.format is
// Literal["wav", "mp3"]; parse_input_audio turns it into a data: URL). SGLang releases before
// 2026-08 (every release data/reference/sglang-flags-by-version.json records) know only their
// own audio part, {"type":"audio_url","audio_url":{"url":"data:audio/wav;base64,<data>"}}
// (SGLang python/sglang/srt/entrypoints/openai/protocol.py ChatCompletionMessageContentAudioPart),
// and refuse input_audio with a validation 400. docs/rewriting.md, "Audio content parts".
//
// Each such part is edited in place: its "type" becomes "audio_url" and its "input_audio"
// member becomes "audio_url":{"url":"data:<media type>;base64,<data>"}, where <data> is the
// original string's bytes (escapes included), so a megabyte of base64 is copied once and never
// decoded. Every other byte of the messages, other members of the part included, is unchanged.
#pragma once
#include <string>
#include <string_view>

namespace shim {

struct AudioPartsRewrite {
  enum Outcome {
    kNone,       // no input_audio part: forward the messages as they are
    kRewritten,  // `messages` holds the new value of the request's "messages" member
    kInvalid,    // a part vLLM would refuse: answer 400 with `message`
  };
  Outcome outcome = kNone;
  std::string messages;
  std::string message;
  int parts = 0;  // input_audio parts rewritten
};

// The media type of a data: URL for an input_audio format, or empty for a format vLLM refuses.
std::string_view AudioMediaType(std::string_view format);

// `messages` is the JSON text of the request's "messages" value, already validated (the
// request scanner validated the whole body). Text without the bytes "input_audio" costs one
// memmem. Duplicate keys follow Python's json: the last "content", "type", "input_audio",
// "data" and "format" count; the other occurrences of the part's "type", "input_audio" and
// "audio_url" are removed.
AudioPartsRewrite RewriteInputAudioParts(std::string_view messages);

}  // namespace shim
