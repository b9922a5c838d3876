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

// The open_fire_since the report itself gives (not the merged one), if any.
std::optional<Timestamp> OwnSince(const ReportEntry& r, const RuleSet& rules) {
  if (r.json.find("open_fire_since") == std::string::npos) return std::nullopt;
  format::Node n = format::ReadDocument(r.json, r.source);
  if (!n.Find("open_fire_since")) return std::nullopt;
  return format::ParseReportNode(n, r.source, rules, true).front().open_fire_since;
}

std::string Stamp(const Timestamp& t) { return FormatIso8601(t); }

// Report k's JSON as MergeForTimeline read it, if it kept it.
const format::ParsedUpdate* Update(const MergedHistory& h, std::size_t k) {
  return k < h.updates.size() ? &h.updates[k] : nullptr;
}

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

Incident HistoryMerger::Add(const ReportEntry& r, const format::ParsedUpdate* parsed) {
  const RuleSet& rules = engine_->rules();
  if (parsed)
    merged_.Add(*parsed);
  else
    merged_.Add(r.json, r.source);
  Incident in = merged_.Read(r.source.empty() ? r.incident_id : r.source, rules);
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

MergedHistory MergeForTimeline(const Engine& eng, const std::vector<ReportEntry>& rs, const Enrich& enrich) {
  MergedHistory h;
  h.known = KnownTimes(rs);
  h.states.reserve(rs.size());
  for (std::size_t k = 0; k < rs.size(); ++k) h.any_late = h.any_late || h.known[k] != rs[k].reported_at;
  if (h.any_late) h.updates.reserve(rs.size());
  HistoryMerger m(eng);
  for (std::size_t k = 0; k < rs.size(); ++k) {
    if (h.known[k] != rs[k].reported_at)  // late: the office's view lacks it for a while (OfficeStates)
      h.before_late.emplace(k, m);
    if (h.any_late) h.updates.emplace_back(rs[k].json, rs[k].source);  // read once, added again by OfficeStates
    h.states.push_back(m.Add(rs[k], h.any_late ? &h.updates.back() : nullptr));
    if (enrich) enrich(h.states.back());
  }
  return h;
}

// The office's view of one incident with late reports: after each report as it became known, the state merged
// from the reports known by then, effective from that moment. While the known reports are the first ones in
// moment order, that state is the merged history's; otherwise (a late report still missing) it is merged from
// the copy made before the first missing report, one known report at a time while they arrive in moment order.
// A report known at moment t is missing from the view before t only if it is late (known > reported_at), so
// that copy exists. The states are the merged history's where they are the same (same moment, no notices),
// else kept in `owned`.
std::vector<const Incident*> OfficeStates(const Engine& eng, const std::vector<ReportEntry>& rs, const MergedHistory& h,
                                          std::deque<Incident>& owned, const Enrich& enrich) {
  const std::vector<Timestamp>& known = h.known;
  std::vector<std::size_t> arrival(rs.size());
  for (std::size_t k = 0; k < rs.size(); ++k) arrival[k] = k;
  std::stable_sort(arrival.begin(), arrival.end(), [&](std::size_t a, std::size_t b) { return known[a] < known[b]; });
  std::vector<const Incident*> out;
  out.reserve(rs.size());
  std::vector<bool> in_set(rs.size(), false);
  std::size_t count = 0, prefix = 0;  // reports known; the first `prefix` (moment order) are all known
  HistoryMerger merger(eng);
  Incident merged;
  bool in_step = false;  // merger holds exactly the known reports, the last of them being `last_in`
  std::size_t last_in = 0;
  for (std::size_t j = 0; j < arrival.size(); ++j) {
    const std::size_t k = arrival[j];
    in_set[k] = true;
    ++count;
    while (prefix < rs.size() && in_set[prefix]) ++prefix;
    if (in_step && k > last_in) {
      merged = merger.Add(rs[k], Update(h, k));
      last_in = k;
    } else {
      in_step = false;
    }
    if (j + 1 < arrival.size() && known[arrival[j + 1]] == known[k]) continue;  // same moment: once
    const Timestamp at = known[arrival[j]];
    if (count == prefix) {
      const Incident& same = h.states[prefix - 1];
      if (same.reported_at == at && same.notices.empty()) {
        out.push_back(&same);
        continue;
      }
      owned.push_back(same);
    } else {
      if (!in_step) {
        auto copy = h.before_late.find(prefix);
        merger = copy != h.before_late.end() ? copy->second : HistoryMerger(eng);
        for (std::size_t m = copy != h.before_late.end() ? prefix : 0; m < rs.size(); ++m)
          if (in_set[m]) {
            merged = merger.Add(rs[m], Update(h, m));
            last_in = m;
          }
        in_step = true;
      }
      owned.push_back(std::move(merged));  // merged is assigned again before it is read again
      if (enrich) enrich(owned.back());
    }
    owned.back().reported_at = at;
    owned.back().notices.clear();
    out.push_back(&owned.back());
  }
  return out;
}

}  // namespace firebreak::timeline
