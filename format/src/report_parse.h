// Inside format: the report parser on a JSON value already read (report_io.cc), for the merger (merge.cc).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::format::internal {

// One report object as ParseReports reads it on its fast path (valid JSON, no positions): the Incident, or
// nullopt on any report error (the caller then reads the text through ParseReports for the canonical error).
std::optional<engine::Incident> ParseReportValue(const nlohmann::json& object, const std::string& source,
                                                 const engine::RuleSet& rules);

}  // namespace firebreak::format::internal
