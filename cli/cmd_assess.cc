// `firebreak assess [--format text|json] [--lang zh|en] REPORT...` — what the plan requires now.
// Several files, or one file holding an array, are concurrent incidents (plan 6.3.2.1(5), 3.3).
// Every report is parsed and checked before anything is printed: bad input exits 4 with no decision.
#include <iostream>
#include <map>
#include <memory>

#include "commands.h"
#include "firebreak/common/error.h"
#include "firebreak/engine/engine.h"
#include "firebreak/engine/report_io.h"

namespace firebreak::cli {

namespace {

struct AssessOptions {
  std::string format = "text";
  std::string at;  // --at TIME: assess every incident at this moment instead of its reported_at
  std::vector<std::string> reports;
};

void RunAssess(const Globals& g, const AssessOptions& opt) {
  engine::RuleSet rules = LoadRules(g);
  std::vector<engine::Incident> incidents;
  std::map<std::string, std::string> seen;  // incident id -> source
  for (const std::string& path : opt.reports) {
    for (engine::Incident& in : engine::ReadReportFile(path, rules)) {
      auto [it, fresh] = seen.emplace(in.incident_id, in.source);
      if (!fresh)
        throw Error(ErrorKind::kInput, in.source + ": /incident_id",
                    "duplicate incident id '" + in.incident_id + "' (also in " + it->second + ")",
                    "concurrent incidents need distinct ids");
      incidents.push_back(std::move(in));
    }
  }
  engine::Engine eng(rules);
  std::vector<engine::Decision> ds;
  if (opt.at.empty()) {
    ds = eng.AssessAll(incidents);
  } else {
    // What the plan will require at a later moment if nothing else changes (clock-driven conditions).
    std::string why;
    auto at = ParseIso8601(opt.at, &why);
    if (!at)
      throw Error(ErrorKind::kUsage, "--at", "not an ISO 8601 time with UTC offset: '" + opt.at + "'",
                  "write e.g. 2026-03-14T20:00:00+08:00");
    for (const engine::Incident& in : incidents)
      if (*at < in.reported_at)
        throw Error(ErrorKind::kUsage, "--at",
                    "is before the report " + in.incident_id + " (" + FormatIso8601(in.reported_at) + ")",
                    "assess at or after the moment the report describes");
    ds = eng.AssessAll(incidents, *at);
  }
  if (opt.format == "json") {
    std::cout << (ds.size() == 1 ? engine::DecisionToJson(ds.front(), rules) : engine::DecisionsToJson(ds, rules))
              << "\n";
  } else {
    for (std::size_t i = 0; i < ds.size(); ++i) {
      if (i) std::cout << "\n";
      std::cout << engine::DecisionToText(ds[i], rules, g.lang);
    }
  }
}

}  // namespace

void RegisterAssessCommands(CLI::App& app, Globals& g) {
  auto opt = std::make_shared<AssessOptions>();
  CLI::App* cmd = app.add_subcommand(
      "assess", "What the plan requires for incident report(s): response level, grade, lead, measures, reporting");
  cmd->add_option("--format", opt->format, "Output: text (duty officer's sheet, default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--at", opt->at,
                  "Assess at this ISO 8601 time (>= every reported_at) instead of each report's own time: "
                  "what the clock will require if nothing else changes");
  cmd->add_option("--lang", g.lang, "Language of the text sheet: zh (default) or en")
      ->check(CLI::IsMember({"zh", "en"}));
  cmd->add_option("reports", opt->reports,
                  "Report files (JSON or YAML; '-' reads stdin). Several reports are concurrent incidents")
      ->required();
  cmd->callback([&g, opt] { RunAssess(g, *opt); });
}

}  // namespace firebreak::cli
