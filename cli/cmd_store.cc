// The duty desk and drills over the store:
//   firebreak report FILE...            record and assess report(s) (one transaction), print the decision(s)
//   firebreak declare INCIDENT LEVEL --by ROLE [--at TIME]
//   firebreak close INCIDENT --by ROLE [--at TIME]
//   firebreak status [--at TIME]        open incidents: required vs declared, overdue, next due
//   firebreak store verify [--anchor F] audit chains + records + SQLite integrity + head file/anchor (exit 6 if broken)
//   firebreak store head [-o FILE]      the signed head of the audit chain (anchor it outside the store)
//   firebreak audit INCIDENT|--all|--scenario FILE [--format text|json|html] [-o OUT]
//   firebreak drill FILE [--store FILE|:memory:] [--format text|json]   (exit 7 on any failed expectation)
//   firebreak store setup URL           create/migrate the shared PostgreSQL store (docs/postgresql.md)
// Store path: --store FILE or postgresql://… URL, else $FIREBREAK_STORE, else
// ~/.local/share/firebreak/duty-office.sqlite.
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "enrich.h"
#include "firebreak/common/error.h"
#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"
#include "firebreak/store/desk.h"
#include "firebreak/store/drill.h"
#include "firebreak/store/offices.h"
#include "firebreak/store/store.h"
#include "firebreak/timeline/audit.h"
#include "firebreak/timeline/history.h"
#include "firebreak/timeline/scenario.h"
#include "firebreak/timeline/timeline.h"

namespace firebreak::cli {

// Forecast (issue 10): projections made at each incident's first report beside what the drill later required.
std::string DrillProjectionsText(const timeline::Scenario& sc, const store::DrillResult& r,
                                 const engine::RuleSet& rules, Enricher& enricher, const std::string& lang);
std::string DrillProjectionsJson(const std::string& drill_json, const timeline::Scenario& sc,
                                 const store::DrillResult& r, const engine::RuleSet& rules, Enricher& enricher);

namespace {

struct StoreOptions {
  std::string store;
  std::string format = "text";
  std::string at;
  std::string recorded_at;  // report: when the office recorded the reports (back-filling; default now)
  std::string by;
  std::string until;
  std::string out;
  std::string scenario;
  bool all = false;
  bool full = false;  // report --format json --full
  int tolerance_min = -1;
  std::vector<std::string> files;
  std::string incident;
  std::string level;
  std::string anchor;               // store verify --anchor FILE
  std::string key_dir;              // store verify --key-dir DIR (PostgreSQL: the other offices' keys)
  std::string role_prefix = "fb_";  // store setup
  bool follow = false;              // status --follow
  int max_updates = 0;              // status --follow: stop after this many updates (0: never)
  std::string clause;               // upward: the 5.2 condition reported on
  std::vector<std::string> to;      // upward: who was told
  EnrichOptions enrich;             // --dem/--layers/--radius (report, drill)
};

std::string StorePath(const StoreOptions& o) { return o.store.empty() ? store::DefaultStorePath() : o.store; }

// Opening modes: commands that record write (and may create); the others only read and never write a byte.
store::OpenOptions Writing(bool create) {
  store::OpenOptions opt;
  opt.create = create;
  return opt;
}
store::OpenOptions Reading() {
  store::OpenOptions opt;
  opt.create = false;
  opt.mode = store::OpenMode::kRead;
  return opt;
}

Timestamp Now() { return Timestamp{static_cast<std::int64_t>(std::time(nullptr)), 8 * 60}; }

Timestamp TimeOption(const std::string& text, const char* option) {
  if (text.empty() || text == "now") return Now();
  std::string why;
  auto t = ParseIso8601(text, &why);
  if (!t) throw Error(ErrorKind::kUsage, option, why, "ISO 8601 with offset, e.g. 2026-04-04T14:30:00+08:00");
  return *t;
}

// Terrain and places for reports and drills: --dem/--layers on the command line, else a scenario's
// `terrain: {dem, layers}` (paths relative to the scenario file). Without maps the reported facts are used as
// they are. The Enricher must outlive the returned hook.
store::Enrich TerrainEnrich(Enricher& enricher) {
  if (!enricher.active()) return {};
  return [&enricher](engine::Incident& in) { enricher.Enrich(in); };
}

EnrichOptions ScenarioEnrichOptions(const StoreOptions& o, const timeline::Scenario& sc) {
  EnrichOptions e = o.enrich;
  if (!sc.terrain) return e;
  namespace fs = std::filesystem;
  fs::path base = fs::path(sc.file).parent_path();
  auto resolve = [&](const std::string& f) { return f.empty() || fs::path(f).is_absolute() ? f : (base / f).string(); };
  if (e.landscape.empty()) e.landscape = resolve(sc.terrain->landscape);
  if (e.any_gis()) return e;
  e.dem = resolve(sc.terrain->dem);
  e.layers = resolve(sc.terrain->layers);
  return e;
}

void Emit(const StoreOptions& o, const std::string& text) {
  if (o.out.empty() || o.out == "-") {
    std::cout << text;
    return;
  }
  std::ofstream f(o.out, std::ios::binary);
  if (!f) throw Error(ErrorKind::kNotFound, o.out, "cannot write the output file", "check the directory exists");
  f << text;
  std::cerr << "firebreak: wrote " << o.out << "\n";
}

std::string ReadAll(const std::string& path) { return format::ReadTextFile(path, "report"); }

void RunReport(const Globals& g, const StoreOptions& o) {
  engine::RuleSet rules = LoadRules(g);
  engine::Engine eng(rules);
  // Read every file first: a missing file records nothing. Every report of every file: one transaction.
  std::vector<store::ReportInput> inputs;
  for (const auto& f : o.files) inputs.push_back(store::ReportInput{ReadAll(f), f == "-" ? "stdin" : f});
  Enricher enricher(o.enrich, rules);
  store::Clock clock;  // the wall clock, or the recording time given
  if (!o.recorded_at.empty()) {
    const Timestamp at = TimeOption(o.recorded_at, "--recorded-at"), now = Now();
    if (at.epoch_s > now.epoch_s + store::kFutureToleranceS || at.epoch_s < now.epoch_s - store::kPastToleranceS)
      throw Error(ErrorKind::kUsage, "--recorded-at", FormatIso8601(at) + " is not a time the office can have recorded",
                  "give a time within the last ten years, not in the future");
    clock = [at] { return at; };
  }
  store::Store st = store::Store::Open(StorePath(o), Writing(true));
  store::Desk desk(st, eng, TerrainEnrich(enricher), clock);
  std::vector<store::Recorded> recs = desk.Report(inputs);
  if (o.format == "json") {
    std::vector<engine::Decision> ds;
    for (const auto& r : recs) ds.push_back(r.decision);
    const auto detail = o.full ? format::JsonDetail::kFull : format::JsonDetail::kCompact;
    if (!enricher.forecasts()) {
      std::cout << (ds.size() == 1 ? format::DecisionToJson(ds[0], rules, detail)
                                   : format::DecisionsToJson(ds, rules, detail))
                << "\n";
      return;
    }
    // With a landscape each decision carries its forecast section (a projection; docs/forecast.md).
    auto out = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < recs.size(); ++i) {
      auto j = nlohmann::ordered_json::parse(format::DecisionToJson(ds[i], rules, detail));
      j["forecast"] = nlohmann::ordered_json::parse(enricher.Forecast(recs[i].incident, g.lang, true));
      out.push_back(std::move(j));
    }
    std::cout << (out.size() == 1 ? out[0] : out).dump(2) << "\n";
    return;
  }
  for (std::size_t i = 0; i < recs.size(); ++i) {
    if (i) std::cout << "\n";
    std::cout << format::DecisionToText(recs[i].decision, rules, g.lang);
    if (recs[i].late)
      std::cout << (g.lang == "en" ? "[Late report] recorded after a report of a later moment: placed at the moment it "
                                     "describes; the incident's timeline is re-derived (known-to-the-office)\n"
                                   : "【迟到报告】记录时已有描述更晚时刻的报告：按其描述的时刻并入，时间线重新推演"
                                     "（known-to-the-office）\n");
    if (enricher.active()) std::cout << enricher.Text(recs[i].incident, recs[i].decision, g.lang);
  }
  std::cout << (g.lang == "en" ? "Recorded in " : "已记录于 ") << st.path() << "\n";
}

void RunDeclare(const Globals& g, const StoreOptions& o) {
  engine::RuleSet rules = LoadRules(g);
  engine::Engine eng(rules);
  auto level = engine::ParseLevel(o.level);
  if (!level) throw Error(ErrorKind::kUsage, "LEVEL", "unknown level '" + o.level + "'", "use IV, III, II or I");
  Timestamp at = TimeOption(o.at, "--at");
  store::Store st = store::Store::Open(StorePath(o), Writing(false));
  store::Desk desk(st, eng);
  desk.Declare(o.incident, *level, o.by, at);
  const bool en = g.lang == "en";
  std::cout << (en ? "Declared " : "已宣布 ") << (en ? engine::LevelName(*level) : engine::LevelNameZh(*level))
            << (en ? " response for " : "响应：") << o.incident << (en ? " by " : "，决定人 ")
            << rules.NameOf(o.by, g.lang) << (en ? " at " : "，时间 ") << FormatIso8601(at) << "\n";
}

void RunClose(const Globals& g, const StoreOptions& o) {
  engine::RuleSet rules = LoadRules(g);
  engine::Engine eng(rules);
  Timestamp at = TimeOption(o.at, "--at");
  store::Store st = store::Store::Open(StorePath(o), Writing(false));
  store::Desk desk(st, eng);
  desk.Close(o.incident, o.by, at);
  std::cout << (g.lang == "en" ? "Closed " : "已终止并关闭 ") << o.incident << " (" << FormatIso8601(at) << ")\n";
}

// Records an upward report made under 5.2 (who was told, when), so that status and audit can judge it.
void RunUpward(const Globals& g, const StoreOptions& o) {
  engine::RuleSet rules = LoadRules(g);
  engine::Engine eng(rules);
  Timestamp at = TimeOption(o.at, "--at");
  store::Store st = store::Store::Open(StorePath(o), Writing(false));
  store::Desk desk(st, eng);
  desk.UpwardReport(o.incident, o.clause, o.to, at);
  const bool en = g.lang == "en";
  std::string names;
  for (const auto& id : o.to) names += (names.empty() ? "" : (en ? ", " : "、")) + rules.NameOf(id, g.lang);
  std::cout << (en ? "Recorded upward report " : "已记录向上报告 ") << o.clause << " " << o.incident << " → " << names
            << (en ? " at " : "，时间 ") << FormatIso8601(at) << "\n";
}

void RunStatus(const Globals& g, const StoreOptions& o) {
  engine::RuleSet rules = LoadRules(g);
  engine::Engine eng(rules);
  Timestamp now = TimeOption(o.at, "--at");
  store::Store st = store::Store::Open(StorePath(o), Reading());
  timeline::AuditOptions ao;
  if (o.tolerance_min >= 0) ao.declaration_tolerance_min = ao.report_tolerance_min = o.tolerance_min;
  // Forecast (issue 10): with --landscape, each open incident's latest state projected on the landscape.
  std::optional<Enricher> enricher;
  if (!o.enrich.landscape.empty()) enricher.emplace(o.enrich, rules);
  auto latest = [&](const std::string& id) {  // the timeline's merge (timeline/history.h), as the desk's
    std::vector<timeline::ReportEntry> reports = store::TimelineInputFromStore({st.History(id)}).reports;
    timeline::SortByMoment(reports);
    return timeline::MergeHistory(eng, reports).back();
  };
  auto print = [&](const Timestamp& at) {
    timeline::StatusBoard board = store::OfficeStatus(st, eng, at, ao);  // the office's view (docs/postgresql.md)
    // A store with offices: which office owes which upward report (5.2), by when (JSON: "owed_reports").
    const std::vector<store::OwedReport> owing =
        st.office().empty() || o.format == "json" ? std::vector<store::OwedReport>{} : store::OwedReports(board, rules);
    if (!enricher) {
      if (o.format == "json")
        std::cout << store::StatusJson(st, board, rules) << "\n";  // the web desk's status too (one truth)
      else
        std::cout << timeline::StatusToText(board, rules, g.lang);
    } else if (o.format == "json") {
      auto j = nlohmann::ordered_json::parse(store::StatusJson(st, board, rules));
      for (const auto& line : board.incidents)
        j["forecasts"][line.incident_id] =
            nlohmann::ordered_json::parse(enricher->Forecast(latest(line.incident_id), g.lang, true));
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << timeline::StatusToText(board, rules, g.lang);
      for (const auto& line : board.incidents)
        std::cout << "\n" << line.incident_id << enricher->Forecast(latest(line.incident_id), g.lang, false);
    }
    if (o.format != "json" && !st.office().empty()) std::cout << store::OwedReportsText(owing, rules, g.lang);
    std::cout.flush();
  };
  if (!o.follow) return print(now);
  // --follow: the board again whenever another connection commits a change (PostgreSQL: LISTEN/NOTIFY; SQLite:
  // the file's data version), at the wall clock unless --at fixed the moment.
  std::optional<std::string> cursor = st.ChangedSince(std::nullopt).cursor;
  st.WaitForChanges(0);  // starts listening
  print(now);
  for (int updates = 0; o.max_updates == 0 || updates < o.max_updates;) {
    if (!st.WaitForChanges(60000)) continue;
    store::Changes c = st.ChangedSince(cursor);
    cursor = c.cursor;
    if (c.incident_ids.empty()) continue;
    std::cout << (g.lang == "en" ? "-- changed: " : "-- 有变化：");
    for (std::size_t i = 0; i < c.incident_ids.size(); ++i) std::cout << (i ? ", " : "") << c.incident_ids[i];
    std::cout << "\n";
    print(o.at.empty() ? Now() : now);
    ++updates;
  }
}

// `store setup URL`: creates or migrates the shared PostgreSQL store (as its owner) and writes the offices.
void RunSetup(const Globals& g, const StoreOptions& o) {
  engine::RuleSet rules = LoadRules(g);
  store::SetupOptions so;
  so.role_prefix = o.role_prefix;
  store::SetupResult r = store::SetupSharedStore(o.store, rules, so);
  const bool en = g.lang == "en";
  std::cout << (r.from_version == 0 ? (en ? "created schema " : "已创建库结构 版本 ")
                                    : (en ? "schema " + std::to_string(r.from_version) + " -> "
                                          : "库结构 " + std::to_string(r.from_version) + " -> "))
            << r.to_version << "\n";
  for (const auto& [office, role] : r.roles) {
    const bool created = std::find(r.created_roles.begin(), r.created_roles.end(), role) != r.created_roles.end();
    std::cout << "  " << office << "  " << role
              << (created ? (en ? "  (created: set its password)" : "  （新建：请设置密码）") : "") << "\n";
  }
}

void RunVerify(const Globals& g, const StoreOptions& o) {
  store::VerifyOptions vo;
  vo.key_dir = o.key_dir;
  if (!o.anchor.empty()) {
    std::ifstream in(o.anchor, std::ios::binary);
    if (!in) throw Error(ErrorKind::kNotFound, o.anchor, "cannot read the anchor file", "check the --anchor path");
    std::ostringstream ss;
    ss << in.rdbuf();
    vo.anchor_text = ss.str().substr(0, 1 << 16);
    vo.anchor_name = o.anchor;
  }
  const std::string path = StorePath(o);
  store::VerifyResult v = store::VerifyStore(path, vo);
  const std::string shown = store::DisplayPath(path);
  const bool en = g.lang == "en";
  if (o.format == "json") {
    std::cout << "{\"ok\":" << (v.ok ? "true" : "false") << ",\"audit_entries\":" << v.audit_entries
              << ",\"incidents\":" << v.incidents << ",\"reports\":" << v.reports << ",\"decisions\":" << v.decisions
              << ",\"declarations\":" << v.declarations << ",\"upward_reports\":" << v.upward_reports
              << ",\"head_hash\":\"" << v.head_hash << "\",\"keyed\":" << (v.keyed ? "true" : "false")
              << ",\"problems\":" << v.problems.size() << "}\n";
  } else {
    std::cout << shown << ": " << (v.ok ? "ok" : (en ? "BROKEN" : "已损坏/被篡改")) << "\n  "
              << (en ? "audit entries " : "审计记录 ") << v.audit_entries << (en ? ", incidents " : "，火情 ")
              << v.incidents << (en ? ", reports " : "，报告 ") << v.reports << (en ? ", decisions " : "，研判 ")
              << v.decisions << (en ? ", declarations " : "，宣布 ") << v.declarations
              << (en ? ", upward reports " : "，上报 ") << v.upward_reports << "\n  head " << v.head_hash << "\n";
    for (const auto& p : v.problems) std::cout << "  ! " << p << "\n";
  }
  if (!v.ok)
    throw Error(ErrorKind::kStore, shown,
                "store verification failed: " + std::to_string(v.problems.size()) + " problem(s)" +
                    (v.problems.empty() ? "" : ", first: " + v.problems.front()),
                "the file was edited outside firebreak or damaged; keep a copy for investigation");
}

// The signed head of the chain, to write down outside the store (shift log, a message to the city office) and
// check later with `store verify --anchor FILE`.
void RunHead(const Globals&, const StoreOptions& o) {
  store::Store st = store::Store::Open(StorePath(o), Reading());
  Emit(o, st.Head().Text());
}

void RunAudit(const Globals& g, const StoreOptions& o) {
  engine::RuleSet rules = LoadRules(g);
  engine::Engine eng(rules);
  timeline::Timeline tl;
  timeline::AuditReport audit;
  std::string title;
  timeline::AuditOptions ao;
  if (!o.scenario.empty()) {
    timeline::Scenario sc = timeline::LoadScenario(o.scenario, &rules);
    Enricher enricher(ScenarioEnrichOptions(o, sc), rules);
    store::DrillOptions dopt;
    dopt.store_path = o.store.empty() ? ":memory:" : o.store;
    dopt.enrich = TerrainEnrich(enricher);
    store::DrillResult r = store::RunDrill(sc, eng, dopt);
    ao = sc.audit;
    if (o.tolerance_min >= 0) ao.declaration_tolerance_min = ao.report_tolerance_min = o.tolerance_min;
    tl = std::move(r.timeline);
    audit = timeline::Audit(tl, rules, ao);
    title = (g.lang == "en" ? sc.title.en : sc.title.zh);
  } else {
    if (o.incident.empty() && !o.all)
      throw Error(ErrorKind::kUsage, "audit", "name an INCIDENT, --all or --scenario FILE");
    if (o.tolerance_min >= 0) ao.declaration_tolerance_min = ao.report_tolerance_min = o.tolerance_min;
    store::Store st = store::Store::Open(StorePath(o), Reading());
    std::optional<Timestamp> until;
    if (!o.until.empty()) until = TimeOption(o.until, "--until");
    if (!o.incident.empty()) {
      auto inc = st.FindIncident(o.incident);
      if (!inc)
        throw Error(ErrorKind::kNotFound, o.incident, "no incident '" + o.incident + "' in " + st.path(),
                    "`firebreak status` lists open incidents");
      if (!until) until = inc->closed_at ? *inc->closed_at : Now();
    }
    if (!until) until = Now();
    std::vector<store::IncidentRecord> read;
    tl = store::StoredTimeline(st, eng, *until, false, nullptr, &read);
    std::vector<std::string> only;
    if (!o.incident.empty()) only.push_back(o.incident);
    audit = timeline::Audit(tl, rules, ao, only);
    if (o.incident.empty()) store::KeepOfficeView(st, rules, read, tl, audit);  // --all: the office's incidents
  }
  if (o.format == "json")
    Emit(o, timeline::AuditToJson(audit, rules) + "\n");
  else if (o.format == "html")
    Emit(o, timeline::AuditToHtml(audit, tl, rules, g.lang, title));
  else
    Emit(o, timeline::AuditToText(audit, rules, g.lang));
}

void RunDrillCmd(Globals& g, const StoreOptions& o) {
  engine::RuleSet rules = LoadRules(g);
  engine::Engine eng(rules);
  timeline::Scenario sc = timeline::LoadScenario(o.scenario, &rules);
  Enricher enricher(ScenarioEnrichOptions(o, sc), rules);
  store::DrillOptions dopt;
  dopt.store_path = o.store.empty() ? ":memory:" : o.store;
  dopt.enrich = TerrainEnrich(enricher);
  store::DrillResult r = store::RunDrill(sc, eng, dopt);
  if (o.format == "json") {
    std::string j = store::DrillToJson(sc, r, rules);
    if (enricher.forecasts()) j = DrillProjectionsJson(j, sc, r, rules, enricher);  // drill_forecast.cc
    Emit(o, j + "\n");
  } else {
    std::string t = store::DrillToText(sc, r, rules, g.lang);
    if (enricher.forecasts()) t += DrillProjectionsText(sc, r, rules, enricher, g.lang);
    Emit(o, t);
  }
  if (!r.ok()) g.exit_code = ExitCode(ErrorKind::kExpectation);
}

void AddStoreOption(CLI::App* cmd, StoreOptions& o) {
  cmd->add_option(
      "--store", o.store,
      "Store file or postgresql://… URL (default: $FIREBREAK_STORE, else ~/.local/share/firebreak/duty-office.sqlite)");
}
void AddLang(CLI::App* cmd, Globals& g) {
  cmd->add_option("--lang", g.lang, "Language of human output: zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
}

// `report`: record and assess reports.
void AddReportCommand(CLI::App& app, Globals& g) {
  auto o = std::make_shared<StoreOptions>();
  CLI::App* cmd = app.add_subcommand("report", "Record and assess incident report(s) in the duty-office store");
  AddStoreOption(cmd, *o);
  AddLang(cmd, g);
  cmd->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--full", o->full, "With --format json: the plan's texts and role names (docs/report-format.md)");
  cmd->add_option("files", o->files, "Report files (JSON or YAML, '-' = stdin); all recorded in one transaction")
      ->required();
  cmd->add_option("--recorded-at", o->recorded_at,
                  "When the office recorded them (ISO 8601 with offset; default now): for back-filling a log");
  AddEnrichOptions(cmd, o->enrich);
  cmd->callback([&g, o] { RunReport(g, *o); });
}

// `declare`: record a declared level.
void AddDeclareCommand(CLI::App& app, Globals& g) {
  auto o = std::make_shared<StoreOptions>();
  CLI::App* cmd = app.add_subcommand("declare", "Record a declared (or raised) response level for an incident");
  AddStoreOption(cmd, *o);
  AddLang(cmd, g);
  cmd->add_option("incident", o->incident, "Incident id")->required();
  cmd->add_option("level", o->level, "Level: IV, III, II or I")->required();
  cmd->add_option("--by", o->by, "Role id of who decided (e.g. office_director, deputy_commander, commander)")
      ->required();
  cmd->add_option("--at", o->at, "When (ISO 8601 with offset; default now)");
  cmd->callback([&g, o] { RunDeclare(g, *o); });
}

// `upward`: record an upward report (5.2).
void AddUpwardCommand(CLI::App& app, Globals& g) {
  auto o = std::make_shared<StoreOptions>();
  CLI::App* cmd = app.add_subcommand("upward", "Record an upward report made under plan 5.2 (to whom, when)");
  AddStoreOption(cmd, *o);
  AddLang(cmd, g);
  cmd->add_option("incident", o->incident, "Incident id")->required();
  cmd->add_option("clause", o->clause, "The 5.2 condition reported on, e.g. 5.2(4)")->required();
  cmd->add_option("--to", o->to, "Recipient ids, e.g. city_party_committee city_government region_hq_office")
      ->required()
      ->delimiter(',');
  cmd->add_option("--at", o->at, "When (ISO 8601 with offset; default now)");
  cmd->callback([&g, o] { RunUpward(g, *o); });
}

// `close`: end the response (6.3.6).
void AddCloseCommand(CLI::App& app, Globals& g) {
  auto o = std::make_shared<StoreOptions>();
  CLI::App* cmd = app.add_subcommand("close", "End the response to an incident and close it (plan 6.3.6)");
  AddStoreOption(cmd, *o);
  AddLang(cmd, g);
  cmd->add_option("incident", o->incident, "Incident id")->required();
  cmd->add_option("--by", o->by, "Role id of who decided to end the response")->required();
  cmd->add_option("--at", o->at, "When (ISO 8601 with offset; default now)");
  cmd->callback([&g, o] { RunClose(g, *o); });
}

// `status`: the board of open incidents.
void AddStatusCommand(CLI::App& app, Globals& g) {
  auto o = std::make_shared<StoreOptions>();
  CLI::App* cmd = app.add_subcommand("status", "Open incidents: required vs declared level, overdue, next due");
  AddStoreOption(cmd, *o);
  AddLang(cmd, g);
  cmd->add_option("--at", o->at, "As of (ISO 8601 with offset; default now)");
  cmd->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--tolerance-min", o->tolerance_min, "Minutes a declaration may lag (default 60)");
  cmd->add_flag("--follow", o->follow,
                "Keep running: print the board again whenever another office or process records");
  cmd->add_option("--max-updates", o->max_updates, "With --follow: stop after this many updates (default: never)");
  AddForecastOptions(cmd, o->enrich);
  cmd->add_option("--layers", o->enrich.layers,
                  "Layers config for the forecast's places and boundaries (with --landscape)");
  cmd->callback([&g, o] { RunStatus(g, *o); });
}

// `store verify|setup|head`: maintenance.
void AddStoreGroup(CLI::App& app, Globals& g) {
  auto o = std::make_shared<StoreOptions>();
  CLI::App* grp = app.add_subcommand("store", "Store maintenance");
  grp->require_subcommand(1);
  CLI::App* cmd =
      grp->add_subcommand("verify", "Check the audit chain, every record and SQLite integrity (exit 6 if broken)");
  AddStoreOption(cmd, *o);
  AddLang(cmd, g);
  cmd->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--anchor", o->anchor,
                  "A signed head printed earlier by `store head`: the store must still contain and extend it");
  cmd->add_option("--key-dir", o->key_dir, "PostgreSQL: a directory of the other offices' keys, <office id>.key");
  cmd->callback([&g, o] { RunVerify(g, *o); });
  auto su = std::make_shared<StoreOptions>();
  CLI::App* setup = grp->add_subcommand(
      "setup",
      "Create or migrate the shared PostgreSQL store and its office roles (as the database owner; docs/postgresql.md)");
  setup->add_option("url", su->store, "postgresql://OWNER@HOST:PORT/DB (password: PGPASSWORD or ~/.pgpass)")
      ->required();
  setup->add_option("--role-prefix", su->role_prefix, "Office roles are PREFIX + office id (default fb_)");
  AddLang(setup, g);
  setup->callback([&g, su] { RunSetup(g, *su); });
  auto h = std::make_shared<StoreOptions>();
  CLI::App* head = grp->add_subcommand(
      "head", "Print the signed head of the audit chain (keep it outside the store; check with verify --anchor)");
  AddStoreOption(head, *h);
  head->add_option("-o,--output", h->out, "Write to this file instead of stdout");
  head->callback([&g, h] { RunHead(g, *h); });
}

// `audit`: the escalation audit.
void AddAuditCommand(CLI::App& app, Globals& g) {
  auto o = std::make_shared<StoreOptions>();
  CLI::App* cmd = app.add_subcommand("audit", "Escalation audit of a stored incident, all incidents, or a scenario");
  AddStoreOption(cmd, *o);
  AddLang(cmd, g);
  cmd->add_option("incident", o->incident, "Incident id in the store");
  cmd->add_flag("--all", o->all, "Audit every stored incident");
  cmd->add_option("--scenario", o->scenario, "Replay a scenario file and audit it");
  cmd->add_option("--format", o->format, "text (default), json or html (self-contained, SVG timeline)")
      ->check(CLI::IsMember({"text", "json", "html"}));
  cmd->add_option("-o,--output", o->out, "Write to this file instead of stdout");
  cmd->add_option("--until", o->until, "Evaluate up to (default: closing time, else now)");
  cmd->add_option("--tolerance-min", o->tolerance_min, "Minutes a declaration/upward report may lag (default 60)");
  cmd->callback([&g, o] { RunAudit(g, *o); });
}

// `drill`: replay a scenario and check it.
void AddDrillCommand(CLI::App& app, Globals& g) {
  auto o = std::make_shared<StoreOptions>();
  CLI::App* cmd = app.add_subcommand(
      "drill", "Replay a drill scenario, print its timeline and check expectations (exit 7 on mismatch)");
  cmd->add_option("--store", o->store, "Store to replay into (default :memory:; a file must not hold these incidents)");
  AddLang(cmd, g);
  cmd->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("-o,--output", o->out, "Write to this file instead of stdout");
  cmd->add_option("scenario", o->scenario, "Scenario file (scenarios/*.yaml)")->required();
  AddEnrichOptions(cmd, o->enrich);
  cmd->callback([&g, o] { RunDrillCmd(g, *o); });
}

}  // namespace

void RegisterStoreCommands(CLI::App& app, Globals& g) {
  AddReportCommand(app, g);
  AddDeclareCommand(app, g);
  AddUpwardCommand(app, g);
  AddCloseCommand(app, g);
  AddStatusCommand(app, g);
  AddStoreGroup(app, g);
  AddAuditCommand(app, g);
  AddDrillCommand(app, g);
}

}  // namespace firebreak::cli
