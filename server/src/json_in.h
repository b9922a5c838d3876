// Internal to server/src: strict reading of the API's own request objects (login, declare, upward, ...).
// Malformed JSON, a non-object, a field of the wrong type, a missing required field or an unknown field
// (with "did you mean") throw firebreak::Error(kInput) whose `where` is "request body: /field" — the same
// shape as the report parser's messages, so the page can put the message at the field.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace firebreak::server {

class JsonObject {
 public:
  // Parses `body`. An empty body is an empty object when `allow_empty`.
  static JsonObject Parse(const std::string& body, bool allow_empty = false);

  std::string Str(const std::string& key);  // required, non-empty
  std::optional<std::string> OptStr(const std::string& key);
  // A string or null, required to be present (e.g. "expect_declared": null).
  std::optional<std::string> StrOrNull(const std::string& key);
  std::vector<std::string> StrArray(const std::string& key);  // required, at least one
  std::optional<double> OptNumber(const std::string& key);
  std::optional<bool> OptBool(const std::string& key);
  // Throws for any field not read above.
  void Done();

  const nlohmann::json& json() const { return j_; }

 private:
  explicit JsonObject(nlohmann::json j) : j_(std::move(j)) {}
  const nlohmann::json* Get(const std::string& key, bool required);
  [[noreturn]] void Fail(const std::string& key, const std::string& what, const std::string& hint = {}) const;

  nlohmann::json j_;
  std::set<std::string> read_;
};

}  // namespace firebreak::server
