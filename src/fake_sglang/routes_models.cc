// /v1/models, runtime LoRA loading and the tokenizer routes
// (python/sglang/srt/entrypoints/http_server.py, openai/serving_tokenize.py).
#include "common/strings.h"
#include "fake_sglang/generator.h"
#include "fake_sglang/openai_request.h"
#include "fake_sglang/routes.h"

namespace shim::fake_sglang {

using nlohmann::json;

namespace {

json ModelCard(const std::string& id, const std::string& root, const json& parent, long long max_model_len) {
  return json{{"id", id},     {"object", "model"}, {"created", 1700000000},         {"owned_by", "sglang"},
              {"root", root}, {"parent", parent},  {"max_model_len", max_model_len}};
}

json AllCards(EngineState& state) {
  const ServeConfig& c = state.config();
  json data = json::array({ModelCard(c.served_model_name, c.served_model_name, nullptr, c.context_length)});
  if (c.enable_lora) {
    for (const auto& [name, adapter] : state.loras().adapters()) {
      data.push_back(ModelCard(name, adapter.path, c.served_model_name, c.context_length));
    }
  }
  return data;
}

json LoadedAdapters(EngineState& state) {
  json out = json::object();
  for (const auto& [name, adapter] : state.loras().adapters()) out[name] = adapter.path;
  return out;
}

std::optional<json> JsonBody(Exchange& ex) {
  json body = json::parse(ex.request().body(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) return std::nullopt;
  return body;
}

std::string StringField(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

net::awaitable<void> HandleModels(EngineState& state, Exchange& ex) {
  json cards = AllCards(state);
  std::string_view path = ex.path();
  if (path == "/v1/models" || path == "/v1/models/") {
    {
      // GCC 12 cannot keep braced json temporaries inside a co_await expression.
      const json reply = json{{"object", "list"}, {"data", cards}};
      co_await ex.SendJson(http::status::ok, reply);
    }
    co_return;
  }
  std::string wanted(path.substr(std::string_view("/v1/models/").size()));
  for (const json& card : cards) {
    if (card["id"] == wanted) {
      co_await ex.SendJson(http::status::ok, card);
      co_return;
    }
  }
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply = json{{"error",
                             {{"message", "The model '" + wanted + "' does not exist"},
                              {"type", "invalid_request_error"},
                              {"param", "model"},
                              {"code", "model_not_found"}}}};
    co_await ex.SendJson(http::status::not_found, reply);
  }
}

net::awaitable<void> HandleLoadLora(EngineState& state, Exchange& ex) {
  // Body {"lora_name","lora_path","pinned"}; answer {success, error_message, loaded_adapters}, 400 on failure.
  auto body = JsonBody(ex);
  std::string error;
  bool ok = false;
  if (!state.config().enable_lora) {
    error = "LoRA is not enabled. Please set --enable-lora to load LoRA adapters.";
  } else if (!body) {
    error = "Request body must be a JSON object with lora_name and lora_path.";
  } else {
    LoraAdapter adapter;
    adapter.name = StringField(*body, "lora_name");
    adapter.path = StringField(*body, "lora_path");
    adapter.pinned = body->contains("pinned") && (*body)["pinned"].is_boolean() && (*body)["pinned"].get<bool>();
    ok = state.loras().Load(adapter, &error);
    if (ok) SglangLog("Loaded LoRA adapter " + adapter.name + " from " + adapter.path);
  }
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply = json{{"success", ok},
                            {"error_message", ok ? json(nullptr) : json(error)},
                            {"loaded_adapters", LoadedAdapters(state)}};
    co_await ex.SendJson(ok ? http::status::ok : http::status::bad_request, reply);
  }
}

net::awaitable<void> HandleUnloadLora(EngineState& state, Exchange& ex) {
  auto body = JsonBody(ex);
  std::string error;
  bool ok = false;
  if (!state.config().enable_lora) {
    error = "LoRA is not enabled. Please set --enable-lora to unload LoRA adapters.";
  } else if (!body) {
    error = "Request body must be a JSON object with lora_name.";
  } else {
    std::string name = StringField(*body, "lora_name");
    ok = state.loras().Unload(name, &error);
    if (ok) SglangLog("Unloaded LoRA adapter " + name);
  }
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply = json{{"success", ok},
                            {"error_message", ok ? json(nullptr) : json(error)},
                            {"loaded_adapters", LoadedAdapters(state)}};
    co_await ex.SendJson(ok ? http::status::ok : http::status::bad_request, reply);
  }
}

net::awaitable<void> HandleTokenize(EngineState& state, Exchange& ex) {
  // {model, prompt} → {tokens, count, max_model_len} (serving_tokenize.py).
  auto body = JsonBody(ex);
  std::string text;
  if (body) {
    auto prompt = body->find("prompt");
    if (prompt != body->end() && prompt->is_string()) {
      text = prompt->get<std::string>();
    } else if (prompt != body->end() && prompt->is_array()) {
      for (const json& item : *prompt) {
        if (item.is_string()) text += (text.empty() ? "" : " ") + item.get<std::string>();
      }
    } else if (auto messages = body->find("messages"); messages != body->end() && messages->is_array()) {
      for (const json& m : *messages) {
        if (m.is_object() && m.contains("content") && m["content"].is_string()) {
          text += (text.empty() ? "" : " ") + m["content"].get<std::string>();
        }
      }
    } else {
      body.reset();
    }
  }
  if (!body) {
    {
      // GCC 12 cannot keep braced json temporaries inside a co_await expression.
      const json reply =
          SglangErrorBody(400, "Request must carry a prompt (string or list) or messages.", "BadRequestError");
      co_await ex.SendJson(http::status::bad_request, reply);
    }
    co_return;
  }
  std::vector<int64_t> ids = TokenizeIds(text);
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply = json{{"tokens", ids}, {"count", ids.size()}, {"max_model_len", state.config().context_length}};
    co_await ex.SendJson(http::status::ok, reply);
  }
}

net::awaitable<void> HandleDetokenize(EngineState&, Exchange& ex) {
  auto body = JsonBody(ex);
  std::vector<int64_t> ids;
  bool ok = body && body->contains("tokens") && (*body)["tokens"].is_array();
  if (ok) {
    for (const json& id : (*body)["tokens"]) {
      if (!id.is_number_integer()) {
        ok = false;
        break;
      }
      ids.push_back(id.get<int64_t>());
    }
  }
  if (!ok) {
    {
      // GCC 12 cannot keep braced json temporaries inside a co_await expression.
      const json reply = SglangErrorBody(400, "tokens must be a list of integers.", "BadRequestError");
      co_await ex.SendJson(http::status::bad_request, reply);
    }
    co_return;
  }
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply = json{{"text", DetokenizeIds(ids)}};
    co_await ex.SendJson(http::status::ok, reply);
  }
}

}  // namespace shim::fake_sglang
