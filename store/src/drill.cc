// Drill replay and expectation checks (drill.h).
#include "firebreak/store/drill.h"

#include <algorithm>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"

namespace firebreak::store {
namespace {

using nlohmann::json;

std::string Lv(std::optional<engine::Level> l) { return l ? engine::LevelName(*l) : "none"; }

std::string Roles(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "(none)" : out;
}

// One scenario event through the desk; errors name the scenario's line.
void Replay(Desk& desk, const timeline::Scenario& sc, int kind, std::size_t index) {
  if (kind == 0) {
    const auto& r = sc.reports[index];
    desk.ReportOne(r.json, r.where, r.recorded_at);
    return;
  }
  const std::string& where = kind == 1 ? sc.declarations[index].where : sc.upward_reports[index].where;
  try {
    if (kind == 1) {
      const auto& d = sc.declarations[index];
      if (d.kind == "end")
        desk.Close(d.incident_id, d.by, d.at);
      else
        desk.Declare(d.incident_id, *d.level, d.by, d.at, d.kind);
    } else {
      const auto& u = sc.upward_reports[index];
      desk.UpwardReport(u.incident_id, u.clause, u.to, u.at);
    }
  } catch (const Error& err) {
    // An incident unknown at that moment is the scenario's mistake (an event before the incident's first
    // report), not a lookup in the user's store: a drill's bad input exits 4.
    if (err.kind() == ErrorKind::kNotFound)
      throw Error(ErrorKind::kInput, where, err.message() + " at this moment of the drill",
                  "an incident's declarations and upward reports must come at or after its first report");
    throw Error(err.kind(), where, err.message(), err.hint());
  }
}

// The scenario's incident ids; none may be in the store already (a drill replays into a fresh store).
std::set<std::string> FreshIncidentIds(const timeline::Scenario& sc, const Store& store, const std::string& path) {
  std::set<std::string> ids;
  for (const auto& r : sc.reports) ids.insert(r.incident_id);
  for (const auto& id : ids)
    if (store.FindIncident(id))
      throw Error(ErrorKind::kStore, path,
                  "the store already holds incident '" + id + "'; a drill replays into a fresh store",
                  "use --store :memory: or a new file");
  return ids;
}

// One record of the replay: kind 0 report, 1 declaration, 2 upward report; index into the scenario's list.
struct ReplayEvent {
  Timestamp at;
  int kind;
  std::size_t index;
};

// Replay in the order the office records: reports at their recorded_at (a late report after reports of later
// moments), declarations and upward reports at their time; at equal times reports, then declarations, then
// upward reports (file order within).
std::vector<ReplayEvent> ReplayOrder(const timeline::Scenario& sc) {
  std::vector<ReplayEvent> events;
  for (std::size_t i = 0; i < sc.reports.size(); ++i) events.push_back({sc.reports[i].recorded_at, 0, i});
  for (std::size_t i = 0; i < sc.declarations.size(); ++i) events.push_back({sc.declarations[i].at, 1, i});
  for (std::size_t i = 0; i < sc.upward_reports.size(); ++i) events.push_back({sc.upward_reports[i].at, 2, i});
  std::stable_sort(events.begin(), events.end(), [](const ReplayEvent& a, const ReplayEvent& b) {
    return a.at != b.at ? a.at < b.at : a.kind < b.kind;
  });
  return events;
}

void AddCheck(DrillResult& res, const std::string& where, std::string what, std::string expected, std::string actual,
              std::optional<Timestamp> at = std::nullopt) {
  bool ok = expected == actual;
  res.checks.push_back(Check{where, std::move(what), std::move(expected), std::move(actual), ok, at});
}

// expect: levels, deciders and leads against the rebuilt timeline.
void CheckTimeline(const timeline::Scenario& sc, DrillResult& res) {
  for (const auto& x : sc.expect_levels) {
    const auto* it = res.timeline.Find(x.incident_id);
    AddCheck(res, x.where, "required level " + x.incident_id + " @ " + FormatShort(x.at), Lv(x.level),
             it ? Lv(it->RequiredAt(x.at)) : "(no timeline)", x.at);
  }
  for (const auto& x : sc.expect_deciders) {
    const auto* it = res.timeline.Find(x.incident_id);
    const timeline::Step* s = it ? it->StepAt(x.at) : nullptr;
    AddCheck(res, x.where, "deciders " + x.incident_id + " @ " + FormatShort(x.at), Roles(x.roles),
             s ? Roles(s->deciders) : "(no step)", x.at);
  }
  for (const auto& x : sc.expect_leads) {
    const auto* it = res.timeline.Find(x.incident_id);
    const timeline::Step* s = it ? it->StepAt(x.at) : nullptr;
    AddCheck(res, x.where, "lead " + x.incident_id + " @ " + FormatShort(x.at), engine::TierName(x.tier),
             s && s->lead ? engine::TierName(*s->lead) : "(none)", x.at);
  }
}

// expect: escalations (present, due, clause, verdict, delay) against the audit.
void CheckEscalations(const timeline::Scenario& sc, DrillResult& res) {
  for (const auto& x : sc.expect_escalations) {
    const timeline::IncidentAudit* a = res.audit.Find(x.incident_id);
    const timeline::EscalationAudit* e = nullptr;
    if (a)
      for (const auto& es : a->escalations)
        if (es.to == x.level) {
          e = &es;
          break;
        }
    std::string what = "escalation " + x.incident_id + " to " + engine::LevelName(x.level);
    if (!e) {
      AddCheck(res, x.where, what, "present", "no escalation to this level");
      continue;
    }
    if (x.due) AddCheck(res, x.where, what + ": due", FormatShort(*x.due), FormatShort(e->due_at), e->due_at);
    if (x.clause) {
      bool has = std::find(e->clauses.begin(), e->clauses.end(), *x.clause) != e->clauses.end();
      std::string all;
      for (const auto& c : e->clauses) all += (all.empty() ? "" : ", ") + c;
      AddCheck(res, x.where, what + ": clause", *x.clause, has ? *x.clause : all, e->due_at);
    }
    if (x.verdict) AddCheck(res, x.where, what + ": verdict", *x.verdict, e->verdict, e->declared_at);
    if (x.delay_min)
      AddCheck(res, x.where, what + ": delay (min)", std::to_string(*x.delay_min),
               e->delay_s ? std::to_string((*e->delay_s + 30) / 60) : "(not declared)", e->declared_at);
  }
}

// expect: reporting duties and findings against the audit.
void CheckReportingAndFindings(const timeline::Scenario& sc, DrillResult& res) {
  for (const auto& x : sc.expect_reporting) {
    const timeline::IncidentAudit* a = res.audit.Find(x.incident_id);
    const timeline::ReportingAudit* r = nullptr;
    if (a)
      for (const auto& ra : a->reporting)
        if (ra.clause == x.clause) r = &ra;
    std::string what = "report " + x.clause + " " + x.incident_id;
    if (x.status && *x.status == "not-due") {
      AddCheck(res, x.where, what, "not-due", r ? "due at " + FormatShort(r->due_at) : "not-due");
      continue;
    }
    if (!r) {
      AddCheck(res, x.where, what, "due", "never due");
      continue;
    }
    if (x.due) AddCheck(res, x.where, what + ": due", FormatShort(*x.due), FormatShort(r->due_at), r->due_at);
    if (x.status) AddCheck(res, x.where, what + ": status", *x.status, r->status, r->made_at ? r->made_at : r->due_at);
  }
  for (const auto& x : sc.expect_findings) {
    const timeline::IncidentAudit* a = res.audit.Find(x.incident_id);
    bool has = false;
    if (a)
      for (const auto& f : a->findings) has = has || f.code == x.code;
    AddCheck(res, x.where, "finding " + x.code + " " + x.incident_id, x.present ? "present" : "absent",
             has ? "present" : "absent");
  }
}

}  // namespace

bool DrillResult::ok() const {
  if (!verify.ok) return false;
  for (const auto& c : checks)
    if (!c.ok) return false;
  return true;
}

DrillResult RunDrill(const timeline::Scenario& sc, const engine::Engine& engine, const DrillOptions& options) {
  const engine::RuleSet& rules = engine.rules();
  Store store = Store::Open(options.store_path);
  const std::set<std::string> ids = FreshIncidentIds(sc, store, options.store_path);
  const std::vector<ReplayEvent> events = ReplayOrder(sc);
  // The desk's clock is the scenario's.
  Timestamp clock = sc.start;
  Desk desk(store, engine, options.enrich, [&clock] { return clock; });
  // Maps are read before the transaction (never while holding the store's write lock).
  std::vector<timeline::ReportEntry> order;
  for (const ReplayEvent& e : events)
    if (e.kind == 0) {
      const auto& r = sc.reports[e.index];
      order.push_back(timeline::ReportEntry{r.incident_id, r.at, r.recorded_at, 0, r.json, r.where});
    }
  desk.Preenrich(order);
  DrillResult res;
  // All or nothing: one transaction for the whole replay.
  store.Transaction([&] {
    for (const ReplayEvent& e : events) {
      clock = e.at;
      Replay(desk, sc, e.kind, e.index);
      ++res.records;
    }
  });
  // Rebuild everything from the store (what an auditor would see), restricted to the scenario's incidents.
  std::vector<IncidentHistory> histories;
  for (const auto& id : ids) histories.push_back(store.History(id));
  timeline::TimelineInput in = TimelineInputFromStore(histories, options.enrich);
  in.until = sc.until;
  for (const auto& j : sc.injects) in.injects.push_back(timeline::TimelineInject{j.at, j.incident_id, j.text});
  res.timeline = timeline::BuildTimeline(engine, in);
  res.audit = timeline::Audit(res.timeline, rules, sc.audit);
  res.verify = store.Verify();
  CheckTimeline(sc, res);
  CheckEscalations(sc, res);
  CheckReportingAndFindings(sc, res);
  return res;
}

std::string DrillToText(const timeline::Scenario& sc, const DrillResult& r, const engine::RuleSet& rules,
                        const std::string& lang) {
  const bool en = lang == "en";
  std::ostringstream out;
  out << (en ? "Drill: " : "演练：") << (en ? sc.title.en : sc.title.zh) << "  [" << sc.file << "]\n";
  const std::string& desc = en ? sc.description.en : sc.description.zh;
  if (!desc.empty()) out << desc << "\n";
  out << (en ? "Start " : "开始 ") << FormatIso8601(sc.start) << (en ? "; replayed " : "；回放 ") << r.records
      << (en ? " records into the store; " : " 条记录入库；") << r.timeline.evaluations
      << (en ? " engine assessments\n\n" : " 次研判\n\n");
  out << timeline::TimelineToText(r.timeline, rules, lang) << "\n";
  out << timeline::AuditToText(r.audit, rules, lang) << "\n";
  int passed = 0;
  out << (en ? "Expectations:\n" : "预期检查：\n");
  for (const auto& c : r.checks) {
    passed += c.ok;
    out << "  " << (c.ok ? "✓ " : "✗ ") << c.what << ": " << c.expected;
    if (!c.ok) out << (en ? "  BUT GOT " : "  实际为 ") << c.actual << "   (" << c.where << ")";
    out << "\n";
  }
  out << (en ? "Store verify: " : "存储校验：") << (r.verify.ok ? "ok" : "FAILED") << " (" << r.verify.audit_entries
      << (en ? " audit entries)\n" : " 条审计记录)\n");
  for (const auto& p : r.verify.problems) out << "  ! " << p << "\n";
  out << (en ? "Result: " : "结果：") << passed << "/" << r.checks.size() << (en ? " expectations hold" : " 项预期成立")
      << (r.ok() ? (en ? " — PASS\n" : " —— 通过\n") : (en ? " — FAIL\n" : " —— 未通过\n"));
  return out.str();
}

std::string DrillToJson(const timeline::Scenario& sc, const DrillResult& r, const engine::RuleSet& rules, int indent) {
  json j;
  j["scenario"] = {{"file", sc.file},
                   {"name", sc.name},
                   {"title", {{"zh", sc.title.zh}, {"en", sc.title.en}}},
                   {"start", FormatIso8601(sc.start)}};
  j["ok"] = r.ok();
  j["records"] = r.records;
  j["timeline"] = json::parse(timeline::TimelineToJson(r.timeline, rules, -1));
  j["audit"] = json::parse(timeline::AuditToJson(r.audit, rules, -1));
  j["checks"] = json::array();
  for (const auto& c : r.checks)
    j["checks"].push_back({{"where", c.where},
                           {"what", c.what},
                           {"expected", c.expected},
                           {"actual", c.actual},
                           {"ok", c.ok},
                           {"at", c.at ? json(FormatIso8601(*c.at)) : json(nullptr)}});
  j["store_verify"] = {{"ok", r.verify.ok}, {"audit_entries", r.verify.audit_entries}, {"problems", r.verify.problems}};
  return j.dump(indent);
}

}  // namespace firebreak::store
