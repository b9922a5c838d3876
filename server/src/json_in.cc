#include "json_in.h"

#include "firebreak/common/error.h"

namespace firebreak::server {

namespace {
constexpr const char* kWhere = "request body";

std::string Describe(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}
}  // namespace

JsonObject JsonObject::Parse(const std::string& body, bool allow_empty) {
  if (body.empty() && allow_empty) return JsonObject(nlohmann::json::object());
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorKind::kInput, std::string(kWhere) + ": byte " + std::to_string(e.byte),
                "malformed JSON: " + std::string(e.what()).substr(std::string(e.what()).find(':') + 2),
                "send one JSON object (Content-Type: application/json)");
  }
  if (!j.is_object())
    throw Error(ErrorKind::kInput, std::string(kWhere) + ": /", "expected a JSON object, got " + Describe(j));
  return JsonObject(std::move(j));
}

void JsonObject::Fail(const std::string& key, const std::string& what, const std::string& hint) const {
  throw Error(ErrorKind::kInput, std::string(kWhere) + ": /" + key, what, hint);
}

const nlohmann::json* JsonObject::Get(const std::string& key, bool required) {
  read_.insert(key);
  auto it = j_.find(key);
  if (it == j_.end()) {
    if (required) Fail(key, "missing required field '" + key + "'");
    return nullptr;
  }
  return &*it;
}

std::string JsonObject::Str(const std::string& key) {
  const auto* v = Get(key, true);
  if (!v->is_string()) Fail(key, "must be a string, got " + Describe(*v));
  if (v->get<std::string>().empty()) Fail(key, "must not be empty");
  return v->get<std::string>();
}

std::optional<std::string> JsonObject::OptStr(const std::string& key) {
  const auto* v = Get(key, false);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) Fail(key, "must be a string, got " + Describe(*v));
  return v->get<std::string>();
}

std::optional<std::string> JsonObject::StrOrNull(const std::string& key) {
  const auto* v = Get(key, true);
  if (v->is_null()) return std::nullopt;
  if (!v->is_string()) Fail(key, "must be a string or null, got " + Describe(*v));
  return v->get<std::string>();
}

std::vector<std::string> JsonObject::StrArray(const std::string& key) {
  const auto* v = Get(key, true);
  if (!v->is_array()) Fail(key, "must be an array of strings, got " + Describe(*v));
  if (v->empty()) Fail(key, "must name at least one");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) Fail(key + "/" + std::to_string(i), "must be a string, got " + Describe((*v)[i]));
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

std::optional<double> JsonObject::OptNumber(const std::string& key) {
  const auto* v = Get(key, false);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_number()) Fail(key, "must be a number, got " + Describe(*v));
  return v->get<double>();
}

std::optional<bool> JsonObject::OptBool(const std::string& key) {
  const auto* v = Get(key, false);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_boolean()) Fail(key, "must be true or false, got " + Describe(*v));
  return v->get<bool>();
}

void JsonObject::Done() {
  std::vector<std::string> known(read_.begin(), read_.end());
  for (const auto& [key, value] : j_.items()) {
    if (read_.count(key)) continue;
    const std::string near = ClosestMatch(key, known);
    std::string known_list;
    for (const auto& k : known) known_list += (known_list.empty() ? "" : ", ") + k;
    Fail(key, "unknown field '" + key + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
         "fields here: " + known_list);
  }
}

}  // namespace firebreak::server
