#include "fake_sglang/openai_response.h"

#include <atomic>
#include <chrono>
#include <cstdio>

namespace shim::fake_sglang {

using nlohmann::json;

namespace {

std::string Hex(uint64_t value, int digits) {
  static const char* hex = "0123456789abcdef";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    out[static_cast<size_t>(i)] = hex[value & 15];
    value >>= 4;
  }
  return out;
}

json TokenBytes(const std::string& token) {
  json bytes = json::array();
  for (unsigned char c : token) bytes.push_back(static_cast<int>(c));
  return bytes;
}

}  // namespace

ResponseIds NewResponseIds(bool chat) {
  static uint64_t counter = 0;
  ++counter;
  auto now = std::chrono::system_clock::now();
  uint64_t nanos =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count());
  ResponseIds ids;
  // SGLang uses uuid4().hex: 32 hex digits. Unique per process run via time + counter.
  ids.id = Hex(nanos, 16) + Hex(counter * 0x9e3779b97f4a7c15ULL, 16);
  ids.created =
      static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  (void)chat;
  return ids;
}

json Usage(long long prompt_tokens, long long completion_tokens, long long cached_tokens) {
  json usage{{"prompt_tokens", prompt_tokens},
             {"total_tokens", prompt_tokens + completion_tokens},
             {"completion_tokens", completion_tokens},
             {"prompt_tokens_details", nullptr}};
  if (cached_tokens > 0) usage["prompt_tokens_details"] = json{{"cached_tokens", cached_tokens}};
  return usage;
}

std::string ToolCallId(const ResponseIds& ids, int choice) {
  return "call_" + ids.id.substr(0, 22) + Hex(static_cast<uint64_t>(choice), 2);
}

json ChatLogprobs(const Generation& g, size_t from, size_t to, int top) {
  json content = json::array();
  for (size_t i = from; i < to && i < g.tokens.size(); ++i) {
    json tops = json::array();
    for (auto& [token, logprob] : TopLogprobs(g.tokens[i], i, top)) {
      tops.push_back({{"token", token}, {"bytes", TokenBytes(token)}, {"logprob", logprob}});
    }
    content.push_back({{"token", g.tokens[i]},
                       {"bytes", TokenBytes(g.tokens[i])},
                       {"logprob", TokenLogprob(i)},
                       {"top_logprobs", tops}});
  }
  return json{{"content", content}};
}

json CompletionLogprobs(const Generation& g, size_t from, size_t to, int top, size_t text_offset) {
  json tokens = json::array(), token_logprobs = json::array(), top_logprobs = json::array(), offsets = json::array();
  for (size_t i = from; i < to && i < g.tokens.size(); ++i) {
    tokens.push_back(g.tokens[i]);
    token_logprobs.push_back(TokenLogprob(i));
    json alternatives = json::object();
    for (auto& [token, logprob] : TopLogprobs(g.tokens[i], i, top)) alternatives[token] = logprob;
    top_logprobs.push_back(top > 0 ? alternatives : json(nullptr));
    offsets.push_back(text_offset);
    text_offset += g.tokens[i].size();
  }
  return json{
      {"text_offset", offsets}, {"token_logprobs", token_logprobs}, {"tokens", tokens}, {"top_logprobs", top_logprobs}};
}

void AppendJsonString(std::string* out, std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80) {
      // Rare: let nlohmann validate the UTF-8 and replace bad bytes.
      *out += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
      return;
    }
  }
  out->push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof(buffer), "\\u%04x", c);
          *out += buffer;
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

namespace {

void AppendHead(std::string* out, const OpenAiRequest& r, const ResponseIds& ids, const char* object) {
  *out += "{\"id\":";
  AppendJsonString(out, ids.id);
  *out += ",\"object\":\"";
  *out += object;
  *out += "\",\"created\":" + std::to_string(ids.created) + ",\"model\":";
  AppendJsonString(out, r.model);
  *out += ",\"choices\":[";
}

void AppendTail(std::string* out, const std::vector<Generation>& gens, long long prompt_tokens,
                long long cached_tokens) {
  long long completion_tokens = 0;
  for (const Generation& g : gens) completion_tokens += static_cast<long long>(g.tokens.size());
  *out += "],\"usage\":" + Usage(prompt_tokens, completion_tokens, cached_tokens).dump() +
          ",\"metadata\":{\"weight_version\":\"default\"}}";
}

void AppendFinish(std::string* out, const Generation& g, const char* finish_override) {
  *out += ",\"finish_reason\":";
  AppendJsonString(out, finish_override ? finish_override : g.finish_reason);
  *out += ",\"matched_stop\":";
  if (g.matched_stop)
    AppendJsonString(out, *g.matched_stop);
  else
    *out += "null";
  *out += "}";
}

}  // namespace

size_t ReasoningTokens(const Generation& g) { return g.tokens.size() / 2; }

std::string ChatCompletionBody(const OpenAiRequest& r, const ResponseIds& ids, const std::vector<Generation>& gens,
                               long long prompt_tokens, long long cached_tokens) {
  std::string out;
  out.reserve(512);
  AppendHead(&out, r, ids, "chat.completion");
  for (size_t i = 0; i < gens.size(); ++i) {
    const Generation& g = gens[i];
    if (i > 0) out += ",";
    out += "{\"index\":" + std::to_string(i) + ",\"message\":{\"role\":\"assistant\",\"content\":";
    if (r.use_tools) {
      json calls = json::array(
          {json{{"id", ToolCallId(ids, static_cast<int>(i))},
                {"index", 0},
                {"type", "function"},
                {"function", {{"name", r.tool_name}, {"arguments", ToolArguments(r.tool_parameters).dump()}}}}});
      out += "null,\"reasoning_content\":null,\"tool_calls\":" +
             calls.dump(-1, ' ', false, json::error_handler_t::replace) + "}";
    } else if (r.reasoning) {
      const size_t split = ReasoningTokens(g);
      std::string reasoning;
      std::string content;
      for (size_t t = 0; t < g.tokens.size(); ++t) (t < split ? reasoning : content) += g.tokens[t];
      AppendJsonString(&out, content);
      out += ",\"reasoning_content\":";
      AppendJsonString(&out, reasoning);
      out += ",\"tool_calls\":null}";
    } else {
      AppendJsonString(&out, g.Text());
      out += ",\"reasoning_content\":null,\"tool_calls\":null}";
    }
    out += ",\"logprobs\":";
    out +=
        r.logprobs
            ? ChatLogprobs(g, 0, g.tokens.size(), r.top_logprobs).dump(-1, ' ', false, json::error_handler_t::replace)
            : "null";
    AppendFinish(&out, g, r.use_tools ? "tool_calls" : nullptr);
  }
  AppendTail(&out, gens, prompt_tokens, cached_tokens);
  return out;
}

std::string CompletionBody(const OpenAiRequest& r, const ResponseIds& ids, const std::vector<Generation>& gens,
                           long long prompt_tokens, long long cached_tokens) {
  std::string out;
  out.reserve(512);
  AppendHead(&out, r, ids, "text_completion");
  for (size_t i = 0; i < gens.size(); ++i) {
    const Generation& g = gens[i];
    const std::string& prompt = r.prompts[i / static_cast<size_t>(r.n)];
    if (i > 0) out += ",";
    out += "{\"index\":" + std::to_string(i) + ",\"text\":";
    AppendJsonString(&out, (r.echo ? prompt : std::string()) + g.Text());
    out += ",\"logprobs\":";
    out += r.logprobs ? CompletionLogprobs(g, 0, g.tokens.size(), r.top_logprobs, r.echo ? prompt.size() : 0)
                            .dump(-1, ' ', false, json::error_handler_t::replace)
                      : "null";
    AppendFinish(&out, g, nullptr);
  }
  AppendTail(&out, gens, prompt_tokens, cached_tokens);
  return out;
}

json ChatChunk(const OpenAiRequest& r, const ResponseIds& ids, int index, json delta, const json& finish_reason,
               const json& logprobs) {
  return json{{"id", ids.id},
              {"object", "chat.completion.chunk"},
              {"created", ids.created},
              {"model", r.model},
              {"choices", json::array({json{{"index", index},
                                            {"delta", std::move(delta)},
                                            {"logprobs", logprobs},
                                            {"finish_reason", finish_reason},
                                            {"matched_stop", nullptr}}})},
              {"usage", nullptr}};
}

json CompletionChunk(const OpenAiRequest& r, const ResponseIds& ids, int index, const std::string& text,
                     const json& finish_reason, const json& logprobs) {
  return json{{"id", ids.id},
              {"object", "text_completion"},
              {"created", ids.created},
              {"model", r.model},
              {"choices", json::array({json{{"index", index},
                                            {"text", text},
                                            {"logprobs", logprobs},
                                            {"finish_reason", finish_reason},
                                            {"matched_stop", nullptr}}})},
              {"usage", nullptr}};
}

json UsageChunk(const OpenAiRequest& r, const ResponseIds& ids, const json& usage) {
  return json{{"id", ids.id},
              {"object", r.chat ? "chat.completion.chunk" : "text_completion"},
              {"created", ids.created},
              {"model", r.model},
              {"choices", json::array()},
              {"usage", usage}};
}

}  // namespace shim::fake_sglang
