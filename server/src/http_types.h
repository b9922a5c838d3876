// Internal to server/src: a request as the handlers see it, the response they give, and the errors that carry
// an HTTP status. Handlers never see Beast types.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "firebreak/common/error.h"

namespace firebreak::server {

// The person behind a request (resolved from the session cookie).
struct Principal {
  std::string username;
  std::string role;  // a role id of the rule file
  std::string display_name;
  std::string csrf;  // the session's CSRF token
  std::string session_id;
};

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // decoded path, no query ("/api/incidents/F-1")
  std::map<std::string, std::string> query;    // decoded ?a=b&c=d (last wins)
  std::map<std::string, std::string> params;   // path parameters of the route ({id})
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote;             // peer address
  std::optional<Principal> user;  // set by the auth layer when the route needs a user

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string Query(const std::string& name, const std::string& def = {}) const {
    auto it = query.find(name);
    return it == query.end() ? def : it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::shared_ptr<const std::string> shared_body;            // for bodies shared between responses (assets, status)
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie, ETag, ...)
  bool sse = false;  // turn the connection into an event stream (GET /api/events)

  static Response Json(std::string body, int status = 200) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  const std::string& Body() const { return shared_body ? *shared_body : body; }
};

// An error with an HTTP status that is not one of firebreak::Error's kinds (authentication, permissions,
// conflicts, limits). `kind` is the JSON error kind: "unauthenticated", "forbidden", "csrf", "conflict",
// "too-large", "media-type", "method", "host", "rate-limited", "not-found".
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string kind, std::string where, std::string what, std::string hint = {})
      : std::runtime_error(what),
        status_(status),
        kind_(std::move(kind)),
        where_(std::move(where)),
        what_(std::move(what)),
        hint_(std::move(hint)) {}
  int status() const { return status_; }
  const std::string& kind() const { return kind_; }
  const std::string& where() const { return where_; }
  const std::string& message() const { return what_; }
  const std::string& hint() const { return hint_; }

 private:
  int status_;
  std::string kind_, where_, what_, hint_;
};

// HTTP status of a firebreak::Error kind (docs/api.md): usage 400, input 422, not-found 404, store 503,
// expectation 409, rule-file/gis/internal 500.
int HttpStatusOf(ErrorKind kind);

// The JSON error body: {"error": {"status", "kind", "exit_code" (CLI kinds only), "where", "path", "message",
// "hint", "text"}}. `path` is the JSON pointer inside `where` ("report: /burned_area_ha" -> "/burned_area_ha").
Response ErrorResponse(const Error& e);
Response ErrorResponse(const HttpError& e);

}  // namespace firebreak::server
