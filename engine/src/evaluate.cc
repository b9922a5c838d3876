// Facts and evaluation (compiled.h): what the rules see for an incident at a moment, and every rule group
// evaluated once in the plan's order. No allocation.
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "compiled.h"

namespace firebreak::engine {

namespace {

constexpr std::pair<Threat, FactId> kThreatFacts[] = {
    {Threat::kResidential, FactId::kThreatensResidential},
    {Threat::kKeyFacility, FactId::kThreatensKeyFacility},
    {Threat::kMilitary, FactId::kThreatensMilitary},
    {Threat::kHazardousChemicals, FactId::kThreatensHazardousChemicals},
    {Threat::kOilGasPipeline, FactId::kThreatensOilGasPipeline},
    {Threat::kRailway, FactId::kThreatensRailway},
    {Threat::kNuclear, FactId::kThreatensNuclear},
    {Threat::kMajorHazard, FactId::kThreatensMajorHazard},
};

// Index of the calendar window containing local day `day`, or -1. Memoised per thread (a few days are asked
// again and again: the day assessed, the outbreak, the window edges).
int WindowOfDay(const CompiledRules& c, std::int64_t day) {
  struct Memo {
    std::uint64_t rules = 0;
    std::int64_t day = 0;
    int window = -1;
  };
  thread_local std::array<Memo, 32> memo;
  Memo& m = memo[static_cast<std::size_t>(day) & 31];
  if (m.rules == c.id && m.day == day) return m.window;
  const int md = MonthDayOfDay(day);
  int w = -1;
  for (std::size_t i = 0; i < c.windows.size() && w < 0; ++i)
    if (c.windows[i].Contains(md)) w = static_cast<int>(i);
  m = Memo{c.id, day, w};
  return w;
}

// The first local day in [first, last] inside a window, or nullopt. A span of a year or more meets every window.
std::optional<std::int64_t> FirstWindowDay(const CompiledRules& c, std::int64_t first, std::int64_t last) {
  if (c.windows.empty() || last < first) return std::nullopt;
  const std::int64_t end = std::min(last, first + 366);
  for (std::int64_t d = first; d <= end; ++d)
    if (WindowOfDay(c, d) >= 0) return d;
  return std::nullopt;
}

// The open-fire segments up to `at`: [since, out1.from), [out1.until, out2.from), ... Calls fn(from, to).
template <class Fn>
void ForEachOpenSegment(const Incident& in, std::int64_t out_since, const Timestamp& at, Fn&& fn) {
  std::int64_t start = in.open_fire_since->epoch_s;
  for (const OutPeriod& p : in.out_periods) {
    if (p.from.epoch_s >= at.epoch_s) break;
    if (p.from.epoch_s > start) fn(start, p.from.epoch_s);
    if (!p.until) return;  // still out
    start = std::max(start, p.until->epoch_s);
  }
  const std::int64_t end = std::min(at.epoch_s, out_since);
  if (end > start)
    fn(start, end);
  else if (end == start && end == at.epoch_s)
    fn(start, end);  // burning at this very instant
}

// When the open fire went out if the state says it is out: the open out period's start, else reported_at.
std::int64_t OutSince(const Incident& in, bool extinguished) {
  if (!extinguished) return INT64_MAX;
  if (!in.out_periods.empty() && !in.out_periods.back().until) return in.out_periods.back().from.epoch_s;
  return in.reported_at.epoch_s;
}

void CalendarFacts(const CompiledRules& c, const Incident& in, const Timestamp& at, bool extinguished,
                   FactsWithOrigin& fo) {
  if (c.windows.empty()) return;
  const std::int64_t today = LocalDayNumber(at);
  const int now = WindowOfDay(c, today);
  fo.SetIf(FactId::kCalendarSensitiveNow, now >= 0 ? 1.0 : 0.0, FactOrigin::kCalendar, static_cast<std::int16_t>(now));
  if (!in.open_fire_since) {
    // Without a start of open fire, the fire is known to burn only at `at`.
    fo.SetIf(FactId::kCalendarSensitiveWhileBurning, now >= 0 ? 1.0 : 0.0, FactOrigin::kCalendar,
             static_cast<std::int16_t>(now));
    return;
  }
  const int outbreak = WindowOfDay(c, LocalDayNumber(*in.open_fire_since));
  fo.SetIf(FactId::kCalendarSensitiveAtOutbreak, outbreak >= 0 ? 1.0 : 0.0, FactOrigin::kCalendar,
           static_cast<std::int16_t>(outbreak));
  int hit = -1;
  const int offset = at.offset_min;
  const std::int64_t out_since = OutSince(in, extinguished);
  ForEachOpenSegment(in, out_since, at, [&](std::int64_t a, std::int64_t b) {
    if (hit >= 0) return;
    // A segment is half-open, except the one still burning at `at`, which includes `at` itself.
    const bool to_now = b == at.epoch_s && out_since > at.epoch_s;
    const std::int64_t last = LocalDayNumber(Timestamp{b > a && !to_now ? b - 1 : b, offset});
    if (auto d = FirstWindowDay(c, LocalDayNumber(Timestamp{a, offset}), last)) hit = WindowOfDay(c, *d);
  });
  fo.SetIf(FactId::kCalendarSensitiveWhileBurning, hit >= 0 ? 1.0 : 0.0, FactOrigin::kCalendar,
           static_cast<std::int16_t>(hit));
}

}  // namespace

OpenFire OpenFireAt(const Incident& in, bool extinguished, const Timestamp& at) {
  OpenFire o;
  const std::int64_t out_since = OutSince(in, extinguished);
  o.burning = out_since > at.epoch_s;
  for (const OutPeriod& p : in.out_periods)
    if (p.from.epoch_s <= at.epoch_s && (!p.until || p.until->epoch_s > at.epoch_s)) o.burning = false;
  if (!in.open_fire_since) return o;
  o.known = true;
  std::int64_t last_start = in.open_fire_since->epoch_s;
  for (const OutPeriod& p : in.out_periods)
    if (p.until && p.until->epoch_s <= at.epoch_s) last_start = std::max(last_start, p.until->epoch_s);
  ForEachOpenSegment(in, out_since, at, [&](std::int64_t a, std::int64_t b) {
    o.total_s += b - a;
    if (b > last_start) o.current_s += b - std::max(a, last_start);
  });
  return o;
}

std::optional<Timestamp> NextCalendarChange(const CompiledRules& c, const FactsWithOrigin& fo, const Timestamp& at) {
  if (c.windows.empty()) return std::nullopt;
  const bool now_used = References(c, FactId::kCalendarSensitiveNow) &&
                        fo.origin[Ix(FactId::kCalendarSensitiveNow)] == FactOrigin::kCalendar;
  const bool burning_used = References(c, FactId::kCalendarSensitiveWhileBurning) &&
                            fo.origin[Ix(FactId::kCalendarSensitiveWhileBurning)] == FactOrigin::kCalendar &&
                            fo.f.ValueOr(FactId::kCalendarSensitiveWhileBurning, 1.0) == 0.0 && fo.fire.burning;
  if (!now_used && !burning_used) return std::nullopt;
  // The value can only change on the first day of a window or the day after its last: those days this year and
  // next (a handful), checked in order. Memoised per thread for the day and the question.
  const std::int64_t today = LocalDayNumber(at);
  struct Memo {
    std::uint64_t rules = 0;
    std::int64_t today = 0;
    int question = 0;
    std::int64_t best = 0;
  };
  thread_local Memo memo;
  const int question = (now_used ? 1 : 0) | (burning_used ? 2 : 0);
  if (memo.rules == c.id && memo.today == today && memo.question == question)
    return memo.best == INT64_MAX ? std::nullopt : std::optional<Timestamp>(LocalMidnight(memo.best, at.offset_min));
  const int year = YearOfDay(today);
  std::int64_t best = INT64_MAX;
  auto consider = [&](std::int64_t d) {
    if (d <= today || d >= best) return;
    const bool in_d = WindowOfDay(c, d) >= 0;
    if ((burning_used && in_d) || (now_used && in_d != (WindowOfDay(c, d - 1) >= 0))) best = d;
  };
  for (int y = year - 1; y <= year + 1; ++y)
    for (const CalendarWindow& w : c.windows) {
      consider(DayNumber(y, w.from / 100, w.from % 100));
      consider(DayNumber(y, w.to / 100, w.to % 100) + 1);
    }
  memo = Memo{c.id, today, question, best};
  if (best == INT64_MAX) return std::nullopt;
  return LocalMidnight(best, at.offset_min);
}

void ComputeFacts(const RuleSet& rules, const CompiledRules& c, const Incident& in, const Timestamp& at,
                  const Concurrency* cc, FactsWithOrigin& fo) {
  // Reset in place (no temporary: FactsWithOrigin is ~700 bytes).
  fo.f.Reset();
  fo.origin.fill(FactOrigin::kUnknown);
  fo.rule.fill(-1);
  fo.noted.fill(0);
  fo.fire = OpenFire{};
  const auto R = FactOrigin::kReport;
  auto num = [&](FactId id, const auto& opt) {
    if (opt) fo.SetIf(id, static_cast<double>(*opt), R);
  };
  auto flag = [&](FactId id, const std::optional<bool>& opt) {
    if (opt) fo.SetIf(id, *opt ? 1.0 : 0.0, R);
  };
  // 1. The report's own fields.
  num(FactId::kBurnedAreaHa, in.burned_area_ha);
  num(FactId::kDamagedForestAreaHa, in.damaged_forest_area_ha);
  num(FactId::kDeaths, in.deaths);
  num(FactId::kSeriousInjuries, in.serious_injuries);
  flag(FactId::kControlled, in.controlled);
  flag(FactId::kExtinguished, in.extinguished);
  flag(FactId::kSensitivePeriod, in.sensitive_period);
  flag(FactId::kSensitiveArea, in.sensitive_area);
  flag(FactId::kPublicOpinionVerification, in.public_opinion_verification);
  flag(FactId::kDangerous, in.dangerous);
  flag(FactId::kSatelliteDetected, in.satellite_detected);
  flag(FactId::kCrossesBoundary, in.crosses_boundary);
  flag(FactId::kCrossesCityBoundary, in.crosses_city_boundary);
  num(FactId::kKmToCityBoundary, in.km_to_city_boundary);
  num(FactId::kTemperatureC, in.weather.temperature_c);
  num(FactId::kHumidityPct, in.weather.humidity_pct);
  num(FactId::kWindSpeedMs, in.weather.wind_speed_ms);
  num(FactId::kWindDirDeg, in.weather.wind_dir_deg);
  if (in.warning_colour) fo.SetIf(FactId::kWarningColour, static_cast<double>(*in.warning_colour), R);
  for (Threat t : in.threatens)  // listed: 1; every other threat 0 when the report gave the list
    for (const auto& [tt, f] : kThreatFacts)
      if (tt == t) fo.SetIf(f, 1.0, R);
  if (in.threatens_reported)
    for (const auto& [t, f] : kThreatFacts) fo.SetIf(f, 0.0, R);
  fo.SetIf(FactId::kLocalHour, static_cast<double>(LocalHour(at)), R);
  // 2. The report's "facts" object.
  for (std::size_t i = 0; in.extra.Any() && i < kFactCount; ++i) {
    auto id = static_cast<FactId>(i);
    if (in.extra.Has(id)) fo.SetIf(id, in.extra.ValueOr(id, 0.0), FactOrigin::kReportFacts);
  }
  // 3. The incident set.
  if (cc) {
    fo.SetIf(FactId::kConcurrentFires, cc->fires, FactOrigin::kConcurrency);
    fo.SetIf(FactId::kConcurrentDangerousFires, cc->dangerous_fires, FactOrigin::kConcurrency);
  }
  // 4. GIS and other modules.
  for (std::size_t i = 0; in.derived.Any() && i < kFactCount; ++i) {
    auto id = static_cast<FactId>(i);
    if (in.derived.Has(id)) fo.SetIf(id, in.derived.ValueOr(id, 0.0), FactOrigin::kGis);
  }
  // 5. The clock of open fire (6.3.x.1(3)): hours from open_fire_since up to `at` (0 before the fire began),
  //    the periods reported out excluded (extinguished as the facts so far say: report > facts > GIS > default).
  const FactDefault* ext_default =
      c.default_index[Ix(FactId::kExtinguished)] >= 0
          ? &rules.fact_defaults[static_cast<std::size_t>(c.default_index[Ix(FactId::kExtinguished)])]
          : nullptr;
  const bool extinguished = fo.f.ValueOr(FactId::kExtinguished, ext_default ? ext_default->value : 0.0) != 0.0;
  fo.fire = OpenFireAt(in, extinguished, at);
  if (fo.fire.known) {
    fo.SetIf(FactId::kOpenFireHours, static_cast<double>(fo.fire.total_s) / 3600.0, R);
    fo.SetIf(FactId::kOpenFireHoursSinceReignition, static_cast<double>(fo.fire.current_s) / 3600.0, R);
  }
  // 6. The sensitive-period calendar: three readings; the rule file derives sensitive_period from one.
  CalendarFacts(c, in, at, extinguished, fo);
  // 7. Rule-file derived facts, in file order (each may use the ones before it).
  for (std::uint32_t r = c.derived.first; r < c.derived.last; ++r) {
    const DerivedFact& d = rules.derived_facts[r - c.derived.first];
    if (fo.f.Has(d.fact)) continue;
    Tri t = Tri::kUnknown;
    EvalRule(c, c.rules[r], fo.f, &t);
    if (t != Tri::kUnknown)
      fo.SetIf(d.fact, t == Tri::kTrue ? 1.0 : 0.0, FactOrigin::kRuleDerived,
               static_cast<std::int16_t>(r - c.derived.first));
  }
  // 8. Named assumptions for what is still unknown.
  for (std::size_t i = 0; i < rules.fact_defaults.size(); ++i) {
    const FactDefault& d = rules.fact_defaults[i];
    fo.SetIf(d.fact, d.value, FactOrigin::kDefault, static_cast<std::int16_t>(i));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation (no allocation)

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A fact's slots (TestBits::slots): its value, and its value as a flag; NaN when unknown.
double ValueSlot(const FactSet& f, FactId id) { return f.Has(id) ? f.KnownValue(id) : kNaN; }
double FlagSlot(const FactSet& f, FactId id) { return f.Has(id) ? (f.KnownValue(id) != 0.0 ? 1.0 : 0.0) : kNaN; }

void SetBit(std::uint64_t* words, std::size_t i, bool on) {
  const std::uint64_t bit = std::uint64_t{1} << (i & 63);
  words[i >> 6] = on ? words[i >> 6] | bit : words[i >> 6] & ~bit;
}

// The test's two-valued truth (TRUE, or not: false and unknown alike), from t.slots.
bool TestTrue(const CompiledRules& c, std::size_t u, const FactSet& f, const TestBits& t) {
  if (c.epreds[u].kind == EPred::kOther) return EvalPred(c.preds[c.epreds[u].pred], f) == Tri::kTrue;
  const double y = t.slots[c.test_slot[u]];
  return (y >= c.test_lo[u]) & (y <= c.test_hi[u]);
}

// Every test, two at a time (SSE2, x86-64's baseline), from t.slots.
void EvalTruth(const CompiledRules& c, const FactSet& f, TestBits& t) {
  const std::size_t n = c.epreds.size();
  const double* lo = c.test_lo.data();
  const double* hi = c.test_hi.data();
  const std::uint32_t* slot = c.test_slot.data();
  const double* slots = t.slots.data();
  for (std::size_t w = 0; w * 64 < n; ++w) {
    std::uint64_t bits = 0, has = 0;
    const std::size_t base = w * 64, end = std::min<std::size_t>(64, n - base);
    for (std::size_t j = 0; j < end; j += 2) {  // the arrays are padded to an even count
      const std::size_t k = base + j;
#if defined(__SSE2__)
      const __m128d y = _mm_set_pd(slots[slot[k + 1]], slots[slot[k]]);
      const __m128d in = _mm_and_pd(_mm_cmpge_pd(y, _mm_loadu_pd(lo + k)), _mm_cmple_pd(y, _mm_loadu_pd(hi + k)));
      bits |= static_cast<std::uint64_t>(_mm_movemask_pd(in)) << j;
      has |= static_cast<std::uint64_t>(_mm_movemask_pd(_mm_cmpord_pd(y, y))) << j;
#else
      for (std::size_t q = k; q < k + 2; ++q) {
        const double y = slots[slot[q]];
        bits |= static_cast<std::uint64_t>((y >= lo[q]) & (y <= hi[q])) << (q - base);
        has |= static_cast<std::uint64_t>(y == y) << (q - base);
      }
#endif
    }
    const std::uint64_t valid = end == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << end) - 1;
    t.truth[w] = bits & valid;
    t.known[w] = has & valid;
  }
  for (std::uint32_t u : c.other_preds) {
    SetBit(t.truth.data(), u, TestTrue(c, u, f, t));
    SetBit(t.known.data(), u, f.Has(c.epreds[u].fact));
  }
}

}  // namespace

void EvalTests(const CompiledRules& c, const FactSet& f, TestBits& t) {
  for (FactId id : c.value_facts) t.slots[Ix(id)] = ValueSlot(f, id);
  for (FactId id : c.flag_facts) t.slots[kFactCount + Ix(id)] = FlagSlot(f, id);
  EvalTruth(c, f, t);
}

namespace {

// Evaluation::alt_fail: the alternatives needing a test that is not TRUE, the phase tests aside. N: the number
// of words of alternatives when the compiler may keep them in registers (0: any number).
template <std::size_t N>
void FailBaseN(const CompiledRules& c, const std::uint64_t* truth, std::uint64_t* fail) {
  const std::size_t aw = N ? N : c.alt_words;
  std::array<std::uint64_t, N ? N : 1> acc{};
  if (!N) std::fill(fail, fail + aw, 0);
  const std::uint64_t* need = c.need.data();
  for (std::size_t w = 0; w < c.test_words; ++w)
    for (std::uint64_t bits = ~truth[w] & c.base_tests[w]; bits; bits &= bits - 1) {
      const std::uint64_t* nu = need + (w * 64 + static_cast<std::size_t>(std::countr_zero(bits))) * aw;
      for (std::size_t k = 0; k < aw; ++k) (N ? acc[k] : fail[k]) |= nu[k];
    }
  if (N) std::copy(acc.begin(), acc.begin() + static_cast<std::ptrdiff_t>(aw), fail);
}

void FailBase(const CompiledRules& c, const std::uint64_t* truth, Evaluation& ev) {
  switch (c.alt_words) {
    case 1:
      return FailBaseN<1>(c, truth, ev.alt_fail.data());
    case 2:
      return FailBaseN<2>(c, truth, ev.alt_fail.data());
    case 3:
      return FailBaseN<3>(c, truth, ev.alt_fail.data());
    case 4:
      return FailBaseN<4>(c, truth, ev.alt_fail.data());
    default:
      return FailBaseN<0>(c, truth, ev.alt_fail.data());
  }
}

// Decides the rules of one phase: each holds on its first alternative none of whose tests fails.
void EvalPhase(const CompiledRules& c, PhaseId p, const std::uint64_t* truth, Evaluation& ev) {
  std::uint64_t* hb = ev.held_bits.data();
  const std::uint64_t* mine = c.phase_alts[p].data();
  for (std::size_t w = 0; w < c.alt_words; ++w) {
    if (!mine[w]) continue;
    std::uint64_t fail = ev.alt_fail[w];
    for (std::uint32_t u : c.phase_tests[p])
      if (!((truth[u >> 6] >> (u & 63)) & 1)) fail |= c.need[u * c.alt_words + w];
    for (std::uint64_t bits = ~fail & mine[w]; bits; bits &= bits - 1) {
      const std::size_t a = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      const std::uint32_t r = c.alt_rule[a];
      const std::uint64_t bit = std::uint64_t{1} << (r & 63);
      if (hb[r >> 6] & bit) continue;  // an earlier alternative held
      hb[r >> 6] |= bit;
      ev.held[r] = c.alt_pos[a];
    }
  }
}

// Sets the slots of `id` again (the engine set or cleared it) and re-evaluates the tests `which` of it.
void Retest(const CompiledRules& c, const FactSet& f, FactId id, const std::vector<std::uint32_t>& which, TestBits& t) {
  t.slots[Ix(id)] = ValueSlot(f, id);
  t.slots[kFactCount + Ix(id)] = FlagSlot(f, id);
  for (std::uint32_t u : which) {
    SetBit(t.truth.data(), u, TestTrue(c, u, f, t));
    SetBit(t.known.data(), u, f.Has(id));
  }
}

// After the response level: lead (the measures, reporting, safety, warning and termination rules are evaluated
// with it: kPhaseDuties).
void RunDuties(const RuleSet& rules, const CompiledRules& c, Evaluation& ev) {
  // Lead (6.1, 3.3, 9.1): highest `lead` among rules that hold (else the default), then raises.
  std::optional<Tier> lead;
  int raise = 0;
  ForEachHeld(ev, c.lead, [&](std::uint32_t i) {
    const LeadRule& lr = rules.lead_rules[i - c.lead.first];
    if (lr.lead && (!lead || *lr.lead > *lead)) lead = *lr.lead;
    raise += lr.raise;
  });
  int tier = static_cast<int>(lead.value_or(rules.default_lead)) + raise;
  ev.lead = static_cast<Tier>(std::clamp(tier, static_cast<int>(Tier::kCounty), static_cast<int>(Tier::kNational)));
  // Terminations (6.3.6, 6.2.8, 6.2.7): the response termination ends a held level.
  ev.terminated = c.response_termination >= 0 &&
                  Held(ev, c.terminations.first + static_cast<std::uint32_t>(c.response_termination));
}

}  // namespace

// Every predicate is evaluated once (EvalTests) on the facts as computed; those testing the grade and the
// response level again once the engine has set them. The rules are then decided from those bits (FailBase once,
// EvalPhase per phase), each group on the facts it saw when rules were evaluated one by one: grades the facts as
// given, triggers the grade, later groups the response level (tests/engine/evaluator_test.cc checks it against
// EvalRule).
void Run(const RuleSet& rules, const CompiledRules& c, const Incident& in, const Timestamp& at, const Concurrency& cc,
         Evaluation& ev) {
  ComputeFacts(rules, c, in, at, &cc, ev.facts);
  FactSet& f = ev.facts.f;
  std::copy(c.always_bits.begin(), c.always_bits.end(), ev.held_bits.begin());
  const std::uint64_t* truth = ev.tests.truth.data();
  EvalTests(c, f, ev.tests);
  FailBase(c, truth, ev);
  // Grade: the highest any criterion reaches (1.5 / art. 40).
  EvalPhase(c, kPhaseGrades, truth, ev);
  ev.grade.reset();
  ForEachHeld(ev, c.grades, [&](std::uint32_t i) {
    const Grade g = rules.grades[i - c.grades.first].grade;
    if (!ev.grade || g > *ev.grade) ev.grade = g;
  });
  f.Clear(FactId::kGrade);
  if (ev.grade) {
    f.Set(FactId::kGrade, static_cast<double>(*ev.grade));
    ev.facts.origin[Ix(FactId::kGrade)] = FactOrigin::kEngine;
  }
  Retest(c, f, FactId::kGrade, c.grade_preds, ev.tests);
  // Response level: the highest level with a trigger that holds (6.3).
  EvalPhase(c, kPhaseTriggers, truth, ev);
  ev.level.reset();
  ev.level_spec = -1;
  for (std::size_t li = 0; li < rules.levels.size(); ++li) {
    if (CountHeld(ev, c.level_triggers[li]) > 0 && (!ev.level || rules.levels[li].level > *ev.level)) {
      ev.level = rules.levels[li].level;
      ev.level_spec = static_cast<int>(li);
    }
  }
  f.Clear(FactId::kResponseLevel);
  f.Set(FactId::kResponseLevel, ev.level ? static_cast<double>(*ev.level) : 0.0);
  ev.facts.origin[Ix(FactId::kResponseLevel)] = FactOrigin::kEngine;
  Retest(c, f, FactId::kResponseLevel, c.level_preds, ev.tests);
  EvalPhase(c, kPhaseDuties, truth, ev);
  RunDuties(rules, c, ev);
}

int CountHeld(const Evaluation& ev, Range r) {
  int n = 0;
  ForEachHeld(ev, r, [&](std::uint32_t) { ++n; });
  return n;
}

}  // namespace firebreak::engine
