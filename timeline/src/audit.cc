// The escalation audit over a timeline (semantics in audit.h and docs/audit.md).
#include "firebreak/timeline/audit.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "firebreak/common/text.h"
#include "text_util.h"

namespace firebreak::timeline {

using namespace engine;

using namespace text;  // LevelText, Join, Names, Width, Pad (text_util.h)

namespace {

using nlohmann::json;

int Rank(std::optional<Level> l) { return l ? static_cast<int>(*l) : 0; }
// Rank of the level a declaration leaves declared (0 after an end).
int DeclaredRank(const TimelineDeclaration& d) { return d.kind == "end" || !d.level ? 0 : static_cast<int>(*d.level); }

// "ok" if `role` decides `level`; "superior" if it decides a higher level; else "wrong-role".
std::string RoleVerdict(const RuleSet& rules, const std::string& role, Level level) {
  if (const LevelSpec* ls = rules.FindLevel(level))
    if (std::find(ls->deciders.begin(), ls->deciders.end(), role) != ls->deciders.end()) return "ok";
  for (const auto& ls : rules.levels)
    if (Rank(ls.level) > Rank(level) && std::find(ls.deciders.begin(), ls.deciders.end(), role) != ls.deciders.end())
      return "superior";
  return "wrong-role";
}

std::string Duration(std::int64_t s) {
  if (s <= 0) return "0";
  std::int64_t m = (s + 59) / 60;
  std::string out;
  if (m >= 60) out += std::to_string(m / 60) + "h";
  if (m % 60 || out.empty()) out += std::to_string(m % 60) + "m";
  return out;
}

std::string VerdictText(const std::string& v, const std::string& lang) {
  if (lang == "en") return v;
  std::string out;
  std::size_t pos = 0;
  while (pos <= v.size()) {
    std::size_t c = v.find(", ", pos);
    std::string w = v.substr(pos, c == std::string::npos ? std::string::npos : c - pos);
    std::string zh = w == "ok"           ? "合规"
                     : w == "late"       ? "迟延"
                     : w == "missing"    ? "未宣布"
                     : w == "wrong-role" ? "越权/错位"
                     : w == "made"       ? "已报"
                     : w == "incomplete" ? "漏报对象"
                     : w == "on-time"    ? "及时"
                     : w == "superior"   ? "上级决定"
                     : w == "not-known"  ? "值班室尚未获知"
                                         : w;
    out += (out.empty() ? "" : "，") + zh;
    if (c == std::string::npos) break;
    pos = c + 2;
  }
  return out;
}

// Escalations: every rise of the required level, each matched to the declaration that met it (its index goes
// to `matched`).
void AuditEscalations(const Timeline& tl, const IncidentTimeline& it, const RuleSet& rules, std::int64_t decl_tol,
                      IncidentAudit& a, std::set<std::size_t>& matched_declarations) {
  std::optional<Level> prev;
  for (const auto& s : it.steps) {
    if (Rank(s.required) > Rank(prev)) {
      EscalationAudit e;
      e.from = prev;
      e.to = *s.required;
      e.due_at = s.at;
      e.known_at = it.KnownLevelAt(e.to, e.due_at, tl.HistoryKnownAt(it, s));
      e.cause = s.cause;
      e.clauses = s.triggers;
      e.should_decide = s.deciders;
      e.decider_clause = s.decider_clause;
      // The declaration that brought the declared level to `to` or above: the one in force at due time, or the
      // first one after it.
      std::optional<std::size_t> pick;
      int declared = 0;  // rank of the declared level
      for (std::size_t k = 0; k < it.declarations.size(); ++k) {
        const auto& d = it.declarations[k];
        const int before = declared;
        declared = DeclaredRank(d);
        if (d.at <= e.due_at) {
          if (declared >= Rank(e.to) && before < Rank(e.to)) pick = k;
          if (declared < Rank(e.to)) pick.reset();
        } else if (declared >= Rank(e.to)) {
          if (!pick) pick = k;
          break;
        }
      }
      if (pick) {
        const auto& d = it.declarations[*pick];
        matched_declarations.insert(*pick);
        e.declared_at = d.at;
        e.declared_level = d.level;
        e.declared_by = d.by;
        const std::int64_t start = std::max(e.due_at, e.known_at.value_or(d.at)).epoch_s;
        e.delay_s = std::max<std::int64_t>(0, d.at.epoch_s - start);
        e.timeliness = *e.delay_s > decl_tol ? "late" : "on-time";
        e.role = RoleVerdict(rules, d.by, *d.level);
        std::vector<std::string> parts;
        if (e.timeliness == "late") parts.push_back("late");
        if (e.role == "wrong-role") parts.push_back("wrong-role");
        e.verdict = parts.empty() ? "ok" : Join(parts, ", ");
      } else if (!e.known_at) {
        e.timeliness = e.verdict = "not-known";  // the office could not know it (known-to-the-office)
      } else {
        e.timeliness = "missing";
        e.verdict = "missing";
      }
      if (e.verdict != "ok" && e.verdict != "not-known") a.ok = false;
      a.escalations.push_back(std::move(e));
    }
    prev = s.required;
  }
}

// Declarations not matched to an escalation: wrong role, above what was required; ends before termination
// and a response not ended once termination holds.
void AuditDeclarations(const IncidentTimeline& it, const RuleSet& rules,
                       const std::set<std::size_t>& matched_declarations, IncidentAudit& a) {
  for (std::size_t k = 0; k < it.declarations.size(); ++k) {
    const auto& d = it.declarations[k];
    if (d.kind == "end") {
      const Step* s = nullptr;
      for (const auto& st : it.steps)
        if (st.cause == StepCause::kEnd) s = &st;
      if (s && !s->terminated) {
        a.findings.push_back(
            {d.at, "ended-early",
             "response ended by " + rules.NameOf(d.by, "en") + " before the termination conditions held" +
                 Cite(TerminationClause(rules), "en"),
             rules.NameOf(d.by, "zh") + "在终止条件" + Cite(TerminationClause(rules), "zh") + "成立前终止了响应"});
        a.ok = false;
      }
      continue;
    }
    if (!matched_declarations.count(k) && RoleVerdict(rules, d.by, *d.level) == "wrong-role") {
      a.findings.push_back({d.at, "wrong-role",
                            rules.NameOf(d.by, "en") + " (" + d.by + ") does not decide level " + LevelName(*d.level),
                            rules.NameOf(d.by, "zh") + "无权决定启动" + LevelNameZh(*d.level) + "响应"});
      a.ok = false;
    }
    if (Rank(d.level) > Rank(it.RequiredAt(d.at)))
      a.findings.push_back({d.at, "over-declared",
                            std::string("declared ") + LevelName(*d.level) + " while " +
                                (it.RequiredAt(d.at) ? LevelName(*it.RequiredAt(d.at)) : "none") +
                                " was required (6.3.5 allows adjusting; noted, not a failure)",
                            std::string("宣布") + LevelNameZh(*d.level) + "，而应启动" +
                                (it.RequiredAt(d.at) ? LevelNameZh(*it.RequiredAt(d.at)) : "无") +
                                "（6.3.5允许调整；仅作记录）"});
  }
  if (!it.steps.empty() && !it.ended_at && it.steps.back().terminated && it.DeclaredAt(it.steps.back().at))
    a.findings.push_back(
        {it.steps.back().at, "not-ended",
         "termination conditions hold but the declared response was not ended" + Cite(TerminationClause(rules), "en"),
         "终止条件已成立，但已宣布的响应尚未终止" + Cite(TerminationClause(rules), "zh")});
}

// Upward reports: each reporting duty once, with the first report made for it and whom it told.
void AuditReporting(const Timeline& tl, const IncidentTimeline& it, std::int64_t rep_tol, IncidentAudit& a) {
  std::set<std::string> seen;
  for (const auto& s : it.steps) {
    for (const auto& duty : s.reporting) {
      if (!seen.insert(duty.clause).second) continue;
      ReportingAudit r;
      r.clause = duty.clause;
      r.due_at = s.at;
      r.known_at = it.KnownDutyAt(duty.clause, s.at, tl.HistoryKnownAt(it, s));
      r.recipients = duty.recipients;
      const TimelineUpwardReport* first = nullptr;
      std::set<std::string> to;
      for (const auto& u : it.upward_reports) {
        bool match = u.clause == duty.clause || (u.clause.empty() && u.at >= s.at);
        if (!match) continue;
        if (!first) first = &u;
        to.insert(u.to.begin(), u.to.end());
      }
      if (first) {
        r.made_at = first->at;
        r.made_to.assign(to.begin(), to.end());
        const std::int64_t start = std::max(s.at, r.known_at.value_or(first->at)).epoch_s;
        r.delay_s = std::max<std::int64_t>(0, first->at.epoch_s - start);
        for (const auto& rc : duty.recipients)
          if (!to.count(rc)) r.missing_recipients.push_back(rc);
        r.status = *r.delay_s > rep_tol ? "late" : !r.missing_recipients.empty() ? "incomplete" : "made";
      } else {
        r.status = r.known_at ? "missing" : "not-known";
      }
      if (r.status != "made" && r.status != "not-known") a.ok = false;
      a.reporting.push_back(std::move(r));
    }
  }
}

IncidentAudit AuditIncident(const Timeline& tl, const IncidentTimeline& it, const RuleSet& rules,
                            const AuditOptions& opt) {
  IncidentAudit a;
  a.incident_id = it.incident_id;
  a.county = it.county;
  const std::int64_t decl_tol = static_cast<std::int64_t>(opt.declaration_tolerance_min) * 60;
  const std::int64_t rep_tol = static_cast<std::int64_t>(opt.report_tolerance_min) * 60;
  std::set<std::size_t> matched_declarations;
  AuditEscalations(tl, it, rules, decl_tol, a, matched_declarations);
  AuditDeclarations(it, rules, matched_declarations, a);
  AuditReporting(tl, it, rep_tol, a);
  return a;
}

}  // namespace

const IncidentAudit* AuditReport::Find(const std::string& incident_id) const {
  for (const auto& i : incidents)
    if (i.incident_id == incident_id) return &i;
  return nullptr;
}

AuditReport Audit(const Timeline& t, const RuleSet& rules, const AuditOptions& options,
                  const std::vector<std::string>& only) {
  AuditReport a;
  a.options = options;
  a.rules_id = t.rules_id;
  a.rules_sha256 = t.rules_sha256;
  a.from = t.from;
  a.until = t.until;
  a.interpretations = {kLevelHoldsInterpretation, kTimelinessInterpretation, kKnownInterpretation,
                       kHistoryKnownInterpretation, kSuperiorInterpretation};
  for (const auto& it : t.incidents) {
    if (!only.empty() && std::find(only.begin(), only.end(), it.incident_id) == only.end()) continue;
    a.incidents.push_back(AuditIncident(t, it, rules, options));
    a.ok = a.ok && a.incidents.back().ok;
  }
  return a;
}

// ---------------------------------------------------------------- text

namespace {

std::string InterpretationLines(const AuditReport& a, const RuleSet& rules, const std::string& lang) {
  const bool en = lang == "en";
  std::ostringstream out;
  out << (en ? "Interpretations used:\n" : "所用解释：\n");
  for (const auto& id : a.interpretations) {
    out << "  " << id;
    if (const Interpretation* i = rules.FindInterpretation(id)) {
      out << " (" << i->clause << "): " << (en ? i->text.en : i->text.zh);
      if (id == kTimelinessInterpretation)
        out << (en ? " [this audit: " : " [本次审计：") << a.options.declaration_tolerance_min << " / "
            << a.options.report_tolerance_min << (en ? " min]" : " 分钟]");
      out << "\n";
      continue;
    }
    if (id == kTimelinessInterpretation)
      out << (en ? ": a declaration is late if made more than " + std::to_string(a.options.declaration_tolerance_min) +
                       " min after it fell due, an upward report" + Cite(ReportingSection(rules), "en") +
                       " more than " + std::to_string(a.options.report_tolerance_min) +
                       " min (the plan says 及时/即有即报 without minutes)\n"
                 : "：预案只说“及时”“即有即报”，未规定分钟数；宣布晚于应启动时刻 " +
                       std::to_string(a.options.declaration_tolerance_min) + " 分钟以上为迟延，上报" +
                       Cite(ReportingSection(rules), "zh") + "晚于 " + std::to_string(a.options.report_tolerance_min) +
                       " 分钟以上为迟延\n");
    else if (id == kSuperiorInterpretation)
      out << (en ? ": a role that decides a higher level may declare a lower one (accepted, noted 'superior')\n"
                 : "：有权决定更高等级响应的角色宣布较低等级响应，视为有效（注明“上级决定”）\n");
    else if (id == kKnownInterpretation)
      out << (en ? ": lateness counts from the later of due by the facts and known to the office (late reports)\n"
                 : "：迟延自“按事实应启动”与“值班室获知”二者中较晚者起算（迟到报告）\n");
    else if (id == kHistoryKnownInterpretation)
      out << (en ? ": the office knows what the facts required at a moment once it has every report describing that "
                   "moment or earlier, even if a later report gives a smaller figure\n"
                 : "：值班室收到描述某一时刻及其以前的全部报告之时，即获知该时刻按事实应启动（应报告）的事项，"
                   "后续报告数值较小亦然\n");
    else if (id == kLevelHoldsInterpretation)
      out << (en ? ": once required, a level stays required until the termination conditions" +
                       Cite(TerminationClause(rules), lang) + " hold\n"
                 : "：已达到的响应等级保持至满足终止条件" + Cite(TerminationClause(rules), lang) + "\n");
    else
      out << "\n";
  }
  return out.str();
}

}  // namespace

std::string AuditToText(const AuditReport& a, const RuleSet& rules, const std::string& lang) {
  const bool en = lang == "en";
  std::ostringstream out;
  out << (en ? "Escalation audit" : "响应启动审计") << " — " << (en ? "rules " : "规则 ") << a.rules_id << " (sha256 "
      << a.rules_sha256.substr(0, 12) << "…), " << FormatShort(a.from) << " – " << FormatShort(a.until) << "\n\n";
  for (const auto& inc : a.incidents) {
    out << (en ? "Incident " : "火情 ") << inc.incident_id;
    if (inc.county) {
      const County* c = rules.FindCounty(*inc.county);
      out << " (" << (c ? (en ? c->name_en : c->name) : *inc.county) << ")";
    }
    out << ": " << (inc.ok ? (en ? "OK" : "合规") : (en ? "FINDINGS" : "存在问题")) << "\n";
    if (inc.escalations.empty())
      out << (en ? "  no response level was required\n" : "  未达到任何响应启动条件\n");
    else {
      out << "  " << Pad(en ? "level" : "等级", 8) << Pad(en ? "due" : "应启动", 13) << Pad(en ? "clause" : "条款", 13)
          << Pad(en ? "declared" : "宣布", 13) << Pad(en ? "by" : "宣布人", 24) << Pad(en ? "delay" : "延迟", 8)
          << Pad(en ? "verdict" : "结论", 12) << (en ? "should decide" : "应由") << "\n";
      for (const auto& e : inc.escalations) {
        std::string by = e.declared_by.empty() ? "—" : rules.NameOf(e.declared_by, lang);
        if (e.role == "superior") by += en ? " (superior)" : "（上级）";
        out << "  " << Pad(LevelText(e.to, lang), 8) << Pad(FormatShort(e.due_at), 13)
            << Pad(e.clauses.empty() ? "—" : Join(e.clauses, ","), 13)
            << Pad(e.declared_at ? FormatShort(*e.declared_at) : "—", 13) << Pad(by, 24)
            << Pad(e.delay_s ? Duration(*e.delay_s) : "—", 8) << Pad(VerdictText(e.verdict, lang), 12)
            << Names(e.should_decide, rules, lang) << (e.decider_clause.empty() ? "" : " (" + e.decider_clause + ")")
            << "\n";
        if (!e.known_at || *e.known_at > e.due_at)
          out << "    ↳ " << (en ? "known to the office " : "值班室获知 ")
              << (e.known_at ? FormatShort(*e.known_at) : std::string(en ? "not by the end" : "截至审计结束仍未获知"))
              << (en ? " (late report; the delay counts from then: " : "（迟到报告；迟延自此起算：")
              << kKnownInterpretation << (en ? ")\n" : "）\n");
      }
    }
    if (!inc.reporting.empty()) {
      out << "  " << (en ? "Upward reports" : "信息报告") << Cite(ReportingSection(rules), lang) << (en ? ":" : "：")
          << "\n";
      for (const auto& r : inc.reporting) {
        out << "    " << Pad(r.clause, 8) << (en ? "due " : "应报 ") << Pad(FormatShort(r.due_at), 13)
            << (en ? "to " : "报 ") << Pad(Names(r.recipients, rules, lang), 30)
            << (r.made_at ? (en ? "made " : "已报 ") + FormatShort(*r.made_at) + (en ? ", delay " : "，延迟 ") +
                                Duration(*r.delay_s)
                          : std::string(en ? "not made" : "未报"))
            << "  → " << VerdictText(r.status, lang);
        if (!r.missing_recipients.empty())
          out << (en ? " (not told: " : "（未报：") << Names(r.missing_recipients, rules, lang) << (en ? ")" : "）");
        out << "\n";
      }
    }
    for (const auto& f : inc.findings)
      out << "  ! " << FormatShort(f.at) << " " << f.code << ": " << (en ? f.detail : f.detail_zh) << "\n";
    out << "\n";
  }
  out << InterpretationLines(a, rules, lang);
  return out.str();
}

std::string AuditToJson(const AuditReport& a, const RuleSet& rules, int indent) {
  (void)rules;
  auto lv = [](std::optional<Level> l) { return l ? json(LevelName(*l)) : json(nullptr); };
  auto ts = [](const std::optional<Timestamp>& t) { return t ? json(FormatIso8601(*t)) : json(nullptr); };
  json j;
  j["rules"] = {{"id", a.rules_id}, {"sha256", a.rules_sha256}};
  j["from"] = FormatIso8601(a.from);
  j["until"] = FormatIso8601(a.until);
  j["ok"] = a.ok;
  j["options"] = {{"declaration_tolerance_min", a.options.declaration_tolerance_min},
                  {"report_tolerance_min", a.options.report_tolerance_min}};
  j["interpretations"] = a.interpretations;
  j["incidents"] = json::array();
  for (const auto& inc : a.incidents) {
    json ji = {
        {"incident_id", inc.incident_id}, {"county", inc.county ? json(*inc.county) : json(nullptr)}, {"ok", inc.ok}};
    ji["escalations"] = json::array();
    for (const auto& e : inc.escalations)
      ji["escalations"].push_back({{"from", lv(e.from)},
                                   {"to", LevelName(e.to)},
                                   {"due_at", FormatIso8601(e.due_at)},
                                   {"known_at", ts(e.known_at)},
                                   {"cause", StepCauseName(e.cause)},
                                   {"clauses", e.clauses},
                                   {"should_decide", e.should_decide},
                                   {"decider_clause", e.decider_clause},
                                   {"declared_at", ts(e.declared_at)},
                                   {"declared_level", lv(e.declared_level)},
                                   {"declared_by", e.declared_by.empty() ? json(nullptr) : json(e.declared_by)},
                                   {"delay_min", e.delay_s ? json(*e.delay_s / 60.0) : json(nullptr)},
                                   {"timeliness", e.timeliness},
                                   {"role", e.role.empty() ? json(nullptr) : json(e.role)},
                                   {"verdict", e.verdict}});
    ji["reporting"] = json::array();
    for (const auto& r : inc.reporting)
      ji["reporting"].push_back({{"clause", r.clause},
                                 {"due_at", FormatIso8601(r.due_at)},
                                 {"known_at", ts(r.known_at)},
                                 {"recipients", r.recipients},
                                 {"made_at", ts(r.made_at)},
                                 {"made_to", r.made_to},
                                 {"missing_recipients", r.missing_recipients},
                                 {"delay_min", r.delay_s ? json(*r.delay_s / 60.0) : json(nullptr)},
                                 {"status", r.status}});
    ji["findings"] = json::array();
    for (const auto& f : inc.findings)
      ji["findings"].push_back({{"at", FormatIso8601(f.at)}, {"code", f.code}, {"detail", f.detail}});
    j["incidents"].push_back(ji);
  }
  return j.dump(indent);
}

// ---------------------------------------------------------------- HTML + SVG

namespace {

using firebreak::text::HtmlEscape;

// SVG coordinates: one decimal.
std::string Num(double v) { return firebreak::text::Fixed(v, 1); }

// Step chart of required vs declared level for one incident.
// The chart's geometry: a 1000 x 250 viewBox, plot area inside the margins, time t0..t1 across, levels up.
struct ChartFrame {
  static constexpr double W = 1000, H = 250, L = 64, R = 16, T = 22, B = 46;
  static constexpr double pw = W - L - R, ph = H - T - B;
  std::int64_t t0, t1;
  double X(std::int64_t e) const { return L + pw * static_cast<double>(e - t0) / static_cast<double>(t1 - t0); }
  double Y(std::optional<Level> l) const { return YRank(Rank(l)); }
  double YRank(int rank) const { return T + ph * (4 - rank) / 4.0; }  // rank 0 (none) .. 4 (I)
};

// Level bands with their labels, and time ticks (every 1, 2, 3, 6 ... 168 h: at most ~10).
void ChartAxes(const ChartFrame& f, const IncidentTimeline& it, const std::string& lang, std::ostringstream& s) {
  const std::int64_t t0 = f.t0, t1 = f.t1;
  for (int r = 0; r <= 4; ++r) {
    std::optional<Level> l = r == 0 ? std::nullopt : std::optional<Level>(static_cast<Level>(r));
    double y = f.Y(l);
    s << "<line x1='" << f.L << "' x2='" << f.W - f.R << "' y1='" << Num(y) << "' y2='" << Num(y)
      << "' stroke='#e3e3e3'/>";
    s << "<text x='" << f.L - 8 << "' y='" << Num(y + 4) << "' text-anchor='end' font-size='13' fill='#444'>"
      << HtmlEscape(LevelText(l, lang)) << "</text>";
  }
  const double hours = static_cast<double>(t1 - t0) / 3600.0;
  int step_h = 1;
  for (int c : {1, 2, 3, 6, 12, 24, 48, 96, 168})
    if (hours / c <= 10) {
      step_h = c;
      break;
    } else {
      step_h = c;
    }
  for (std::int64_t e = t0; e <= t1; e += step_h * 3600) {
    double x = f.X(e);
    s << "<line x1='" << Num(x) << "' x2='" << Num(x) << "' y1='" << f.T << "' y2='" << f.T + f.ph
      << "' stroke='#f0f0f0'/>";
    s << "<text x='" << Num(x) << "' y='" << f.T + f.ph + 16 << "' text-anchor='middle' font-size='11' fill='#555'>"
      << HtmlEscape(FormatShort(Timestamp{e, it.first_report.offset_min})) << "</text>";
    s << "<text x='" << Num(x) << "' y='" << f.T + f.ph + 30 << "' text-anchor='middle' font-size='10' fill='#999'>+"
      << (e - t0) / 3600 << "h</text>";
  }
}

// Required (solid red) and declared (dashed blue, drawn 3 px lower so both show where they coincide).
void ChartLines(const ChartFrame& f, const IncidentTimeline& it, const Timeline& t, std::ostringstream& s) {
  const std::int64_t t0 = f.t0, t1 = f.t1;
  std::ostringstream req;
  bool first = true;
  for (const auto& st : it.steps) {
    if (first)
      req << "M" << Num(f.X(st.at.epoch_s)) << " " << Num(f.Y(st.required));
    else
      req << " H" << Num(f.X(st.at.epoch_s)) << " V" << Num(f.Y(st.required));
    first = false;
  }
  std::int64_t req_end = it.ended_at ? it.ended_at->epoch_s : t.until.epoch_s;
  req << " H" << Num(f.X(std::min(req_end, t1)));
  if (it.ended_at) req << " V" << Num(f.Y(std::nullopt));
  s << "<path d='" << req.str() << "' fill='none' stroke='#c62828' stroke-width='3'/>";
  std::ostringstream dec;
  dec << "M" << Num(f.X(t0)) << " " << Num(f.Y(std::nullopt) + 3);
  for (const auto& d : it.declarations) {
    dec << " H" << Num(f.X(d.at.epoch_s)) << " V" << Num(f.YRank(DeclaredRank(d)) + 3);
  }
  dec << " H" << Num(f.X(t1));
  s << "<path d='" << dec.str() << "' fill='none' stroke='#1565c0' stroke-width='2.5' stroke-dasharray='7 4'/>";
}

// Escalation due markers with the delay band to the declaration; declarations; upward reports.
void ChartMarkers(const ChartFrame& f, const IncidentTimeline& it, const IncidentAudit& a, bool en,
                  std::ostringstream& s) {
  for (const auto& e : a.escalations) {
    double x = f.X(e.due_at.epoch_s), y = f.Y(e.to);
    if (e.declared_at && e.delay_s && *e.delay_s > 0) {
      double x2 = f.X(e.declared_at->epoch_s);
      std::string col = e.timeliness == "late" ? "#c62828" : "#2e7d32";
      s << "<rect x='" << Num(x) << "' y='" << Num(y - 7) << "' width='" << Num(std::max(1.0, x2 - x))
        << "' height='14' fill='" << col << "' opacity='0.13'/>";
      if (x2 - x > 45)
        s << "<text x='" << Num((x + x2) / 2) << "' y='" << Num(y + 20)
          << "' text-anchor='middle' font-size='11' fill='" << col << "'>"
          << HtmlEscape((e.timeliness == "late" ? (en ? "late " : "迟延 ") : (en ? "+" : "+")) + Duration(*e.delay_s))
          << "</text>";
    }
    s << "<circle cx='" << Num(x) << "' cy='" << Num(y) << "' r='5' fill='#c62828'/>";
    s << "<text x='" << Num(x + 6) << "' y='" << Num(y - 9) << "' font-size='11' fill='#c62828'>"
      << HtmlEscape(e.clauses.empty() ? "" : e.clauses.front()) << "</text>";
  }
  for (const auto& d : it.declarations) {
    double x = f.X(d.at.epoch_s), y = f.YRank(DeclaredRank(d)) + 3;
    s << "<path d='M" << Num(x) << " " << Num(y - 7) << " l5 9 h-10 z' fill='#1565c0'/>";
  }
  for (const auto& u : it.upward_reports) {
    double x = f.X(u.at.epoch_s);
    s << "<line x1='" << Num(x) << "' x2='" << Num(x) << "' y1='" << f.T << "' y2='" << f.T + f.ph
      << "' stroke='#6a1b9a' stroke-width='1' stroke-dasharray='2 3'/>";
    s << "<path d='M" << Num(x - 5) << " " << f.T - 6 << " h10 l-5 8 z' fill='#6a1b9a'><title>" << HtmlEscape(u.clause)
      << "</title></path>";
  }
}

void ChartLegend(const RuleSet& rules, const std::string& lang, std::ostringstream& s) {
  const bool en = lang == "en";
  const double L = ChartFrame::L, H = ChartFrame::H;
  double lx = L + 8;
  s << "<g font-size='12'><line x1='" << lx << "' x2='" << lx + 26 << "' y1='" << H - 6 << "' y2='" << H - 6
    << "' stroke='#c62828' stroke-width='3'/><text x='" << lx + 32 << "' y='" << H - 2 << "'>"
    << (en ? "required (plan)" : "应启动等级（预案）") << "</text>";
  lx += 190;
  s << "<line x1='" << lx << "' x2='" << lx + 26 << "' y1='" << H - 6 << "' y2='" << H - 6
    << "' stroke='#1565c0' stroke-width='2.5' stroke-dasharray='7 4'/><text x='" << lx + 32 << "' y='" << H - 2 << "'>"
    << (en ? "declared" : "已宣布等级") << "</text>";
  lx += 150;
  s << "<circle cx='" << lx + 5 << "' cy='" << H - 6 << "' r='5' fill='#c62828'/><text x='" << lx + 16 << "' y='"
    << H - 2 << "'>" << (en ? "became due (clause)" : "达到启动条件（条款）") << "</text>";
  lx += 190;
  s << "<path d='M" << lx << " " << H - 11 << " h10 l-5 8 z' fill='#6a1b9a'/><text x='" << lx + 14 << "' y='" << H - 2
    << "'>" << (en ? "upward report" : "向上报告") << Cite(ReportingSection(rules), lang) << "</text></g>";
}

std::string Chart(const IncidentTimeline& it, const IncidentAudit& a, const Timeline& t, const RuleSet& rules,
                  const std::string& lang) {
  std::int64_t t0 = it.first_report.epoch_s;
  std::int64_t t1 = it.ended_at ? it.ended_at->epoch_s : t.until.epoch_s;
  for (const auto& d : it.declarations) t1 = std::max(t1, d.at.epoch_s);
  for (const auto& u : it.upward_reports) t1 = std::max(t1, u.at.epoch_s);
  if (t1 <= t0) t1 = t0 + 3600;
  const double span = static_cast<double>(t1 - t0);
  t1 += static_cast<std::int64_t>(span * 0.04) + 60;  // room after the last event
  const ChartFrame f{t0, t1};
  std::ostringstream s;
  s << "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 " << f.W << " " << f.H << "' width='100%' role='img'>";
  ChartAxes(f, it, lang, s);
  ChartLines(f, it, t, s);
  ChartMarkers(f, it, a, lang == "en", s);
  ChartLegend(rules, lang, s);
  s << "</svg>";
  return s.str();
}

}  // namespace

std::string AuditToHtml(const AuditReport& a, const Timeline& t, const RuleSet& rules, const std::string& lang,
                        const std::string& title) {
  const bool en = lang == "en";
  std::ostringstream h;
  std::string heading = title.empty() ? (en ? "Escalation audit" : "响应启动审计") : title;
  h << "<!DOCTYPE html><html lang='" << (en ? "en" : "zh-CN") << "'><head><meta charset='utf-8'><title>"
    << HtmlEscape(heading)
    << "</title><style>"
       "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;margin:24px 32px;"
       "color:#222;max-width:1100px}"
       "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px;border-bottom:2px solid #ddd;"
       "padding-bottom:4px}.meta{color:#666;font-size:13px}"
       "table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}"
       "th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f5f5f5}"
       ".ok{color:#2e7d32;font-weight:bold}.bad{color:#c62828;font-weight:bold}.note{color:#666;font-size:12px}"
       ".badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff}"
       ".b-ok{background:#2e7d32}.b-bad{background:#c62828}"
       "</style></head><body>";
  h << "<h1>" << HtmlEscape(heading) << "</h1><div class='meta'>" << (en ? "Rules " : "规则 ") << HtmlEscape(a.rules_id)
    << " · sha256 " << HtmlEscape(a.rules_sha256.substr(0, 16)) << "… · " << HtmlEscape(FormatIso8601(a.from)) << " – "
    << HtmlEscape(FormatIso8601(a.until)) << " · " << (en ? "tolerance " : "容许延迟 ")
    << a.options.declaration_tolerance_min << (en ? " min" : " 分钟") << "</div>";
  for (const auto& inc : a.incidents) {
    const IncidentTimeline* it = t.Find(inc.incident_id);
    h << "<h2>" << (en ? "Incident " : "火情 ") << HtmlEscape(inc.incident_id);
    if (inc.county) {
      const County* c = rules.FindCounty(*inc.county);
      h << " · " << HtmlEscape(c ? (en ? c->name_en : c->name) : *inc.county);
    }
    h << " <span class='badge " << (inc.ok ? "b-ok'>" : "b-bad'>")
      << (inc.ok ? (en ? "OK" : "合规") : (en ? "findings" : "存在问题")) << "</span></h2>";
    if (it) h << Chart(*it, inc, t, rules, lang);
    h << "<table><tr><th>" << (en ? "Level" : "等级") << "</th><th>" << (en ? "Due" : "应启动") << "</th><th>"
      << (en ? "Clause" : "条款") << "</th><th>" << (en ? "Should decide" : "应由") << "</th><th>"
      << (en ? "Declared" : "宣布") << "</th><th>" << (en ? "By" : "宣布人") << "</th><th>" << (en ? "Delay" : "延迟")
      << "</th><th>" << (en ? "Verdict" : "结论") << "</th></tr>";
    if (inc.escalations.empty())
      h << "<tr><td colspan='8' class='note'>" << (en ? "no response level was required" : "未达到任何响应启动条件")
        << "</td></tr>";
    for (const auto& e : inc.escalations) {
      std::string by = e.declared_by.empty() ? "—" : rules.NameOf(e.declared_by, lang);
      if (e.role == "superior") by += en ? " (superior)" : "（上级）";
      h << "<tr><td>" << HtmlEscape(LevelText(e.to, lang)) << "</td><td>" << HtmlEscape(FormatShort(e.due_at))
        << "</td><td>" << HtmlEscape(Join(e.clauses, ", ")) << "</td><td>"
        << HtmlEscape(Names(e.should_decide, rules, lang)) << " <span class='note'>" << HtmlEscape(e.decider_clause)
        << "</span></td><td>" << HtmlEscape(e.declared_at ? FormatShort(*e.declared_at) : "—") << "</td><td>"
        << HtmlEscape(by) << "</td><td>" << HtmlEscape(e.delay_s ? Duration(*e.delay_s) : "—") << "</td><td class='"
        << (e.verdict == "ok" ? "ok" : "bad") << "'>" << HtmlEscape(VerdictText(e.verdict, lang)) << "</td></tr>";
    }
    h << "</table>";
    if (!inc.reporting.empty()) {
      h << "<table><tr><th>" << (en ? "Upward report" : "信息报告") << "</th><th>" << (en ? "Due" : "应报")
        << "</th><th>" << (en ? "To" : "报送") << "</th><th>" << (en ? "Made" : "实报") << "</th><th>"
        << (en ? "Delay" : "延迟") << "</th><th>" << (en ? "Status" : "结论") << "</th></tr>";
      for (const auto& r : inc.reporting) {
        h << "<tr><td>" << HtmlEscape(r.clause) << "</td><td>" << HtmlEscape(FormatShort(r.due_at)) << "</td><td>"
          << HtmlEscape(Names(r.recipients, rules, lang)) << "</td><td>"
          << HtmlEscape(r.made_at ? FormatShort(*r.made_at) : "—") << "</td><td>"
          << HtmlEscape(r.delay_s ? Duration(*r.delay_s) : "—") << "</td><td class='"
          << (r.status == "made" ? "ok" : "bad") << "'>" << HtmlEscape(VerdictText(r.status, lang));
        if (!r.missing_recipients.empty())
          h << " <span class='note'>(" << (en ? "not told: " : "未报：")
            << HtmlEscape(Names(r.missing_recipients, rules, lang)) << ")</span>";
        h << "</td></tr>";
      }
      h << "</table>";
    }
    for (const auto& f : inc.findings)
      h << "<p class='" << (f.code == "over-declared" || f.code == "not-ended" ? "note" : "bad") << "'>"
        << HtmlEscape(FormatShort(f.at)) << " · " << HtmlEscape(f.code) << ": "
        << HtmlEscape(en ? f.detail : f.detail_zh) << "</p>";
  }
  h << "<h2>" << (en ? "Interpretations" : "解释") << "</h2><div class='note' style='white-space:pre-wrap'>"
    << HtmlEscape(InterpretationLines(a, rules, lang)) << "</div></body></html>\n";
  return h.str();
}

}  // namespace firebreak::timeline
