// Incident updates: a later report of an incident gives only what changed (docs/report-format.md, "Updates").
#pragma once

#include <string>

namespace firebreak::format {

// Merges a report update into the incident's last state (JSON object texts, as ToJson writes them): top-level
// fields replace, nested objects (location, weather, facts) merge key by key; an explicit null clears a field.
// Throws Error(kInput) (with `where`) if either is not a JSON object.
std::string MergeReportJson(const std::string& base, const std::string& update, const std::string& where);

}  // namespace firebreak::format
