// An incident's history: its reports as recorded, merged into the state the engine assesses at each moment.
// The one merge of every path — the duty desk, stored timelines, drills, the audit and the web desk.
//
// Semantics (docs/report-format.md "Updates", docs/audit.md):
//  - Reports are taken in order of the moment they describe (reported_at), then in the order recorded. A later
//    report's fields replace earlier values, fields it omits keep the last value (format::MergeReportJson).
//    Two reports of the same moment merge in the order recorded (interpretation same-moment-reports-merge);
//    the decision of the second one notes it.
//  - Open fire (6.3.x.1(3)): a state whose facts (as the engine computes them: report, `facts`, GIS,
//    defaults) say extinguished opens an out period at its reported_at; a later state whose facts say burning
//    closes it (re-ignition) at the open_fire_since that report gives (when after the fire went out), else at
//    its reported_at, with a notice (interpretation reignition-at-report). The merged open_fire_since stays
//    the start of the first period (open-fire-hours-accumulate); a report that gives open_fire_since without
//    re-igniting corrects that start.
//  - A report recorded when the incident already had a report of a later moment is late: the office knew it
//    only from its recorded_at (interpretation known-to-the-office).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/engine.h"
#include "firebreak/engine/incident.h"
#include "firebreak/format/merge.h"

namespace firebreak::timeline {

inline constexpr const char* kReignitionInterpretation = "reignition-at-report";
inline constexpr const char* kSameMomentInterpretation = "same-moment-reports-merge";
inline constexpr const char* kKnownInterpretation = "known-to-the-office";
inline constexpr const char* kHistoryKnownInterpretation = "history-known";

// Adds facts to an incident state before it is assessed (e.g. GIS terrain from its location).
using Enrich = std::function<void(engine::Incident&)>;

namespace internal {
class MergeTree;  // merge_tree.h
struct MergeNode;
}  // namespace internal

// One report of an incident as recorded (a store row, a scenario report, an object of a report file).
struct ReportEntry {
  std::string incident_id;
  Timestamp reported_at;   // the moment it describes
  Timestamp recorded_at;   // when the office recorded it
  std::int64_t order = 0;  // the order recorded (store row id, replay order): ties of reported_at
  std::string json;        // the report object as recorded (JSON object text)
  std::string source;      // for messages
  // Known from recorded_at even when recorded in time order: another office's record reaching the reader (a
  // county's report to the city on a shared store, interpretation shared-store-reports-upward).
  bool known_when_recorded = false;
};

// Sorts reports of one or more incidents by (reported_at, order).
void SortByMoment(std::vector<ReportEntry>& reports);
// The reports grouped by incident, each incident's sorted by SortByMoment.
std::map<std::string, std::vector<ReportEntry>> ReportsByIncident(const std::vector<ReportEntry>& reports);

// Which reports are late (parallel to `reports`, one incident, any order): recorded (by `order`) after a report
// of the same incident describing a later moment.
std::vector<bool> LateReports(const std::vector<ReportEntry>& reports);

// When the office knew each report (parallel to `reports`, one incident): the recorded_at of a late report
// (LateReports) or of one known_when_recorded, never before the moment it describes; else its reported_at.
std::vector<Timestamp> KnownTimes(const std::vector<ReportEntry>& reports);

// The states of one incident after each of its reports (`reports` sorted by SortByMoment): state k is what the
// engine assesses from reports[k].reported_at until the next report. Each state is read by the one report
// reader (format::ParseReports) and enriched. Throws Error(kInput) naming the report if a merged state is
// invalid.
std::vector<engine::Incident> MergeHistory(const engine::Engine& engine, const std::vector<ReportEntry>& reports,
                                           const Enrich& enrich = {});

// The same merge one report at a time (MergeHistory is this in a loop): a desk appending a report in time order
// continues from the incident's last state instead of merging its whole history again. Copyable; keeps a
// pointer to the engine, which must outlive it.
class HistoryMerger {
 public:
  explicit HistoryMerger(const engine::Engine& engine) : engine_(&engine) {}
  // The state after `r` (not enriched). REQUIRES: r is not before the reports added so far (SortByMoment order).
  // `parsed` (optional): r.json already read (format::ParsedUpdate of it), e.g. by MergeForTimeline.
  engine::Incident Add(const ReportEntry& r, const format::ParsedUpdate* parsed = nullptr);
  // The moment of the last report added (nullopt before the first).
  const std::optional<Timestamp>& last() const { return last_; }
  // The reports added so far merged (JSON object text; format::MergeReportJson).
  const std::string& merged() const { return merged_.Text(); }

 private:
  friend class internal::MergeTree;  // resumes a merge after a sequence of reports it merged before
  const engine::Engine* engine_;
  format::ReportMerger merged_;  // kept parsed: each report is read once
  std::optional<Timestamp> first_since_;
  std::vector<engine::OutPeriod> periods_;
  std::optional<Timestamp> last_;
};

// What one derivation of a timeline can keep for the next (BuildTimeline, MergeForTimeline): each report's JSON as
// read, the state merged after every sequence of reports merged (a tree: the states after reports r1..rk are
// keyed by the reports themselves — incident, moment, source and JSON text — so a sequence merged before is
// never merged nor read again), and the engine's assessments of those states by (moment, concurrency). The
// engine is pure and the merge deterministic, so a derivation through a cache gives exactly what one without
// gives (tests/timeline/diff_test.cc checks it); only the work differs. A desk re-deriving its timeline after
// a late report merges and assesses again only the states from the late report's moment on.
// After each BuildTimeline with it, what that derivation did not use is dropped (memory stays that of one
// derivation). Keeps a reference to the engine, which must outlive it; states with an Enrich hook are never
// cached (a hook's facts cannot be keyed). Not thread-safe: one derivation at a time.
class DerivationCache {
 public:
  explicit DerivationCache(const engine::Engine& engine);
  explicit DerivationCache(const engine::Engine&& engine) = delete;
  ~DerivationCache();
  DerivationCache(const DerivationCache&) = delete;
  DerivationCache& operator=(const DerivationCache&) = delete;
  const engine::Engine& engine() const;
  const std::shared_ptr<internal::MergeTree>& tree() const { return tree_; }

 private:
  std::shared_ptr<internal::MergeTree> tree_;
};

// One incident's reports (SortByMoment order) merged for the timeline: the states (MergeHistory) and when the office
// knew each report (KnownTimes). The states live in a merge tree (DerivationCache): `cache`'s when given (and
// `enrich` is empty), else one of its own, shared with the office's view (OfficeStates). Each report's JSON is read
// once.
struct MergedHistory {
  std::vector<const engine::Incident*> states;  // MergeHistory(reports, enrich), owned by `tree`
  std::vector<Timestamp> known;                 // KnownTimes(reports)
  bool any_late = false;                        // some known[k] != reports[k].reported_at
  std::shared_ptr<internal::MergeTree> tree;
  std::vector<internal::MergeNode*> nodes;  // of states[k]
  std::vector<std::string> keys;            // report k's key in the tree
};
MergedHistory MergeForTimeline(const engine::Engine& engine, const std::vector<ReportEntry>& reports,
                               const Enrich& enrich = {}, DerivationCache* cache = nullptr);

// The office's view of the incident (interpretation known-to-the-office): one state per moment at which reports
// became known (KnownTimes; reports known at the same moment give one state), in that order — the reports known
// by then merged (MergeHistory of them in moment order, enriched as h's), with reported_at = that moment and no
// notices. `h` is MergeForTimeline(engine, reports, ...); the view's merges are made in h's tree. States of the tree
// (the same sequence of reports, the same moment, no notices) are pointers into it (and `nodes`, if given, gets
// their nodes; nullptr for the others); the others are appended to `owned` (which must outlive the result).
std::vector<const engine::Incident*> OfficeStates(const std::vector<ReportEntry>& reports, const MergedHistory& h,
                                                  std::deque<engine::Incident>& owned,
                                                  std::vector<internal::MergeNode*>* nodes = nullptr);

}  // namespace firebreak::timeline
