// Per-office views of the duty board (desk.h, OfficeStatus; docs/postgresql.md, "Per-office views").
#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "firebreak/common/time.h"

#include "firebreak/store/desk.h"
#include "firebreak/store/offices.h"

namespace firebreak::store {
namespace {

// Keeps the elements of `v` whose incident_id is in `keep`.
template <class T>
void KeepOnly(std::vector<T>& v, const std::set<std::string>& keep) {
  v.erase(std::remove_if(v.begin(), v.end(), [&](const T& x) { return !keep.count(x.incident_id); }), v.end());
}

// Keeps the incidents in `seen` of a timeline and its audit; the audit is ok when every incident kept is.
void KeepSeen(const std::set<std::string>& seen, timeline::Timeline& timeline, timeline::AuditReport& audit) {
  KeepOnly(timeline.incidents, seen);
  KeepOnly(audit.incidents, seen);
  audit.ok = std::all_of(audit.incidents.begin(), audit.incidents.end(),
                         [](const timeline::IncidentAudit& a) { return a.ok; });
}

// The incidents among `incidents` that the store's office sees.
std::set<std::string> SeenAmong(const Store& store, const engine::RuleSet& rules,
                                const std::vector<IncidentRecord>& incidents) {
  const std::vector<Office> offices = OfficesOf(rules);
  std::set<std::string> seen;
  for (const IncidentRecord& inc : incidents)
    if (Sees(offices, store.office(), inc.offices)) seen.insert(inc.incident_id);
  return seen;
}

}  // namespace

void KeepOfficeView(const Store& store, const engine::RuleSet& rules, const std::vector<IncidentRecord>& incidents,
                    timeline::Timeline& timeline, timeline::AuditReport& audit) {
  if (!store.office().empty()) KeepSeen(SeenAmong(store, rules, incidents), timeline, audit);
}

timeline::StatusBoard OfficeStatus(const Store& store, const engine::Engine& engine, const Timestamp& at,
                                   const timeline::AuditOptions& options, timeline::DerivationCache* cache) {
  std::vector<IncidentRecord> read;  // the board and the view from one read of the incident list
  timeline::StatusBoard board = StoredStatus(store, engine, at, options, cache, &read);
  if (store.office().empty()) return board;
  const std::set<std::string> seen = SeenAmong(store, engine.rules(), read);
  KeepOnly(board.incidents, seen);
  KeepSeen(seen, board.timeline, board.audit);
  board.source += " [" + store.office() + "]";  // whose view
  return board;
}

std::vector<OwedReport> OwedReports(const timeline::StatusBoard& board, const engine::RuleSet& rules) {
  const std::vector<Office> offices = OfficesOf(rules);
  const std::int64_t tolerance_s = std::int64_t{board.audit.options.report_tolerance_min} * 60;
  std::vector<OwedReport> out;
  for (const timeline::IncidentAudit& a : board.audit.incidents) {
    for (const timeline::ReportingAudit& r : a.reporting) {
      if (r.status != "missing" && r.status != "incomplete") continue;
      OwedReport o;
      o.incident_id = a.incident_id;
      o.clause = r.clause;
      for (const engine::ReportingRule& rule : rules.reporting)
        if (rule.clause == r.clause) o.reporter = rule.reporter;
      for (const Office& off : offices)
        if (o.office.empty() && HoldsRole(off, o.reporter)) o.office = off.id;
      o.to = r.status == "missing" ? r.recipients : r.missing_recipients;
      o.due_at = r.due_at;
      o.by = std::max(r.due_at, r.known_at.value_or(r.due_at));
      o.by.epoch_s += tolerance_s;
      o.overdue = o.by < board.at;
      out.push_back(std::move(o));
    }
  }
  return out;
}

std::string OwedReportsJson(const std::vector<OwedReport>& owed) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const OwedReport& o : owed)
    out.push_back({{"incident_id", o.incident_id},
                   {"clause", o.clause},
                   {"office", o.office.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(o.office)},
                   {"reporter", o.reporter},
                   {"to", o.to},
                   {"due_at", FormatIso8601(o.due_at)},
                   {"by", FormatIso8601(o.by)},
                   {"overdue", o.overdue}});
  return out.dump();
}

std::string StatusJson(const Store& store, const timeline::StatusBoard& board, const engine::RuleSet& rules) {
  std::string j = timeline::StatusToJson(board, rules);
  if (!store.office().empty())
    j.insert(j.size() - 1, ",\"owed_reports\":" + OwedReportsJson(OwedReports(board, rules)));
  return j;
}

std::string OwedReportsText(const std::vector<OwedReport>& owed, const engine::RuleSet& rules,
                            const std::string& lang) {
  if (owed.empty()) return "";
  const bool en = lang == "en";
  std::string out = en ? "Upward reports owed (5.2):\n" : "应向上报告（5.2）：\n";
  for (const OwedReport& o : owed) {
    std::string to;
    for (const auto& id : o.to) to += (to.empty() ? "" : (en ? ", " : "、")) + rules.NameOf(id, lang);
    out += "  " + o.incident_id + " " + o.clause + (en ? ": office " : "：") +
           (o.office.empty() ? std::string("—") : o.office) + " (" + rules.NameOf(o.reporter, lang) + ")" +
           (en ? " to " : " 报 ") + to + (en ? "; due " : "；应于 ") + FormatShort(o.due_at) +
           (en ? ", by " : "，最迟 ") + FormatShort(o.by) + (o.overdue ? (en ? " — OVERDUE" : " —— 已逾期") : "") +
           "\n";
  }
  return out;
}

}  // namespace firebreak::store
