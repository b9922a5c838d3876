// Differential property test (issue 14): on seeded random incident histories — several incidents, sensitive-
// period windows opening and closing, control, re-ignition (with and without its time), late and revised
// reports, `facts` overrides, ended responses — the timeline's required level, deciders and next due time at
// every step and at random instants between equal what a brute-force reference computes from Engine::Assess
// on the merged report at that instant (the one merge, history.h) with the concurrency of that instant
// (Engine::ConcurrencyOf), under level-holds-until-termination exactly as timeline.h documents it.
//
// The reference evaluates every incident at every event (reports, ends, and every due time or calendar change
// any assessment names); the timeline under test evaluates incrementally and keeps only changed steps.
//
// The same histories derived through a DerivationCache, once after each report recorded, give exactly the same.
//
// FIREBREAK_DIFF_HISTORIES (default 2000) histories from FIREBREAK_DIFF_SEED (default 20260412); a failure
// prints the seed and the history as JSON reports to reproduce it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "firebreak/common/error.h"
#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/rules/loader.h"
#include "firebreak/timeline/history.h"
#include "firebreak/timeline/timeline.h"

namespace firebreak::timeline {
namespace {

using namespace engine;

const RuleSet& Rules() {
  static const RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  return r;
}

std::uint64_t EnvOr(const char* name, std::uint64_t fallback) {
  const char* e = std::getenv(name);
  return e && *e ? std::strtoull(e, nullptr, 10) : fallback;
}

constexpr std::int64_t kH = 3600;

// Moments near the calendar's edges (and one far from them), local time +08:00.
const char* const kAnchors[] = {"2026-03-27T18:00:00+08:00", "2026-04-10T12:00:00+08:00", "2026-01-19T20:00:00+08:00",
                                "2026-02-20T10:00:00+08:00", "2026-10-07T12:00:00+08:00", "2026-05-12T08:00:00+08:00"};

struct History {
  std::vector<ReportEntry> reports;
  std::vector<TimelineDeclaration> ends;
  Timestamp until;
};

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  History Make() {
    History h;
    const Timestamp base = *ParseIso8601(kAnchors[Pick(std::size(kAnchors))]);
    const int incidents = 1 + static_cast<int>(Pick(4));
    std::int64_t last = base.epoch_s;
    std::int64_t order = 0;
    std::vector<ReportEntry> all;
    for (int i = 0; i < incidents; ++i) {
      const std::string id = "F" + std::to_string(i);
      auto rs = Incident(id, base.epoch_s + U(0, 12 * kH));
      for (auto& r : rs) last = std::max(last, r.reported_at.epoch_s);
      if (Chance(0.2))
        h.ends.push_back(TimelineDeclaration{id, "end", std::nullopt, "commander",
                                             Timestamp{rs.back().reported_at.epoch_s + U(0, 20 * kH), 480}});
      all.insert(all.end(), rs.begin(), rs.end());
    }
    // The order recorded: by recorded_at (late reports arrive after later ones).
    std::stable_sort(all.begin(), all.end(),
                     [](const ReportEntry& a, const ReportEntry& b) { return a.recorded_at < b.recorded_at; });
    for (auto& r : all) r.order = order++;
    h.reports = std::move(all);
    for (const auto& e : h.ends) last = std::max(last, e.at.epoch_s);
    h.until = Timestamp{last + 30 * kH, 480};
    return h;
  }

 private:
  std::vector<ReportEntry> Incident(const std::string& id, std::int64_t first) {
    std::vector<ReportEntry> out;
    const int n = 1 + static_cast<int>(Pick(6));
    std::int64_t t = first;
    bool out_now = false;
    for (int k = 0; k < n; ++k) {
      if (k > 0 && !Chance(0.1)) t += U(10 * 60, 10 * kH);  // 10 %: a revision of the same moment
      std::ostringstream o;
      o << R"({"incident_id":")" << id << R"(","reported_at":")" << FormatIso8601(Timestamp{t, 480}) << '"';
      if (k == 0 && Chance(0.85))
        o << R"(,"open_fire_since":")" << FormatIso8601(Timestamp{t - U(0, 10 * kH), 480}) << '"';
      if (k == 0 || Chance(0.6)) o << R"(,"burned_area_ha":)" << Area();
      if (Chance(0.08)) o << R"(,"deaths":)" << Pick(4);
      if (Chance(0.08)) o << R"(,"serious_injuries":)" << Pick(12);
      if (Chance(0.15)) o << R"(,"sensitive_period":)" << (Chance(0.5) ? "true" : "false");
      if (Chance(0.2)) o << R"(,"dangerous":true)";
      if (Chance(0.05)) o << R"(,"public_opinion_verification":true)";
      std::vector<std::string> facts;
      if (Chance(0.15)) facts.push_back(R"("dangerous":true)");
      if (k > 0 && !out_now && Chance(0.25)) {  // out
        out_now = true;
        if (Chance(0.3))
          facts.push_back(R"("extinguished":true)");  // only under facts
        else
          o << R"(,"controlled":true,"extinguished":true)";
        if (Chance(0.4)) facts.push_back(R"("cleanup_accepted":true)");
      } else if (out_now && Chance(0.5)) {  // re-ignition, with its time half of the time
        out_now = false;
        o << R"(,"controlled":false,"extinguished":false)";
        if (!facts.empty() || Chance(0.5)) facts.push_back(R"("extinguished":false)");
        if (Chance(0.5)) o << R"(,"open_fire_since":")" << FormatIso8601(Timestamp{t - U(0, 60 * 60), 480}) << '"';
      } else if (!out_now && Chance(0.15)) {
        o << R"(,"controlled":true)";
      }
      if (!facts.empty()) {
        o << R"(,"facts":{)";
        for (std::size_t i = 0; i < facts.size(); ++i) o << (i ? "," : "") << facts[i];
        o << '}';
      }
      o << '}';
      const std::int64_t recorded = Chance(0.15) ? t + U(2 * kH, 20 * kH) : t + U(0, 30 * 60);
      out.push_back(
          ReportEntry{id, Timestamp{t, 480}, Timestamp{recorded, 480}, 0, o.str(), id + "#" + std::to_string(k)});
    }
    return out;
  }

  // Burned areas near the thresholds (50, 100, 500, 1000 ha) and between them.
  double Area() {
    static const double kNear[] = {0, 10, 50, 100, 500, 1000};
    double a = kNear[Pick(std::size(kNear))] + static_cast<double>(U(-2, 2));
    return std::max(0.0, a + (Chance(0.5) ? 0.5 : 0.0));
  }
  std::size_t Pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  std::int64_t U(std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  std::mt19937_64 rng_;
};

// The brute-force reference: every incident assessed at every event, from the merged report at that instant.
class Reference {
 public:
  Reference(const Engine& eng, const History& h) : eng_(eng), h_(h) {
    for (const auto& [id, rs] : ReportsByIncident(h.reports)) {
      Inc& inc = incs_[id];
      inc.reports = rs;
      inc.states = MergeHistory(eng, rs);
    }
    for (const auto& e : h.ends) incs_[e.incident_id].ended = e.at;
    Run();
  }

  struct Eval {
    std::optional<Level> assessed, required;
    bool terminated = false;
    Decision d;
  };

  // The merged report of `id` at `t` (nullptr before its first report).
  const engine::Incident* StateAt(const std::string& id, const Timestamp& t) const {
    const Inc& inc = incs_.at(id);
    const engine::Incident* s = nullptr;
    for (std::size_t k = 0; k < inc.reports.size() && inc.reports[k].reported_at <= t; ++k) s = &inc.states[k];
    return s;
  }
  Concurrency ConcurrencyAt(const Timestamp& t) const {
    std::vector<const engine::Incident*> burning;
    for (const auto& [id, inc] : incs_)
      if (const auto* s = StateAt(id, t); s && !(inc.ended && *inc.ended <= t)) burning.push_back(s);
    return eng_.ConcurrencyOf(burning);
  }
  Decision AssessAt(const std::string& id, const Timestamp& t) const {
    return eng_.Assess(*StateAt(id, t), t, ConcurrencyAt(t));
  }
  // The required level at `t` (level-holds-until-termination over the reference's evaluations).
  std::optional<Level> RequiredAt(const std::string& id, const Timestamp& t) const {
    const Inc& inc = incs_.at(id);
    if (inc.ended && *inc.ended <= t) return std::nullopt;
    std::optional<Level> r;
    for (const auto& [at, e] : inc.evals)
      if (at <= t.epoch_s) r = e.required;
    return r;
  }
  const std::optional<Timestamp>& EndedAt(const std::string& id) const { return incs_.at(id).ended; }

 private:
  struct Inc {
    std::vector<ReportEntry> reports;
    std::vector<engine::Incident> states;
    std::optional<Timestamp> ended;
    std::map<std::int64_t, Eval> evals;
    std::optional<Level> held;
  };

  void Run() {
    std::set<std::int64_t> events;
    for (const auto& r : h_.reports) events.insert(r.reported_at.epoch_s);
    for (const auto& e : h_.ends) events.insert(e.at.epoch_s);
    while (!events.empty()) {
      const std::int64_t now = *events.begin();
      events.erase(events.begin());
      if (now > h_.until.epoch_s) break;
      const Timestamp t{now, 480};
      for (auto& [id, inc] : incs_) {
        if (!StateAt(id, t) || (inc.ended && *inc.ended < t)) continue;
        Eval e;
        e.d = AssessAt(id, t);
        e.assessed = e.d.response_level;
        e.terminated = e.d.response_terminated;
        if (e.terminated)
          inc.held.reset();
        else if (!inc.held || (e.assessed && *e.assessed > *inc.held))
          inc.held = e.assessed;
        e.required = e.terminated ? std::nullopt : inc.held;
        for (const auto& due : e.d.next.due) events.insert(due.at.epoch_s);
        if (e.d.next.change) events.insert(e.d.next.change->epoch_s);
        inc.evals[now] = std::move(e);
      }
    }
  }

  const Engine& eng_;
  const History& h_;
  std::map<std::string, Inc> incs_;
};

std::string Show(std::optional<Level> l) { return l ? LevelName(*l) : "none"; }
std::string Show(const std::optional<Timestamp>& t) { return t ? FormatIso8601(*t) : "none"; }
std::set<std::string> Set(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

std::string Dump(const History& h) {
  std::string s;
  for (const auto& r : h.reports) s += "  recorded " + FormatIso8601(r.recorded_at) + ": " + r.json + "\n";
  for (const auto& e : h.ends) s += "  end " + e.incident_id + " at " + FormatIso8601(e.at) + "\n";
  return s + "  until " + FormatIso8601(h.until) + "\n";
}

// Compares the timeline with the reference at `t`; returns a description of the first difference, or "".
std::string Compare(const Engine& eng, const Reference& ref, const IncidentTimeline& it, const Timestamp& t) {
  const std::string& id = it.incident_id;
  if (!ref.StateAt(id, t)) return it.StepAt(t) ? "a step before the first report" : "";
  const auto& ended = ref.EndedAt(id);
  if (Show(it.RequiredAt(t)) != Show(ref.RequiredAt(id, t)))
    return "required " + Show(it.RequiredAt(t)) + ", reference " + Show(ref.RequiredAt(id, t));
  if (ended && *ended < t) return "";  // the response was ended: nothing more is assessed
  const Step* s = it.StepAt(t);
  if (!s) return "no step";
  const Decision d = ref.AssessAt(id, t);
  if (Show(s->assessed) != Show(d.response_level))
    return "assessed " + Show(s->assessed) + " (step " + FormatIso8601(s->at) + "), Engine::Assess " +
           Show(d.response_level);
  if (ended && *ended == t) return s->deciders.empty() && !s->next_due ? "" : "the end step requires something";
  const std::optional<Level> required = ref.RequiredAt(id, t);
  std::vector<std::string> deciders;
  if (required && required == d.response_level)
    deciders.assign(d.decided_by.begin(), d.decided_by.end());
  else if (required)
    deciders = eng.rules().FindLevel(*required)->deciders;
  if (Set(s->deciders) != Set(deciders)) return "deciders differ";
  std::optional<Timestamp> next;
  for (const auto& due : d.next.due)
    if (due.at > t && required < std::optional<Level>(due.level) && (!next || due.at < *next)) next = due.at;
  if (Show(s->next_due) != Show(next)) return "next due " + Show(s->next_due) + ", reference " + Show(next);
  return "";
}

TEST(TimelineDiff, TimelineEqualsEngineAssessAtEveryStepAndBetween) {
  const std::uint64_t seed = EnvOr("FIREBREAK_DIFF_SEED", 20260412);
  const std::uint64_t histories = EnvOr("FIREBREAK_DIFF_HISTORIES", 2000);
  Engine eng(Rules());
  Generator gen(seed);
  std::mt19937_64 pick(seed ^ 0x9e3779b97f4a7c15ULL);
  std::size_t checks = 0, steps = 0;
  for (std::uint64_t n = 0; n < histories; ++n) {
    History h = gen.Make();
    TimelineInput in;
    in.reports = h.reports;
    in.declarations = h.ends;
    in.until = h.until;
    Timeline tl = BuildTimeline(eng, in);
    Reference ref(eng, h);
    for (const auto& it : tl.incidents) {
      std::vector<Timestamp> at;
      for (const auto& s : it.steps) {
        at.push_back(s.at);
        at.push_back(Timestamp{s.at.epoch_s - 1, 480});
      }
      for (int k = 0; k < 12; ++k)
        at.push_back(
            Timestamp{std::uniform_int_distribution<std::int64_t>(tl.from.epoch_s, tl.until.epoch_s)(pick), 480});
      steps += it.steps.size();
      for (const Timestamp& t : at) {
        ++checks;
        std::string diff = Compare(eng, ref, it, t);
        if (!diff.empty()) {
          ADD_FAILURE() << "history " << n << " (FIREBREAK_DIFF_SEED=" << seed << "), incident " << it.incident_id
                        << " at " << FormatIso8601(t) << ": " << diff << "\n"
                        << Dump(h);
          return;
        }
      }
    }
  }
  RecordProperty("histories", static_cast<int>(histories));
  RecordProperty("checks", static_cast<int>(checks));
  EXPECT_GT(steps, histories);  // the histories do step (the generator is not degenerate)
}

// The office's view (OfficeStates, known-to-the-office) on the same random histories, against brute force: at
// each moment reports became known, MergeHistory of exactly the reports known by then (moment order), at that
// moment, without notices. Compared through Engine::Assess (every fact with its origin, the full decision JSON)
// at that moment and 7 hours later (the open-fire clock and out periods), and the state's own times.
TEST(TimelineDiff, OfficeViewEqualsTheKnownReportsMerged) {
  const std::uint64_t seed = EnvOr("FIREBREAK_DIFF_SEED", 20260412);
  const std::uint64_t histories = EnvOr("FIREBREAK_DIFF_HISTORIES", 2000) / 4;
  Engine eng(Rules());
  Generator gen(seed + 1);
  std::size_t late = 0, compared = 0;
  auto decision = [&](const Incident& s, std::int64_t later_s) {
    return format::DecisionToJson(eng.Assess(s, Timestamp{s.reported_at.epoch_s + later_s, 480}, Concurrency{1, 0}),
                                  Rules(), format::JsonDetail::kFull);
  };
  for (std::uint64_t n = 0; n < histories; ++n) {
    History h = gen.Make();
    for (const auto& [id, rs] : ReportsByIncident(h.reports)) {
      const MergedHistory merged = MergeForTimeline(eng, rs);
      std::deque<Incident> owned;
      const std::vector<const Incident*> view = OfficeStates(rs, merged, owned);
      std::set<Timestamp> moments(merged.known.begin(), merged.known.end());
      ASSERT_EQ(view.size(), moments.size()) << "history " << n << " incident " << id << "\n" << Dump(h);
      late += merged.any_late ? 1 : 0;
      std::size_t i = 0;
      for (const Timestamp& m : moments) {
        std::vector<ReportEntry> known;
        for (std::size_t k = 0; k < rs.size(); ++k)
          if (merged.known[k] <= m) known.push_back(rs[k]);
        Incident want = MergeHistory(eng, known).back();
        want.reported_at = m;
        want.notices.clear();
        const Incident& got = *view[i++];
        ++compared;
        ASSERT_EQ(FormatIso8601(got.reported_at), FormatIso8601(m));
        ASSERT_TRUE(got.notices.empty());
        ASSERT_EQ(got.out_periods.size(), want.out_periods.size()) << "history " << n << "\n" << Dump(h);
        for (std::int64_t later : {std::int64_t{0}, 7 * kH})
          ASSERT_EQ(decision(got, later), decision(want, later))
              << "history " << n << " (FIREBREAK_DIFF_SEED=" << seed << "), incident " << id << " known at "
              << FormatIso8601(m) << "\n"
              << Dump(h);
      }
    }
  }
  RecordProperty("compared", static_cast<int>(compared));
  EXPECT_GT(late, histories / 10);  // late reports do occur
}

// Everything a derivation gives (the steps as TimelineToJson writes them, the office's view, the evaluations).
std::string Everything(const Timeline& tl) {
  Timeline office = tl;
  for (auto& it : office.incidents) it.steps = it.known_steps;
  return TimelineToJson(tl, Rules(), -1) + "\n" + TimelineToJson(office, Rules(), -1) + "\n" +
         std::to_string(tl.evaluations);
}

// DerivationCache (history.h) changes nothing but the work: on the same random histories, a desk re-deriving the
// timeline through one cache after each report recorded (late ones included; until = when it was recorded, so
// clock steps come and go, and the cache drops what a derivation no longer uses) gets at every derivation exactly
// what a derivation without the cache gets, and again the same when nothing changed (everything from the cache).
TEST(TimelineDiff, DerivationCacheChangesNothing) {
  const std::uint64_t seed = EnvOr("FIREBREAK_DIFF_SEED", 20260412);
  const std::uint64_t histories = EnvOr("FIREBREAK_DIFF_HISTORIES", 2000) / 8;
  Engine eng(Rules());
  Generator gen(seed + 2);
  std::size_t derivations = 0, reused = 0;
  for (std::uint64_t n = 0; n < histories; ++n) {
    History h = gen.Make();
    DerivationCache cache(eng);
    for (std::size_t k = 1; k <= h.reports.size(); ++k) {
      TimelineInput in;
      in.reports.assign(h.reports.begin(), h.reports.begin() + static_cast<std::ptrdiff_t>(k));
      in.declarations = h.ends;
      in.until = k == h.reports.size() ? h.until : h.reports[k - 1].recorded_at;
      const std::string want = Everything(BuildTimeline(eng, in));
      ASSERT_EQ(Everything(BuildTimeline(eng, in, &cache)), want)
          << "history " << n << " (FIREBREAK_DIFF_SEED=" << seed << "), after report " << k << "\n"
          << Dump(h);
      ++derivations;
      if (k % 3 == 0) {  // the same again: all from the cache
        ASSERT_EQ(Everything(BuildTimeline(eng, in, &cache)), want) << "history " << n << "\n" << Dump(h);
        ++reused;
      }
    }
  }
  RecordProperty("derivations", static_cast<int>(derivations));
  EXPECT_GT(reused, histories);
}

// An enrich hook's states never enter a cache kept between derivations (their facts cannot be keyed): a derivation
// with the hook through the cache gets what one without the cache gets, and the next derivation without the hook
// through the same cache gets what it would have got without.
TEST(TimelineDiff, DerivationCacheKeepsNoEnrichedState) {
  Engine eng(Rules());
  Generator gen(11);
  int differing = 0;
  for (int n = 0; n < 200 && differing < 5; ++n) {
    History h = gen.Make();
    TimelineInput plain;
    plain.reports = h.reports;
    plain.declarations = h.ends;
    plain.until = h.until;
    TimelineInput enriched = plain;
    enriched.enrich = [](Incident& i) { i.dangerous = true; };  // every fire 危险性较大 (6.3.2.1(5))
    const std::string want_plain = Everything(BuildTimeline(eng, plain));
    const std::string want_enriched = Everything(BuildTimeline(eng, enriched));
    if (want_plain == want_enriched) continue;
    ++differing;
    DerivationCache cache(eng);
    ASSERT_EQ(Everything(BuildTimeline(eng, plain, &cache)), want_plain) << Dump(h);
    ASSERT_EQ(Everything(BuildTimeline(eng, enriched, &cache)), want_enriched) << Dump(h);
    ASSERT_EQ(Everything(BuildTimeline(eng, plain, &cache)), want_plain) << Dump(h);
  }
  EXPECT_EQ(differing, 5);  // the hook does change timelines
}

// A cache is one engine's: another engine's derivation through it is refused (its assessments view that engine's
// rules).
TEST(TimelineDiff, DerivationCacheRefusesAnotherEngine) {
  Engine a(Rules()), b(Rules());
  DerivationCache cache(a);
  Generator gen(7);
  TimelineInput in;
  in.reports = gen.Make().reports;
  EXPECT_NO_THROW(BuildTimeline(a, in, &cache));
  try {
    BuildTimeline(b, in, &cache);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
  }
}

}  // namespace
}  // namespace firebreak::timeline
