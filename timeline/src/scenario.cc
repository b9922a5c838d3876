// Scenario YAML -> Scenario (docs/scenario-format.md), over the one document reader (format/document.h).
#include "firebreak/timeline/scenario.h"

#include <algorithm>
#include <limits>
#include <set>

#include "firebreak/common/error.h"
#include "firebreak/format/document.h"
#include "firebreak/format/report_io.h"

namespace firebreak::timeline {

using namespace engine;
using format::Node;

namespace {

constexpr std::int64_t kSpanS = static_cast<std::int64_t>(kScenarioSpanDays) * 86400;

// Reads a scenario document: mappings, lists and scalars with their places, errors at file:line:col.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  std::string Where(const Node& n) const { return format::Where(file_, n.mark); }
  [[noreturn]] void Fail(const Node& n, const std::string& what, const std::string& hint = {}) const {
    throw Error(ErrorKind::kInput, Where(n), what, hint);
  }

  void Keys(const Node& map, const std::vector<std::string>& allowed, const std::string& what) const {
    if (!map.IsMap()) Fail(map, what + " must be a mapping");
    for (const auto& [k, v] : map.entries) {
      if (std::find(allowed.begin(), allowed.end(), k.scalar) != allowed.end()) continue;
      std::string near = ClosestMatch(k.scalar, allowed), list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      Fail(k, "unknown key '" + k.scalar + "' in " + what + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
           "allowed: " + list);
    }
  }
  const Node& Require(const Node& map, const std::string& key, const std::string& what) const {
    const Node* n = map.Find(key);
    if (!n) Fail(map, what + ": missing required key '" + key + "'");
    return *n;
  }
  std::string Str(const Node& n, const std::string& what) const {
    if (!n.IsScalar()) Fail(n, what + " must be a string");
    return n.scalar;
  }
  std::vector<std::string> StrList(const Node& n, const std::string& what) const {
    if (n.IsScalar()) return {n.scalar};
    if (!n.IsSequence()) Fail(n, what + " must be a string or a list of strings");
    std::vector<std::string> out;
    for (const Node& x : n.items) out.push_back(Str(x, what));
    return out;
  }
  bool Bool(const Node& n, const std::string& what) const {
    format::Scalar s = format::Classify(n);
    if (s.type != format::Scalar::Type::kBool) Fail(n, what + " must be true or false", "yes/no are not booleans here");
    return s.b;
  }
  int Int(const Node& n, const std::string& what) const {
    format::Scalar s = format::Classify(n);
    if (s.type != format::Scalar::Type::kInt || s.i < 0 || s.i > 100000)
      Fail(n, what + " must be a whole number from 0 to 100000, got '" + n.scalar + "'");
    return static_cast<int>(s.i);
  }
  const std::vector<Node>& Seq(const Node& n, const std::string& what) const {
    if (!n.IsSequence()) Fail(n, what + " must be a list");
    return n.items;
  }

 private:
  std::string file_;
};

class Parser : public Reader {
 public:
  Parser(const std::string& file, const RuleSet* rules) : Reader(file), file_(file), rules_(rules) {}

  Scenario Parse(const std::string& text) {
    Node root = format::ReadDocument(text, file_);
    if (root.IsNull()) throw Error(ErrorKind::kInput, file_, "empty scenario file");
    Keys(root,
         {"scenario", "title", "description", "start", "until", "terrain", "demo", "audit", "reports", "declarations",
          "upward_reports", "injects", "expect"},
         "the scenario");
    Scenario sc;
    sc.file = file_;
    ReadHeader(root, sc);
    if (const Node* rs = root.Find("reports"))
      for (const Node& r : Seq(*rs, "reports")) sc.reports.push_back(ReadReport(r));
    for (const auto& r : sc.reports) incidents_.insert(r.incident_id);
    if (const Node* n = root.Find("declarations"))
      for (const Node& d : Seq(*n, "declarations")) sc.declarations.push_back(ReadDeclaration(d));
    if (const Node* n = root.Find("upward_reports"))
      for (const Node& u : Seq(*n, "upward_reports")) sc.upward_reports.push_back(ReadUpward(u));
    if (const Node* n = root.Find("injects"))
      for (const Node& i : Seq(*n, "injects")) sc.injects.push_back(ReadInject(i));
    if (const Node* e = root.Find("expect")) ReadExpect(*e, sc);
    return sc;
  }

 private:
  Timestamp Time(const Node& n, const std::string& what) const {
    std::string why;
    auto t = ParseScenarioTime(Str(n, what), start_, &why);
    if (!t) Fail(n, what + ": " + why, "use ISO 8601 with an offset (2026-04-04T08:00:00+08:00) or +6h / +6h30m");
    return *t;
  }
  Level LevelOf(const Node& n, const std::string& what) const {
    auto l = ParseLevel(Str(n, what));
    if (!l) Fail(n, what + ": unknown level '" + n.scalar + "'", "use IV, III, II or I");
    return *l;
  }
  std::optional<Level> OptLevel(const Node& n, const std::string& what) const {
    std::string s = Str(n, what);
    if (s == "none" || s == "无" || s == "-") return std::nullopt;
    return LevelOf(n, what);
  }
  void CheckRole(const Node& n, const std::string& role) const {
    if (!rules_ || rules_->roles.empty() || rules_->FindRole(role) || rules_->FindUnit(role)) return;
    std::vector<std::string> ids;
    for (const auto& r : rules_->roles) ids.push_back(r.id);
    std::string near = ClosestMatch(role, ids);
    Fail(n, "unknown role '" + role + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
         "roles are defined in the rule file (firebreak rules show)");
  }
  void CheckIncident(const Node& n, const std::string& id) const {
    if (incidents_.count(id)) return;
    std::vector<std::string> ids(incidents_.begin(), incidents_.end());
    std::string near = ClosestMatch(id, ids);
    Fail(n, "incident '" + id + "' has no report in this scenario" +
                (near.empty() ? "" : " (did you mean '" + near + "'?)"));
  }
  std::string Incident(const Node& map, const std::string& what) const {
    const Node& n = Require(map, "incident", what);
    std::string id = Str(n, "incident");
    CheckIncident(n, id);
    return id;
  }
  Text TextOf(const Node& n, const std::string& what) const {
    Text t;
    if (n.IsScalar()) {
      t.zh = t.en = n.scalar;
      return t;
    }
    Keys(n, {"zh", "en"}, what);
    if (const Node* z = n.Find("zh")) t.zh = Str(*z, what + ".zh");
    if (const Node* e = n.Find("en")) t.en = Str(*e, what + ".en");
    if (t.zh.empty()) t.zh = t.en;
    if (t.en.empty()) t.en = t.zh;
    return t;
  }

  void ReadHeader(const Node& root, Scenario& sc) {
    sc.name = root.Find("scenario") ? Str(*root.Find("scenario"), "scenario") : file_;
    if (const Node* n = root.Find("title")) sc.title = TextOf(*n, "title");
    if (const Node* n = root.Find("description")) sc.description = TextOf(*n, "description");
    const Node& s = Require(root, "start", "the scenario");
    std::string why;
    auto t = ParseIso8601(Str(s, "start"), &why);
    if (!t) Fail(s, "start: " + why, "an absolute ISO 8601 time with offset, e.g. 2026-04-04T08:00:00+08:00");
    sc.start = start_ = *t;
    if (const Node* n = root.Find("until")) {
      sc.until = Time(*n, "until");
      if (*sc.until < sc.start) Fail(*n, "until is before start");
    }
    if (const Node* t2 = root.Find("terrain")) {
      Keys(*t2, {"dem", "layers", "demo", "landscape"}, "terrain");
      ScenarioTerrain st;
      if (const Node* n = t2->Find("dem")) st.dem = Str(*n, "terrain.dem");
      if (const Node* n = t2->Find("layers")) st.layers = Str(*n, "terrain.layers");
      if (const Node* n = t2->Find("demo")) st.demo = Bool(*n, "terrain.demo");
      if (const Node* n = t2->Find("landscape")) st.landscape = Str(*n, "terrain.landscape");
      sc.terrain = st;
    }
    if (const Node* n = root.Find("demo"); n && Bool(*n, "demo")) sc.terrain = ScenarioTerrain{{}, {}, true};
    if (const Node* a = root.Find("audit")) {
      Keys(*a, {"declaration_tolerance_min", "report_tolerance_min"}, "audit");
      if (const Node* n = a->Find("declaration_tolerance_min"))
        sc.audit.declaration_tolerance_min = Int(*n, "declaration_tolerance_min");
      if (const Node* n = a->Find("report_tolerance_min"))
        sc.audit.report_tolerance_min = Int(*n, "report_tolerance_min");
    }
  }

  // A report: the fields of docs/report-format.md with relative times resolved, plus `recorded_at`.
  ScenarioReport ReadReport(const Node& r) {
    if (!r.IsMap()) Fail(r, "a report must be a mapping (the fields of docs/report-format.md)");
    ScenarioReport out;
    out.where = Where(r);
    out.incident_id = Str(Require(r, "incident_id", "a report"), "incident_id");
    out.at = Time(Require(r, "reported_at", "a report"), "reported_at");
    out.recorded_at = out.at;
    Node report = r;
    report.entries.clear();
    for (const auto& [k, v] : r.entries) {
      if (k.scalar == "recorded_at") {
        out.recorded_at = Time(v, "recorded_at");
        if (out.recorded_at < out.at)
          Fail(v, "recorded_at is before reported_at", "an office records a report after it describes");
        continue;
      }
      Node value = v;
      if (k.scalar == "reported_at" || k.scalar == "open_fire_since") {
        value.scalar = FormatIso8601(Time(v, k.scalar));
        value.quoted = true;
      }
      report.entries.emplace_back(k, std::move(value));
    }
    if (rules_) format::ParseReportNode(report, file_, *rules_, true);  // every field, at its line:col
    out.json = format::ToJson(report);
    return out;
  }

  ScenarioDeclaration ReadDeclaration(const Node& d) const {
    Keys(d, {"incident", "at", "level", "by", "kind"}, "a declaration");
    ScenarioDeclaration out;
    out.where = Where(d);
    out.incident_id = Incident(d, "a declaration");
    out.at = Time(Require(d, "at", "a declaration"), "at");
    out.by = Str(Require(d, "by", "a declaration"), "by");
    CheckRole(*d.Find("by"), out.by);
    out.kind = d.Find("kind") ? Str(*d.Find("kind"), "kind") : "declare";
    if (out.kind != "declare" && out.kind != "raise" && out.kind != "end")
      Fail(*d.Find("kind"), "kind must be declare, raise or end, got '" + out.kind + "'");
    if (out.kind != "end")
      out.level = LevelOf(Require(d, "level", "a declaration"), "level");
    else if (d.Find("level"))
      Fail(*d.Find("level"), "an 'end' declaration has no level");
    return out;
  }

  ScenarioUpwardReport ReadUpward(const Node& u) const {
    Keys(u, {"incident", "at", "clause", "to"}, "an upward report");
    ScenarioUpwardReport out;
    out.where = Where(u);
    out.incident_id = Incident(u, "an upward report");
    out.at = Time(Require(u, "at", "an upward report"), "at");
    if (const Node* n = u.Find("clause")) out.clause = Str(*n, "clause");
    out.to = StrList(Require(u, "to", "an upward report"), "to");
    return out;
  }

  ScenarioInject ReadInject(const Node& i) const {
    Keys(i, {"at", "incident", "text", "zh", "en"}, "an inject");
    ScenarioInject out;
    out.at = Time(Require(i, "at", "an inject"), "at");
    if (const Node* n = i.Find("incident")) out.incident_id = Str(*n, "incident");
    if (const Node* n = i.Find("text")) out.text = TextOf(*n, "text");
    if (const Node* n = i.Find("zh")) out.text.zh = Str(*n, "zh");
    if (const Node* n = i.Find("en")) out.text.en = Str(*n, "en");
    if (out.text.en.empty()) out.text.en = out.text.zh;
    if (out.text.zh.empty()) out.text.zh = out.text.en;
    return out;
  }

  void ReadExpect(const Node& e, Scenario& sc) const {
    Keys(e, {"levels", "deciders", "leads", "escalations", "reporting", "findings"}, "expect");
    if (const Node* n = e.Find("findings"))
      for (const Node& x : Seq(*n, "expect.findings")) sc.expect_findings.push_back(ReadFinding(x));
    if (const Node* n = e.Find("levels"))
      for (const Node& x : Seq(*n, "expect.levels")) {
        Keys(x, {"incident", "at", "level"}, "an expected level");
        sc.expect_levels.push_back(ExpectLevel{Incident(x, "an expected level"),
                                               Time(Require(x, "at", "an expected level"), "at"),
                                               OptLevel(Require(x, "level", "an expected level"), "level"), Where(x)});
      }
    if (const Node* n = e.Find("deciders"))
      for (const Node& x : Seq(*n, "expect.deciders")) {
        Keys(x, {"incident", "at", "roles"}, "an expected decider");
        ExpectDecider out{Incident(x, "an expected decider"), Time(Require(x, "at", "an expected decider"), "at"),
                          StrList(Require(x, "roles", "an expected decider"), "roles"), Where(x)};
        for (const auto& r : out.roles) CheckRole(*x.Find("roles"), r);
        sc.expect_deciders.push_back(std::move(out));
      }
    if (const Node* n = e.Find("leads"))
      for (const Node& x : Seq(*n, "expect.leads")) sc.expect_leads.push_back(ReadLead(x));
    if (const Node* n = e.Find("escalations"))
      for (const Node& x : Seq(*n, "expect.escalations")) sc.expect_escalations.push_back(ReadEscalation(x));
    if (const Node* n = e.Find("reporting"))
      for (const Node& x : Seq(*n, "expect.reporting")) sc.expect_reporting.push_back(ReadReporting(x));
  }

  ExpectFinding ReadFinding(const Node& x) const {
    Keys(x, {"incident", "code", "absent"}, "an expected finding");
    ExpectFinding out;
    out.where = Where(x);
    out.incident_id = Incident(x, "an expected finding");
    out.code = Str(Require(x, "code", "an expected finding"), "code");
    static const std::vector<std::string> kCodes = {"ended-early", "wrong-role", "over-declared", "not-ended"};
    if (std::find(kCodes.begin(), kCodes.end(), out.code) == kCodes.end()) {
      std::string near = ClosestMatch(out.code, kCodes);
      Fail(*x.Find("code"),
           "unknown finding code '" + out.code + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    }
    if (const Node* n = x.Find("absent")) out.present = !Bool(*n, "absent");
    return out;
  }

  ExpectLead ReadLead(const Node& x) const {
    Keys(x, {"incident", "at", "tier"}, "an expected lead");
    ExpectLead out;
    out.where = Where(x);
    out.incident_id = Incident(x, "an expected lead");
    out.at = Time(Require(x, "at", "an expected lead"), "at");
    const Node& tn = Require(x, "tier", "an expected lead");
    std::string t = Str(tn, "tier");
    if (t == "county")
      out.tier = Tier::kCounty;
    else if (t == "city")
      out.tier = Tier::kCity;
    else if (t == "region")
      out.tier = Tier::kRegion;
    else if (t == "national")
      out.tier = Tier::kNational;
    else
      Fail(tn, "tier must be county, city, region or national, got '" + t + "'");
    return out;
  }

  ExpectEscalation ReadEscalation(const Node& x) const {
    Keys(x, {"incident", "level", "due", "clause", "verdict", "delay_min"}, "an expected escalation");
    ExpectEscalation out;
    out.where = Where(x);
    out.incident_id = Incident(x, "an expected escalation");
    out.level = LevelOf(Require(x, "level", "an expected escalation"), "level");
    if (const Node* n = x.Find("due")) out.due = Time(*n, "due");
    if (const Node* n = x.Find("clause")) out.clause = Str(*n, "clause");
    if (const Node* n = x.Find("verdict")) out.verdict = Str(*n, "verdict");
    if (const Node* n = x.Find("delay_min")) out.delay_min = Int(*n, "delay_min");
    return out;
  }

  ExpectReporting ReadReporting(const Node& x) const {
    Keys(x, {"incident", "clause", "due", "status"}, "an expected reporting duty");
    ExpectReporting out;
    out.where = Where(x);
    out.incident_id = Incident(x, "an expected reporting duty");
    out.clause = Str(Require(x, "clause", "an expected reporting duty"), "clause");
    if (const Node* n = x.Find("due")) out.due = Time(*n, "due");
    if (const Node* n = x.Find("status")) {
      out.status = Str(*n, "status");
      static const std::vector<std::string> kStatus = {"made", "late", "missing", "incomplete", "not-due", "not-known"};
      if (std::find(kStatus.begin(), kStatus.end(), *out.status) == kStatus.end())
        Fail(*n, "unknown status '" + *out.status + "'", "made, late, missing, incomplete, not-due or not-known");
    }
    return out;
  }

  std::string file_;
  const RuleSet* rules_;
  Timestamp start_{};
  std::set<std::string> incidents_;
};

// Parses "+1d2h30m15s" into seconds; nullopt (and *why) if malformed or beyond the scenario span.
std::optional<std::int64_t> RelativeSeconds(const std::string& text, std::string* why) {
  auto fail = [&](const std::string& w) -> std::optional<std::int64_t> {
    if (why) *why = w;
    return std::nullopt;
  };
  if (text == "+0") return 0;
  std::int64_t total = 0;
  std::size_t i = 1;
  bool any = false;
  while (i < text.size()) {
    std::size_t j = i;
    std::int64_t n = 0;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') {
      if (n > kSpanS)
        return fail("relative time '" + text + "' is more than " + std::to_string(kScenarioSpanDays) +
                    " days from start");
      n = n * 10 + (text[j] - '0');
      ++j;
    }
    if (j == i || j >= text.size())
      return fail("bad relative time '" + text + "' (expected e.g. +6h, +6h30m, +90m, +1d2h)");
    std::int64_t unit = 0;
    switch (text[j]) {
      case 'd':
        unit = 86400;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'm':
        unit = 60;
        break;
      case 's':
        unit = 1;
        break;
      default:
        return fail("bad unit '" + std::string(1, text[j]) + "' in '" + text + "' (d, h, m or s)");
    }
    if (n > kSpanS / unit || total + n * unit > kSpanS)
      return fail("relative time '" + text + "' is more than " + std::to_string(kScenarioSpanDays) +
                  " days from start");
    total += n * unit;
    any = true;
    i = j + 1;
  }
  if (!any) return fail("bad relative time '" + text + "'");
  return total;
}

}  // namespace

int Scenario::expectation_count() const {
  return static_cast<int>(expect_levels.size() + expect_deciders.size() + expect_leads.size() +
                          expect_escalations.size() + expect_reporting.size() + expect_findings.size());
}

std::optional<Timestamp> ParseScenarioTime(const std::string& text, const Timestamp& start, std::string* why) {
  if (text.empty() || text[0] != '+') {
    auto t = ParseIso8601(text, why);
    if (t && (t->epoch_s > start.epoch_s + kSpanS || t->epoch_s < start.epoch_s - kSpanS)) {
      if (why) *why = "'" + text + "' is more than " + std::to_string(kScenarioSpanDays) + " days from start";
      return std::nullopt;
    }
    return t;
  }
  auto s = RelativeSeconds(text, why);
  if (!s) return std::nullopt;
  return Timestamp{start.epoch_s + *s, start.offset_min};
}

Scenario ParseScenario(const std::string& text, const std::string& file, const RuleSet* rules) {
  return Parser(file, rules).Parse(text);
}

Scenario LoadScenario(const std::string& path, const RuleSet* rules) {
  return ParseScenario(format::ReadTextFile(path, "scenario"), path, rules);
}

}  // namespace firebreak::timeline
