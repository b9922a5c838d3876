// Rule-file linter: interval analysis over level triggers and grade criteria, plus structure checks.
// Contract and semantics: rules/include/firebreak/rules/lint.h and docs/lint.md.
#include "firebreak/rules/lint.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"

#include "label_match.h"

namespace firebreak::rules {

using engine::FactId;

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "?";
}

const char* SeverityNameZh(Severity s) {
  switch (s) {
    case Severity::kInfo: return "提示";
    case Severity::kWarning: return "警告";
    case Severity::kError: return "错误";
  }
  return "?";
}

int LintReport::Count(Severity s) const {
  return static_cast<int>(
      std::count_if(findings.begin(), findings.end(), [s](const Finding& f) { return f.severity == s; }));
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// ---------------------------------------------------------------------------------------------------------
// Intervals over one fact.

// Facts that take whole values only: bools (0/1) and counts (persons, fires) and coded levels/grades/colours.
bool IsInteger(FactId f) {
  const auto& info = engine::Info(f);
  if (info.kind == engine::FactKind::kBool) return true;
  return info.unit == "persons" || info.unit == "fires" || f == FactId::kGrade || f == FactId::kResponseLevel ||
         f == FactId::kWarningColour;
}

// Facts that cannot be negative (areas, counts, distances, durations).
bool IsNonNegative(FactId f) {
  const auto& info = engine::Info(f);
  if (info.kind == engine::FactKind::kBool) return true;
  return info.unit == "ha" || info.unit == "persons" || info.unit == "fires" || info.unit == "km" ||
         f == FactId::kOpenFireHours;
}

struct Interval {
  double lo = -kInf;
  bool lo_closed = false;
  double hi = kInf;
  bool hi_closed = false;

  bool Empty() const { return lo > hi || (lo == hi && !(lo_closed && hi_closed)); }
  bool OpenUp() const { return hi == kInf; }
  bool operator==(const Interval& o) const {
    return lo == o.lo && hi == o.hi && lo_closed == o.lo_closed && hi_closed == o.hi_closed;
  }
};

void RaiseLo(Interval& i, double v, bool closed) {
  if (v > i.lo || (v == i.lo && !closed)) {
    i.lo = v;
    i.lo_closed = closed;
  }
}
void LowerHi(Interval& i, double v, bool closed) {
  if (v < i.hi || (v == i.hi && !closed)) {
    i.hi = v;
    i.hi_closed = closed;
  }
}

Interval Intersect(Interval a, const Interval& b) {
  RaiseLo(a, b.lo, b.lo_closed);
  LowerHi(a, b.hi, b.hi_closed);
  return a;
}

// The domain of a fact, and the normal form used for comparisons: integer facts get closed integer bounds.
Interval Domain(FactId f) {
  Interval d;
  if (IsNonNegative(f)) {
    d.lo = 0;
    d.lo_closed = true;
  }
  if (engine::Info(f).kind == engine::FactKind::kBool) {
    d.hi = 1;
    d.hi_closed = true;
  }
  return d;
}

Interval Normalize(FactId f, Interval i) {
  i = Intersect(i, Domain(f));
  if (!IsInteger(f) || i.Empty()) return i;
  if (i.lo != -kInf) {
    i.lo = i.lo_closed ? std::ceil(i.lo) : std::floor(i.lo) + 1;
    i.lo_closed = true;
  }
  if (i.hi != kInf) {
    i.hi = i.hi_closed ? std::floor(i.hi) : std::ceil(i.hi) - 1;
    i.hi_closed = true;
  }
  return i;
}

// a ⊆ b. An empty a is a subset of anything.
bool Within(const Interval& a, const Interval& b) {
  if (a.Empty()) return true;
  bool lo_ok = b.lo < a.lo || (b.lo == a.lo && (b.lo_closed || !a.lo_closed));
  bool hi_ok = b.hi > a.hi || (b.hi == a.hi && (b.hi_closed || !a.hi_closed));
  return lo_ok && hi_ok;
}

Interval FromBound(const engine::Bound& b) {
  Interval i;
  switch (b.op) {
    case engine::Cmp::kGt: RaiseLo(i, b.value, false); break;
    case engine::Cmp::kGe: RaiseLo(i, b.value, true); break;
    case engine::Cmp::kLt: LowerHi(i, b.value, false); break;
    case engine::Cmp::kLe: LowerHi(i, b.value, true); break;
    case engine::Cmp::kEq:
      RaiseLo(i, b.value, true);
      LowerHi(i, b.value, true);
      break;
  }
  return i;
}

// ---------------------------------------------------------------------------------------------------------
// Formatting numbers, intervals and boxes for messages.

std::string Num(double v) {
  if (v == kInf) return "+∞";
  if (v == -kInf) return "-∞";
  if (std::fabs(v - std::round(v)) < 1e-9) return std::to_string(static_cast<long long>(std::llround(v)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string UnitOf(FactId f, bool zh) {
  std::string_view u = engine::Info(f).unit;
  if (!zh) return std::string(u);
  if (u == "ha") return "公顷";
  if (u == "persons") return "人";
  if (u == "h") return "小时";
  if (u == "fires") return "起";
  if (u == "km") return "公里";
  return std::string(u);
}

std::string FactName(FactId f, bool zh) { return std::string(zh ? engine::Info(f).zh : engine::Info(f).en); }

// "≥ 20 人", "1–2 人", "> 50 公顷", "> 3 且 ≤ 10 小时", "= 是".
std::string IntervalText(FactId f, const Interval& i, bool zh) {
  if (engine::Info(f).kind == engine::FactKind::kBool && i.lo == i.hi && i.lo_closed && i.hi_closed)
    return i.lo == 1 ? (zh ? "= 是" : "= true") : (zh ? "= 否" : "= false");
  if (i.Empty()) return zh ? "空集" : "empty";
  std::string unit = UnitOf(f, zh);
  std::string u = unit.empty() ? "" : (zh ? unit : " " + unit);
  Interval dom = Domain(f);
  bool has_lo = i.lo != -kInf && !(i.lo == dom.lo && i.lo_closed == dom.lo_closed);
  bool has_hi = i.hi != kInf;
  if (i.lo == i.hi) return "= " + Num(i.lo) + u;
  if (IsInteger(f) && has_hi) return Num(i.lo) + "–" + Num(i.hi) + u;
  std::string lo = std::string(i.lo_closed ? "≥ " : "> ") + Num(i.lo);
  std::string hi = std::string(i.hi_closed ? "≤ " : "< ") + Num(i.hi);
  if (has_lo && has_hi) return lo + (zh ? " 且 " : " and ") + hi + u;
  if (has_lo) return lo + u;
  if (has_hi) return hi + u;
  return zh ? "任意值" : "any value";
}

using Box = std::map<FactId, Interval>;

std::string BoxText(const Box& b, bool zh) {
  if (b.empty()) return zh ? "（无条件）" : "(unconditional)";
  std::string s;
  for (const auto& [f, i] : b) {
    if (!s.empty()) s += zh ? "，" : ", ";
    s += FactName(f, zh) + " " + IntervalText(f, i, zh);
  }
  return s;
}

bool BoxEmpty(const Box& b) {
  return std::any_of(b.begin(), b.end(), [](const auto& kv) { return kv.second.Empty(); });
}

// Every point of a is in b (a non-empty): each constraint of b is implied by a's constraint on that fact.
bool BoxWithin(const Box& a, const Box& b) {
  for (const auto& [f, ib] : b) {
    auto it = a.find(f);
    Interval ia = it == a.end() ? Domain(f) : it->second;
    if (!Within(ia, ib)) return false;
  }
  return true;
}

Box Without(const Box& b, FactId f) {
  Box c = b;
  c.erase(f);
  return c;
}

// ---------------------------------------------------------------------------------------------------------
// Rungs: one alternative of a level trigger or grade criterion, with its rank.

struct Rung {
  int rank = 0;            // level or grade ordinal (higher = more severe)
  std::string rank_zh;     // "Ⅳ级", "一般"
  std::string rank_en;     // "level IV", "grade general"
  std::string clause;      // the trigger's clause id
  std::string ref;         // clause + [label]
  std::string label;       // the alternative's label
  Box box;
  bool interpretive = false;              // the alternative rests on a named interpretation (see docs/lint.md)
  std::vector<std::string> interps;       // interpretations listed by the trigger/criterion
  engine::SourceLoc loc;
};

Box BuildBox(const engine::Alternative& alt) {
  Box box;
  for (const auto& p : alt.all) {
    Interval i;
    for (const auto& b : p.bounds) i = Intersect(i, FromBound(b));
    if (p.is) i = Intersect(i, Interval{*p.is ? 1.0 : 0.0, true, *p.is ? 1.0 : 0.0, true});
    auto [it, fresh] = box.emplace(p.fact, i);
    if (!fresh) it->second = Intersect(it->second, i);
  }
  for (auto& [f, i] : box) i = Normalize(f, i);
  return box;
}


void AddRungs(std::vector<Rung>& out, int rank, const std::string& rank_zh, const std::string& rank_en,
              const std::string& clause, const engine::Condition& when, const std::vector<std::string>& interps,
              const engine::SourceLoc& loc) {
  if (when.always()) {
    out.push_back(Rung{rank, rank_zh, rank_en, clause, clause, "", Box{}, false, interps, loc});
    return;
  }
  for (std::size_t k = 0; k < when.any.size(); ++k) {
    const auto& alt = when.any[k];
    Rung r{rank, rank_zh, rank_en, clause, clause, alt.label, BuildBox(alt), false, interps, loc};
    if (!alt.label.empty()) r.ref += "[" + alt.label + "]";
    else if (when.any.size() > 1) r.ref += "[#" + std::to_string(k + 1) + "]";
    r.interpretive = LabelNamesInterpretation(alt.label, interps);
    if (!alt.all.empty() && alt.all.front().loc.line > 0) r.loc = alt.all.front().loc;
    out.push_back(std::move(r));
  }
}

std::vector<Rung> LevelRungs(const engine::RuleSet& rs) {
  std::vector<Rung> out;
  for (const auto& l : rs.levels) {
    std::string zh = engine::LevelNameZh(l.level);
    std::string en = std::string("level ") + engine::LevelName(l.level);
    for (const auto& t : l.triggers)
      AddRungs(out, static_cast<int>(l.level), zh, en, t.clause, t.when, t.interpretations, t.loc);
  }
  return out;
}

std::vector<Rung> GradeRungs(const engine::RuleSet& rs) {
  std::vector<Rung> out;
  for (const auto& g : rs.grades) {
    std::string zh = engine::GradeNameZh(g.grade);
    std::string en = std::string("grade ") + engine::GradeNameEn(g.grade);
    AddRungs(out, static_cast<int>(g.grade), zh, en, g.clause, g.when, g.interpretations, g.loc);
  }
  return out;
}

// Interpretations bearing on some clauses: those listed by the rungs and those whose `clause` is one of them.
std::vector<std::string> RelatedInterpretations(const engine::RuleSet& rs, const std::vector<const Rung*>& rungs) {
  std::vector<std::string> out;
  auto add = [&](const std::string& id) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  };
  for (const Rung* r : rungs) {
    for (const auto& id : r->interps) add(id);
    for (const auto& in : rs.interpretations)
      if (in.clause == r->clause) add(in.id);
  }
  return out;
}

// An alternative that can never hold (its box is empty). `what_zh/en` says where it sits ("Ⅳ级", "level IV").
Finding Unreachable(const std::string& ref, const std::string& what_zh, const std::string& what_en, const Box& box,
                    const engine::SourceLoc& loc) {
  std::string zh_facts, en_facts;
  for (const auto& [f, i] : box)
    if (i.Empty()) {
      zh_facts += (zh_facts.empty() ? "" : "、") + FactName(f, true);
      en_facts += (en_facts.empty() ? "" : ", ") + FactName(f, false);
    }
  Finding fd;
  fd.severity = Severity::kError;
  fd.code = "unreachable";
  fd.clauses = {ref};
  fd.loc = loc;
  fd.message.zh = ref + "（" + what_zh + "）永远不可能成立：对" + zh_facts +
                  "的条件互相矛盾（下界高于上界，或同一事实既要求是又要求否）。请检查界限词和数值。";
  fd.message.en = ref + " (" + what_en + ") can never hold: its conditions on " + en_facts +
                  " contradict each other (lower bound above upper bound, or both true and false). Check the "
                  "bound words and numbers.";
  return fd;
}

// ---------------------------------------------------------------------------------------------------------
// The ladder analysis (levels or grades).

struct Ladder {
  const char* what_zh;  // "级别" / "等级"
  const char* what_en;  // "level" / "grade"
};

void AnalyseLadder(const engine::RuleSet& rs, const std::vector<Rung>& rungs, const Ladder& ladder,
                   std::vector<Finding>& out) {
  std::vector<const Rung*> live;
  // Unreachable alternatives.
  for (const auto& r : rungs) {
    if (!BoxEmpty(r.box)) {
      live.push_back(&r);
      continue;
    }
    out.push_back(Unreachable(r.ref, r.rank_zh, r.rank_en, r.box, r.loc));
    out.back().interpretations = RelatedInterpretations(rs, {&r});
  }

  // Identical and subsumed alternatives across ranks.
  for (const Rung* a : live)
    for (const Rung* b : live) {
      if (a->rank >= b->rank || !BoxWithin(a->box, b->box)) continue;
      Finding fd;
      fd.clauses = {a->ref, b->ref};
      fd.loc = a->loc;
      fd.interpretations = RelatedInterpretations(rs, {a, b});
      fd.severity = Severity::kWarning;
      if (BoxWithin(b->box, a->box)) {
        fd.code = "identical";
        fd.message.zh = a->ref + "（" + a->rank_zh + "）与 " + b->ref + "（" + b->rank_zh +
                        "）条件完全相同（" + BoxText(a->box, true) + "）。取最高" + ladder.what_zh + "，故 " +
                        a->ref + " 永远不会决定" + ladder.what_zh + "。";
        fd.message.en = a->ref + " (" + a->rank_en + ") and " + b->ref + " (" + b->rank_en +
                        ") have identical conditions (" + BoxText(a->box, false) + "). The highest " +
                        ladder.what_en + " wins, so " + a->ref + " can never decide the " + ladder.what_en + ".";
      } else {
        fd.code = "subsumed";
        fd.message.zh = a->ref + "（" + a->rank_zh + "：" + BoxText(a->box, true) + "）被更高" + ladder.what_zh +
                        "的 " + b->ref + "（" + b->rank_zh + "：" + BoxText(b->box, true) +
                        "）包含：满足前者的火灾必然满足后者，故 " + a->ref + " 永远不会决定" + ladder.what_zh + "。";
        fd.message.en = a->ref + " (" + a->rank_en + ": " + BoxText(a->box, false) + ") is subsumed by " + b->ref +
                        " (" + b->rank_en + ": " + BoxText(b->box, false) +
                        "): every fire satisfying the former satisfies the latter, so " + a->ref +
                        " can never decide the " + ladder.what_en + ".";
      }
      out.push_back(std::move(fd));
    }

  // Overlapping bands: same number fact, same context, different ranks, intersecting, not both open upwards.
  for (const Rung* a : live)
    for (const Rung* b : live) {
      if (a->rank >= b->rank) continue;
      for (const auto& [f, ia] : a->box) {
        if (engine::Info(f).kind != engine::FactKind::kNumber) continue;
        auto it = b->box.find(f);
        if (it == b->box.end()) continue;
        const Interval& ib = it->second;
        if (Without(a->box, f) != Without(b->box, f)) continue;
        Interval x = Normalize(f, Intersect(ia, ib));
        if (x.Empty() || (ia.OpenUp() && ib.OpenUp())) continue;
        Finding fd;
        fd.severity = Severity::kWarning;
        fd.code = "overlap";
        fd.clauses = {a->ref, b->ref};
        fd.loc = a->loc;
        fd.interpretations = RelatedInterpretations(rs, {a, b});
        fd.message.zh = FactName(f, true) + "区间重叠：" + a->rank_zh + " " + a->ref + " 为 " +
                        IntervalText(f, ia, true) + "，" + b->rank_zh + " " + b->ref + " 为 " +
                        IntervalText(f, ib, true) + "，在 " + IntervalText(f, x, true) + " 时两者同时成立（取最高" +
                        ladder.what_zh + "，" + a->rank_zh + "的这一段不起作用）。";
        fd.message.en = std::string("overlapping ") + FactName(f, false) + " bands: " + a->rank_en + " " + a->ref +
                        " is " + IntervalText(f, ia, false) + ", " + b->rank_en + " " + b->ref + " is " +
                        IntervalText(f, ib, false) + "; both hold for " + IntervalText(f, x, false) +
                        " (the highest " + ladder.what_en + " wins, so that part of " + a->rank_en +
                        " has no effect).";
        out.push_back(std::move(fd));
      }
    }

  // Gaps: per (number fact, context), holes between and above the bands of the plan's own alternatives.
  struct Group {
    FactId fact;
    Box ctx;
    std::vector<const Rung*> members;
  };
  std::vector<Group> groups;
  for (const Rung* r : live) {
    if (r->interpretive) continue;
    for (const auto& [f, i] : r->box) {
      if (engine::Info(f).kind != engine::FactKind::kNumber) continue;
      Box ctx = Without(r->box, f);
      const FactId fact = f;  // a structured binding cannot be captured by clang 14 (the fuzz preset)
      auto g = std::find_if(groups.begin(), groups.end(),
                            [&](const Group& x) { return x.fact == fact && x.ctx == ctx; });
      if (g == groups.end()) groups.push_back(Group{f, ctx, {r}});
      else g->members.push_back(r);
    }
  }
  // Pieces of f covered in context ctx by the rungs (a rung applies when its other constraints are implied).
  auto pieces = [&](FactId f, const Box& ctx, bool with_interpretive) {
    std::vector<std::pair<Interval, const Rung*>> ps;
    for (const Rung* r : live) {
      if (r->interpretive && !with_interpretive) continue;
      auto it = r->box.find(f);
      if (it == r->box.end()) continue;  // an unconditional floor ("any fire is at least 一般") fills no gap
      if (!BoxWithin(ctx, Without(r->box, f))) continue;
      ps.emplace_back(it->second, r);
    }
    std::sort(ps.begin(), ps.end(), [](const auto& x, const auto& y) {
      if (x.first.lo != y.first.lo) return x.first.lo < y.first.lo;
      return x.first.lo_closed && !y.first.lo_closed;
    });
    return ps;
  };
  // Holes above the lowest piece: each with the piece just below it.
  struct Hole {
    Interval gap;
    const Rung* below;
  };
  auto holes = [&](FactId f, const std::vector<std::pair<Interval, const Rung*>>& ps) {
    std::vector<Hole> hs;
    if (ps.empty()) return hs;
    bool integer = IsInteger(f);
    Interval cover = ps.front().first;
    const Rung* top = ps.front().second;
    for (std::size_t k = 1; k < ps.size(); ++k) {
      const Interval& n = ps[k].first;
      bool joins = integer ? n.lo <= cover.hi + 1
                           : (n.lo < cover.hi || (n.lo == cover.hi && (n.lo_closed || cover.hi_closed)));
      if (!joins) {
        Interval g{cover.hi, !cover.hi_closed, n.lo, !n.lo_closed};
        hs.push_back(Hole{Normalize(f, g), top});
        cover = n;
        top = ps[k].second;
      } else if (n.hi > cover.hi || (n.hi == cover.hi && n.hi_closed)) {
        cover.hi = n.hi;
        cover.hi_closed = n.hi_closed;
        top = ps[k].second;
      }
    }
    if (cover.hi != kInf) hs.push_back(Hole{Normalize(f, Interval{cover.hi, !cover.hi_closed, kInf, false}), top});
    return hs;
  };
  for (const auto& g : groups) {
    auto raw = holes(g.fact, pieces(g.fact, g.ctx, false));
    auto full_pieces = pieces(g.fact, g.ctx, true);
    for (const auto& h : raw) {
      if (h.gap.Empty()) continue;
      // Covered when the alternatives resting on interpretations fill the hole completely.
      auto full = holes(g.fact, full_pieces);
      bool covered = std::none_of(full.begin(), full.end(), [&](const Hole& fh) {
        return !Normalize(g.fact, Intersect(fh.gap, h.gap)).Empty();
      });
      Finding fd;
      fd.code = "gap";
      fd.clauses = {h.below->ref};
      fd.loc = h.below->loc;
      std::vector<std::string> by;
      std::vector<std::string> by_levels_zh, by_levels_en;
      for (const auto& [i, r] : full_pieces)
        if (r->interpretive && !Normalize(g.fact, Intersect(i, h.gap)).Empty()) {
          fd.clauses.push_back(r->ref);
          for (const auto& id : r->interps)
            if (LabelNamesInterpretation(r->label, {id}) &&
                std::find(by.begin(), by.end(), id) == by.end()) {
              by.push_back(id);
              by_levels_zh.push_back(r->rank_zh);
              by_levels_en.push_back(r->rank_en);
            }
        }
      fd.covered = covered && !by.empty();
      fd.severity = fd.covered ? Severity::kInfo : Severity::kWarning;
      fd.interpretations = fd.covered ? by : RelatedInterpretations(rs, {h.below});
      std::string ctx_zh = g.ctx.empty() ? "" : "（在 " + BoxText(g.ctx, true) + " 时）";
      std::string ctx_en = g.ctx.empty() ? "" : " (when " + BoxText(g.ctx, false) + ")";
      fd.message.zh = FactName(g.fact, true) + " " + IntervalText(g.fact, h.gap, true) + ctx_zh + "：预案原文没有任何" +
                      ladder.what_zh + "覆盖（紧邻其下的是 " + h.below->rank_zh + " " + h.below->ref + " 的 " +
                      IntervalText(g.fact, h.below->box.at(g.fact), true) + "）。";
      fd.message.en = FactName(g.fact, false) + " " + IntervalText(g.fact, h.gap, false) + ctx_en +
                      ": no " + ladder.what_en + " of the plan's text covers it (the band just below is " +
                      h.below->rank_en + " " + h.below->ref + ", " +
                      IntervalText(g.fact, h.below->box.at(g.fact), false) + ").";
      if (fd.covered) {
        std::string ids, ids_zh;
        for (std::size_t k = 0; k < by.size(); ++k) {
          ids += (k ? ", " : "") + by[k] + " (" + by_levels_en[k] + ")";
          ids_zh += (k ? "，" : "") + by[k] + "（" + by_levels_zh[k] + "）";
        }
        fd.message.zh += "规则文件以解释 " + ids_zh + " 补上了这一空白。";
        fd.message.en += " The rule file closes it with interpretation " + ids + ".";
      } else {
        fd.message.zh += "请在规则文件中用具名解释（interpretation）说明这些值适用哪个" + std::string(ladder.what_zh) + "。";
        fd.message.en += std::string(" State in the rule file, as a named interpretation, which ") + ladder.what_en +
                         " applies to these values.";
      }
      out.push_back(std::move(fd));
    }
  }
}

// Contradictory alternatives in the other conditions of the file (measures, lead, reporting, safety, ...).
void CheckOtherConditions(const engine::RuleSet& rs, std::vector<Finding>& out) {
  auto check = [&](const std::string& clause, const char* what_zh, const char* what_en, const engine::Condition& c,
                   const engine::SourceLoc& loc) {
    for (std::size_t k = 0; k < c.any.size(); ++k) {
      const auto& alt = c.any[k];
      Box box = BuildBox(alt);
      if (!BoxEmpty(box)) continue;
      std::string ref = clause;
      if (!alt.label.empty()) ref += "[" + alt.label + "]";
      else if (c.any.size() > 1) ref += "[#" + std::to_string(k + 1) + "]";
      out.push_back(Unreachable(ref, what_zh, what_en, box,
                                !alt.all.empty() && alt.all.front().loc.line > 0 ? alt.all.front().loc : loc));
    }
  };
  for (const auto& d : rs.derived_facts) check(d.clause, "派生事实", "derived fact", d.when, d.loc);
  for (const auto& l : rs.levels)
    for (const auto& m : l.measures) check(m.clause, "响应措施", "measure", m.when, m.loc);
  for (const auto& r : rs.lead_rules) check(r.clause, "指挥规则", "lead rule", r.when, r.loc);
  for (const auto& m : rs.situational_measures) check(m.clause, "处置措施", "measure", m.when, m.loc);
  for (const auto& r : rs.reporting) check(r.clause, "报告规则", "reporting rule", r.when, r.loc);
  for (const auto& w : rs.warnings)
    for (const auto& m : w.measures) check(m.clause, "预警措施", "warning measure", m.when, m.loc);
  for (const auto& x : rs.safety) check(x.id, "安全规则", "safety rule", x.when, x.loc);
  for (const auto& t : rs.terminations) check(t.clause, "终止条件", "termination", t.when, t.loc);
}

// ---------------------------------------------------------------------------------------------------------
// Structure: duplicate ids, undefined references, builds_on cycles.

Finding Structural(Severity sev, const std::string& code, std::vector<std::string> clauses, engine::SourceLoc loc,
                   std::string zh, std::string en) {
  Finding f;
  f.severity = sev;
  f.code = code;
  f.clauses = std::move(clauses);
  f.loc = std::move(loc);
  f.message = engine::Text{std::move(zh), std::move(en)};
  return f;
}

// Plan clause numbers as interpretations cite them: "6.3.4.2(5b)", "6.1"; other words ("art40") are not checked.
bool LooksLikeClause(const std::string& s) {
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  std::size_t k = 0;
  while (k < s.size() && (std::isdigit(static_cast<unsigned char>(s[k])) || s[k] == '.')) ++k;
  if (k == s.size()) return s.back() != '.';
  if (s[k] != '(' || s.back() != ')') return false;
  return true;
}

std::vector<std::string> SplitClauses(const std::string& s) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (c == '/' || c == ',' || c == ';' || c == ' ' || c == '&' || c == '+') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

void CheckStructure(const engine::RuleSet& rs, std::vector<Finding>& out) {
  // Duplicate ids within a kind.
  auto dup = [&](const char* kind_zh, const char* kind_en, std::vector<std::pair<std::string, engine::SourceLoc>> ids) {
    std::map<std::string, engine::SourceLoc> seen;
    for (const auto& [id, loc] : ids) {
      if (id.empty()) continue;
      auto [it, fresh] = seen.emplace(id, loc);
      if (fresh) continue;
      out.push_back(Structural(Severity::kError, "duplicate-id", {id}, loc,
                               std::string(kind_zh) + " " + id + " 重复定义（首次出现在 " + it->second.ToString() +
                                   "）。请删除或改正其中一个编号。",
                               std::string("duplicate ") + kind_en + " " + id + " (first defined at " +
                                   it->second.ToString() + "). Remove one or fix its id."));
    }
  };
  {
    std::vector<std::pair<std::string, engine::SourceLoc>> t, m, lv;
    for (const auto& l : rs.levels) {
      lv.emplace_back(l.clause, l.loc);
      for (const auto& tr : l.triggers) t.emplace_back(tr.clause, tr.loc);
      for (const auto& me : l.measures) m.emplace_back(me.clause, me.loc);
    }
    dup("启动条件", "trigger clause", t);
    dup("响应措施", "measure clause", m);
    dup("响应级别条款", "level clause", lv);
    std::vector<std::pair<std::string, engine::SourceLoc>> g, in, ro, un, sa, re;
    for (const auto& x : rs.grades) g.emplace_back(x.clause, x.loc);
    for (const auto& x : rs.interpretations) in.emplace_back(x.id, x.loc);
    for (const auto& x : rs.roles) ro.emplace_back(x.id, engine::SourceLoc{});
    for (const auto& x : rs.units) un.emplace_back(x.id, engine::SourceLoc{});
    for (const auto& x : rs.safety) sa.emplace_back(x.id, x.loc);
    for (const auto& x : rs.reporting) re.emplace_back(x.clause, x.loc);
    dup("等级标准", "grade criterion clause", g);
    dup("解释", "interpretation id", in);
    dup("职务", "role id", ro);
    dup("成员单位", "unit id", un);
    dup("安全规则", "safety rule id", sa);
    dup("报告规则", "reporting clause", re);
  }

  // Undefined interpretation ids.
  auto interp_refs = [&](const std::string& where, const std::vector<std::string>& ids, const engine::SourceLoc& loc) {
    std::vector<std::string> known;
    for (const auto& i : rs.interpretations) known.push_back(i.id);
    for (const auto& id : ids) {
      if (rs.FindInterpretation(id)) continue;
      std::string near = ClosestMatch(id, known);
      out.push_back(Structural(Severity::kError, "undefined-ref", {where}, loc,
                               where + " 引用了未定义的解释 '" + id + "'" +
                                   (near.empty() ? "" : "（是否应为 '" + near + "'？）") + "。",
                               where + " refers to undefined interpretation '" + id + "'" +
                                   (near.empty() ? "" : " (did you mean '" + near + "'?)") + "."));
    }
  };
  // Undefined role/unit ids.
  std::vector<std::string> actors;
  for (const auto& r : rs.roles) actors.push_back(r.id);
  for (const auto& u : rs.units) actors.push_back(u.id);
  auto actor_refs = [&](const std::string& where, const std::vector<std::string>& ids, const engine::SourceLoc& loc) {
    for (const auto& id : ids) {
      if (id.empty() || rs.FindRole(id) || rs.FindUnit(id)) continue;
      std::string near = ClosestMatch(id, actors);
      out.push_back(Structural(Severity::kError, "undefined-ref", {where}, loc,
                               where + " 引用了未定义的职务或单位 '" + id + "'" +
                                   (near.empty() ? "" : "（是否应为 '" + near + "'？）") + "。",
                               where + " refers to undefined role or unit '" + id + "'" +
                                   (near.empty() ? "" : " (did you mean '" + near + "'?)") + "."));
    }
  };
  for (const auto& l : rs.levels) {
    actor_refs(l.decider_clause.empty() ? l.clause : l.decider_clause, l.deciders, l.loc);
    for (const auto& t : l.triggers) interp_refs(t.clause, t.interpretations, t.loc);
    for (const auto& m : l.measures) {
      interp_refs(m.clause, m.interpretations, m.loc);
      actor_refs(m.clause, m.lead, m.loc);
    }
    if (l.builds_on && !rs.FindLevel(*l.builds_on))
      out.push_back(Structural(
          Severity::kError, "undefined-ref", {l.clause}, l.loc,
          std::string(engine::LevelNameZh(l.level)) + "（" + l.clause + "）在" + engine::LevelNameZh(*l.builds_on) +
              "响应的基础上，但文件中没有" + engine::LevelNameZh(*l.builds_on) + "。",
          std::string("level ") + engine::LevelName(l.level) + " (" + l.clause + ") builds on level " +
              engine::LevelName(*l.builds_on) + ", which the file does not define."));
  }
  for (const auto& g : rs.grades) interp_refs(g.clause, g.interpretations, g.loc);
  for (const auto& m : rs.situational_measures) {
    interp_refs(m.clause, m.interpretations, m.loc);
    actor_refs(m.clause, m.lead, m.loc);
  }
  for (const auto& r : rs.lead_rules) interp_refs(r.clause, r.interpretations, r.loc);
  for (const auto& r : rs.reporting) {
    interp_refs(r.clause, r.interpretations, r.loc);
    actor_refs(r.clause, {r.reporter}, r.loc);
  }
  for (const auto& w : rs.warnings)
    for (const auto& m : w.measures) {
      interp_refs(m.clause, m.interpretations, m.loc);
      actor_refs(m.clause, m.lead, m.loc);
    }
  for (const auto& s : rs.safety) interp_refs(s.id, s.interpretations, s.loc);
  for (const auto& d : rs.derived_facts) interp_refs(d.clause, d.interpretations, d.loc);
  for (const auto& d : rs.fact_defaults) interp_refs(d.clause, d.interpretations, d.loc);
  for (const auto& p : rs.sensitive_periods)
    if (!p.interpretation.empty()) interp_refs(p.name, {p.interpretation}, p.loc);
  for (const auto& r : rs.reporting) actor_refs(r.clause, r.recipients, r.loc);
  for (const auto& t : rs.terminations) actor_refs(t.clause, {t.proposer}, t.loc);
  for (const auto& c : rs.request_channels) {
    actor_refs(c.id, {c.requested_by, c.organised_by}, c.loc);
    actor_refs(c.id, c.requested_from, c.loc);
  }

  // Clause numbers cited by interpretations must be clauses the file encodes (or sections above them).
  std::set<std::string> known;
  auto know = [&](const std::string& c) {
    if (!c.empty()) known.insert(c);
  };
  if (!rs.bounds.empty()) know("9.4");
  for (const auto& l : rs.levels) {
    know(l.clause);
    know(l.decider_clause);
    know(l.measures_clause);
    for (const auto& t : l.triggers) know(t.clause);
    for (const auto& m : l.measures) know(m.clause);
  }
  for (const auto& x : rs.grades) know(x.clause);
  for (const auto& x : rs.lead_rules) know(x.clause);
  for (const auto& x : rs.situational_measures) know(x.clause);
  for (const auto& x : rs.reporting) know(x.clause);
  for (const auto& x : rs.warnings) {
    know(x.clause);
    for (const auto& m : x.measures) know(m.clause);
  }
  for (const auto& x : rs.safety) know(x.clause);
  for (const auto& x : rs.force_categories) know(x.clause);
  for (const auto& x : rs.request_channels) know(x.clause);
  for (const auto& x : rs.mobilisation_bans) know(x.clause);
  for (const auto& x : rs.terminations) know(x.clause);
  for (const auto& x : rs.clauses) know(x.clause);
  for (const auto& x : rs.derived_facts) know(x.clause);
  for (const auto& x : rs.fact_defaults) know(x.clause);
  for (const auto& x : rs.roles) know(x.clause);
  for (const auto& x : rs.units) know(x.clause);
  auto is_known = [&](const std::string& p) {
    for (const auto& k : known) {
      if (k == p) return true;
      if (k.size() > p.size() && k.compare(0, p.size(), p) == 0 && (k[p.size()] == '.' || k[p.size()] == '(' ||
                                                                     k[p.size()] == '/'))
        return true;
      // A composite clause id such as "1.5/art40(较大)-area" knows its parts.
      for (const auto& part : SplitClauses(k))
        if (part == p || (part.size() > p.size() && part.compare(0, p.size(), p) == 0 &&
                          (part[p.size()] == '.' || part[p.size()] == '(')))
          return true;
    }
    return false;
  };
  for (const auto& in : rs.interpretations)
    for (const auto& part : SplitClauses(in.clause)) {
      if (!LooksLikeClause(part) || is_known(part)) continue;
      out.push_back(Structural(Severity::kWarning, "undefined-ref", {part}, in.loc,
                               "解释 " + in.id + " 针对条款 " + part + "，但规则文件中没有编码该条款。请核对条款编号。",
                               "interpretation " + in.id + " is about clause " + part +
                                   ", which the rule file does not encode. Check the clause id."));
      out.back().interpretations = {in.id};
    }

  // builds_on cycles (measures would be inherited forever).
  {
    std::set<engine::Level> reported;
    for (const auto& l : rs.levels) {
      std::vector<engine::Level> path{l.level};
      const engine::LevelSpec* cur = &l;
      while (cur && cur->builds_on) {
        engine::Level next = *cur->builds_on;
        auto hit = std::find(path.begin(), path.end(), next);
        if (hit != path.end()) {
          if (next == l.level && !reported.count(l.level)) {
            std::string chain_zh, chain_en;
            std::vector<std::string> clauses;
            for (auto it = hit; it != path.end(); ++it) {
              reported.insert(*it);
              chain_zh += std::string(engine::LevelNameZh(*it)) + " → ";
              chain_en += std::string(engine::LevelName(*it)) + " → ";
              if (const auto* s = rs.FindLevel(*it)) clauses.push_back(s->clause);
            }
            chain_zh += engine::LevelNameZh(next);
            chain_en += engine::LevelName(next);
            out.push_back(Structural(Severity::kError, "cycle", clauses, l.loc,
                                     "“在…响应的基础上”形成循环：" + chain_zh + "，措施将无限继承。",
                                     "builds_on forms a cycle: " + chain_en + "; measures would be inherited forever."));
          }
          break;
        }
        path.push_back(next);
        cur = rs.FindLevel(next);
      }
    }
  }
  {
    auto find_w = [&](engine::Colour c) -> const engine::WarningResponse* {
      for (const auto& w : rs.warnings)
        if (w.colour == c) return &w;
      return nullptr;
    };
    std::set<engine::Colour> reported;
    for (const auto& w : rs.warnings) {
      if (w.builds_on && !find_w(*w.builds_on))
        out.push_back(Structural(Severity::kError, "undefined-ref", {w.clause}, w.loc,
                                 std::string(engine::ColourNameZh(w.colour)) + "预警响应在" +
                                     engine::ColourNameZh(*w.builds_on) + "预警响应的基础上，但文件中没有后者。",
                                 std::string(engine::ColourName(w.colour)) + " warning response builds on " +
                                     engine::ColourName(*w.builds_on) + ", which the file does not define."));
      std::vector<engine::Colour> path{w.colour};
      const engine::WarningResponse* cur = &w;
      while (cur && cur->builds_on) {
        engine::Colour next = *cur->builds_on;
        if (std::find(path.begin(), path.end(), next) != path.end()) {
          if (next == w.colour && !reported.count(w.colour)) {
            for (auto c : path) reported.insert(c);
            out.push_back(Structural(Severity::kError, "cycle", {w.clause}, w.loc,
                                     std::string(engine::ColourNameZh(w.colour)) + "预警响应的继承关系形成循环。",
                                     std::string(engine::ColourName(w.colour)) +
                                         " warning response: builds_on forms a cycle."));
          }
          break;
        }
        path.push_back(next);
        cur = find_w(next);
      }
    }
  }
}

}  // namespace

LintReport Lint(const engine::RuleSet& rs) {
  LintReport rep;
  rep.file = rs.source_file;
  AnalyseLadder(rs, LevelRungs(rs), Ladder{"级别", "level"}, rep.findings);
  AnalyseLadder(rs, GradeRungs(rs), Ladder{"等级", "grade"}, rep.findings);
  CheckOtherConditions(rs, rep.findings);
  CheckStructure(rs, rep.findings);
  return rep;
}

std::string RenderLintText(const LintReport& report, const std::string& lang) {
  bool zh = lang != "en";
  std::ostringstream os;
  for (const auto& f : report.findings) {
    std::string where = f.loc.ToString();
    if (where.empty()) where = report.file;
    os << where << ": " << (zh ? SeverityNameZh(f.severity) : SeverityName(f.severity)) << " [" << f.code << "] ";
    for (std::size_t k = 0; k < f.clauses.size(); ++k) os << (k ? (f.code == "identical" ? " ≡ " : " / ") : "") << f.clauses[k];
    os << "\n    " << (zh ? f.message.zh : f.message.en) << "\n";
    if (!f.interpretations.empty()) {
      os << "    " << (zh ? (f.covered ? "已由解释覆盖：" : "相关解释：") : (f.covered ? "covered by: " : "related interpretations: "));
      for (std::size_t k = 0; k < f.interpretations.size(); ++k) os << (k ? ", " : "") << f.interpretations[k];
      os << "\n";
    }
  }
  int e = report.Count(Severity::kError), w = report.Count(Severity::kWarning), i = report.Count(Severity::kInfo);
  if (zh)
    os << report.file << "：" << e << " 个错误，" << w << " 个警告，" << i << " 条提示\n";
  else
    os << report.file << ": " << e << " error(s), " << w << " warning(s), " << i << " info\n";
  return os.str();
}

std::string RenderLintJson(const LintReport& report, const std::string& lang) {
  nlohmann::ordered_json j;
  j["file"] = report.file;
  j["summary"] = {{"error", report.Count(Severity::kError)},
                  {"warning", report.Count(Severity::kWarning)},
                  {"info", report.Count(Severity::kInfo)}};
  j["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : report.findings) {
    nlohmann::ordered_json x;
    x["severity"] = SeverityName(f.severity);
    x["code"] = f.code;
    x["clauses"] = f.clauses;
    x["loc"] = {{"file", f.loc.file}, {"line", f.loc.line}, {"col", f.loc.col}};
    x["message"] = lang == "en" ? f.message.en : f.message.zh;
    x["zh"] = f.message.zh;
    x["en"] = f.message.en;
    x["interpretations"] = f.interpretations;
    x["covered"] = f.covered;
    j["findings"].push_back(std::move(x));
  }
  return j.dump(2) + "\n";
}

}  // namespace firebreak::rules
