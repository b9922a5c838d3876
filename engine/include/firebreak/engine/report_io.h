// Incident reports in and decisions out (formats in docs/report-format.md).
#pragma once

#include <string>
#include <vector>

#include "firebreak/engine/decision.h"
#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::engine {

// Parses one report (a JSON/YAML object) or several concurrent reports (an array) from `text`.
// `source` names the input in messages ("report.json"). Counties are checked against rules.counties.
// Throws Error(kInput) with the JSON path: "report.json: /burned_area_ha: must be >= 0, got -3".
std::vector<Incident> ParseReports(const std::string& text, const std::string& source, const RuleSet& rules);

// Reads a file (JSON if it starts with '{' or '[', else YAML) and parses it. Throws Error(kInput/kNotFound).
std::vector<Incident> ReadReportFile(const std::string& path, const RuleSet& rules);

// The decision as JSON (the documented machine format). indent < 0: one line.
std::string DecisionToJson(const Decision& d, const RuleSet& rules, int indent = 2);
// Several decisions as a JSON array.
std::string DecisionsToJson(const std::vector<Decision>& ds, const RuleSet& rules, int indent = 2);
// The duty officer's sheet: compact human text, lang "zh" (default) or "en".
std::string DecisionToText(const Decision& d, const RuleSet& rules, const std::string& lang);

}  // namespace firebreak::engine
