#include "endpoints/model_selection.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "rewrite/json_scanner.h"

namespace shim::endpoints {
namespace {

std::string JsonString(std::string_view value) {
  return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const JsonMember* FindLast(const JsonObjectScan& scan, std::string_view key) {
  const JsonMember* found = nullptr;
  for (const auto& m : scan.members) {
    if (m.key == key) found = &m;  // Python's json keeps the last duplicate
  }
  return found;
}

struct Edit {
  size_t begin;
  size_t end;
  std::string text;
};

// Applies non-overlapping edits given in ascending order.
std::string ApplyEdits(std::string_view text, const std::vector<Edit>& edits) {
  std::string out;
  out.reserve(text.size() + 64);
  size_t pos = 0;
  for (const auto& e : edits) {
    out.append(text.substr(pos, e.begin - pos));
    out.append(e.text);
    pos = e.end;
  }
  out.append(text.substr(pos));
  return out;
}

bool SetModelValue(std::string* body, const std::string& name) {
  JsonObjectScan scan;
  std::string err;
  if (!ScanTopLevelObject(*body, &scan, &err)) return false;
  const JsonMember* model = FindLast(scan, "model");
  if (model == nullptr || model->kind != JsonKind::kString) return false;
  *body = ApplyEdits(*body, {{model->value_begin, model->value_end, JsonString(name)}});
  return true;
}

}  // namespace

bool SelectModel(const ModelRegistry& registry, std::string* body, const JsonObjectScan* known_scan,
                 ModelSelection* out, EndpointReply* reject) {
  JsonObjectScan own_scan;
  std::string err;
  if (known_scan == nullptr && !ScanTopLevelObject(*body, &own_scan, &err)) return true;  // SGLang reports it
  const JsonObjectScan& scan = known_scan != nullptr ? *known_scan : own_scan;
  const JsonMember* model = FindLast(scan, "model");
  // A view of the body's bytes unless the name has escapes to resolve; *body
  // is not changed while it is in use.
  std::string decoded;
  std::string_view requested;
  if (model != nullptr && model->kind != JsonKind::kNull) {
    if (model->kind != JsonKind::kString) return true;  // SGLang's validation answers
    std::string_view literal = model->Value(*body);
    if (literal.size() >= 2 && literal.find('\\') == std::string_view::npos) {
      requested = literal.substr(1, literal.size() - 2);
    } else {
      if (!DecodeJsonString(literal, &decoded)) return true;
      requested = decoded;
    }
  }

  ModelSelection selection;
  if (requested.empty()) {
    selection.answer_model = registry.primary_name();
  } else if (registry.IsServedName(requested)) {
    selection.answer_model = requested;
  } else if (auto adapter = registry.FindAdapter(requested)) {
    selection.adapter = true;
    selection.answer_model = adapter->name;
  } else {
    *reject = VllmError(404, "The model `" + std::string(requested) + "` does not exist.", "NotFoundError", "model");
    return false;
  }
  selection.rename_answer = selection.answer_model.find(':') != std::string::npos;
  std::string_view sent_model = selection.rename_answer ? kNeutralModelName : std::string_view(selection.answer_model);

  // Nothing to change (one `model`, already the name to send, no lora_path,
  // base model): forward the client's bytes untouched.
  size_t model_members = 0;
  bool has_lora_path = false;
  for (const auto& m : scan.members) {
    model_members += m.key == "model" ? 1 : 0;
    has_lora_path = has_lora_path || m.key == "lora_path";
  }
  if (!selection.adapter && !has_lora_path && model_members == 1 && requested == sent_model) {
    *out = std::move(selection);
    return true;
  }

  // Rebuild the root object: our members first, then every other member's
  // bytes unchanged (only the whitespace between members is lost).
  std::string edited;
  edited.reserve(body->size() + 64);
  edited.append(*body, 0, scan.open + 1);
  edited += "\"model\":" + JsonString(sent_model);
  if (selection.adapter) edited += ",\"lora_path\":" + JsonString(selection.answer_model);
  for (const auto& m : scan.members) {
    if (m.key == "model" || m.key == "lora_path") continue;
    edited += ',';
    edited.append(*body, m.key_begin, m.value_end - m.key_begin);
  }
  edited.append(*body, scan.close, std::string::npos);
  // Guard: the splice must still be one valid object; otherwise leave the body alone.
  JsonObjectScan check;
  if (!ScanTopLevelObject(edited, &check, &err)) return true;
  *body = std::move(edited);
  selection.body_edited = true;
  *out = std::move(selection);
  return true;
}

void RenameModelInJson(std::string* body, const std::string& name) { SetModelValue(body, name); }

void RenameModelInSseFrame(std::string* frame, const std::string& name) {
  size_t data = frame->find("data:");
  if (data == std::string::npos) return;
  size_t begin = data + 5;
  if (begin < frame->size() && (*frame)[begin] == ' ') ++begin;
  size_t end = frame->find('\n', begin);
  if (end == std::string::npos) end = frame->size();
  if (end > begin && (*frame)[end - 1] == '\r') --end;
  std::string payload = frame->substr(begin, end - begin);
  if (payload.empty() || payload[0] != '{') return;
  if (!SetModelValue(&payload, name)) return;
  frame->replace(begin, end - begin, payload);
}

}  // namespace shim::endpoints
