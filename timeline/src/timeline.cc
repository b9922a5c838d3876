// Timeline: the required level over time (see timeline.h for the semantics and the interpretations it cites).
#include "firebreak/timeline/timeline.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"

#include "merge_tree.h"
#include "text_util.h"

namespace firebreak::timeline {

using namespace engine;
using namespace text;  // LevelText, Join, Names, Width, Pad (text_util.h)
using internal::Assessed;
using internal::MergeNode;
using internal::MergeTree;

namespace {

using nlohmann::json;

int Rank(std::optional<Level> l) { return l ? static_cast<int>(*l) : 0; }

std::vector<std::string> ReportingClauses(const Step& s) {
  std::vector<std::string> out;
  for (const auto& r : s.reporting) out.push_back(r.clause);
  return out;
}

bool SameState(const Step& a, const Step& b) {
  return a.assessed == b.assessed && a.required == b.required && a.terminated == b.terminated && a.lead == b.lead &&
         a.grade == b.grade && ReportingClauses(a) == ReportingClauses(b) && a.triggers == b.triggers &&
         a.next_due == b.next_due && a.next_level == b.next_level;
}

// One incident's input to the sweep: its states in time order (each effective from its reported_at; owned by
// BuildTimeline's merged histories or the office's view) and when an "end" declaration ended it.
struct Track {
  IncidentTimeline* out = nullptr;
  std::vector<const Incident*> states;
  std::vector<MergeNode*> nodes;  // parallel to states: the merge tree's node of each (nullptr: a state of its own)
  std::optional<Timestamp> ended_at;
  std::string ended_by;
  // Sweep state.
  std::size_t next = 0;  // index of the first state after the current moment
  std::optional<Level> held;
  std::optional<FireState> fire;  // of the current state
  std::optional<Concurrency> last_conc;
  bool done = false;
  bool reported_now = false;
};

std::optional<double> FactValue(const Decision& d, FactId id) {
  for (const FactUse& u : d.facts)
    if (u.fact == id) return u.value;
  return std::nullopt;
}

void Summarize(const Decision& d, Assessed& a) {
  a.level = d.response_level;
  a.terminated = d.response_terminated;
  a.triggers.clear();
  for (const auto& f : d.triggers)
    if (d.response_level && f.level == *d.response_level) a.triggers.push_back(f.clause);
  a.reporting.clear();
  for (const auto& r : d.reporting)
    a.reporting.push_back(ReportingDuty{std::string(r.rule.clause), {r.recipients.begin(), r.recipients.end()}});
  a.lead = d.lead.tier;
  a.grade = d.grade.grade;
  a.open_fire_hours = FactValue(d, FactId::kOpenFireHours);
  a.controlled = FactValue(d, FactId::kControlled).value_or(0.0) != 0.0;
  a.extinguished = FactValue(d, FactId::kExtinguished).value_or(0.0) != 0.0;
  a.due = d.next.due;
  a.change = d.next.change;
}

// The step for one incident at `t` from the engine's assessment of its current state.
Step MakeStep(const RuleSet& rules, Track& tr, const Incident& cur, const Assessed& d, const Timestamp& t,
              const Concurrency& conc) {
  Step step;
  step.at = t;
  step.assessed = d.level;
  step.terminated = d.terminated;
  if (step.terminated) {
    tr.held.reset();
  } else {
    step.required = Rank(d.level) >= Rank(tr.held) ? d.level : tr.held;
    tr.held = step.required;
  }
  step.held = Rank(step.required) > Rank(step.assessed);
  step.triggers.assign(d.triggers.begin(), d.triggers.end());
  if (step.required)
    if (const LevelSpec* ls = rules.FindLevel(*step.required)) {
      step.deciders = ls->deciders;
      step.decider_clause = ls->decider_clause;
    }
  step.reporting = d.reporting;
  step.lead = d.lead;
  step.grade = d.grade;
  step.concurrency = conc;
  step.open_fire_hours = d.open_fire_hours;
  step.burned_area_ha = cur.burned_area_ha;
  step.deaths = cur.deaths;
  step.serious_injuries = cur.serious_injuries;
  step.controlled = d.controlled;
  step.extinguished = d.extinguished;
  for (const auto& due : d.due)  // sorted by time
    if (due.at > t && Rank(due.level) > Rank(step.required)) {
      step.next_due = due.at;
      step.next_level = due.level;
      step.next_clause = due.clause;
      break;
    }
  return step;
}

// The next moment the engine says this incident's assessment may change by itself: the earliest clock due time
// of any level above the assessed one (cause detail: its clause), or a calendar change.
struct Wake {
  Timestamp at;
  StepCause cause = StepCause::kClock;
  std::string detail;
};
std::optional<Wake> NextWake(const Assessed& d, const Timestamp& t) {
  std::optional<Wake> w;
  for (const auto& due : d.due)
    if (due.at > t) {
      w = Wake{due.at, StepCause::kClock, std::string(due.clause)};
      break;
    }
  if (d.change && *d.change > t && (!w || *d.change < w->at)) w = Wake{*d.change, StepCause::kCalendar, "calendar"};
  return w;
}

class Sweep {
 public:
  // The assessments of states of the merge tree `tree` are kept in their nodes (and reused: the office's view
  // assesses the truth's states at the same moments until its first late report; a DerivationCache keeps them for
  // the next derivation).
  Sweep(const Engine& eng, std::vector<Track>& tracks, std::int64_t until, long limit, MergeTree& tree)
      : eng_(eng), tracks_(tracks), until_(until), limit_(limit), tree_(tree) {}

  // Runs the sweep; returns the number of engine assessments made.
  int Run() {
    for (std::size_t i = 0; i < tracks_.size(); ++i) {
      for (const Incident* s : tracks_[i].states) events_.insert(s->reported_at.epoch_s);
      if (tracks_[i].ended_at) events_.insert(tracks_[i].ended_at->epoch_s);
    }
    offset_ = tracks_.empty() || tracks_[0].states.empty() ? 480 : tracks_[0].states[0]->reported_at.offset_min;
    for (Track& tr : tracks_) tr.out->steps.reserve(tr.states.size() + 8);  // a step per report, and a few more
    while (!events_.empty()) {
      const std::int64_t now = *events_.begin();
      events_.erase(events_.begin());
      if (now > until_) break;
      Step_(now);
      wake_.erase(now);
    }
    return evaluations_;
  }

 private:
  void Step_(std::int64_t now) {
    const Timestamp t{now, offset_};
    while (next_start_ < tracks_.size() && tracks_[next_start_].states.front()->reported_at.epoch_s <= now)
      active_.push_back(next_start_++);
    burning_.clear();
    for (std::size_t i : active_) {
      Track& tr = tracks_[i];
      tr.reported_now = false;
      while (tr.next < tr.states.size() && tr.states[tr.next]->reported_at.epoch_s <= now) {
        tr.reported_now = tr.reported_now || tr.states[tr.next]->reported_at.epoch_s == now;
        ++tr.next;
        tr.fire.reset();
      }
      if (tr.done || (tr.ended_at && tr.ended_at->epoch_s <= now)) continue;  // ended: no longer burning for 6.3.2.1(5)
      if (!tr.fire) tr.fire = FireOf(tr, tr.next - 1);
      burning_.push_back(*tr.fire);
    }
    // Plan 6.3.2.1(5), 3.3: the fires burning at this moment, as the engine's facts say.
    const Concurrency conc = Engine::ConcurrencyOf(burning_);
    for (std::size_t i : active_) Evaluate(i, t, conc);
    active_.erase(std::remove_if(active_.begin(), active_.end(), [&](std::size_t i) { return tracks_[i].done; }),
                  active_.end());
  }

  void Evaluate(std::size_t i, const Timestamp& t, const Concurrency& conc) {
    Track& tr = tracks_[i];
    if (tr.done) return;
    const std::int64_t now = t.epoch_s;
    const bool ending = tr.ended_at && tr.ended_at->epoch_s <= now;
    auto woke = wake_.find(now);
    const bool due_now = woke != wake_.end() && woke->second.count(i);
    const bool conc_changed =
        !tr.last_conc || tr.last_conc->fires != conc.fires || tr.last_conc->dangerous_fires != conc.dangerous_fires;
    if (!tr.reported_now && !due_now && !ending && !conc_changed) return;
    tr.last_conc = conc;
    if (++evaluations_ > limit_)
      throw Error(ErrorKind::kInternal, "timeline", "step limit reached (" + std::to_string(limit_) + " evaluations)",
                  "a clock-driven condition keeps falling due; please report this");
    const Incident& cur = *tr.states[tr.next - 1];
    const Assessed& a = Assess(cur, tr.nodes[tr.next - 1], t, conc);
    Step step = MakeStep(eng_.rules(), tr, cur, a, t, conc);
    if (tr.reported_now) step.warnings = cur.notices;
    if (ending) {  // the response was ended by its decider: nothing is required from here on
      step.required.reset();
      step.held = false;
      step.deciders.clear();
      step.decider_clause.clear();
      step.next_due.reset();
      step.next_level.reset();
      step.next_clause.clear();
    }
    if (!ending)
      if (auto w = NextWake(a, t); w && w->at.epoch_s <= until_) {
        events_.insert(w->at.epoch_s);
        wake_[w->at.epoch_s][i] = {w->cause, w->detail};
      }
    SetCause(step, tr, cur, ending, due_now ? &woke->second[i] : nullptr);
    auto& steps = tr.out->steps;
    if (steps.empty() || step.cause == StepCause::kReport || step.cause == StepCause::kEnd ||
        !SameState(steps.back(), step))
      steps.push_back(std::move(step));
    Finish(tr, now, ending, a);
  }

  // The engine's assessment of `cur` at `t` (Engine::AssessInto), or the same one made before on the same state
  // (its merge-tree node) at the same moment with the same concurrency: the engine is pure.
  const Assessed& Assess(const Incident& cur, MergeNode* node, const Timestamp& t, const Concurrency& conc) {
    if (!node) {
      eng_.AssessInto(cur, t, conc, d_, Engine::Detail::kSteps);
      Summarize(d_, a_);
      return a_;
    }
    const internal::AssessKey key{t.epoch_s, t.offset_min, conc.fires, conc.dangerous_fires};
    for (MergeNode::Memo& m : node->assessed)
      if (m.key == key) {
        m.used = tree_.generation();
        return m.a;
      }
    eng_.AssessInto(cur, t, conc, d_, Engine::Detail::kSteps);
    MergeNode::Memo& m = node->assessed.emplace_back();
    m.key = key;
    m.used = tree_.generation();
    Summarize(d_, m.a);
    return m.a;
  }

  FireState FireOf(const Track& tr, std::size_t k) {
    return tr.nodes[k] ? tree_.Fire(*tr.nodes[k]) : eng_.Fire(*tr.states[k]);
  }

  static void SetCause(Step& step, const Track& tr, const Incident& cur, bool ending,
                       const std::pair<StepCause, std::string>* woke) {
    if (ending) {
      step.cause = StepCause::kEnd;
      step.cause_detail = tr.ended_by;
    } else if (tr.reported_now) {
      step.cause = StepCause::kReport;
      step.cause_detail = cur.source;
    } else if (woke) {
      step.cause = woke->first;
      step.cause_detail = woke->second;
    } else {
      step.cause = StepCause::kConcurrency;
    }
  }

  // Finished: ended, or no more reports, not burning, nothing due: it can no longer change nor count as burning.
  void Finish(Track& tr, std::int64_t now, bool ending, const Assessed& a) {
    if (ending) {
      tr.done = true;
      return;
    }
    const Step& last = tr.out->steps.back();
    if (!tr.fire) tr.fire = FireOf(tr, tr.next - 1);
    if (tr.next == tr.states.size() && !tr.fire->burning && !a.change && (last.terminated || !last.required) &&
        !(tr.ended_at && tr.ended_at->epoch_s > now))
      tr.done = true;
  }

  const Engine& eng_;
  std::vector<Track>& tracks_;
  const std::int64_t until_;
  const long limit_;
  int offset_ = 480;
  int evaluations_ = 0;
  std::set<std::int64_t> events_;
  std::map<std::int64_t, std::map<std::size_t, std::pair<StepCause, std::string>>> wake_;
  std::vector<std::size_t> active_;
  std::vector<FireState> burning_;  // Engine::Fire of the states of the incidents not ended at this moment (Step_)
  std::size_t next_start_ = 0;
  MergeTree& tree_;
  Decision d_;
  Assessed a_;
};

}  // namespace

const char* StepCauseName(StepCause c) {
  switch (c) {
    case StepCause::kReport:
      return "report";
    case StepCause::kClock:
      return "clock";
    case StepCause::kConcurrency:
      return "concurrency";
    case StepCause::kEnd:
      return "end";
    case StepCause::kCalendar:
      return "calendar";
  }
  return "?";
}

const Step* IncidentTimeline::StepAt(const Timestamp& t) const {
  auto it = std::upper_bound(steps.begin(), steps.end(), t, [](const Timestamp& x, const Step& s) { return x < s.at; });
  return it == steps.begin() ? nullptr : &*(it - 1);
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

namespace {

// The earlier of two moments either of which may be unknown.
std::optional<Timestamp> Earlier(const std::optional<Timestamp>& a, const std::optional<Timestamp>& b) {
  if (!a) return b;
  if (!b) return a;
  return *b < *a ? b : a;
}

// The latest moment a report of `it` describing `t` or earlier became known (t if none came late).
std::int64_t KnownThrough(const IncidentTimeline& it, const Timestamp& t, std::int64_t out) {
  for (const auto& k : it.known_late)
    if (k.describes <= t) out = std::max(out, k.known.epoch_s);
  return out;
}

}  // namespace

std::optional<Timestamp> IncidentTimeline::KnownLevelAt(Level level, const Timestamp& due,
                                                        const std::optional<Timestamp>& history_known) const {
  const std::vector<Step>& view = known_steps.empty() ? steps : known_steps;
  const Step* before = nullptr;
  for (const Step& s : view) {
    if (s.at <= due) {
      before = &s;
      continue;
    }
    if (before && Rank(before->required) >= Rank(level)) return due;
    before = nullptr;
    if (Rank(s.required) >= Rank(level)) return Earlier(s.at, history_known);
  }
  if (before && Rank(before->required) >= Rank(level)) return due;
  return history_known;
}

std::optional<Timestamp> IncidentTimeline::KnownDutyAt(const std::string& clause, const Timestamp& due,
                                                       const std::optional<Timestamp>& history_known) const {
  const std::vector<Step>& view = known_steps.empty() ? steps : known_steps;
  for (const Step& s : view)
    for (const auto& r : s.reporting)
      if (r.clause == clause) return s.at <= due ? due : Earlier(s.at, history_known);
  return history_known;
}

const IncidentTimeline* Timeline::Find(const std::string& incident_id) const {
  for (const auto& i : incidents)
    if (i.incident_id == incident_id) return &i;
  return nullptr;
}

Timestamp Timeline::HistoryKnownAt(const IncidentTimeline& it, const Step& s) const {
  std::int64_t known = s.at.epoch_s;
  if (s.concurrency.fires > 1)
    for (const auto& other : incidents) known = KnownThrough(other, s.at, known);
  else
    known = KnownThrough(it, s.at, known);
  return Timestamp{known, s.at.offset_min};
}

namespace {

// Places declarations, upward reports and injects on their incidents; returns the last moment any names.
std::int64_t PlaceEvents(const TimelineInput& in, Timeline& tl, std::vector<Track>& tracks,
                         const std::map<std::string, std::size_t>& index) {
  std::int64_t last = std::numeric_limits<std::int64_t>::min();
  for (const auto& d : in.declarations) {
    auto f = index.find(d.incident_id);
    if (f == index.end()) continue;  // declarations about incidents without reports cannot be placed
    tl.incidents[f->second].declarations.push_back(d);
    last = std::max(last, d.at.epoch_s);
  }
  for (const auto& u : in.upward_reports) {
    auto f = index.find(u.incident_id);
    if (f == index.end()) continue;
    tl.incidents[f->second].upward_reports.push_back(u);
    last = std::max(last, u.at.epoch_s);
  }
  for (const auto& j : in.injects) {
    auto f = index.find(j.incident_id);
    if (f != index.end()) tl.incidents[f->second].injects.push_back(j);
  }
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    auto& it = tl.incidents[i];
    auto by_time = [](const auto& a, const auto& b) { return a.at < b.at; };
    std::stable_sort(it.declarations.begin(), it.declarations.end(), by_time);
    std::stable_sort(it.upward_reports.begin(), it.upward_reports.end(), by_time);
    for (const auto& d : it.declarations)
      if (d.kind == "end") {
        it.ended_at = tracks[i].ended_at = d.at;
        tracks[i].ended_by = d.by;
        break;
      }
  }
  return last;
}

long StepLimit(const std::vector<Track>& tracks, std::int64_t from, std::int64_t until);
Timeline Derive(const Engine& eng, const TimelineInput& in, DerivationCache& cache);

// The office's view of every incident, when one has a late report (the audit's known-to-the-office): the same
// sweep over the states as the office knew them.
void BuildKnownViews(const Engine& eng, const std::map<std::string, std::vector<ReportEntry>>& by_id,
                     const std::vector<std::string>& order, const std::vector<MergedHistory>& merged,
                     const std::vector<Track>& truth, Timeline& tl, std::int64_t until, long limit, MergeTree& tree) {
  if (std::none_of(merged.begin(), merged.end(), [](const MergedHistory& h) { return h.any_late; })) return;
  std::vector<IncidentTimeline> views(order.size());
  std::deque<Incident> owned;  // the view's own states (OfficeStates)
  std::vector<Track> tracks;
  for (std::size_t i = 0; i < order.size(); ++i) {
    Track tr;
    tr.out = &views[i];
    tr.states = OfficeStates(by_id.at(order[i]), merged[i], owned, &tr.nodes);
    tr.ended_at = truth[i].ended_at;
    tr.ended_by = truth[i].ended_by;
    tracks.push_back(std::move(tr));
  }
  std::stable_sort(tracks.begin(), tracks.end(), [](const Track& a, const Track& b) {
    return a.states.front()->reported_at < b.states.front()->reported_at;
  });
  tl.evaluations += Sweep(eng, tracks, until, limit, tree).Run();
  for (std::size_t i = 0; i < order.size(); ++i) tl.incidents[i].known_steps = std::move(views[i].steps);
}

long StepLimit(const std::vector<Track>& tracks, std::int64_t from, std::int64_t until) {
  long reports = 0;
  for (const auto& t : tracks) reports += static_cast<long>(t.states.size());
  const long years = static_cast<long>(std::max<std::int64_t>(0, until - from) / (365 * 86400)) + 1;
  return 200L * (reports + 1) + 16L * years * static_cast<long>(tracks.size()) + 1000;
}

}  // namespace

Timeline BuildTimeline(const Engine& eng, const TimelineInput& in) { return BuildTimeline(eng, in, nullptr); }

Timeline BuildTimeline(const Engine& eng, const TimelineInput& in, DerivationCache* cache) {
  MergeTree::RequireEngine(cache, eng);
  std::optional<DerivationCache> local;  // no cache, or states with an Enrich hook (never kept: history.h)
  if (!cache || in.enrich) {
    cache = &local.emplace(eng);
    cache->tree()->set_one_derivation();
  }
  MergeTree& tree = *cache->tree();
  tree.Begin();
  Timeline tl = Derive(eng, in, *cache);
  tree.Prune();
  return tl;
}

namespace {

Timeline Derive(const Engine& eng, const TimelineInput& in, DerivationCache& cache) {
  const RuleSet& rules = eng.rules();
  Timeline tl;
  tl.rules_id = rules.meta.id;
  tl.rules_sha256 = rules.source_sha256;
  auto by_id = ReportsByIncident(in.reports);
  if (by_id.empty()) return tl;
  std::vector<Track> tracks;
  std::vector<std::string> order;
  for (auto& [id, rs] : by_id) order.push_back(id);
  std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
    return by_id[a].front().reported_at < by_id[b].front().reported_at;
  });
  tl.incidents.resize(order.size());
  std::map<std::string, std::size_t> index;
  std::int64_t first = std::numeric_limits<std::int64_t>::max(), last = std::numeric_limits<std::int64_t>::min();
  std::vector<MergedHistory> merged;
  merged.reserve(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& rs = by_id[order[i]];
    merged.push_back(MergeForTimeline(eng, rs, in.enrich, &cache));
    Track tr;
    tr.out = &tl.incidents[i];
    tr.states = merged.back().states;
    tr.nodes = merged.back().nodes;
    IncidentTimeline& it = tl.incidents[i];
    it.incident_id = order[i];
    it.first_report = rs.front().reported_at;
    for (const Incident* s : tr.states)
      if (s->county) it.county = s->county;
    first = std::min(first, rs.front().reported_at.epoch_s);
    for (std::size_t k = 0; k < rs.size(); ++k)
      if (merged.back().known[k] > rs[k].reported_at)
        it.known_late.push_back({rs[k].reported_at, merged.back().known[k]});
    for (const Timestamp& k : merged.back().known) last = std::max(last, k.epoch_s);
    last = std::max(last, rs.back().reported_at.epoch_s);
    tracks.push_back(std::move(tr));
    index[order[i]] = i;
  }
  last = std::max(last, PlaceEvents(in, tl, tracks, index));
  const int offset = tracks[0].states[0]->reported_at.offset_min;
  const std::int64_t until = in.until ? in.until->epoch_s : last;
  tl.from = Timestamp{first, offset};
  tl.until = Timestamp{std::max(until, first), offset};
  const long limit = StepLimit(tracks, first, until);
  MergeTree& tree = *cache.tree();
  tl.evaluations = Sweep(eng, tracks, until, limit, tree).Run();
  BuildKnownViews(eng, by_id, order, merged, tracks, tl, until, limit, tree);
  return tl;
}

}  // namespace

// ---------------------------------------------------------------- rendering

namespace {

// The "event" column of a step: what happened (a report with its figures, the clock, concurrency, an end, the
// calendar).
std::string StepEvent(const Step& s, const RuleSet& rules, const std::string& lang) {
  const bool en = lang == "en";
  std::string ev;
  switch (s.cause) {
    case StepCause::kReport: {
      std::ostringstream r;
      r << (en ? "report" : "报告");
      if (s.burned_area_ha) r << (en ? ": " : "：") << *s.burned_area_ha << (en ? " ha" : "公顷");
      if (s.deaths.value_or(0) > 0) r << (en ? ", deaths " : "，死亡") << *s.deaths;
      if (s.serious_injuries.value_or(0) > 0) r << (en ? ", injured " : "，重伤") << *s.serious_injuries;
      if (s.extinguished)
        r << (en ? ", out" : "，明火已扑灭");
      else if (s.controlled)
        r << (en ? ", controlled" : "，已控制");
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
    case StepCause::kEnd:
      ev = (en ? "response ended by " : "终止响应：") + rules.NameOf(s.cause_detail, lang);
      break;
    case StepCause::kCalendar:
      ev = en ? "calendar: a sensitive-period window opens or closes" : "日历：敏感时段开始或结束";
      break;
  }
  return ev;
}

// The "basis" column of a step: clauses that fired, held level, termination, deciders, upward-report duties
// first due here (`seen_duties`: the clauses already shown), warnings and the next level due.
std::string StepBasis(const Step& s, const RuleSet& rules, const std::string& lang,
                      std::vector<std::string>& seen_duties) {
  const bool en = lang == "en";
  std::string basis;
  if (!s.triggers.empty()) basis = Join(s.triggers, ", ");
  if (s.held) basis += std::string(basis.empty() ? "" : "; ") + (en ? "held: " : "保持：") + kLevelHoldsInterpretation;
  if (s.terminated)
    basis += std::string(basis.empty() ? "" : "; ") + (en ? "termination conditions hold" : "终止条件已满足");
  if (s.required && !s.deciders.empty())
    basis += std::string(basis.empty() ? "" : "; ") + (en ? "decides: " : "决定：") + Names(s.deciders, rules, lang);
  {
    std::vector<std::string> cl;
    for (const auto& r : s.reporting)
      if (std::none_of(seen_duties.begin(), seen_duties.end(), [&](const std::string& c) { return c == r.clause; }))
        cl.push_back(r.clause);
    seen_duties.insert(seen_duties.end(), cl.begin(), cl.end());
    if (!cl.empty())
      basis += std::string(basis.empty() ? "" : "; ") + (en ? "report up now: " : "应即上报：") + Join(cl, ",");
  }
  for (const auto& w : s.warnings)
    basis += std::string(basis.empty() ? "" : "; ") + (en ? "warning: " : "提示：") + (en ? w.en : w.zh);
  if (s.next_due && Rank(s.next_level) > Rank(s.required))  // a clock step below a held level changes nothing
    basis += std::string(basis.empty() ? "" : "; ") + (en ? "next: " : "下一级：") + LevelText(s.next_level, lang) +
             (en ? " at " : " 于 ") + FormatShort(*s.next_due);
  return basis;
}

// One row of the text timeline.
struct Row {
  Timestamp at;
  int order;
  std::string event, assessed, required, declared, basis;
};

// Steps, declarations, upward reports and injects of one incident, in time order.
std::vector<Row> IncidentRows(const IncidentTimeline& inc, const RuleSet& rules, const std::string& lang) {
  const bool en = lang == "en";
  std::vector<Row> rows;
  std::vector<std::string> seen_duties;
  for (const auto& s : inc.steps)
    rows.push_back(Row{s.at, 0, StepEvent(s, rules, lang), LevelText(s.assessed, lang), LevelText(s.required, lang),
                       LevelText(inc.DeclaredAt(s.at), lang), StepBasis(s, rules, lang, seen_duties)});
  for (const auto& d : inc.declarations) {
    if (d.kind == "end") continue;  // shown by the "end" step
    std::string ev = d.kind == "end" ? (en ? "END declared by " : "宣布终止，") + rules.NameOf(d.by, lang)
                                     : (en ? "DECLARE " : "宣布启动 ") + LevelText(d.level, lang) +
                                           (en ? " by " : "，") + rules.NameOf(d.by, lang);
    rows.push_back(
        Row{d.at, 1, ev, "", LevelText(inc.RequiredAt(d.at), lang), LevelText(inc.DeclaredAt(d.at), lang), ""});
  }
  for (const auto& u : inc.upward_reports)
    rows.push_back(Row{u.at, 2,
                       (en ? "upward report " : "向上报告 ") + (u.clause.empty() ? "" : u.clause + " ") + "→ " +
                           Names(u.to, rules, lang),
                       "", "", "", ""});
  for (const auto& j : inc.injects)
    rows.push_back(Row{j.at, 3, (en ? "inject: " : "情景：") + (en ? j.text.en : j.text.zh), "", "", "", ""});
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.at != b.at ? a.at < b.at : a.order < b.order; });
  return rows;
}

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
    for (const auto& r : IncidentRows(inc, rules, lang))
      out << "  " << Pad(FormatShort(r.at), 13) << Pad(r.event, 34) << Pad(r.assessed, 9) << Pad(r.required, 9)
          << Pad(r.declared, 9) << r.basis << "\n";
    out << "\n";
  }
  if (const Interpretation* i = rules.FindInterpretation(kLevelHoldsInterpretation))
    out << (en ? "Interpretation " : "解释 ") << i->id << " (" << i->clause << "): " << (en ? i->text.en : i->text.zh)
        << "\n";
  else
    out << (en ? "Interpretation " : "解释 ") << kLevelHoldsInterpretation
        << (en ? ": a required level is held until the termination conditions" + Cite(TerminationClause(rules), lang) +
                     " hold.\n"
               : "：已达到的响应等级保持至满足终止条件" + Cite(TerminationClause(rules), lang) + "。\n");
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
      if (!s.warnings.empty()) {
        js["warnings"] = json::array();
        for (const auto& w : s.warnings)
          js["warnings"].push_back(
              {{"code", w.code}, {"interpretation", w.interpretation}, {"en", w.en}, {"zh", w.zh}});
      }
      js["reporting"] = json::array();
      for (const auto& r : s.reporting) js["reporting"].push_back({{"clause", r.clause}, {"recipients", r.recipients}});
      if (s.next_due)
        js["next"] = {{"level", lv(s.next_level)}, {"due", FormatIso8601(*s.next_due)}, {"clause", s.next_clause}};
      ji["steps"].push_back(js);
    }
    ji["declarations"] = json::array();
    for (const auto& d : inc.declarations)
      ji["declarations"].push_back(
          {{"at", FormatIso8601(d.at)}, {"kind", d.kind}, {"level", lv(d.level)}, {"by", d.by}});
    ji["upward_reports"] = json::array();
    for (const auto& u : inc.upward_reports)
      ji["upward_reports"].push_back({{"at", FormatIso8601(u.at)}, {"clause", u.clause}, {"to", u.to}});
    j["incidents"].push_back(ji);
  }
  (void)rules;
  return j.dump(indent);
}

}  // namespace firebreak::timeline
