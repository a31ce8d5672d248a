#include "fake_sglang/response_format.h"

namespace shim::fake_sglang {

using nlohmann::json;

ResponseFormatResult ReadResponseFormat(const json& body, std::vector<FieldError>* errors) {
  ResponseFormatResult result;
  auto it = body.find("response_format");
  if (it == body.end() || it->is_null()) return result;
  const json& format = *it;
  const std::string loc = "('body', 'response_format', 'ResponseFormat'";
  if (!format.is_object()) {
    errors->push_back({"model_type", loc + ")", "Input should be a valid dictionary or instance of ResponseFormat"});
    return result;
  }
  auto type = format.find("type");
  if (type == format.end()) {
    errors->push_back({"missing", loc + ", 'type')", "Field required"});
    return result;
  }
  if (*type == "text" || *type == "structural_tag") return result;
  if (*type == "json_object") {
    // to_sampling_params: sampling_params["json_schema"] = '{"type": "object"}'.
    result.schema = json{{"type", "object"}};
    return result;
  }
  if (*type != "json_schema") {
    errors->push_back({"literal_error", loc + ", 'type')", "Input should be 'text', 'json_object' or 'json_schema'"});
    return result;
  }
  // set_json_schema (mode="before"): a bare "schema" beside the type becomes json_schema.
  json spec = format.value("json_schema", json());
  if (spec.is_null() && format.contains("schema") && format["schema"].is_object() && !format["schema"].empty()) {
    spec = json{{"name", format["schema"].value("title", json("Schema"))}, {"schema", format["schema"]}};
  }
  if (spec.is_null()) {
    // json_schema stays None; to_sampling_params then reads .strict from it, and
    // serving_base.handle_request answers the AttributeError as a 500.
    result.failure =
        ApiError{500, SglangErrorBody(500, "Internal server error: 'NoneType' object has no attribute 'strict'",
                                      "InternalServerError")};
    return result;
  }
  const std::string spec_loc = loc + ", 'json_schema'";
  if (!spec.is_object()) {
    errors->push_back(
        {"model_type", spec_loc + ")", "Input should be a valid dictionary or instance of JsonSchemaResponseFormat"});
    return result;
  }
  if (!spec.contains("name")) {
    errors->push_back({"missing", spec_loc + ", 'name')", "Field required"});
  } else if (!spec["name"].is_string()) {
    errors->push_back({"string_type", spec_loc + ", 'name')", "Input should be a valid string"});
  }
  if (spec.contains("schema") && !spec["schema"].is_null() && !spec["schema"].is_object()) {
    errors->push_back({"dict_type", spec_loc + ", 'schema')", "Input should be a valid dictionary"});
  }
  if (spec.contains("strict") && !spec["strict"].is_null() && !spec["strict"].is_boolean()) {
    errors->push_back({"bool_type", spec_loc + ", 'strict')", "Input should be a valid boolean"});
  }
  // convert_json_schema_to_str(None) constrains nothing; an object schema is what the grammar gets.
  if (spec.contains("schema") && spec["schema"].is_object()) result.schema = spec["schema"];
  return result;
}

}  // namespace shim::fake_sglang
