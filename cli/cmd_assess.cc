// `firebreak assess [--format text|json] [--lang zh|en] REPORT...` — what the plan requires now.
// Several files, or one file holding an array, are concurrent incidents (plan 6.3.2.1(5), 3.3).
// Every report is parsed and checked before anything is printed: bad input exits 4 with no decision.
#include <iostream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "enrich.h"
#include "firebreak/common/error.h"
#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"

namespace firebreak::cli {

namespace {

struct AssessOptions {
  std::string format = "text";
  bool full = false;  // --full: the JSON with the plan's texts and names (docs/report-format.md §3)
  std::string at;     // --at TIME: assess every incident at this moment instead of its reported_at
  std::vector<std::string> reports;
  EnrichOptions enrich;  // --dem/--layers/--radius, --forces/--roads/--roads-config
};

// The decision JSON with the enricher's members ("site", "deployment") appended.
std::string WithExtras(const std::string& decision_json, const std::string& extras_json, bool full) {
  auto j = nlohmann::ordered_json::parse(decision_json);
  auto extras = nlohmann::ordered_json::parse(extras_json);  // named: items() must not outlive a temporary
  for (auto& [k, v] : extras.items()) j[k] = v;
  return j.dump(full ? 2 : -1);
}

void RunAssess(const Globals& g, const AssessOptions& opt) {
  engine::RuleSet rules = LoadRules(g);
  std::vector<engine::Incident> incidents;
  std::map<std::string, std::string> seen;  // incident id -> source
  for (const std::string& path : opt.reports) {
    for (engine::Incident& in : format::ReadReportFile(path, rules)) {
      auto [it, fresh] = seen.emplace(in.incident_id, in.source);
      if (!fresh)
        throw Error(ErrorKind::kInput, in.source + ": /incident_id",
                    "duplicate incident id '" + in.incident_id + "' (also in " + it->second + ")",
                    "concurrent incidents need distinct ids");
      incidents.push_back(std::move(in));
    }
  }
  Enricher enricher(opt.enrich, rules);
  for (engine::Incident& in : incidents) enricher.Enrich(in);
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
    const auto detail = opt.full ? format::JsonDetail::kFull : format::JsonDetail::kCompact;
    if (!enricher.active()) {
      std::cout << (ds.size() == 1 ? format::DecisionToJson(ds.front(), rules, detail)
                                   : format::DecisionsToJson(ds, rules, detail))
                << "\n";
      return;
    }
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < ds.size(); ++i)
      parts.push_back(
          WithExtras(format::DecisionToJson(ds[i], rules, detail), enricher.Json(incidents[i], ds[i]), opt.full));
    if (parts.size() == 1) {
      std::cout << parts.front() << "\n";
    } else {
      std::cout << "[\n";
      for (std::size_t i = 0; i < parts.size(); ++i) std::cout << parts[i] << (i + 1 < parts.size() ? ",\n" : "\n");
      std::cout << "]\n";
    }
  } else {
    for (std::size_t i = 0; i < ds.size(); ++i) {
      if (i) std::cout << "\n";
      std::cout << format::DecisionToText(ds[i], rules, g.lang);
      if (enricher.active()) std::cout << enricher.Text(incidents[i], ds[i], g.lang);
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
  cmd->add_flag("--full", opt->full,
                "With --format json: indented, with the plan's texts and role names (default: compact, texts by "
                "clause/id; docs/report-format.md)");
  cmd->add_option("--at", opt->at,
                  "Assess at this ISO 8601 time (>= every reported_at) instead of each report's own time: "
                  "what the clock will require if nothing else changes");
  cmd->add_option("--lang", g.lang, "Language of the text sheet: zh (default) or en")
      ->check(CLI::IsMember({"zh", "en"}));
  AddEnrichOptions(cmd, opt->enrich);
  cmd->add_option("reports", opt->reports,
                  "Report files (JSON or YAML; '-' reads stdin). Several reports are concurrent incidents")
      ->required();
  cmd->callback([&g, opt] { RunAssess(g, *opt); });
}

}  // namespace firebreak::cli
