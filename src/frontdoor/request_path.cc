#include "frontdoor/request_path.h"

#include "common/strings.h"

namespace shim {
namespace {

bool HasLiteralDotSegment(std::string_view path) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

bool IsNormalPath(std::string_view path) {
  if (path.empty() || path.find('%') != std::string_view::npos || path.find("//") != std::string_view::npos) {
    return false;
  }
  return path.size() == 1 || path.back() != '/';
}

std::string_view NormalizedPath(std::string_view path, std::string* storage) {
  if (IsNormalPath(path)) return path;
  *storage = NormalizePath(path);
  return *storage;
}

std::string NormalizePath(std::string_view path) {
  std::string decoded = DecodePercentEscapes(path);
  std::string out;
  out.reserve(decoded.size());
  for (char c : decoded) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out.push_back(c);
  }
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  if (out.empty()) out.push_back('/');  // (not out = "/": GCC 12 warns falsely, -Wrestrict)
  return out;
}

bool HasDotSegment(std::string_view path) {
  if (HasLiteralDotSegment(path)) return true;
  return path.find('%') != std::string_view::npos && HasLiteralDotSegment(NormalizePath(path));
}

}  // namespace shim
