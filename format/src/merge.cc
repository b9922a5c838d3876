// Incident updates (merge.h).
#include "firebreak/format/merge.h"

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"

namespace firebreak::format {

std::string MergeReportJson(const std::string& base, const std::string& update, const std::string& where) {
  using json = nlohmann::ordered_json;
  json b = json::parse(base, nullptr, false);
  json u = json::parse(update, nullptr, false);
  if (!b.is_object()) throw Error(ErrorKind::kInput, where, "the incident's last report is not a JSON object");
  if (!u.is_object()) throw Error(ErrorKind::kInput, where, "a report must be a JSON object");
  for (auto it = u.begin(); it != u.end(); ++it) {
    if (it.value().is_object() && b.contains(it.key()) && b[it.key()].is_object()) {
      for (auto jt = it.value().begin(); jt != it.value().end(); ++jt) b[it.key()][jt.key()] = jt.value();
    } else {
      b[it.key()] = it.value();
    }
  }
  return b.dump();
}

}  // namespace firebreak::format
