// Incident reports in (formats in docs/report-format.md): the one report reader of every command — `assess`,
// `report`, drills (scenario reports) and the web desk read reports only through these functions, over the one
// document reader (document.h: the same YAML/JSON rules, limits and errors everywhere).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"
#include "firebreak/format/document.h"

namespace firebreak::format {

// Parses one report (a JSON/YAML object) or several concurrent reports (an array) from `text`.
// `source` names the input in messages ("report.json"). Counties are checked against rules.counties.
// Throws Error(kInput) with line:col and the JSON path: "report.json:3:19: /burned_area_ha: must be >= 0, got -3".
// Times are absolute ISO 8601 with a UTC offset; relative times (+6h) are refused (they exist only in scenarios).
std::vector<engine::Incident> ParseReports(const std::string& text, const std::string& source,
                                           const engine::RuleSet& rules);
// The same on a document already read. partial: `root` is an update of an incident's state (the desk validates
// the merged state in full): cross-field checks (extinguished needs controlled, reported_at after
// open_fire_since) are skipped; every field is still checked.
std::vector<engine::Incident> ParseReportNode(const Node& root, const std::string& source, const engine::RuleSet& rules,
                                              bool partial = false);

// One report object given as JSON text (a drill's report, a store's row) read as an update of an incident
// (ParseReportNode with partial), and its canonical JSON text (ToJson). The same rules and errors as above.
struct ReportUpdate {
  engine::Incident own;
  std::string json;
};
ReportUpdate ParseReportUpdate(const std::string& text, const std::string& source, const engine::RuleSet& rules);

// The second county a report (one object as JSON text, already read by the functions above) says the fire burns
// into across the county boundary (`crosses_into`, docs/report-format.md; 3.3): the county's name as the rule
// file spells it, or nullopt when the report names none.
std::optional<std::string> CrossesInto(const std::string& report_json, const engine::RuleSet& rules);

// The report objects of a document (one object or an array of them), unvalidated beyond the document rules.
struct ReportObject {
  Node node;           // the object as written
  std::string source;  // "file" or "file: /2" (an array element), for messages
  std::string where;   // "file:line:col" of the object
};
std::vector<ReportObject> ReadReportObjects(const std::string& text, const std::string& source);

// Reads a file (or stdin for "-"), refusing more than limits.max_bytes. Error(kNotFound) if it cannot be opened.
// `what` names it in messages ("report", "scenario").
std::string ReadTextFile(const std::string& path, const std::string& what, const Limits& limits = {});

// Reads a report file and parses it (ParseReports). Throws Error(kInput/kNotFound).
std::vector<engine::Incident> ReadReportFile(const std::string& path, const engine::RuleSet& rules);

}  // namespace firebreak::format
