// multipart/form-data bodies as Starlette's form parser reads them for SGLang's
// /v1/audio/transcriptions (python-multipart: parts split at "--boundary", each with a
// Content-Disposition: form-data; name="..."[; filename="..."] header).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace shim::fake_sglang {

struct FormPart {
  std::string name;
  bool is_file = false;  // the part had a filename: Starlette makes it an UploadFile
  std::string filename;
  std::string content_type;
  std::string_view data;  // a view into the body
};

// The boundary parameter of a multipart/form-data Content-Type ("" when it is not one).
std::string MultipartBoundary(std::string_view content_type);

// Splits `body` into its parts. False with *error on a malformed body (no opening boundary,
// a part without headers or without its closing boundary).
bool ParseMultipart(std::string_view body, std::string_view boundary, std::vector<FormPart>* parts, std::string* error);

// The last part named `name` (Starlette's form.get keeps the last), or nullptr.
const FormPart* FindFormPart(const std::vector<FormPart>& parts, std::string_view name);

}  // namespace shim::fake_sglang
