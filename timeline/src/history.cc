// An incident's history merged into states (history.h).
#include "firebreak/timeline/history.h"

#include <algorithm>
#include <numeric>

#include "firebreak/common/error.h"
#include "firebreak/format/document.h"
#include "firebreak/format/merge.h"
#include "firebreak/format/report_io.h"

namespace firebreak::timeline {

using namespace engine;

namespace {

Incident ParseState(const std::string& merged, const ReportEntry& r, const RuleSet& rules) {
  std::vector<Incident> v = format::ParseReports(merged, r.source.empty() ? r.incident_id : r.source, rules);
  if (v.size() != 1)
    throw Error(ErrorKind::kInput, r.source, "a report of incident '" + r.incident_id + "' is not one object");
  return std::move(v.front());
}

// The open_fire_since the report itself gives (not the merged one), if any.
std::optional<Timestamp> OwnSince(const ReportEntry& r, const RuleSet& rules) {
  if (r.json.find("open_fire_since") == std::string::npos) return std::nullopt;
  format::Node n = format::ReadDocument(r.json, r.source);
  if (!n.Find("open_fire_since")) return std::nullopt;
  return format::ParseReportNode(n, r.source, rules, true).front().open_fire_since;
}

std::string Stamp(const Timestamp& t) { return FormatIso8601(t); }

}  // namespace

void SortByMoment(std::vector<ReportEntry>& reports) {
  std::stable_sort(reports.begin(), reports.end(), [](const ReportEntry& a, const ReportEntry& b) {
    if (a.incident_id != b.incident_id) return a.incident_id < b.incident_id;
    return a.reported_at != b.reported_at ? a.reported_at < b.reported_at : a.order < b.order;
  });
}

std::vector<bool> LateReports(const std::vector<ReportEntry>& reports) {
  std::vector<std::size_t> by_order(reports.size());
  std::iota(by_order.begin(), by_order.end(), std::size_t{0});
  std::stable_sort(by_order.begin(), by_order.end(),
                   [&](std::size_t a, std::size_t b) { return reports[a].order < reports[b].order; });
  std::vector<bool> late(reports.size(), false);
  std::optional<Timestamp> latest;  // latest moment described by the reports recorded so far
  for (std::size_t k : by_order) {
    const ReportEntry& r = reports[k];
    late[k] = latest && *latest > r.reported_at;
    if (!latest || r.reported_at > *latest) latest = r.reported_at;
  }
  return late;
}

std::vector<Timestamp> KnownTimes(const std::vector<ReportEntry>& reports) {
  const std::vector<bool> late = LateReports(reports);
  std::vector<Timestamp> known(reports.size());
  for (std::size_t k = 0; k < reports.size(); ++k)
    known[k] = late[k] || reports[k].known_when_recorded ? std::max(reports[k].recorded_at, reports[k].reported_at)
                                                         : reports[k].reported_at;
  return known;
}

Incident HistoryMerger::Add(const ReportEntry& r) {
  const RuleSet& rules = engine_->rules();
  merged_ = format::MergeReportJson(merged_, r.json, r.source);
  Incident in = ParseState(merged_, r, rules);
  const bool was_out = !periods_.empty() && !periods_.back().until;
  const std::optional<Timestamp> own_since = OwnSince(r, rules);
  in.out_periods = periods_;
  const bool burning = engine_->Fire(in).burning;
  if (was_out && burning) {
    // Re-ignition: the out period ends when the report says the fire burned again, else at the report.
    OutPeriod& p = periods_.back();
    if (own_since && *own_since > p.from) {
      p.until = std::min(*own_since, r.reported_at);
    } else {
      p.until = r.reported_at;
      p.until_assumed = true;
      in.notices.push_back(Notice{
          "reignition-without-since", kReignitionInterpretation, r.reported_at,
          "the fire reported out at " + Stamp(p.from) +
              " burns again; the report gives no "
              "new open_fire_since, so it is taken to have re-ignited at " +
              Stamp(r.reported_at) + " (hours before are not open fire)",
          "火情于" + Stamp(p.from) + "报告明火已扑灭，本报告又有明火但未给出复燃时刻（open_fire_since），按本报告时刻" +
              Stamp(r.reported_at) + "复燃处理（此前不计明火时长），请补报复燃时刻"});
    }
  } else if (own_since) {
    first_since_ = own_since;  // a (corrected) start of open fire
  }
  if (!first_since_) first_since_ = in.open_fire_since;
  if (!burning && !was_out) periods_.push_back(OutPeriod{r.reported_at, std::nullopt, false});
  in.open_fire_since = first_since_;
  in.out_periods = periods_;
  if (last_ && *last_ == r.reported_at)
    in.notices.push_back(Notice{"same-moment", kSameMomentInterpretation, r.reported_at,
                                "merged with the report of the same moment recorded before it",
                                "与先记录的同一时刻报告合并"});
  last_ = r.reported_at;
  return in;
}

std::vector<Incident> MergeHistory(const Engine& engine, const std::vector<ReportEntry>& reports,
                                   const Enrich& enrich) {
  HistoryMerger m(engine);
  std::vector<Incident> out;
  out.reserve(reports.size());
  for (const ReportEntry& r : reports) {
    out.push_back(m.Add(r));
    if (enrich) enrich(out.back());
  }
  return out;
}

}  // namespace firebreak::timeline
