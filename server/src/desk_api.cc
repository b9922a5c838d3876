// The desk's operations (desk_api.h). Status and audit are computed with the library calls the CLI uses; the
// board rows below are the one place the server derives the status board (REPOINT to onetruth's StatusBoard).
#include "desk_api.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/format/merge.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"
#include "firebreak/store/offices.h"
#include "firebreak/timeline/audit.h"
#include "firebreak/timeline/history.h"
#include "firebreak/timeline/timeline.h"
#include "http_types.h"

namespace firebreak::server {

namespace {

using json = nlohmann::ordered_json;

json Lv(std::optional<engine::Level> l) { return l ? json(engine::LevelName(*l)) : json(nullptr); }
json Time(const std::optional<Timestamp>& t) { return t ? json(FormatIso8601(*t)) : json(nullptr); }

// Each incident's latest state (the one merge, timeline/history.h), not enriched.
std::map<std::string, engine::Incident> LatestStates(const engine::Engine& eng,
                                                     const std::vector<timeline::ReportEntry>& reports) {
  std::map<std::string, engine::Incident> out;
  for (const auto& [id, rs] : timeline::ReportsByIncident(reports))
    out.emplace(id, timeline::MergeHistory(eng, rs).back());
  return out;
}

timeline::AuditOptions AuditOpts(int tolerance_min) {
  timeline::AuditOptions ao;
  if (tolerance_min >= 0) ao.declaration_tolerance_min = ao.report_tolerance_min = tolerance_min;
  return ao;
}

std::string ItemKey(const std::string& item, const std::optional<Timestamp>& due) {
  return item + "@" + (due ? std::to_string(due->epoch_s) : "");
}

// REPOINT: the status board (what `firebreak status` prints, cli/cmd_store.cc RunStatus): per open incident
// the required and declared level now, who decides, the next clock-driven level (only when above the
// required one), and the duties overdue — escalations never declared and 5.2 reports missing or incomplete —
// with who acknowledged them. Overdue rows first, then by the next due time.
json BoardRows(const timeline::Timeline& tl, const timeline::AuditReport& audit, const Timestamp& now,
               const std::vector<store::Acknowledgement>& acks) {
  std::map<std::string, const store::Acknowledgement*> acked;
  for (const auto& a : acks) acked[a.incident_id + "|" + ItemKey(a.item, a.due_at)] = &a;
  auto ack_json = [&](const std::string& id, const std::string& item, const Timestamp& due) -> json {
    auto it = acked.find(id + "|" + ItemKey(item, due));
    if (it == acked.end()) return nullptr;
    return json{{"username", it->second->username},
                {"role", it->second->role},
                {"at", FormatIso8601(it->second->at)},
                {"note", it->second->note}};
  };
  json rows = json::array();
  for (const auto& it : tl.incidents) {
    const timeline::Step* s = it.StepAt(now);
    json row = {{"incident_id", it.incident_id},
                {"county", it.county ? json(*it.county) : json(nullptr)},
                {"required", Lv(it.RequiredAt(now))},
                {"declared", Lv(it.DeclaredAt(now))}};
    row["deciders"] = s ? json(s->deciders) : json::array();
    row["decider_clause"] = s ? s->decider_clause : "";
    row["lead"] = s && s->lead ? json(engine::TierName(*s->lead)) : json(nullptr);
    row["grade"] = s && s->grade ? json(engine::GradeNameEn(*s->grade)) : json(nullptr);
    row["terminated"] = s && s->terminated;
    row["open_fire_hours"] = s && s->open_fire_hours ? json(*s->open_fire_hours) : json(nullptr);
    row["next"] = nullptr;
    if (s && s->next_due && s->next_level &&
        (!s->required || static_cast<int>(*s->next_level) > static_cast<int>(*s->required)))
      row["next"] = {{"level", engine::LevelName(*s->next_level)},
                     {"due", FormatIso8601(*s->next_due)},
                     {"clause", s->next_clause}};
    json overdue = json::array();
    if (const timeline::IncidentAudit* a = audit.Find(it.incident_id)) {
      for (const auto& e : a->escalations)
        if (e.timeliness == "missing") {
          const std::string item = std::string("level:") + engine::LevelName(e.to);
          overdue.push_back({{"item", item},
                             {"kind", "level"},
                             {"level", engine::LevelName(e.to)},
                             {"due_at", FormatIso8601(e.due_at)},
                             {"known_at", e.known_at ? json(FormatIso8601(*e.known_at)) : json(nullptr)},
                             {"since", FormatIso8601(timeline::OwedSince(e.due_at, e.known_at))},
                             {"clauses", e.clauses},
                             {"should_decide", e.should_decide},
                             {"ack", ack_json(it.incident_id, item, e.due_at)}});
        }
      for (const auto& r : a->reporting)
        if (r.status == "missing" || r.status == "incomplete") {
          const std::string item = "report:" + r.clause;
          overdue.push_back({{"item", item},
                             {"kind", "report"},
                             {"clause", r.clause},
                             {"status", r.status},
                             {"due_at", FormatIso8601(r.due_at)},
                             {"known_at", r.known_at ? json(FormatIso8601(*r.known_at)) : json(nullptr)},
                             {"since", FormatIso8601(timeline::OwedSince(r.due_at, r.known_at))},
                             {"recipients", r.recipients},
                             {"missing_recipients", r.status == "missing" ? r.recipients : r.missing_recipients},
                             {"ack", ack_json(it.incident_id, item, r.due_at)}});
        }
    }
    row["overdue"] = std::move(overdue);
    rows.push_back(std::move(row));
  }
  auto rank = [](const json& r) {
    int unacked = 0;
    for (const auto& o : r["overdue"]) unacked += o["ack"].is_null();
    return unacked ? 0 : (r["overdue"].empty() ? 2 : 1);
  };
  auto due = [](const json& r) { return r["next"].is_null() ? std::string("~") : r["next"]["due"].get<std::string>(); };
  std::stable_sort(rows.begin(), rows.end(), [&](const json& a, const json& b) {
    return std::make_pair(rank(a), due(a)) < std::make_pair(rank(b), due(b));
  });
  return rows;
}

// Person behind each desk record: "tbl:row_id" -> action.
std::map<std::string, store::DeskAction> ActionsByRow(const store::Accounts& acc) {
  std::map<std::string, store::DeskAction> out;
  for (auto& a : acc.Actions()) out[a.tbl + ":" + std::to_string(a.row_id)] = a;
  return out;
}

json Actor(const std::map<std::string, store::DeskAction>& by_row, const std::string& tbl, std::int64_t id) {
  auto it = by_row.find(tbl + ":" + std::to_string(id));
  if (it == by_row.end()) return nullptr;
  return json{{"username", it->second.username}, {"role", it->second.role}};
}

// The office the desk records as (its database role on a shared store): {"id", "kind", "name"}; null without.
json OfficeJson(const engine::RuleSet& rules, const std::string& office) {
  if (office.empty()) return nullptr;
  const std::vector<store::Office> offices = store::OfficesOf(rules);
  const store::Office* o = store::FindOffice(offices, office);
  if (!o) return json{{"id", office}, {"kind", nullptr}, {"name", nullptr}};
  return json{{"id", o->id}, {"kind", o->kind}, {"name", {{"zh", o->name.zh}, {"en", o->name.en}}}};
}

std::int64_t LastId(store::Store& st, const std::string& tbl) {
  auto rows = st.Query("SELECT max(id) FROM " + tbl);
  const auto* v = rows.empty() ? nullptr : std::get_if<std::int64_t>(&rows[0][0]);
  if (!v) throw Error(ErrorKind::kInternal, tbl, "no row after a write");
  return *v;
}

}  // namespace

DeskApi::DeskApi(const engine::RuleSet& rules, const engine::Engine& engine, const std::string& store_path,
                 store::PasswordCost cost, std::shared_ptr<DeskGeo> geo, std::mutex& geo_mu, int tolerance_min,
                 store::Clock clock)
    : rules_(rules),
      engine_(engine),
      geo_(std::move(geo)),
      geo_mu_(geo_mu),
      tolerance_min_(tolerance_min),
      clock_(std::move(clock)),
      store_(store::Store::Open(store_path)),
      accounts_(store_, rules, cost),
      timelines_(engine) {
  desk_ = std::make_unique<store::Desk>(
      store_, engine_, [this](engine::Incident& i) { Enrich(i); }, clock_);
}

void DeskApi::Enrich(engine::Incident& incident) {
  if (!geo_ || !geo_->enriches()) return;
  std::lock_guard<std::mutex> lock(geo_mu_);
  geo_->Enrich(incident);
}

template <class Fn>
auto DeskApi::Write(Fn&& fn) -> decltype(fn()) {
  try {
    return store_.Transaction(std::forward<Fn>(fn));
  } catch (...) {
    // The Desk keeps open incidents in memory; after a rolled-back write it is rebuilt from the store.
    desk_ = std::make_unique<store::Desk>(
        store_, engine_, [this](engine::Incident& i) { Enrich(i); }, clock_);
    throw;
  }
}

std::vector<store::Recorded> DeskApi::Report(const std::string& text, const store::User& who) {
  return Write([&] {
    auto recs = desk_->Report(text, "web:" + who.username);
    for (const auto& r : recs) accounts_.RecordAction(who, "reports", r.report_id, r.incident.reported_at);
    return recs;
  });
}

std::optional<engine::Level> DeskApi::DeclaredNow(const std::string& incident_id) {
  std::optional<engine::Level> last;
  for (const auto& d : store_.History(incident_id).declarations) last = d.kind == "end" ? std::nullopt : d.level;
  return last;
}

void DeskApi::CheckExpected(const std::string& incident_id, const std::optional<engine::Level>& expect) {
  if (!store_.FindIncident(incident_id))
    throw Error(ErrorKind::kNotFound, incident_id, "no incident '" + incident_id + "' in the store",
                "the status board lists open incidents");
  const auto h = store_.History(incident_id);
  // The level declared now, as a rank (0: none or ended; levels are 1..4). Not an optional<Level>: g++ 12 -O2
  // flags its copies as maybe-uninitialized (the werror preset).
  const store::DeclarationRecord* last = h.declarations.empty() ? nullptr : &h.declarations.back();
  const int now = !last || last->kind == "end" || !last->level ? 0 : static_cast<int>(*last->level);
  if (now == (expect ? static_cast<int>(*expect) : 0)) return;
  std::string who = last ? rules_.NameOf(last->by, "en") : "";
  const auto actors = ActionsByRow(accounts_);
  if (last)
    if (auto it = actors.find("declarations:" + std::to_string(last->id)); it != actors.end())
      who += " (" + it->second.username + ")";
  throw HttpError(409, "conflict", "request body: /expect_declared",
                  "the declared level of " + incident_id + " is now " +
                      (now ? std::string(engine::LevelName(static_cast<engine::Level>(now))) : std::string("none")) +
                      (last ? ", declared by " + who + " at " + FormatIso8601(last->at) : std::string()) + ", not " +
                      (expect ? engine::LevelName(*expect) : "none") + " as your page showed",
                  "someone declared while you were deciding: look at the sheet again, then decide");
}

void DeskApi::Declare(const std::string& incident_id, engine::Level level,
                      const std::optional<engine::Level>& expect_declared, const store::User& who,
                      const Timestamp& at) {
  Write([&] {
    CheckExpected(incident_id, expect_declared);
    desk_->Declare(incident_id, level, who.role, at);
    accounts_.RecordAction(who, "declarations", LastId(store_, "declarations"), at);
  });
}

void DeskApi::Close(const std::string& incident_id, const std::optional<engine::Level>& expect_declared,
                    const store::User& who, const Timestamp& at) {
  Write([&] {
    CheckExpected(incident_id, expect_declared);
    desk_->Close(incident_id, who.role, at);
    accounts_.RecordAction(who, "declarations", LastId(store_, "declarations"), at);
    accounts_.RecordAction(who, "closures", LastId(store_, "closures"), at);
  });
}

void DeskApi::Upward(const std::string& incident_id, const std::string& clause, const std::vector<std::string>& to,
                     const store::User& who, const Timestamp& at) {
  Write([&] {
    desk_->UpwardReport(incident_id, clause, to, at);
    accounts_.RecordAction(who, "upward_reports", LastId(store_, "upward_reports"), at);
  });
}

void DeskApi::Acknowledge(const std::string& incident_id, const std::string& item,
                          const std::optional<Timestamp>& due_at, const std::string& note, const store::User& who,
                          const Timestamp& at) {
  Write([&] { accounts_.Acknowledge(who, incident_id, item, due_at, at, note); });
}

DeskSnapshot DeskApi::Snapshot(const Timestamp& now) {
  // The board `firebreak status` gives (store::OfficeStatus): on a shared store, the office's view — a county its
  // own incidents and what the city declared for them, the city every county (docs/postgresql.md).
  const timeline::StatusBoard board = store::OfficeStatus(store_, engine_, now, AuditOpts(tolerance_min_), &timelines_);
  const timeline::Timeline& tl = board.timeline;
  json j = json::object();
  j["now"] = FormatIso8601(now);
  j["office"] = OfficeJson(rules_, store_.office());
  std::vector<std::string> ids;
  for (const auto& it : tl.incidents) ids.push_back(it.incident_id);
  j["board"] = BoardRows(tl, board.audit, now, accounts_.Acknowledgements(ids));
  // Where each incident of the board is (its latest reported state), for the map.
  std::vector<store::IncidentHistory> hs;
  for (const auto& id : ids) hs.push_back(store_.History(id));
  const std::map<std::string, engine::Incident> latest =
      LatestStates(engine_, store::TimelineInputFromStore(hs).reports);
  json incidents = json::array();
  for (const auto& [id, state] : latest) {
    const engine::Incident* inc = &state;
    incidents.push_back(
        {{"incident_id", id},
         {"county", inc->county ? json(*inc->county) : json(nullptr)},
         {"location", inc->location ? json{{"lon", inc->location->lon}, {"lat", inc->location->lat}} : json(nullptr)},
         {"reported_at", FormatIso8601(inc->reported_at)}});
  }
  j["incidents"] = std::move(incidents);
  json duty = json::array();
  for (const auto& e : accounts_.OnDuty()) {
    auto u = accounts_.FindUser(e.username);
    duty.push_back({{"username", e.username},
                    {"role", e.role},
                    {"display_name", u ? u->display_name : e.username},
                    {"since", FormatIso8601(e.at)}});
  }
  j["on_duty"] = std::move(duty);
  // `firebreak status --format json` (store::StatusJson): the office's timeline and audit and, on a store with
  // offices, the upward reports owed (5.2: which office owes which, to whom, by when).
  j["status"] = json::parse(store::StatusJson(store_, board, rules_));
  DeskSnapshot snap;
  for (const auto& it : tl.incidents) {
    const timeline::Step* s = it.StepAt(now);
    if (s && s->next_due && *s->next_due > now && (!snap.next_wakeup || *s->next_due < *snap.next_wakeup))
      snap.next_wakeup = *s->next_due;
  }
  snap.json = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return snap;
}

engine::Incident DeskApi::LatestState(const std::string& incident_id, std::string* version) {
  return LatestStateOf(store_.History(incident_id), version);  // Error(kNotFound)
}

engine::Incident DeskApi::LatestStateOf(const store::IncidentHistory& h, std::string* version) {
  const std::string& incident_id = h.incident.incident_id;
  timeline::TimelineInput in = store::TimelineInputFromStore({h});
  if (in.reports.empty())
    throw Error(ErrorKind::kNotFound, incident_id, "incident '" + incident_id + "' has no report");
  if (version) {
    std::int64_t last = 0;
    for (const auto& r : h.reports) last = std::max(last, r.id);
    *version = incident_id + '\n' + std::to_string(h.reports.size()) + '\n' + std::to_string(last);
  }
  engine::Incident inc = LatestStates(engine_, in.reports).at(incident_id);
  Enrich(inc);
  return inc;
}

std::string DeskApi::IncidentJson(const std::string& incident_id, const Timestamp& now) {
  const store::IncidentHistory h = store_.History(incident_id);  // Error(kNotFound)
  const auto actors = ActionsByRow(accounts_);
  json j = json::object();
  j["incident"] = {{"incident_id", h.incident.incident_id},
                   {"county", h.incident.county ? json(*h.incident.county) : json(nullptr)},
                   {"opened_at", FormatIso8601(h.incident.opened_at)},
                   {"closed_at", Time(h.incident.closed_at)},
                   {"closed_by", h.incident.closed_at ? json(h.incident.closed_by) : json(nullptr)}};
  std::string merged = "{}";
  json reports = json::array();
  // Late (迟报): recorded after a report of a later moment — the timeline's own test (timeline/history.h).
  const std::vector<bool> late = timeline::LateReports(store::TimelineInputFromStore({h}).reports);
  for (std::size_t k = 0; k < h.reports.size(); ++k) {
    const auto& r = h.reports[k];
    merged = format::MergeReportJson(merged, r.body, "store: report " + std::to_string(r.id));
    reports.push_back({{"id", r.id},
                       {"reported_at", FormatIso8601(r.reported_at)},
                       {"recorded_at", Time(r.recorded_at)},
                       {"late", static_cast<bool>(late[k])},
                       {"source", r.source},
                       {"body", json::parse(r.body, nullptr, false)},
                       {"by_user", Actor(actors, "reports", r.id)}});
  }
  j["state"] = json::parse(merged, nullptr, false);
  json decls = json::array();
  for (const auto& d : h.declarations)
    decls.push_back({{"id", d.id},
                     {"kind", d.kind},
                     {"level", Lv(d.level)},
                     {"by", d.by},
                     {"at", FormatIso8601(d.at)},
                     {"by_user", Actor(actors, "declarations", d.id)}});
  json ups = json::array();
  for (const auto& u : h.upward_reports)
    ups.push_back({{"id", u.id},
                   {"clause", u.clause},
                   {"to", u.to},
                   {"at", FormatIso8601(u.at)},
                   {"by_user", Actor(actors, "upward_reports", u.id)}});
  j["reports"] = std::move(reports);
  j["declarations"] = std::move(decls);
  j["upward_reports"] = std::move(ups);
  j["declared"] = Lv(DeclaredNow(incident_id));
  // The decision now (for a closed incident: at its last report), on the latest state, with terrain.
  engine::Incident inc = LatestStateOf(h);
  const Timestamp at = h.incident.closed_at ? inc.reported_at : std::max(now, inc.reported_at);
  const engine::Decision d = engine_.Assess(inc, at, desk_->CurrentConcurrency());
  j["assessed_at"] = FormatIso8601(at);
  j["decision"] = json::parse(format::DecisionToJson(d, rules_, format::JsonDetail::kFull));
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string DeskApi::Audit(const std::string& incident_id, const std::string& format, const std::string& lang,
                           const Timestamp& now) {
  Timestamp until = now;
  std::vector<std::string> only;
  std::string title;
  if (!incident_id.empty()) {
    auto inc = store_.FindIncident(incident_id);
    if (!inc)
      throw Error(ErrorKind::kNotFound, incident_id, "no incident '" + incident_id + "' in the store",
                  "the status board lists open incidents");
    if (inc->closed_at) until = *inc->closed_at;
    only.push_back(incident_id);
    title = incident_id;
  }
  std::vector<store::IncidentRecord> read;
  timeline::Timeline tl = store::StoredTimeline(store_, engine_, until, false, &timelines_, &read);  // as `audit`
  timeline::AuditReport a = timeline::Audit(tl, rules_, AuditOpts(tolerance_min_), only);
  if (only.empty()) store::KeepOfficeView(store_, rules_, read, tl, a);  // every incident: the office's (as the board)
  if (format == "json") return timeline::AuditToJson(a, rules_);
  if (format == "html") return timeline::AuditToHtml(a, tl, rules_, lang, title);
  if (format == "text") return timeline::AuditToText(a, rules_, lang);
  if (format == "timeline") {
    timeline::Timeline one = tl;
    one.incidents.clear();
    for (const auto& it : tl.incidents)
      if (only.empty() || it.incident_id == only[0]) one.incidents.push_back(it);
    return timeline::TimelineToJson(one, rules_, -1);
  }
  throw Error(ErrorKind::kUsage, "format", "unknown format '" + format + "'", "json, html, text or timeline");
}

std::string DeskApi::Handover(const store::User& who, const Timestamp& now) {
  // The shift began at the person's sign-in (else 12 h ago).
  Timestamp since{now.epoch_s - 12 * 3600, now.offset_min};
  for (const auto& e : accounts_.OnDuty())
    if (e.username == who.username) since = e.at;
  const json board = json::parse(Snapshot(now).json)["board"];
  const Timestamp horizon{now.epoch_s + 12 * 3600, now.offset_min};
  json due = json::array();
  for (const auto& r : board)
    if (!r["next"].is_null() && r["next"]["due"].get<std::string>() <= FormatIso8601(horizon))
      due.push_back({{"incident_id", r["incident_id"]},
                     {"level", r["next"]["level"]},
                     {"due", r["next"]["due"]},
                     {"clause", r["next"]["clause"]}});
  const auto actors = ActionsByRow(accounts_);
  json done = {{"reports", json::array()}, {"declarations", json::array()}, {"upward_reports", json::array()}};
  auto in_shift = [&](const Timestamp& t) { return t >= since && t <= now; };
  const std::vector<store::Office> offices = store::OfficesOf(rules_);
  for (const auto& inc : store_.Incidents(false)) {
    if (!store::Sees(offices, store_.office(), inc.offices)) continue;  // another county's (the board's rule)
    const auto h = store_.History(inc.incident_id);
    for (const auto& r : h.reports)
      if (in_shift(r.reported_at))
        done["reports"].push_back({{"incident_id", inc.incident_id},
                                   {"reported_at", FormatIso8601(r.reported_at)},
                                   {"source", r.source},
                                   {"by_user", Actor(actors, "reports", r.id)}});
    for (const auto& d : h.declarations)
      if (in_shift(d.at))
        done["declarations"].push_back({{"incident_id", inc.incident_id},
                                        {"kind", d.kind},
                                        {"level", Lv(d.level)},
                                        {"by", d.by},
                                        {"at", FormatIso8601(d.at)},
                                        {"by_user", Actor(actors, "declarations", d.id)}});
    for (const auto& u : h.upward_reports)
      if (in_shift(u.at))
        done["upward_reports"].push_back({{"incident_id", inc.incident_id},
                                          {"clause", u.clause},
                                          {"to", u.to},
                                          {"at", FormatIso8601(u.at)},
                                          {"by_user", Actor(actors, "upward_reports", u.id)}});
  }
  json j = {{"at", FormatIso8601(now)},
            {"shift",
             {{"username", who.username},
              {"role", who.role},
              {"display_name", who.display_name},
              {"since", FormatIso8601(since)}}},
            {"open_incidents", board},
            {"due_next_12h", std::move(due)},
            {"done_this_shift", std::move(done)}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace firebreak::server
