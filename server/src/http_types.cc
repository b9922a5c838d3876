#include "http_types.h"

#include <nlohmann/json.hpp>

namespace firebreak::server {

int HttpStatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage:
      return 400;
    case ErrorKind::kInput:
      return 422;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kStore:
      return 503;
    case ErrorKind::kExpectation:
      return 409;
    case ErrorKind::kRuleFile:
    case ErrorKind::kGis:
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

namespace {

// The JSON pointer a `where` ends with: "web:duty1: /burned_area_ha" -> "/burned_area_ha",
// "request body: /level" -> "/level", "r.yaml:3:5: /weather/humidity_pct" -> "/weather/humidity_pct".
std::string PathOf(const std::string& where) {
  const std::size_t p = where.rfind(": /");
  return p == std::string::npos ? std::string() : where.substr(p + 2);
}

Response Build(int status, const std::string& kind, int exit_code, const std::string& where, const std::string& what,
               const std::string& hint, const std::string& text) {
  nlohmann::json e = {{"status", status}, {"kind", kind}, {"where", where}, {"path", PathOf(where)},
                      {"message", what},  {"hint", hint}, {"text", text}};
  if (exit_code > 0) e["exit_code"] = exit_code;
  Response r = Response::Json(
      nlohmann::json{{"error", e}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), status);
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Cookie realm=\"firebreak\"");
  return r;
}

}  // namespace

Response ErrorResponse(const Error& e) {
  return Build(HttpStatusOf(e.kind()), std::string(KindName(e.kind())), ExitCode(e.kind()), e.where(), e.message(),
               e.hint(), e.ToString());
}

Response ErrorResponse(const HttpError& e) {
  std::string text = e.where().empty() ? e.message() : e.where() + ": " + e.message();
  if (!e.hint().empty()) text += " (" + e.hint() + ")";
  return Build(e.status(), e.kind(), 0, e.where(), e.message(), e.hint(), text);
}

}  // namespace firebreak::server
