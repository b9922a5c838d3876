// The desk's JSON API (docs/api.md): sessions, assess, report, declare, upward, close, acknowledge, status,
// events, incidents, audit, verify, shifts, and the test clock. Each handler calls the library the CLI calls.
#include <nlohmann/json.hpp>

#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"
#include "firebreak/store/offices.h"
#include "json_in.h"
#include "server_impl.h"

namespace firebreak::server {

namespace {

using json = nlohmann::ordered_json;

json Names(const engine::Text& t) { return json{{"zh", t.zh}, {"en", t.en}}; }

json PermissionsJson(const Permissions& p) {
  return json{{"report", p.report}, {"upward", p.upward}, {"declare", p.declare}, {"close", p.close}, {"ack", p.ack}};
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Timestamp ParseTime(const std::string& text, const std::string& where) {
  std::string why;
  auto t = ParseIso8601(text, &why);
  if (!t)
    throw Error(ErrorKind::kInput, where, "not an ISO 8601 time with UTC offset: '" + text + "' (" + why + ")",
                "e.g. 2026-04-04T14:30:00+08:00");
  return *t;
}

std::optional<engine::Level> ParseLevelField(const std::optional<std::string>& s, const std::string& field) {
  if (!s) return std::nullopt;
  auto l = engine::ParseLevel(*s);
  if (!l) throw Error(ErrorKind::kInput, "request body: /" + field, "unknown level '" + *s + "'", "IV, III, II or I");
  return l;
}

// A declaration names no person or role: the server takes the signed-in user's.
void RefuseClientRole(const JsonObject& o) {
  for (const char* k : {"by", "role", "by_role", "user"})
    if (o.json().contains(k))
      throw Error(ErrorKind::kInput, std::string("request body: /") + k,
                  std::string("'") + k + "' is not accepted: the desk records the signed-in person and role",
                  "sign in as the person who decides");
}

}  // namespace

std::string Server::Impl::BuildMeta() const {
  json j;
  j["plan"] = {{"id", rules.meta.id},
               {"title", Names(rules.meta.title)},
               {"document", rules.meta.document},
               {"jurisdiction", rules.meta.jurisdiction},
               {"sha256", rules.source_sha256}};
  json roles_j = json::array();
  for (const auto& r : rules.roles)
    roles_j.push_back({{"id", r.id},
                       {"name", Names(r.name)},
                       {"clause", r.clause},
                       {"permissions", PermissionsJson(roles.Of(r.id))}});
  j["roles"] = roles_j;
  json levels = json::array();
  for (const auto& l : rules.levels)
    levels.push_back({{"level", engine::LevelName(l.level)},
                      {"name", Names(l.name)},
                      {"clause", l.clause},
                      {"decider_clause", l.decider_clause},
                      {"decider_text", Names(l.decider_text)},
                      {"deciders", l.deciders}});
  j["levels"] = levels;
  json reporting = json::array();
  for (const auto& r : rules.reporting)
    reporting.push_back(
        {{"clause", r.clause}, {"text", Names(r.text)}, {"reporter", r.reporter}, {"recipients", r.recipients}});
  j["reporting"] = reporting;
  json counties = json::array();
  for (const auto& c : rules.counties)
    counties.push_back({{"name", c.name}, {"adcode", c.adcode}, {"short_name", c.short_name}, {"name_en", c.name_en}});
  j["counties"] = counties;
  json facts = json::array();
  for (const auto& f : engine::AllFacts())
    facts.push_back({{"name", f.name},
                     {"kind", f.kind == engine::FactKind::kBool ? "bool" : "number"},
                     {"unit", f.unit},
                     {"zh", f.zh},
                     {"en", f.en}});
  j["facts"] = facts;
  j["names"] = json::object();  // every role and unit id -> names (recipients, leading units)
  for (const auto& r : rules.roles) j["names"][r.id] = Names(r.name);
  for (const auto& u : rules.units) j["names"][u.id] = Names(u.name);
  j["maps"] = {{"dem", geo && geo->has_dem()},
               {"layers", geo && geo->has_layers()},
               {"forces", geo && geo->has_forces()},
               {"forecast", geo && geo->has_forecast()},
               {"forecast_hours", geo ? geo->forecast_hours() : 24.0}};
  j["test_clock"] = clock.test_mode();
  j["scenarios"] = !opt.scenarios_dir.empty();
  return Dump(j);
}

void Server::Impl::AddApiRoutes() {
  AddSessionRoutes();
  AddAssessRoutes();
  AddIncidentRoutes();
  AddDutyRoutes();
  AddAuditRoutes();
  AddShiftRoutes();
  AddTestRoutes();
}

// Signing in and out, the meta, the status snapshot and the event stream.
void Server::Impl::AddSessionRoutes() {
  auto session_json = [this](const Principal& p) {
    const engine::Role* role = rules.FindRole(p.role);
    return Dump(json{{"username", p.username},
                     {"display_name", p.display_name},
                     {"role", p.role},
                     {"role_name", role ? Names(role->name) : json{{"zh", p.role}, {"en", p.role}}},
                     {"csrf", p.csrf},
                     {"permissions", PermissionsJson(roles.Of(p.role))},
                     {"test_clock", clock.test_mode()}});
  };

  router.Add({"POST", "/api/login", Access::kPublic, Where::kBlocking, [this, session_json](Request& req) {
                JsonObject o = JsonObject::Parse(req.body);
                const std::string username = o.Str("username");
                const std::string password = o.Str("password");
                o.Done();
                throttle.Check(username);
                std::optional<store::User> u;
                {
                  std::lock_guard<std::mutex> lock(desk_mu);
                  u = desk->accounts().Authenticate(username, password);
                }
                if (!u) {
                  throttle.Failed(username);
                  throw HttpError(401, "unauthenticated", "request body: /password", "wrong user name or password",
                                  "用户名或密码错误; users are created with `firebreak users add`");
                }
                throttle.Succeeded(username);
                const Principal p = sessions.Create(*u);
                Response r = Response::Json(session_json(p));
                r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" + p.session_id +
                                                         "; HttpOnly; SameSite=Strict; Path=/");
                return r;
              }});
  router.Add({"GET", "/api/session", Access::kUser, Where::kInline,
              [session_json](Request& req) { return Response::Json(session_json(*req.user)); }});
  router.Add({"POST", "/api/logout", Access::kUser, Where::kInline, [this](Request& req) {
                sessions.Remove(req.user->session_id);
                Response r = Response::Json("{\"ok\":true}");
                r.headers.emplace_back("Set-Cookie",
                                       std::string(kSessionCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
                return r;
              }});
  router.Add(
      {"GET", "/api/meta", Access::kUser, Where::kInline, [this](Request&) { return Response::Json(meta_json); }});
  router.Add({"GET", "/api/status", Access::kUser, Where::kInline, [this](Request&) {
                Response r;
                r.shared_body = Snapshot();
                return r;
              }});
  router.Add({"GET", "/api/events", Access::kUser, Where::kInline, [](Request&) {
                Response r;
                r.sse = true;
                return r;
              }});
}

// Assessing (pure engine) and recording reports.
void Server::Impl::AddAssessRoutes() {
  // The engine's lean path (Engine::Evaluate: level, grade, lead and counts; nothing listed) for ONE report, at
  // its reported_at (or ?at), with the concurrency Engine::Assess(incident) assumes (this fire alone).
  auto Verdict = [this](const std::vector<engine::Incident>& incidents, const std::string& at_text) {
    if (incidents.size() != 1)
      throw Error(ErrorKind::kInput, "request body: /",
                  "?view=verdict takes one report, got " + std::to_string(incidents.size()),
                  "send each report on its own, or use the full decision");
    const engine::Incident& in = incidents[0];
    const Timestamp at = at_text.empty() ? in.reported_at : ParseTime(at_text, "?at");
    // The concurrency Engine::Assess(incident) uses (engine.cc SelfConcurrency; REPOINT if the engine exposes it).
    const bool dangerous = in.dangerous.value_or(in.extra.ValueOr(engine::FactId::kDangerous, 0.0) != 0.0);
    const engine::Verdict v = engine.Evaluate(in, at, engine::Concurrency{1, dangerous ? 1 : 0});
    return Response::Json(Dump(json{{"incident_id", in.incident_id},
                                    {"at", FormatIso8601(at)},
                                    {"response_level", v.level ? json(engine::LevelName(*v.level)) : json(nullptr)},
                                    {"grade", v.grade ? json(engine::GradeNameEn(*v.grade)) : json(nullptr)},
                                    {"lead", engine::TierName(v.lead)},
                                    {"triggers_held", v.triggers_held},
                                    {"measures_due", v.measures_due},
                                    {"reporting_due", v.reporting_due},
                                    {"safety_applies", v.safety_applies}}));
  };

  // Pure engine, no store: what the plan requires for report(s), as `firebreak assess --format json`.
  router.Add({"POST", "/api/assess", Access::kUser, Where::kInline, [this, Verdict](Request& req) {
                std::vector<engine::Incident> incidents = format::ParseReports(req.body, "request body", rules);
                if (req.Query("view") == "verdict") return Verdict(incidents, req.Query("at"));
                std::vector<engine::Decision> ds;
                const std::string at_text = req.Query("at");
                if (at_text.empty()) {
                  ds = engine.AssessAll(incidents);
                } else {
                  const Timestamp at = ParseTime(at_text, "?at");
                  for (const auto& in : incidents)
                    if (at < in.reported_at)
                      throw Error(ErrorKind::kUsage, "?at",
                                  "is before the report " + in.incident_id + " (" + FormatIso8601(in.reported_at) + ")",
                                  "assess at or after the moment the report describes");
                  ds = engine.AssessAll(incidents, at);
                }
                if (req.Query("format") == "text") {
                  Response r;
                  r.content_type = "text/plain; charset=utf-8";
                  for (std::size_t i = 0; i < ds.size(); ++i)
                    r.body += (i ? "\n" : "") + format::DecisionToText(ds[i], rules, req.Query("lang", "zh"));
                  return r;
                }
                // ?detail=compact: what `firebreak assess --format json` prints by default; else the full decision.
                const std::string detail = req.Query("detail", "full");
                if (detail != "full" && detail != "compact")
                  throw Error(ErrorKind::kUsage, "?detail", "must be 'full' or 'compact', got '" + detail + "'");
                const format::JsonDetail d =
                    detail == "compact" ? format::JsonDetail::kCompact : format::JsonDetail::kFull;
                return Response::Json(ds.size() == 1 ? format::DecisionToJson(ds[0], rules, d)
                                                     : format::DecisionsToJson(ds, rules, d));
              }});

  router.Add({"POST", "/api/reports", Access::kUser, Where::kBlocking, [this](Request& req) {
                Require(PermissionsOf(req).report, req, "record incident reports",
                        "reports are entered by the HQ office's duty officers and by the roles that decide a level");
                std::vector<store::Recorded> recs;
                std::lock_guard<std::mutex> lock(desk_mu);
                recs = desk->Report(req.body, UserOf(req));
                std::vector<engine::Decision> ds;
                for (const auto& r : recs) ds.push_back(r.decision);
                std::string out = ds.size() == 1 ? format::DecisionToJson(ds[0], rules, format::JsonDetail::kFull)
                                                 : format::DecisionsToJson(ds, rules, format::JsonDetail::kFull);
                RefreshLocked();
                return Response::Json(std::move(out), 201);
              }});
}

// Incidents: the list, one incident's sheet, declaring, closing.
void Server::Impl::AddIncidentRoutes() {
  router.Add({"GET", "/api/incidents", Access::kUser, Where::kBlocking, [this](Request&) {
                json a = json::array();
                std::lock_guard<std::mutex> lock(desk_mu);
                const std::vector<store::Office> offices = store::OfficesOf(desk->rules());
                for (const auto& i : desk->store().Incidents(false))
                  if (store::Sees(offices, desk->store().office(), i.offices))  // the office's, as its board
                    a.push_back({{"incident_id", i.incident_id},
                                 {"county", i.county ? json(*i.county) : json(nullptr)},
                                 {"opened_at", FormatIso8601(i.opened_at)},
                                 {"closed_at", i.closed_at ? json(FormatIso8601(*i.closed_at)) : json(nullptr)}});
                return Response::Json(Dump(a));
              }});
  router.Add({"GET", "/api/incidents/{id}", Access::kUser, Where::kBlocking, [this](Request& req) {
                std::lock_guard<std::mutex> lock(desk_mu);
                return Response::Json(desk->IncidentJson(req.params["id"], clock.Now()));
              }});

  router.Add({"POST", "/api/incidents/{id}/declare", Access::kUser, Where::kBlocking, [this](Request& req) {
                std::string who;
                for (const auto& r : roles.deciders()) who += (who.empty() ? "" : ", ") + rules.NameOf(r, "en");
                Require(PermissionsOf(req).declare, req, "declare a response level",
                        "only roles that decide a level may declare: " + who);
                JsonObject o = JsonObject::Parse(req.body);
                RefuseClientRole(o);
                const auto level = ParseLevelField(o.Str("level"), "level");
                const auto expect = ParseLevelField(o.StrOrNull("expect_declared"), "expect_declared");
                o.Done();
                std::lock_guard<std::mutex> lock(desk_mu);
                const Timestamp at = clock.Now();
                desk->Declare(req.params["id"], *level, expect, UserOf(req), at);
                RefreshLocked();
                return Response::Json(Dump(json{{"incident_id", req.params["id"]},
                                                {"declared", engine::LevelName(*level)},
                                                {"by", req.user->role},
                                                {"by_user", req.user->username},
                                                {"at", FormatIso8601(at)}}),
                                      201);
              }});
  router.Add({"POST", "/api/incidents/{id}/close", Access::kUser, Where::kBlocking, [this](Request& req) {
                Require(PermissionsOf(req).close, req, "end a response",
                        "the response is ended by a role that decides a level (6.3.6: 按启动响应的相应权限)");
                JsonObject o = JsonObject::Parse(req.body);
                RefuseClientRole(o);
                const auto expect = ParseLevelField(o.StrOrNull("expect_declared"), "expect_declared");
                o.Done();
                std::lock_guard<std::mutex> lock(desk_mu);
                const Timestamp at = clock.Now();
                desk->Close(req.params["id"], expect, UserOf(req), at);
                RefreshLocked();
                return Response::Json(Dump(json{{"incident_id", req.params["id"]},
                                                {"closed_at", FormatIso8601(at)},
                                                {"by", req.user->role},
                                                {"by_user", req.user->username}}),
                                      201);
              }});
}

// 5.2 upward reports and acknowledgements of overdue duties.
void Server::Impl::AddDutyRoutes() {
  router.Add({"POST", "/api/incidents/{id}/upward", Access::kUser, Where::kBlocking, [this](Request& req) {
                Require(PermissionsOf(req).upward, req, "record an upward report",
                        "upward reports (5.2) are recorded by the HQ office and the roles that decide a level");
                JsonObject o = JsonObject::Parse(req.body);
                const std::string clause = o.Str("clause");
                const std::vector<std::string> to = o.StrArray("to");
                o.Done();
                std::lock_guard<std::mutex> lock(desk_mu);
                const Timestamp at = clock.Now();
                try {
                  desk->Upward(req.params["id"], clause, to, UserOf(req), at);
                } catch (const Error& e) {  // the desk names CLI options; the API names body fields
                  if (e.where() == "CLAUSE" || e.where() == "--to")
                    throw Error(e.kind(), e.where() == "CLAUSE" ? "request body: /clause" : "request body: /to",
                                e.message(), e.hint());
                  throw;
                }
                RefreshLocked();
                return Response::Json(Dump(json{{"incident_id", req.params["id"]},
                                                {"clause", clause},
                                                {"to", to},
                                                {"at", FormatIso8601(at)},
                                                {"by_user", req.user->username}}),
                                      201);
              }});
  router.Add({"POST", "/api/incidents/{id}/ack", Access::kUser, Where::kBlocking, [this](Request& req) {
                Require(PermissionsOf(req).ack, req, "acknowledge overdue duties",
                        "acknowledged by the HQ office and the roles that decide a level");
                JsonObject o = JsonObject::Parse(req.body);
                const std::string item = o.Str("item");
                const auto due_text = o.OptStr("due_at");
                const std::string note = o.OptStr("note").value_or("");
                o.Done();
                std::optional<Timestamp> due;
                if (due_text) due = ParseTime(*due_text, "request body: /due_at");
                std::lock_guard<std::mutex> lock(desk_mu);
                const Timestamp at = clock.Now();
                desk->Acknowledge(req.params["id"], item, due, note, UserOf(req), at);
                RefreshLocked();
                return Response::Json(Dump(json{{"incident_id", req.params["id"]},
                                                {"item", item},
                                                {"at", FormatIso8601(at)},
                                                {"by_user", req.user->username}}),
                                      201);
              }});
}

// The audit (one incident or all), the timeline, the store's verification.
void Server::Impl::AddAuditRoutes() {
  auto audit = [this](Request& req, const std::string& id) {
    const std::string format = req.Query("format", "json");
    const std::string lang = req.Query("lang", "zh");
    if (lang != "zh" && lang != "en")
      throw Error(ErrorKind::kUsage, "?lang", "unknown language '" + lang + "'", "zh or en");
    std::string body;
    {
      std::lock_guard<std::mutex> lock(desk_mu);
      body = desk->Audit(id, format, lang, clock.Now());
    }
    Response r = Response::Json(std::move(body));
    if (format == "html") {
      r.content_type = "text/html; charset=utf-8";
      // The renderer's page is self-contained (inline CSS, SVG): its own policy, no scripts at all.
      r.headers.emplace_back("Content-Security-Policy",
                             "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'");
    } else if (format == "text") {
      r.content_type = "text/plain; charset=utf-8";
    }
    if (req.Query("download") == "1") {
      const std::string ext = format == "html" ? "html" : format == "text" ? "txt" : "json";
      std::string name = "audit-" + (id.empty() ? std::string("all") : id) + "." + ext;
      for (char& c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) c = '_';
      r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
    }
    return r;
  };
  router.Add({"GET", "/api/incidents/{id}/audit", Access::kUser, Where::kBlocking,
              [audit](Request& req) { return audit(req, req.params["id"]); }});
  router.Add({"GET", "/api/audit", Access::kUser, Where::kBlocking, [audit](Request& req) { return audit(req, ""); }});
  router.Add({"GET", "/api/incidents/{id}/timeline", Access::kUser, Where::kBlocking, [this](Request& req) {
                std::lock_guard<std::mutex> lock(desk_mu);
                return Response::Json(desk->Audit(req.params["id"], "timeline", "zh", clock.Now()));
              }});
  router.Add({"GET", "/api/store/verify", Access::kUser, Where::kBlocking, [this](Request&) {
                store::VerifyResult v;
                {
                  std::lock_guard<std::mutex> lock(desk_mu);
                  v = desk->store().Verify();
                }
                return Response::Json(Dump(json{{"ok", v.ok},
                                                {"audit_entries", v.audit_entries},
                                                {"incidents", v.incidents},
                                                {"reports", v.reports},
                                                {"decisions", v.decisions},
                                                {"declarations", v.declarations},
                                                {"upward_reports", v.upward_reports},
                                                {"head_hash", v.head_hash},
                                                {"problems", v.problems}}));
              }});
}

// Shifts: sign in and out by role; the handover sheet is computed by DeskApi and recorded at sign-out.
void Server::Impl::AddShiftRoutes() {
  auto shift_json = [this](const Request& req) {
    json events = json::array();
    const Timestamp now = clock.Now();
    bool on = false;
    std::string since;
    for (const auto& e : desk->accounts().OnDuty())
      if (e.username == req.user->username) {
        on = true;
        since = FormatIso8601(e.at);
      }
    for (const auto& e : desk->accounts().Shifts(Timestamp{now.epoch_s - 48 * 3600, now.offset_min}))
      events.push_back({{"id", e.id},
                        {"kind", e.kind},
                        {"username", e.username},
                        {"role", e.role},
                        {"at", FormatIso8601(e.at)},
                        {"note", e.note},
                        {"handover", e.handover.empty() ? json(nullptr) : json::parse(e.handover, nullptr, false)}});
    return Dump(
        json{{"me", {{"username", req.user->username}, {"on_duty", on}, {"since", on ? json(since) : json(nullptr)}}},
             {"events", events}});
  };
  router.Add({"GET", "/api/shift", Access::kUser, Where::kBlocking, [this, shift_json](Request& req) {
                std::lock_guard<std::mutex> lock(desk_mu);
                return Response::Json(shift_json(req));
              }});
  router.Add({"GET", "/api/shift/handover", Access::kUser, Where::kBlocking, [this](Request& req) {
                std::lock_guard<std::mutex> lock(desk_mu);
                return Response::Json(desk->Handover(UserOf(req), clock.Now()));
              }});
  router.Add({"POST", "/api/shift/sign-in", Access::kUser, Where::kBlocking, [this, shift_json](Request& req) {
                JsonObject o = JsonObject::Parse(req.body, true);
                const std::string note = o.OptStr("note").value_or("");
                o.Done();
                std::lock_guard<std::mutex> lock(desk_mu);
                for (const auto& e : desk->accounts().OnDuty())
                  if (e.username == req.user->username)
                    throw HttpError(409, "conflict", "/api/shift/sign-in",
                                    "you are already signed in (since " + FormatIso8601(e.at) + ")");
                desk->store().Transaction([&] { desk->accounts().SignIn(UserOf(req), clock.Now(), note); });
                RefreshLocked();
                return Response::Json(shift_json(req), 201);
              }});
  router.Add({"POST", "/api/shift/sign-out", Access::kUser, Where::kBlocking, [this, shift_json](Request& req) {
                JsonObject o = JsonObject::Parse(req.body, true);
                const std::string note = o.OptStr("note").value_or("");
                o.Done();
                std::lock_guard<std::mutex> lock(desk_mu);
                bool on = false;
                for (const auto& e : desk->accounts().OnDuty()) on = on || e.username == req.user->username;
                if (!on) throw HttpError(409, "conflict", "/api/shift/sign-out", "you are not signed in to a shift");
                const Timestamp now = clock.Now();
                const std::string sheet = desk->Handover(UserOf(req), now);
                desk->store().Transaction([&] { desk->accounts().SignOut(UserOf(req), now, note, sheet); });
                RefreshLocked();
                return Response::Json(shift_json(req), 201);
              }});
}

// Test mode only (--test-clock): move the desk's clock, end every session.
void Server::Impl::AddTestRoutes() {
  router.Add({"POST", "/api/test/clock", Access::kUser, Where::kBlocking, [this](Request& req) {
                if (!clock.test_mode())
                  throw HttpError(404, "not-found", req.path, "the test clock is off", "start with --test-clock TIME");
                JsonObject o = JsonObject::Parse(req.body);
                const auto set = o.OptStr("set");
                const auto advance = o.OptNumber("advance_s");
                o.Done();
                if (set.has_value() == advance.has_value())
                  throw Error(ErrorKind::kInput, "request body: /", "give exactly one of 'set' or 'advance_s'");
                if (set)
                  clock.Set(ParseTime(*set, "request body: /set"));
                else
                  clock.Advance(std::chrono::seconds(static_cast<std::int64_t>(*advance)));
                std::lock_guard<std::mutex> lock(desk_mu);
                RefreshLocked();
                return Response::Json(Dump(json{{"now", FormatIso8601(clock.Now())}}));
              }});
  router.Add({"POST", "/api/test/expire-sessions", Access::kUser, Where::kInline, [this](Request& req) {
                if (!clock.test_mode())
                  throw HttpError(404, "not-found", req.path, "the test clock is off", "start with --test-clock TIME");
                sessions.RemoveAll();
                return Response::Json("{\"ok\":true}");
              }});
}

}  // namespace firebreak::server
