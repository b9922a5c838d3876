// Incident reports in (formats in docs/report-format.md): the one reader of report text for every command.
#pragma once

#include <string>
#include <vector>

#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::format {

// Parses one report (a JSON/YAML object) or several concurrent reports (an array) from `text`.
// `source` names the input in messages ("report.json"). Counties are checked against rules.counties.
// Throws Error(kInput) with the JSON path: "report.json: /burned_area_ha: must be >= 0, got -3".
std::vector<engine::Incident> ParseReports(const std::string& text, const std::string& source,
                                           const engine::RuleSet& rules);

// Reads a file (JSON if it starts with '{' or '[', else YAML) and parses it. Throws Error(kInput/kNotFound).
std::vector<engine::Incident> ReadReportFile(const std::string& path, const engine::RuleSet& rules);

}  // namespace firebreak::format
