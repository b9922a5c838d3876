// The duty desk (desk.h).
#include "firebreak/store/desk.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/common/text.h"
#include "firebreak/format/report_io.h"

namespace firebreak::store {
namespace {

using nlohmann::json;

std::string IncidentIdOf(const std::string& obj, const std::string& source) {
  json j = json::parse(obj, nullptr, false);
  if (!j.is_object() || !j.contains("incident_id") || !j["incident_id"].is_string())
    throw Error(ErrorKind::kInput, source + ": /incident_id", "missing or not a string",
                "every report names its incident, e.g. \"incident_id\": \"F-1\"");
  return j["incident_id"].get<std::string>();
}

// The decision as stored: its essentials (level, firing clauses, deciders, grade, lead, 5.2 duties, next due,
// assumptions) in ≈0.5 KB instead of the ≈15 KB full rendering. The full decision is reproducible from the stored
// report and the rule file whose SHA-256 is stored with it (`firebreak assess`). Built by hand: it is on the
// recording hot path (docs/bench/e.md).
void AppendString(std::string& out, std::string_view v) { text::AppendJsonString(out, v); }
template <class Range, class F>
void AppendArray(std::string& out, const Range& r, F&& item) {
  out += '[';
  bool first = true;
  for (const auto& x : r) {
    if (!first) out += ',';
    first = false;
    item(x);
  }
  out += ']';
}

std::string CompactDecisionJson(const engine::Decision& d) {
  std::string o;
  o.reserve(512);
  o += "{\"incident_id\":";
  AppendString(o, d.incident_id);
  o += ",\"at\":";
  AppendString(o, FormatIso8601(d.at));
  o += ",\"rules_sha256\":";
  AppendString(o, d.rules_sha256);
  o += ",\"response_level\":";
  if (d.response_level) AppendString(o, engine::LevelName(*d.response_level));
  else o += "null";
  o += ",\"triggers\":";
  AppendArray(o, d.triggers, [&](const engine::TriggerFiring& t) { AppendString(o, t.clause); });
  o += ",\"decided_by\":";
  AppendArray(o, d.decided_by, [&](std::string_view r) { AppendString(o, r); });
  o += ",\"grade\":";
  if (d.grade.grade) AppendString(o, engine::GradeNameEn(*d.grade.grade));
  else o += "null";
  o += ",\"lead\":";
  AppendString(o, engine::TierName(d.lead.tier));
  o += ",\"reporting\":";
  AppendArray(o, d.reporting, [&](const engine::ReportingOut& r) { AppendString(o, r.rule.clause); });
  o += ",\"next_due\":";
  AppendArray(o, d.next.due, [&](const engine::DueTime& x) {
    o += "{\"clause\":";
    AppendString(o, x.clause);
    o += ",\"level\":";
    AppendString(o, engine::LevelName(x.level));
    o += ",\"at\":";
    AppendString(o, FormatIso8601(x.at));
    o += '}';
  });
  o += ",\"defaulted\":";
  AppendArray(o, d.defaulted, [&](std::string_view f) { AppendString(o, f); });
  o += '}';
  return o;
}

}  // namespace

Desk::Desk(Store& store, const engine::Engine& engine, Enrich enrich)
    : store_(store), engine_(engine), enrich_(std::move(enrich)) {
  const engine::RuleSet& rules = engine_.rules();
  for (const auto& inc : store_.Incidents(true)) {
    IncidentHistory h = store_.History(inc.incident_id);
    if (h.reports.empty()) continue;
    std::string merged = "{}";
    for (const auto& r : h.reports) merged = timeline::MergeReportJson(merged, r.body, "store: report " + std::to_string(r.id));
    Open o;
    o.merged = merged;
    o.last_at = h.reports.back().reported_at;
    try {
      auto parsed = format::ParseReports(merged, "store: incident " + inc.incident_id, rules);
      o.burning = !parsed.at(0).extinguished.value_or(false);
      o.dangerous = parsed.at(0).dangerous.value_or(false);
    } catch (const Error&) {
      o.burning = true;  // counted as burning: we cannot tell otherwise
    }
    SetState(inc.incident_id, std::move(o));
  }
}

void Desk::SetState(const std::string& id, Open o) {
  auto it = open_.find(id);
  if (it != open_.end()) {
    burning_ -= it->second.burning;
    dangerous_ -= it->second.burning && it->second.dangerous;
  }
  burning_ += o.burning;
  dangerous_ += o.burning && o.dangerous;
  open_[id] = std::move(o);
}

engine::Concurrency Desk::CurrentConcurrency() const { return engine::Concurrency{std::max(1, burning_), dangerous_}; }

void Desk::CheckRole(const std::string& role) const {
  const engine::RuleSet& rules = engine_.rules();
  if (rules.FindRole(role) || rules.FindUnit(role)) return;
  std::vector<std::string> ids;
  for (const auto& r : rules.roles) ids.push_back(r.id);
  std::string near = ClosestMatch(role, ids);
  throw Error(ErrorKind::kInput, "--by", "unknown role '" + role + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
              "role ids are listed by `firebreak rules show`");
}

Recorded Desk::ReportOne(const std::string& obj, const std::string& source) {
  const engine::RuleSet& rules = engine_.rules();
  const std::string id = IncidentIdOf(obj, source);
  auto prev = open_.find(id);
  if (prev == open_.end() && store_.FindIncident(id))
    throw Error(ErrorKind::kInput, source, "incident '" + id + "' is closed", "a new fire needs a new incident id");
  std::string merged = prev == open_.end() ? obj : timeline::MergeReportJson(prev->second.merged, obj, source);
  std::vector<engine::Incident> parsed = format::ParseReports(merged, source, rules);
  Recorded rec;
  rec.incident = std::move(parsed.at(0));
  if (prev != open_.end() && rec.incident.reported_at < prev->second.last_at)
    throw Error(ErrorKind::kInput, source + ": /reported_at",
                "report of " + FormatIso8601(rec.incident.reported_at) + " is earlier than the last stored report of '" +
                    id + "' (" + FormatIso8601(prev->second.last_at) + ")",
                "reports of an incident are recorded in time order");
  if (enrich_) enrich_(rec.incident);
  Open o;
  o.merged = merged;
  o.last_at = rec.incident.reported_at;
  o.burning = !rec.incident.extinguished.value_or(false);
  o.dangerous = rec.incident.dangerous.value_or(false);
  // Concurrency with this report's state counted in.
  int burning = burning_, dangerous = dangerous_;
  if (prev != open_.end()) {
    burning -= prev->second.burning;
    dangerous -= prev->second.burning && prev->second.dangerous;
  }
  burning += o.burning;
  dangerous += o.burning && o.dangerous;
  engine_.AssessInto(rec.incident, rec.incident.reported_at, engine::Concurrency{std::max(1, burning), dangerous},
                     rec.decision);
  const std::string decision_json = CompactDecisionJson(rec.decision);
  store_.Transaction([&] {
    if (prev == open_.end()) store_.EnsureIncident(id, rec.incident.reported_at, rec.incident.county);
    rec.report_id = store_.AddReport(id, rec.incident.reported_at, obj, source);
    store_.AddDecision(rec.report_id, rec.incident.reported_at, rec.decision.response_level, rules.meta.id,
                       rules.source_sha256, decision_json);
  });
  SetState(id, std::move(o));  // only after the commit
  return rec;
}

std::vector<Recorded> Desk::Report(const std::string& text, const std::string& source) {
  // Each report is validated on the incident's merged state (a partial update is not a whole report); the
  // single transaction below makes the file all-or-nothing.
  std::vector<std::string> objs = timeline::ReportObjects(text, source);
  std::vector<Recorded> out;
  auto saved = open_;
  int saved_burning = burning_, saved_dangerous = dangerous_;
  try {
    store_.Transaction([&] {
      for (std::size_t i = 0; i < objs.size(); ++i)
        out.push_back(ReportOne(objs[i], objs.size() == 1 ? source : source + ": /" + std::to_string(i)));
    });
  } catch (...) {
    open_ = std::move(saved);
    burning_ = saved_burning;
    dangerous_ = saved_dangerous;
    throw;
  }
  return out;
}

void Desk::Declare(const std::string& incident_id, engine::Level level, const std::string& by, const Timestamp& at,
                   const std::string& kind) {
  CheckRole(by);
  if (kind != "" && kind != "declare" && kind != "raise")
    throw Error(ErrorKind::kInput, "declaration", "kind must be declare or raise, got '" + kind + "'");
  store_.Transaction([&] {
    auto inc = store_.FindIncident(incident_id);
    if (!inc)
      throw Error(ErrorKind::kNotFound, incident_id, "no incident '" + incident_id + "' in the store",
                  "`firebreak status` lists open incidents");
    if (inc->closed_at)
      throw Error(ErrorKind::kInput, incident_id, "incident '" + incident_id + "' is closed");
    std::string k = kind;
    if (k.empty()) {
      std::optional<engine::Level> last;
      for (const auto& d : store_.History(incident_id).declarations) last = d.kind == "end" ? std::nullopt : d.level;
      k = last && static_cast<int>(level) > static_cast<int>(*last) ? "raise" : "declare";
    }
    store_.AddDeclaration(DeclarationRecord{0, incident_id, k, level, by, at});
  });
}

void Desk::Close(const std::string& incident_id, const std::string& by, const Timestamp& at) {
  CheckRole(by);
  store_.Transaction([&] {
    auto inc = store_.FindIncident(incident_id);
    if (!inc)
      throw Error(ErrorKind::kNotFound, incident_id, "no incident '" + incident_id + "' in the store",
                  "`firebreak status` lists open incidents");
    store_.AddDeclaration(DeclarationRecord{0, incident_id, "end", std::nullopt, by, at});
    store_.CloseIncident(incident_id, at, by);
  });
  auto it = open_.find(incident_id);
  if (it != open_.end()) {
    burning_ -= it->second.burning;
    dangerous_ -= it->second.burning && it->second.dangerous;
    open_.erase(it);
  }
}

void Desk::UpwardReport(const std::string& incident_id, const std::string& clause, const std::vector<std::string>& to,
                        const Timestamp& at) {
  // The clause must be one of the rule file's 5.2 reporting conditions, and every recipient one it names.
  const engine::RuleSet& rules = engine_.rules();
  const engine::ReportingRule* rule = nullptr;
  std::vector<std::string> clauses, recipients;
  for (const auto& r : rules.reporting) {
    clauses.push_back(r.clause);
    if (r.clause == clause) rule = &r;
    for (const auto& id : r.recipients)
      if (std::find(recipients.begin(), recipients.end(), id) == recipients.end()) recipients.push_back(id);
  }
  if (!rule) {
    std::string hint = ClosestMatch(clause, clauses);
    throw Error(ErrorKind::kInput, "CLAUSE", "'" + clause + "' is not a reporting condition of the rule file",
                hint.empty() ? "see `firebreak rules show --format json` (reporting)" : "did you mean '" + hint + "'?");
  }
  if (to.empty())
    throw Error(ErrorKind::kInput, "--to", "no recipient given", "name who was told, e.g. city_government");
  for (const auto& id : to)
    if (std::find(recipients.begin(), recipients.end(), id) == recipients.end()) {
      std::string hint = ClosestMatch(id, recipients);
      throw Error(ErrorKind::kInput, "--to", "unknown recipient '" + id + "'",
                  hint.empty() ? "recipients of " + clause + " are the ids in the rule file's reporting section"
                               : "did you mean '" + hint + "'?");
    }
  store_.Transaction([&] {
    auto inc = store_.FindIncident(incident_id);
    if (!inc)
      throw Error(ErrorKind::kNotFound, incident_id, "no incident '" + incident_id + "' in the store",
                  "`firebreak status` lists open incidents");
    store_.AddUpwardReport(UpwardReportRecord{0, incident_id, clause, to, at});
  });
}

timeline::TimelineInput TimelineInputFromStore(const std::vector<IncidentHistory>& histories,
                                             const engine::RuleSet& rules, const Enrich& enrich) {
  timeline::TimelineInput in;
  for (const auto& h : histories) {
    std::string merged = "{}";
    for (const auto& r : h.reports) {
      std::string where = "store: " + h.incident.incident_id + " report " + std::to_string(r.id);
      merged = timeline::MergeReportJson(merged, r.body, where);
      std::vector<engine::Incident> parsed;
      try {
        parsed = format::ParseReports(merged, r.source.empty() ? where : r.source, rules);
      } catch (const Error& e) {
        throw Error(ErrorKind::kStore, where, "a stored report no longer parses with these rules: " + e.ToString(),
                    "use the rule file the store was recorded with (see `firebreak store verify`)");
      }
      engine::Incident inc = std::move(parsed.at(0));
      if (enrich) enrich(inc);
      in.reports.push_back(std::move(inc));
    }
    for (const auto& d : h.declarations)
      in.declarations.push_back(timeline::TimelineDeclaration{h.incident.incident_id, d.kind, d.level, d.by, d.at});
    for (const auto& u : h.upward_reports)
      in.upward_reports.push_back(timeline::TimelineUpwardReport{h.incident.incident_id, u.clause, u.to, u.at});
  }
  return in;
}

timeline::Timeline StoredTimeline(const Store& store, const engine::Engine& engine, const Timestamp& until,
                                  bool open_only) {
  std::vector<IncidentHistory> hs;
  for (const auto& inc : store.Incidents(open_only)) hs.push_back(store.History(inc.incident_id));
  timeline::TimelineInput in = TimelineInputFromStore(hs, engine.rules());
  in.until = until;
  return timeline::BuildTimeline(engine, in);
}

timeline::StatusBoard StoredStatus(const Store& store, const engine::Engine& engine, const Timestamp& at,
                                   const timeline::AuditOptions& options) {
  return timeline::BuildStatusBoard(StoredTimeline(store, engine, at, true), engine.rules(), at, options, store.path());
}

}  // namespace firebreak::store
