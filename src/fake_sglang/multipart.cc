#include "fake_sglang/multipart.h"

#include <cctype>

namespace shim::fake_sglang {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of `param` (name="value" or name=value) in a header value's ';'-separated list.
bool HeaderParam(std::string_view value, std::string_view param, std::string* out) {
  size_t i = 0;
  while (i < value.size()) {
    size_t semi = value.find(';', i);
    std::string_view item = Trim(value.substr(i, semi == std::string_view::npos ? std::string_view::npos : semi - i));
    i = semi == std::string_view::npos ? value.size() : semi + 1;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos || Lower(Trim(item.substr(0, eq))) != param) continue;
    std::string_view v = Trim(item.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    *out = std::string(v);
    return true;
  }
  return false;
}

}  // namespace

std::string MultipartBoundary(std::string_view content_type) {
  size_t semi = content_type.find(';');
  if (Lower(Trim(content_type.substr(0, semi))) != "multipart/form-data" || semi == std::string_view::npos) return "";
  std::string boundary;
  if (!HeaderParam(content_type.substr(semi + 1), "boundary", &boundary)) return "";
  return boundary;
}

bool ParseMultipart(std::string_view body, std::string_view boundary, std::vector<FormPart>* parts,
                    std::string* error) {
  if (boundary.empty()) {
    *error = "no boundary";
    return false;
  }
  const std::string dash = "--" + std::string(boundary);
  size_t at = body.find(dash);
  if (at == std::string_view::npos) {
    *error = "no opening boundary";
    return false;
  }
  const std::string delimiter = "\r\n" + dash;
  size_t pos = at + dash.size();
  while (true) {
    if (body.substr(pos, 2) == "--") return true;  // closing boundary
    if (body.substr(pos, 2) != "\r\n") {
      *error = "malformed boundary line";
      return false;
    }
    pos += 2;
    size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) {
      *error = "part without headers";
      return false;
    }
    FormPart part;
    bool form_data = false;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string name = Lower(Trim(line.substr(0, colon)));
      std::string_view value = Trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        form_data = Lower(Trim(value.substr(0, value.find(';')))) == "form-data";
        HeaderParam(value, "name", &part.name);
        part.is_file = HeaderParam(value, "filename", &part.filename);
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    size_t data_begin = headers_end + 4;
    size_t data_end = body.find(delimiter, data_begin);
    if (data_end == std::string_view::npos) {
      *error = "part without a closing boundary";
      return false;
    }
    part.data = body.substr(data_begin, data_end - data_begin);
    if (form_data && !part.name.empty()) parts->push_back(std::move(part));
    pos = data_end + delimiter.size();
  }
}

const FormPart* FindFormPart(const std::vector<FormPart>& parts, std::string_view name) {
  const FormPart* found = nullptr;
  for (const FormPart& part : parts) {
    if (part.name == name) found = &part;
  }
  return found;
}

}  // namespace shim::fake_sglang
