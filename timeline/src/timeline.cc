// Timeline: the required level over time (see timeline.h for the semantics and the interpretation it cites).
#include "firebreak/timeline/timeline.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"

#include "text_util.h"

namespace firebreak::timeline {

using namespace engine;

using namespace text;  // LevelText, Join, Names, Width, Pad (text_util.h)

namespace {

using nlohmann::json;

bool Compare(double v, Cmp op, double b) {
  switch (op) {
    case Cmp::kGt: return v > b;
    case Cmp::kGe: return v >= b;
    case Cmp::kLt: return v < b;
    case Cmp::kLe: return v <= b;
    case Cmp::kEq: return v == b;
  }
  return false;
}

int Rank(std::optional<Level> l) { return l ? static_cast<int>(*l) : 0; }

std::vector<std::string> ReportingClauses(const Step& s) {
  std::vector<std::string> out;
  for (const auto& r : s.reporting) out.push_back(r.clause);
  return out;
}

bool SameState(const Step& a, const Step& b) {
  return a.assessed == b.assessed && a.required == b.required && a.terminated == b.terminated &&
         a.lead == b.lead && a.grade == b.grade && ReportingClauses(a) == ReportingClauses(b) &&
         a.triggers == b.triggers;
}

}  // namespace

const char* StepCauseName(StepCause c) {
  switch (c) {
    case StepCause::kReport: return "report";
    case StepCause::kClock: return "clock";
    case StepCause::kConcurrency: return "concurrency";
    case StepCause::kEnd: return "end";
  }
  return "?";
}

bool ConditionHolds(const Condition& c, const FactSet& facts) {
  if (c.always()) return true;
  for (const auto& alt : c.any) {
    bool all = true;
    for (const auto& p : alt.all) {
      auto v = facts.Get(p.fact);
      if (!v) {
        all = false;
        break;
      }
      if (p.is && ((*v != 0) != *p.is)) all = false;
      for (const auto& b : p.bounds)
        if (!Compare(*v, b.op, b.value)) all = false;
      if (!all) break;
    }
    if (all) return true;
  }
  return false;
}

const Termination* ResponseTermination(const RuleSet& rules) {
  for (const char* prefix : {"6.3.6", "6.2.8"})
    for (const auto& t : rules.terminations)
      if (t.clause.rfind(prefix, 0) == 0 && !t.when.always()) return &t;
  return nullptr;
}

std::string MergeReportJson(const std::string& base, const std::string& update, const std::string& where) {
  json b = json::parse(base, nullptr, false);
  json u = json::parse(update, nullptr, false);
  if (!b.is_object()) throw Error(ErrorKind::kInput, where, "the incident's last report is not a JSON object");
  if (!u.is_object()) throw Error(ErrorKind::kInput, where, "a report must be a JSON object");
  for (auto it = u.begin(); it != u.end(); ++it) {
    if (it.value().is_object() && b.contains(it.key()) && b[it.key()].is_object()) {
      for (auto jt = it.value().begin(); jt != it.value().end(); ++jt) b[it.key()][jt.key()] = jt.value();
    } else {
      b[it.key()] = it.value();
    }
  }
  return b.dump();
}

const Step* IncidentTimeline::StepAt(const Timestamp& t) const {
  const Step* out = nullptr;
  for (const auto& s : steps) {
    if (s.at > t) break;
    out = &s;
  }
  return out;
}

std::optional<Level> IncidentTimeline::RequiredAt(const Timestamp& t) const {
  if (ended_at && *ended_at <= t) return std::nullopt;
  const Step* s = StepAt(t);
  return s ? s->required : std::nullopt;
}

std::optional<Level> IncidentTimeline::DeclaredAt(const Timestamp& t) const {
  std::optional<Level> out;
  for (const auto& d : declarations) {
    if (d.at > t) break;
    out = d.kind == "end" ? std::nullopt : d.level;
  }
  return out;
}

const IncidentTimeline* Timeline::Find(const std::string& incident_id) const {
  for (const auto& i : incidents)
    if (i.incident_id == incident_id) return &i;
  return nullptr;
}

Timeline BuildTimeline(const Engine& eng, const TimelineInput& in) {
  const RuleSet& rules = eng.rules();
  const Termination* term = ResponseTermination(rules);
  Timeline tl;
  tl.rules_id = rules.meta.id;
  tl.rules_sha256 = rules.source_sha256;

  // Group reports by incident, in time order (stable: equal times keep input order).
  std::map<std::string, std::vector<const Incident*>> by_id;
  for (const auto& r : in.reports) by_id[r.incident_id].push_back(&r);
  if (by_id.empty()) return tl;
  struct State {
    IncidentTimeline* tl = nullptr;
    std::vector<const Incident*> reports;
    std::size_t next = 0;  // index of the first report after the current moment
    std::optional<Level> held;
    std::optional<Timestamp> ended_at;
    bool done = false;
    std::optional<Concurrency> last_conc;  // concurrency at the last evaluation
  };
  std::vector<State> states;
  std::set<std::int64_t> events;
  std::int64_t last_event = std::numeric_limits<std::int64_t>::min();
  std::int64_t first_event = std::numeric_limits<std::int64_t>::max();
  for (auto& [id, rs] : by_id) {
    std::stable_sort(rs.begin(), rs.end(), [](const Incident* a, const Incident* b) { return a->reported_at < b->reported_at; });
    for (const Incident* r : rs) {
      events.insert(r->reported_at.epoch_s);
      last_event = std::max(last_event, r->reported_at.epoch_s);
      first_event = std::min(first_event, r->reported_at.epoch_s);
    }
  }
  // Incidents in order of first report.
  std::vector<std::string> order;
  for (const auto& [id, rs] : by_id) order.push_back(id);
  std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
    return by_id[a].front()->reported_at < by_id[b].front()->reported_at;
  });
  tl.incidents.resize(order.size());
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& rs = by_id[order[i]];
    IncidentTimeline& it = tl.incidents[i];
    it.incident_id = order[i];
    it.first_report = rs.front()->reported_at;
    for (const Incident* r : rs)
      if (r->county) it.county = r->county;
    states.push_back(State{&it, rs, 0, std::nullopt, std::nullopt, false, std::nullopt});
    index[order[i]] = i;
  }
  int offset = by_id[order[0]].front()->reported_at.offset_min;
  for (const auto& d : in.declarations) {
    auto f = index.find(d.incident_id);
    if (f == index.end()) continue;  // declarations about incidents without reports cannot be placed
    tl.incidents[f->second].declarations.push_back(d);
    last_event = std::max(last_event, d.at.epoch_s);
  }
  for (const auto& u : in.upward_reports) {
    auto f = index.find(u.incident_id);
    if (f == index.end()) continue;
    tl.incidents[f->second].upward_reports.push_back(u);
    last_event = std::max(last_event, u.at.epoch_s);
  }
  for (const auto& j : in.injects) {
    auto f = index.find(j.incident_id);
    if (f != index.end()) tl.incidents[f->second].injects.push_back(j);
  }
  for (std::size_t i = 0; i < states.size(); ++i) {
    auto& it = tl.incidents[i];
    std::stable_sort(it.declarations.begin(), it.declarations.end(),
                     [](const auto& a, const auto& b) { return a.at < b.at; });
    std::stable_sort(it.upward_reports.begin(), it.upward_reports.end(),
                     [](const auto& a, const auto& b) { return a.at < b.at; });
    for (const auto& d : it.declarations)
      if (d.kind == "end") {
        it.ended_at = states[i].ended_at = d.at;
        events.insert(d.at.epoch_s);
        break;
      }
  }
  const std::int64_t until = in.until ? in.until->epoch_s : last_event;
  tl.from = Timestamp{first_event, offset};
  tl.until = Timestamp{std::max(until, first_event), offset};

  const long limit = 200L * static_cast<long>(in.reports.size() + 1) + 1000;
  std::map<std::int64_t, std::map<std::size_t, std::string>> due_owner;  // time -> incident -> clause
  Decision d;
  // Incidents that have started and may still change (states are in order of first report).
  std::vector<std::size_t> active;
  std::size_t next_start = 0;
  std::vector<bool> reported_now(states.size(), false);
  while (!events.empty()) {
    const std::int64_t now = *events.begin();
    events.erase(events.begin());
    if (now > until) break;
    const Timestamp t{now, offset};
    while (next_start < states.size() && states[next_start].reports.front()->reported_at.epoch_s <= now)
      active.push_back(next_start++);
    // Advance every active incident to `now` and count the fires burning (plan 6.3.2.1(5), 3.3).
    Concurrency conc{0, 0};
    for (std::size_t i : active) reported_now[i] = false;
    for (std::size_t i : active) {
      State& s = states[i];
      while (s.next < s.reports.size() && s.reports[s.next]->reported_at.epoch_s <= now) {
        reported_now[i] = reported_now[i] || s.reports[s.next]->reported_at.epoch_s == now;
        ++s.next;
      }
      if (s.next == 0 || s.done) continue;
      if (s.ended_at && s.ended_at->epoch_s < now) continue;
      const Incident& cur = *s.reports[s.next - 1];
      if (cur.extinguished.value_or(false)) continue;
      ++conc.fires;
      if (cur.dangerous.value_or(false)) ++conc.dangerous_fires;
    }
    conc.fires = std::max(conc.fires, 1);
    for (std::size_t i : active) {
      State& s = states[i];
      if (s.next == 0 || s.done) continue;
      const Incident& cur = *s.reports[s.next - 1];
      const bool ending = s.ended_at && s.ended_at->epoch_s <= now;
      auto owner_it = due_owner.find(now);
      const bool due_now = owner_it != due_owner.end() && owner_it->second.count(i);
      const bool conc_changed = !s.last_conc || s.last_conc->fires != conc.fires ||
                                s.last_conc->dangerous_fires != conc.dangerous_fires;
      // Nothing about this incident changes at `now`: no report, no due time of its own, same concurrency.
      if (!reported_now[i] && !due_now && !ending && !conc_changed) continue;
      s.last_conc = conc;
      if (++tl.evaluations > limit)
        throw Error(ErrorKind::kInternal, "timeline", "step limit reached (" + std::to_string(limit) + " evaluations)",
                    "a clock-driven condition keeps falling due; please report this");
      eng.AssessInto(cur, t, conc, d);
      Step step;
      step.at = t;
      step.assessed = d.response_level;
      FactSet facts = eng.Facts(cur, t, conc);
      step.open_fire_hours = facts.Get(FactId::kOpenFireHours);
      step.burned_area_ha = cur.burned_area_ha;
      step.deaths = cur.deaths;
      step.serious_injuries = cur.serious_injuries;
      step.controlled = cur.controlled.value_or(false);
      step.extinguished = cur.extinguished.value_or(false);
      step.terminated = term && ConditionHolds(term->when, facts);
      if (step.terminated) {
        s.held.reset();
        step.required.reset();
      } else {
        step.required = Rank(d.response_level) >= Rank(s.held) ? d.response_level : s.held;
        s.held = step.required;
      }
      step.held = Rank(step.required) > Rank(step.assessed);
      for (const auto& f : d.triggers)
        if (d.response_level && f.level == *d.response_level) step.triggers.emplace_back(f.clause);
      if (step.required) {
        if (const LevelSpec* ls = rules.FindLevel(*step.required)) {
          step.deciders = ls->deciders;
          step.decider_clause = ls->decider_clause;
        }
      }
      for (const auto& r : d.reporting) step.reporting.push_back(ReportingDuty{std::string(r.rule.clause),
                                                               {r.recipients.begin(), r.recipients.end()}});
      step.lead = d.lead.tier;
      step.grade = d.grade.grade;
      step.concurrency = conc;
      for (const auto& due : d.next.due) {
        if (due.at.epoch_s <= now) continue;
        if (!step.next_due || due.at < *step.next_due) {
          step.next_due = due.at;
          step.next_level = due.level;
          step.next_clause = due.clause;
        }
      }
      if (step.next_due && step.next_due->epoch_s <= until && !ending) {
        events.insert(step.next_due->epoch_s);
        due_owner[step.next_due->epoch_s][i] = step.next_clause;
      }
      // Cause of this moment for this incident.
      auto owner = due_owner.find(now);
      if (ending) {
        step.cause = StepCause::kEnd;
        for (const auto& dd : s.tl->declarations)
          if (dd.kind == "end") step.cause_detail = dd.by;
      } else if (reported_now[i]) {
        step.cause = StepCause::kReport;
        step.cause_detail = cur.source;
      } else if (owner != due_owner.end() && owner->second.count(i)) {
        step.cause = StepCause::kClock;
        step.cause_detail = owner->second[i];
      } else {
        step.cause = StepCause::kConcurrency;
      }
      auto& steps = s.tl->steps;
      if (steps.empty() || step.cause == StepCause::kReport || step.cause == StepCause::kEnd ||
          !SameState(steps.back(), step))
        steps.push_back(std::move(step));
      if (ending) s.done = true;
      // Finished: no more reports, not burning, nothing due. It can no longer change (nor count as burning).
      const Step& last = s.tl->steps.back();
      if (s.next == s.reports.size() && cur.extinguished.value_or(false) && !last.next_due &&
          (last.terminated || !last.required) && !(s.ended_at && s.ended_at->epoch_s > now))
        s.done = true;
    }
    due_owner.erase(now);
    active.erase(std::remove_if(active.begin(), active.end(), [&](std::size_t i) { return states[i].done; }),
                 active.end());
  }
  return tl;
}

// ---------------------------------------------------------------- rendering

namespace {


}  // namespace

std::string TimelineToText(const Timeline& t, const RuleSet& rules, const std::string& lang) {
  const bool en = lang == "en";
  std::ostringstream out;
  for (const auto& inc : t.incidents) {
    out << (en ? "Incident " : "火情 ") << inc.incident_id;
    if (inc.county) {
      const County* c = rules.FindCounty(*inc.county);
      out << " (" << (c ? (en ? c->name_en : c->name) : *inc.county) << ")";
    }
    out << "\n";
    out << "  " << Pad(en ? "time" : "时间", 13) << Pad(en ? "event" : "事件", 34) << Pad(en ? "assessed" : "评估", 9)
        << Pad(en ? "required" : "应启动", 9) << Pad(en ? "declared" : "已宣布", 9) << (en ? "basis" : "依据") << "\n";
    // Merge steps, declarations, upward reports and injects in time order.
    struct Row {
      Timestamp at;
      int order;
      std::string event, assessed, required, declared, basis;
    };
    std::vector<Row> rows;
    std::vector<std::string> seen_duties;
    for (const auto& s : inc.steps) {
      std::string ev;
      switch (s.cause) {
        case StepCause::kReport: {
          std::ostringstream r;
          r << (en ? "report" : "报告");
          if (s.burned_area_ha) r << (en ? ": " : "：") << *s.burned_area_ha << (en ? " ha" : "公顷");
          if (s.deaths.value_or(0) > 0) r << (en ? ", deaths " : "，死亡") << *s.deaths;
          if (s.serious_injuries.value_or(0) > 0) r << (en ? ", injured " : "，重伤") << *s.serious_injuries;
          if (s.extinguished) r << (en ? ", out" : "，明火已扑灭");
          else if (s.controlled) r << (en ? ", controlled" : "，已控制");
          ev = r.str();
          break;
        }
        case StepCause::kClock:
          ev = (en ? "clock: " : "时钟：") + s.cause_detail;
          if (s.open_fire_hours) {
            std::ostringstream h;
            h << (en ? " (" : "（") << (en ? "open fire " : "明火") << static_cast<long>(*s.open_fire_hours + 0.5)
              << (en ? " h)" : "小时）");
            ev += h.str();
          }
          break;
        case StepCause::kConcurrency:
          ev = (en ? "concurrent fires: " : "同时火灾：") + std::to_string(s.concurrency.fires) +
               (en ? ", dangerous " : "，危险性较大 ") + std::to_string(s.concurrency.dangerous_fires);
          break;
        case StepCause::kEnd: ev = (en ? "response ended by " : "终止响应：") + rules.NameOf(s.cause_detail, lang); break;
      }
      std::string basis;
      if (!s.triggers.empty()) basis = Join(s.triggers, ", ");
      if (s.held) basis += std::string(basis.empty() ? "" : "; ") + (en ? "held: " : "保持：") + kLevelHoldsInterpretation;
      if (s.terminated) basis += std::string(basis.empty() ? "" : "; ") + (en ? "termination conditions hold" : "终止条件已满足");
      if (s.required && !s.deciders.empty())
        basis += std::string(basis.empty() ? "" : "; ") + (en ? "decides: " : "决定：") + Names(s.deciders, rules, lang);
      {
        std::vector<std::string> cl;
        for (const auto& r : s.reporting)
          if (std::none_of(seen_duties.begin(), seen_duties.end(), [&](const std::string& c) { return c == r.clause; }))
            cl.push_back(r.clause);
        seen_duties.insert(seen_duties.end(), cl.begin(), cl.end());
        if (!cl.empty()) basis += std::string(basis.empty() ? "" : "; ") + (en ? "report up now: " : "应即上报：") + Join(cl, ",");
      }
      if (s.next_due && Rank(s.next_level) > Rank(s.required))  // a clock step below a held level changes nothing
        basis += std::string(basis.empty() ? "" : "; ") + (en ? "next: " : "下一级：") + LevelText(s.next_level, lang) +
                 (en ? " at " : " 于 ") + FormatShort(*s.next_due);
      rows.push_back(Row{s.at, 0, ev, LevelText(s.assessed, lang), LevelText(s.required, lang),
                         LevelText(inc.DeclaredAt(s.at), lang), basis});
    }
    for (const auto& d : inc.declarations) {
      if (d.kind == "end") continue;  // shown by the "end" step
      std::string ev = d.kind == "end" ? (en ? "END declared by " : "宣布终止，") + rules.NameOf(d.by, lang)
                                       : (en ? "DECLARE " : "宣布启动 ") + LevelText(d.level, lang) +
                                             (en ? " by " : "，") + rules.NameOf(d.by, lang);
      rows.push_back(Row{d.at, 1, ev, "", LevelText(inc.RequiredAt(d.at), lang), LevelText(inc.DeclaredAt(d.at), lang), ""});
    }
    for (const auto& u : inc.upward_reports)
      rows.push_back(Row{u.at, 2, (en ? "upward report " : "向上报告 ") + (u.clause.empty() ? "" : u.clause + " ") + "→ " + Names(u.to, rules, lang), "", "", "", ""});
    for (const auto& j : inc.injects) rows.push_back(Row{j.at, 3, (en ? "inject: " : "情景：") + (en ? j.text.en : j.text.zh), "", "", "", ""});
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      return a.at != b.at ? a.at < b.at : a.order < b.order;
    });
    for (const auto& r : rows)
      out << "  " << Pad(FormatShort(r.at), 13) << Pad(r.event, 34) << Pad(r.assessed, 9) << Pad(r.required, 9)
          << Pad(r.declared, 9) << r.basis << "\n";
    out << "\n";
  }
  if (const Interpretation* i = rules.FindInterpretation(kLevelHoldsInterpretation))
    out << (en ? "Interpretation " : "解释 ") << i->id << " (" << i->clause << "): " << (en ? i->text.en : i->text.zh) << "\n";
  else
    out << (en ? "Interpretation " : "解释 ") << kLevelHoldsInterpretation
        << (en ? ": a required level is held until the termination conditions (6.3.6) hold.\n"
               : "：已达到的响应等级保持至满足终止条件（6.3.6）。\n");
  return out.str();
}

std::string TimelineToJson(const Timeline& t, const RuleSet& rules, int indent) {
  auto lv = [](std::optional<Level> l) { return l ? json(LevelName(*l)) : json(nullptr); };
  json j;
  j["rules"] = {{"id", t.rules_id}, {"sha256", t.rules_sha256}};
  j["from"] = FormatIso8601(t.from);
  j["until"] = FormatIso8601(t.until);
  j["interpretations"] = json::array({kLevelHoldsInterpretation});
  j["incidents"] = json::array();
  for (const auto& inc : t.incidents) {
    json ji;
    ji["incident_id"] = inc.incident_id;
    ji["county"] = inc.county ? json(*inc.county) : json(nullptr);
    ji["ended_at"] = inc.ended_at ? json(FormatIso8601(*inc.ended_at)) : json(nullptr);
    ji["steps"] = json::array();
    for (const auto& s : inc.steps) {
      json js = {{"at", FormatIso8601(s.at)},
                 {"cause", StepCauseName(s.cause)},
                 {"cause_detail", s.cause_detail},
                 {"assessed", lv(s.assessed)},
                 {"required", lv(s.required)},
                 {"declared", lv(inc.DeclaredAt(s.at))},
                 {"held", s.held},
                 {"terminated", s.terminated},
                 {"triggers", s.triggers},
                 {"deciders", s.deciders},
                 {"decider_clause", s.decider_clause},
                 {"lead", s.lead ? json(TierName(*s.lead)) : json(nullptr)},
                 {"grade", s.grade ? json(GradeNameEn(*s.grade)) : json(nullptr)},
                 {"concurrency", {{"fires", s.concurrency.fires}, {"dangerous_fires", s.concurrency.dangerous_fires}}},
                 {"open_fire_hours", s.open_fire_hours ? json(*s.open_fire_hours) : json(nullptr)}};
      js["reporting"] = json::array();
      for (const auto& r : s.reporting) js["reporting"].push_back({{"clause", r.clause}, {"recipients", r.recipients}});
      if (s.next_due)
        js["next"] = {{"level", lv(s.next_level)}, {"due", FormatIso8601(*s.next_due)}, {"clause", s.next_clause}};
      ji["steps"].push_back(js);
    }
    ji["declarations"] = json::array();
    for (const auto& d : inc.declarations)
      ji["declarations"].push_back({{"at", FormatIso8601(d.at)}, {"kind", d.kind}, {"level", lv(d.level)}, {"by", d.by}});
    ji["upward_reports"] = json::array();
    for (const auto& u : inc.upward_reports)
      ji["upward_reports"].push_back({{"at", FormatIso8601(u.at)}, {"clause", u.clause}, {"to", u.to}});
    j["incidents"].push_back(ji);
  }
  (void)rules;
  return j.dump(indent);
}

}  // namespace firebreak::timeline
