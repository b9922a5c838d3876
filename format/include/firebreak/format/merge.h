// Incident updates: a later report of an incident gives only what changed (docs/report-format.md, "Updates").
#pragma once

#include <memory>
#include <string>

#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::format {

// Merges a report update into the incident's last state (JSON object texts, as ToJson writes them): top-level
// fields replace, nested objects (location, weather, facts) merge key by key; an explicit null clears a field.
// Throws Error(kInput) (with `where`) if either is not a JSON object.
std::string MergeReportJson(const std::string& base, const std::string& update, const std::string& where);

// The same merge applied report by report, with the merged state kept parsed: adding a report reads only that
// report, and the state is read into an Incident without writing and re-reading the merged text. Every result
// and error is the one of MergeReportJson and ParseReports on the merged text (anything unusual — a parse error,
// deep nesting, odd keys, a very large state — goes through exactly those functions). Copyable.
// One report's JSON text read once, to be added to several mergers (e.g. the merged history and the office's view
// of it). Cheap to copy (shared, immutable).
class ParsedUpdate {
 public:
  // Throws Error(kInput) with `where` like ReportMerger::Add(update, where).
  ParsedUpdate(const std::string& update, const std::string& where);

 private:
  friend class ReportMerger;
  struct Parsed;
  std::shared_ptr<const Parsed> p_;
};

class ReportMerger {
 public:
  ReportMerger();
  ReportMerger(const ReportMerger& o);
  ReportMerger& operator=(const ReportMerger& o);
  ReportMerger(ReportMerger&&) noexcept;
  ReportMerger& operator=(ReportMerger&&) noexcept;
  ~ReportMerger();

  // Merges one update (a report object as JSON text). Throws Error(kInput) with `where` like MergeReportJson.
  void Add(const std::string& update, const std::string& where);
  // The same for an update already read.
  void Add(const ParsedUpdate& update);
  // The merged state as JSON text: MergeReportJson over every update added, starting from "{}".
  const std::string& Text() const;
  // ParseReports(Text(), source, rules).front(): the same Incident, or the same Error(kInput).
  engine::Incident Read(const std::string& source, const engine::RuleSet& rules) const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace firebreak::format
