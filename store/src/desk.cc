// The duty desk (desk.h).
#include "firebreak/store/desk.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>
#include <set>

#include "compact_decision.h"
#include "firebreak/common/error.h"
#include "firebreak/common/text.h"
#include "firebreak/format/document.h"
#include "firebreak/format/merge.h"
#include "firebreak/format/report_io.h"
#include "firebreak/store/offices.h"

namespace firebreak::store {

using timeline::ReportEntry;

namespace {

constexpr int kAttempts = 5;

// Thrown inside the write transaction when another process committed after the desk read the store.
struct Stale {};

Timestamp WallClock() { return Timestamp{static_cast<std::int64_t>(std::time(nullptr)), 8 * 60}; }

// Great-circle distance (km) on a sphere of the Earth's mean radius.
double DistanceKm(const engine::LonLat& a, const engine::LonLat& b) {
  constexpr double kR = 6371.0, kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (b.lat - a.lat) * kRad, dlon = (b.lon - a.lon) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kR * std::asin(std::min(1.0, std::sqrt(h)));
}

// What makes enrichment of a state differ: the incident, the moment and every reported fact it may read.
std::string EnrichKey(const engine::Incident& in) {
  std::string k = in.incident_id + '\n' + std::to_string(in.reported_at.epoch_s) + '\n';
  if (in.location) k += std::to_string(in.location->lon) + ',' + std::to_string(in.location->lat);
  k += '\n' + in.county.value_or("") + '\n';
  for (const auto& w :
       {in.weather.temperature_c, in.weather.humidity_pct, in.weather.wind_speed_ms, in.weather.wind_dir_deg})
    k += w ? std::to_string(*w) + ',' : std::string("-,");
  for (std::size_t i = 0; i < engine::kFactCount; ++i) {
    auto id = static_cast<engine::FactId>(i);
    if (in.extra.Has(id)) k += std::to_string(i) + '=' + std::to_string(in.extra.ValueOr(id, 0)) + ';';
  }
  return k;
}

}  // namespace

// One open incident as the desk knows it.
struct Cached {
  std::vector<ReportEntry> reports;  // sorted by moment
  std::string merged = "{}";         // JSON of the state after every report
  engine::Incident latest;           // that state, parsed (not enriched: only burning/dangerous are read)
  engine::FireState latest_fire;
  std::optional<timeline::HistoryMerger> merger;        // after every report, when built (appending in order)
  std::optional<std::vector<engine::Incident>> states;  // MergeHistory(reports), when needed
  std::vector<engine::FireState> fire;                  // per state
  std::optional<Timestamp> closed_at;                   // closed incidents (late concurrency only)
  std::optional<IncidentRecord> record;                 // as read from the store (offices), when read
};

struct Desk::Impl {
  const engine::Engine& eng;
  Store& store;
  Enrich enrich;
  std::map<std::string, std::pair<engine::FactSet, std::vector<std::pair<engine::FactId, std::string>>>> enriched;
  std::map<std::string, engine::Incident> enriched_county;  // county filled by the enricher
  std::map<std::string, Cached> open;                       // open incidents
  // Closed incidents whose end is late enough to matter (loaded on demand): when closed_since is set, every
  // incident closed at or after it, and no other (LoadClosedSince reads only what is missing).
  std::map<std::string, Cached> closed;
  std::optional<std::int64_t> closed_since;
  std::optional<std::int64_t> version;  // DataVersion when `open` was read
  std::int64_t latest_closure = std::numeric_limits<std::int64_t>::min();
  // Over `open`: fires burning and dangerous in their latest states, and the latest moment any reports.
  int open_burning = 0, open_dangerous = 0;
  std::int64_t open_last = std::numeric_limits<std::int64_t>::min();

  // Adds (sign +1) or removes (-1) an open incident's latest state from the counts above.
  void Count(const Cached& c, int sign) {
    if (c.reports.empty() || !c.latest_fire.burning) return;
    open_burning += sign;
    open_dangerous += c.latest_fire.dangerous ? sign : 0;
  }
  void PutBack(const std::string& id, Cached c) {
    Count(c, +1);
    if (!c.reports.empty()) open_last = std::max(open_last, c.reports.back().reported_at.epoch_s);
    open[id] = std::move(c);
  }

  Impl(const engine::Engine& e, Store& s, Enrich en) : eng(e), store(s), enrich(std::move(en)) {
    if (!store.office().empty()) offices = OfficesOf(eng.rules());
  }

  // A store with offices (offices.h): the rule file's offices and this connection's. Empty otherwise.
  std::vector<Office> offices;
  const Office* Mine() const { return FindOffice(offices, store.office()); }

  // The offices a new incident belongs to: its county's office (which this office must be, or be above: 3.3),
  // else the recording office. Empty in a store without offices. Throws Error(kInput) before anything is written.
  std::vector<std::string> LinksFor(const std::string& incident_id, const std::optional<std::string>& county) const {
    if (store.office().empty()) return {};
    const Office* o = county ? OfficeOfCounty(eng.rules(), offices, *county) : nullptr;
    if (!o) return {store.office()};
    if (!MayWrite(offices, store.office(), {o->id}))
      throw Error(ErrorKind::kInput, incident_id,
                  "office " + store.office() + " may not record a fire in " + *county + " (office " + o->id + ")",
                  "the county's own office records it, or the city office above it (plan 3.3)");
    return {o->id};
  }

  // A report naming the county the fire burns into (`crosses_into`, 3.3): the incident is linked to that county's
  // office too (no-op when linked), so that office sees it. The database allows the link to an office that
  // writes the incident (docs/postgresql.md). Nothing in a store without offices.
  void LinkCrossing(const std::string& incident_id, const std::string& report_json) const {
    if (offices.empty()) return;
    const std::optional<std::string> into = format::CrossesInto(report_json, eng.rules());
    if (const Office* o = into ? OfficeOfCounty(eng.rules(), offices, *into) : nullptr)
      store.LinkIncident(incident_id, o->id);
  }

  // Interpretation shared-store-reports-upward (5.2 逐级报告): a county office's first record of a fire is its
  // report to the level above (the rule file's offices: reports.to, reports.clause), made when it is recorded.
  void ReportUpward(const std::string& incident_id, const Timestamp& recorded_at) const {
    const Office* me = Mine();
    if (!me || me->reports_to.empty()) return;
    UpwardReportRecord u;
    u.incident_id = incident_id;
    u.clause = me->reports_clause;
    u.to = me->reports_to;
    u.at = recorded_at;
    u.by = me->duty_role;
    store.AddUpwardReport(u);
  }

  // Before recording on an existing incident as an office: it may write it (its own, or the level above), the
  // role is one of the office's, and a level is one its roles decide (6.3.x.1). The database checks the same.
  void CheckOffice(const IncidentRecord& inc, const std::string& by, std::optional<engine::Level> level) const {
    const Office* me = Mine();
    if (!me) return;
    if (!MayWrite(offices, me->id, inc.offices))
      throw Error(ErrorKind::kInput, inc.incident_id,
                  "office " + me->id + " may not write incident '" + inc.incident_id + "' (it belongs to " +
                      (inc.offices.empty() ? std::string("no office") : inc.offices.front()) + ")",
                  "the incident's own office records it, or the city office above it (plan 3.3)");
    if (!by.empty() && !HoldsRole(*me, by))
      throw Error(ErrorKind::kInput, "--by",
                  "role '" + by + "' is not a role of office " + me->id + " (" + me->name.zh + ")",
                  "the rule file's offices section lists each office's roles");
    if (level && !MayDeclare(eng.rules(), *me, *level))
      throw Error(ErrorKind::kInput, "level",
                  "office " + me->id + " does not decide level " + engine::LevelName(*level) +
                      " (no role of it is a decider of that level or a higher one, 6.3.x.1)",
                  "the city office declares the response levels; report the fire upward (5.2)");
  }

  // The enrich hook through a cache: a state is enriched once (before any write transaction, see desk.h).
  void Enriched(engine::Incident& in) {
    if (!enrich) return;
    const std::string key = EnrichKey(in);
    auto it = enriched.find(key);
    if (it == enriched.end()) {
      engine::Incident copy = in;
      enrich(copy);
      it = enriched.emplace(key, std::make_pair(copy.derived, copy.derived_from)).first;
      if (!in.county && copy.county) enriched_county.emplace(key, copy);
    }
    in.derived = it->second.first;
    in.derived_from = it->second.second;
    if (auto c = enriched_county.find(key); c != enriched_county.end() && !in.county) in.county = c->second.county;
  }
  Enrich Hook() {
    return [this](engine::Incident& in) { Enriched(in); };
  }

  // A stored report as the timeline reads it (ordered by moment, then row id).
  static ReportEntry EntryOf(const IncidentHistory& h, const ReportRecord& r) {
    return ReportEntry{h.incident.incident_id,
                       r.reported_at,
                       r.recorded_at.value_or(r.reported_at),
                       r.id,
                       r.body,
                       r.source.empty() ? "store: report " + std::to_string(r.id) : r.source};
  }

  Cached Load(const IncidentHistory& h) const {
    Cached c;
    for (const auto& r : h.reports) c.reports.push_back(EntryOf(h, r));
    timeline::SortByMoment(c.reports);
    c.merged = "{}";
    for (const auto& r : c.reports) c.merged = format::MergeReportJson(c.merged, r.json, r.source);
    c.closed_at = h.incident.closed_at;
    c.record = h.incident;
    Parse(c, h.incident.incident_id);
    return c;
  }

  void Parse(Cached& c, const std::string& id) const {
    if (c.reports.empty()) return;
    try {
      c.latest = format::ParseReports(c.merged, "store: incident " + id, eng.rules()).at(0);
      c.latest.reported_at = c.reports.back().reported_at;
      c.latest_fire = eng.Fire(c.latest);
    } catch (const Error& e) {
      throw Error(ErrorKind::kStore, "store: incident " + id,
                  "a stored report no longer parses with these rules: " + e.ToString(),
                  "use the rule file the store was recorded with (see `firebreak store verify`)");
    }
  }

  // PostgreSQL: what other connections committed since this cursor is read incrementally (Store::ChangedSince),
  // not the whole store again (other offices commit all the time).
  std::optional<std::string> cursor;

  // Re-reads incidents another connection changed (their reports: Store::ReportHistories). An open incident whose
  // new reports all come at or after its last known one is extended (its merge continued: HistoryMerger), not
  // merged again from its first report; anything else (a late report, a report gone) is loaded afresh.
  void Reload(const std::vector<std::string>& ids) {
    std::map<std::string, Cached> known;
    for (const auto& id : ids) {
      if (auto it = open.find(id); it != open.end()) {
        Count(it->second, -1);
        known.emplace(id, std::move(it->second));
        open.erase(it);
      }
      closed.erase(id);
    }
    for (const IncidentHistory& h : store.ReportHistories(ids)) {
      if (h.incident.closed_at) {
        latest_closure = std::max(latest_closure, h.incident.closed_at->epoch_s);
        if (closed_since && h.incident.closed_at->epoch_s >= *closed_since && !h.reports.empty())
          closed.emplace(h.incident.incident_id, Load(h));  // keeps `closed` complete from closed_since on
        continue;
      }
      if (h.reports.empty()) continue;
      auto k = known.find(h.incident.incident_id);
      if (k != known.end() && Extend(k->second, h))
        PutBack(h.incident.incident_id, std::move(k->second));
      else
        PutBack(h.incident.incident_id, Load(h));
    }
  }

  // Appends the reports of `h` that `c` lacks when `c` holds the others and they all come at or after its last
  // (Reload); false when `c` must be loaded afresh.
  bool Extend(Cached& c, const IncidentHistory& h) {
    if (c.reports.empty() || h.reports.size() < c.reports.size()) return false;
    std::set<std::int64_t> have;
    for (const ReportEntry& e : c.reports) have.insert(e.order);
    std::vector<ReportEntry> fresh;
    for (const ReportRecord& r : h.reports)
      if (!have.count(r.id)) fresh.push_back(EntryOf(h, r));
    if (have.size() + fresh.size() != h.reports.size()) return false;
    timeline::SortByMoment(fresh);
    if (!fresh.empty() &&
        (fresh.front().reported_at < c.reports.back().reported_at ||
         (fresh.front().reported_at == c.reports.back().reported_at && fresh.front().order < c.reports.back().order)))
      return false;  // not after the last: SortByMoment's order (moment, then id) is not an append
    if (!fresh.empty() && !c.merger) {
      c.merger.emplace(eng);
      for (const ReportEntry& r : c.reports) c.merger->Add(r);
    }
    try {
      for (const ReportEntry& e : fresh) {
        engine::Incident st = c.merger->Add(e);
        c.reports.push_back(e);
        if (c.states) {
          c.states->push_back(st);
          c.fire.push_back(eng.Fire(st));
        }
        c.latest = std::move(st);
      }
    } catch (const Error&) {
      return false;  // Load says what does not parse
    }
    if (!fresh.empty()) {
      c.merged = c.merger->merged();
      c.latest_fire = eng.Fire(c.latest);
    }
    c.record = h.incident;
    return true;
  }

  // Reads the open incidents (again if another connection committed since). Outside or inside a transaction.
  void Refresh() {
    if (store.kind() == BackendKind::kPostgres) {
      if (cursor) {
        Changes c = store.ChangedSince(cursor);
        cursor = c.cursor;
        if (!c.incident_ids.empty()) Reload(c.incident_ids);
        return;
      }
      cursor = store.ChangedSince(std::nullopt).cursor;  // before reading: nothing committed after it is missed
      version.reset();
    }
    const std::int64_t v = store.DataVersion();
    if (version && *version == v) return;
    open.clear();
    closed.clear();
    closed_since.reset();
    latest_closure = std::numeric_limits<std::int64_t>::min();
    for (const auto& inc : store.Incidents(false)) {
      if (inc.closed_at) {
        latest_closure = std::max(latest_closure, inc.closed_at->epoch_s);
        continue;
      }
      IncidentHistory h = store.History(inc.incident_id);
      if (!h.reports.empty()) open.emplace(inc.incident_id, Load(h));
    }
    open_burning = open_dangerous = 0;
    open_last = std::numeric_limits<std::int64_t>::min();
    for (const auto& [id, c] : open) {
      Count(c, +1);
      open_last = std::max(open_last, c.reports.back().reported_at.epoch_s);
    }
    version = v;
  }

  std::vector<engine::Incident>& States(Cached& c) {
    if (!c.states) {
      c.states = timeline::MergeHistory(eng, c.reports);
      c.fire.clear();
      for (const auto& s : *c.states) c.fire.push_back(eng.Fire(s));
    }
    return *c.states;
  }

  // Whether incident `c` burns (and is dangerous) at `t`; nullopt before its first report.
  std::optional<engine::FireState> FireAt(Cached& c, const Timestamp& t) {
    if (c.reports.empty() || c.reports.front().reported_at > t) return std::nullopt;
    if (t >= c.reports.back().reported_at) return c.latest_fire;
    const auto& states = States(c);
    std::size_t k = 0;
    while (k + 1 < states.size() && c.reports[k + 1].reported_at <= t) ++k;
    return c.fire[k];
  }

  // The fires burning at `t` (the timeline's rule: reported by `t`, not ended before `t`, burning by the
  // engine's facts), with `work` (incidents being recorded) in place of their stored state.
  engine::Concurrency ConcurrencyAt(const Timestamp& t, std::map<std::string, Cached>& work) {
    engine::Concurrency c{0, 0};
    auto count = [&](Cached& x) {
      if (x.closed_at && *x.closed_at <= t) return;  // a response ended at t no longer counts at t
      if (auto f = FireAt(x, t); f && f->burning) {
        ++c.fires;
        c.dangerous_fires += f->dangerous ? 1 : 0;
      }
    };
    for (auto& [id, x] : work) count(x);
    if (t.epoch_s >= open_last && t.epoch_s > latest_closure) {  // every other open fire: its latest state
      c.fires += open_burning;
      c.dangerous_fires += open_dangerous;
      return engine::Concurrency{std::max(c.fires, 1), c.dangerous_fires};
    }
    for (auto& [id, x] : open)
      if (!work.count(id)) count(x);
    if (t.epoch_s <= latest_closure) {
      LoadClosedSince(t);
      for (auto& [id, x] : closed)
        if (!work.count(id)) count(x);
    }
    c.fires = std::max(c.fires, 1);
    return c;
  }

  // Makes `closed` hold every incident closed at or after `t`: reads only those closed in [t, closed_since)
  // (Store::ClosedHistories), nothing when closed_since <= t. Closures committed later come in through Reload and
  // Desk::Close. Incidents closed before a later `t` are dropped (they count at no moment from t on).
  void LoadClosedSince(const Timestamp& t) {
    if (closed_since && *closed_since <= t.epoch_s) {
      for (auto it = closed.begin(); it != closed.end();)
        it = it->second.closed_at && it->second.closed_at->epoch_s < t.epoch_s ? closed.erase(it) : std::next(it);
      closed_since = t.epoch_s;
      return;
    }
    std::optional<Timestamp> before;
    if (closed_since) before = Timestamp{*closed_since, t.offset_min};
    for (const IncidentHistory& h : store.ClosedHistories(t, before))
      if (!h.reports.empty() && !closed.count(h.incident.incident_id)) closed.emplace(h.incident.incident_id, Load(h));
    closed_since = t.epoch_s;
  }
};

Desk::Desk(Store& store, const engine::Engine& engine, Enrich enrich, Clock clock)
    : store_(store),
      engine_(engine),
      clock_(clock ? std::move(clock) : Clock(WallClock)),
      impl_(std::make_unique<Impl>(engine, store, std::move(enrich))) {}

Desk::~Desk() = default;

engine::Concurrency Desk::CurrentConcurrency() {
  impl_->Refresh();
  std::vector<const engine::Incident*> all;
  for (const auto& [id, c] : impl_->open) all.push_back(&c.latest);
  return engine_.ConcurrencyOf(all);
}

void Desk::CheckRole(const std::string& role) const {
  const engine::RuleSet& rules = engine_.rules();
  if (rules.FindRole(role) || rules.FindUnit(role)) return;
  std::vector<std::string> ids;
  for (const auto& r : rules.roles) ids.push_back(r.id);
  std::string near = ClosestMatch(role, ids);
  throw Error(ErrorKind::kInput, "--by",
              "unknown role '" + role + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
              "role ids are listed by `firebreak rules show`");
}

void Desk::CheckTime(const Timestamp& t, const std::string& where) const {
  const Timestamp now = clock_();
  if (t.epoch_s > now.epoch_s + kFutureToleranceS)
    throw Error(ErrorKind::kInput, where,
                FormatIso8601(t) + " is more than 24 h after the desk's clock (" + FormatIso8601(now) + ")",
                "check the date and the UTC offset");
  if (t.epoch_s < now.epoch_s - kPastToleranceS)
    throw Error(ErrorKind::kInput, where,
                FormatIso8601(t) + " is more than ten years before the desk's clock (" + FormatIso8601(now) + ")",
                "check the date (a missing time reads as 1970)");
}

Timestamp Desk::FirstReportAt(const std::string& incident_id) const {
  IncidentHistory h = store_.History(incident_id);  // kNotFound if unknown
  if (h.reports.empty()) return h.incident.opened_at;
  return h.reports.front().reported_at;  // sorted by reported_at: a late report can come first
}

// ---------------------------------------------------------------------------------------------------------
// Recording reports

namespace {

struct Pending {
  ReportEntry entry;
  engine::Incident own;  // the report alone (every field checked, at its line:col)
  std::string where;
};

}  // namespace

// What a batch of reports will write: the affected incidents with the new reports in place, their decisions.
struct Batch {
  std::map<std::string, Cached> work;
  std::set<std::string> created;   // incidents this batch opens
  std::vector<Recorded> recorded;  // parallel to the pending reports
  // Whether the batch changes the count of burning fires (6.3.2.1(5), 3.3): it opens an incident, a report
  // arrives late, or a new state's burning/dangerous differs from the incident's latest before the batch.
  bool changes_count = false;
};

namespace {

void CheckIdentity(const engine::RuleSet& rules, const Cached& c, const Pending& p) {
  if (p.own.correction.value_or(false)) return;
  const engine::Incident& was = c.latest;
  if (p.own.county && was.county && rules.FindCounty(*p.own.county) != rules.FindCounty(*was.county))
    throw Error(
        ErrorKind::kInput, p.where + ": /county",
        "incident '" + p.entry.incident_id + "' was reported in " + *was.county + ", this report says " + *p.own.county,
        "a different fire needs a new incident id; to correct the county, add \"correction\": true");
  if (p.own.location && was.location) {
    const double km = DistanceKm(*p.own.location, *was.location);
    if (km > kLocationToleranceKm)
      throw Error(ErrorKind::kInput, p.where + ": /location",
                  "incident '" + p.entry.incident_id + "' moves " + std::to_string(static_cast<int>(km)) +
                      " km from where it was reported (more than " +
                      std::to_string(static_cast<int>(kLocationToleranceKm)) + " km)",
                  "a different fire needs a new incident id; to correct the location, add \"correction\": true");
  }
}

}  // namespace

// Adds `mine` (this batch's reports of one incident) to `c` and returns the state at each of them (by order):
// in time order, by continuing the incident's merge; a late report re-derives the whole history.
static std::map<std::int64_t, engine::Incident> AddReports(Desk::Impl& impl, Cached& c, std::vector<ReportEntry> mine) {
  timeline::SortByMoment(mine);
  std::map<std::int64_t, engine::Incident> at;
  const bool in_order = c.reports.empty() || mine.front().reported_at >= c.reports.back().reported_at;
  if (in_order) {
    if (!c.merger) {  // built once per desk and incident, then appended to
      c.merger.emplace(impl.eng);
      for (const ReportEntry& r : c.reports) c.merger->Add(r);
    }
    for (const ReportEntry& e : mine) {
      engine::Incident s = c.merger->Add(e);
      c.reports.push_back(e);
      c.merged = c.merger->merged();
      if (c.states) {
        c.states->push_back(s);
        c.fire.push_back(impl.eng.Fire(s));
      }
      c.latest = s;
      at.emplace(e.order, std::move(s));
    }
  } else {
    c.reports.insert(c.reports.end(), mine.begin(), mine.end());
    timeline::SortByMoment(c.reports);
    c.merger.emplace(impl.eng);
    c.states.emplace();
    for (const ReportEntry& r : c.reports) c.states->push_back(c.merger->Add(r));
    c.merged = c.merger->merged();
    c.fire.clear();
    for (const auto& st : *c.states) c.fire.push_back(impl.eng.Fire(st));
    c.latest = c.states->back();
    for (std::size_t k = 0; k < c.reports.size(); ++k)
      if (std::any_of(mine.begin(), mine.end(), [&](const ReportEntry& e) { return e.order == c.reports[k].order; }))
        at.emplace(c.reports[k].order, (*c.states)[k]);
  }
  c.latest_fire = impl.eng.Fire(c.latest);
  return at;
}

static Batch Prepare(Desk::Impl& impl, std::vector<Pending>& pending) {
  impl.Refresh();
  const engine::RuleSet& rules = impl.eng.rules();
  Batch b;
  std::map<std::string, engine::FireState> before;  // each existing incident's latest fire state
  std::int64_t order = std::numeric_limits<std::int64_t>::max() / 2;
  std::map<std::string, std::vector<ReportEntry>> mine;
  for (Pending& p : pending) {
    const std::string& id = p.entry.incident_id;
    if (!b.work.count(id)) {
      if (auto it = impl.open.find(id); it != impl.open.end()) {
        before.emplace(id, it->second.latest_fire);
        impl.Count(it->second, -1);
        b.work.emplace(id, std::move(it->second));  // moved: the cache is re-read if the batch fails
        impl.open.erase(it);
      } else if (impl.store.FindIncident(id)) {
        throw Error(ErrorKind::kInput, p.where, "incident '" + id + "' is closed",
                    "a new fire needs a new incident id");
      } else {
        b.work.emplace(id, Cached{});
        b.created.insert(id);
      }
    }
    Cached& c = b.work[id];
    CheckIdentity(rules, c, p);
    if (p.own.county) c.latest.county = p.own.county;
    if (p.own.location) c.latest.location = p.own.location;
    if (c.reports.empty() && mine[id].empty()) c.latest.reported_at = p.entry.reported_at;
    p.entry.order = order++;
    mine[id].push_back(p.entry);
  }
  std::map<std::int64_t, engine::Incident> states;
  for (auto& [id, entries] : mine) {
    try {
      states.merge(AddReports(impl, b.work[id], entries));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kInput) throw;
      throw Error(ErrorKind::kInput, e.where(), "the incident's merged state: " + e.message(), e.hint());
    }
  }
  for (const Pending& p : pending) {
    Cached& c = b.work[p.entry.incident_id];
    Recorded r;
    r.incident = states.at(p.entry.order);
    if (!b.changes_count) {  // opened here, or a state whose fire differs from the latest before the batch
      auto was = before.find(p.entry.incident_id);
      const engine::FireState now = impl.eng.Fire(r.incident);
      b.changes_count =
          was == before.end() || now.burning != was->second.burning || now.dangerous != was->second.dangerous;
    }
    impl.Enriched(r.incident);  // maps: before any write transaction (desk.h)
    const engine::Concurrency conc = impl.ConcurrencyAt(p.entry.reported_at, b.work);
    impl.eng.AssessInto(r.incident, p.entry.reported_at, conc, r.decision);
    r.late = std::any_of(c.reports.begin(), c.reports.end(), [&](const ReportEntry& x) {
      return x.order < p.entry.order && x.reported_at > p.entry.reported_at;
    });
    b.changes_count = b.changes_count || r.late;
    b.recorded.push_back(std::move(r));
  }
  return b;
}

static void Write(Desk::Impl& impl, Batch& b, const std::vector<Pending>& pending) {
  const engine::RuleSet& rules = impl.eng.rules();
  std::set<std::string> reported_up;  // new incidents whose upward report (5.2) this batch made
  for (std::size_t i = 0; i < pending.size(); ++i) {
    const ReportEntry& e = pending[i].entry;
    Recorded& r = b.recorded[i];
    if (b.created.count(e.incident_id))
      impl.store.EnsureIncident(e.incident_id, e.reported_at, r.incident.county,
                                impl.LinksFor(e.incident_id, r.incident.county));
    else if (const Cached& c = b.work[e.incident_id]; !impl.offices.empty() && c.record)
      impl.CheckOffice(*c.record, "", std::nullopt);  // read under the incident's lock (links change it too)
    else if (!impl.offices.empty())
      if (auto inc = impl.store.FindIncident(e.incident_id)) impl.CheckOffice(*inc, "", std::nullopt);
    impl.LinkCrossing(e.incident_id, e.json);
    r.report_id = impl.store.AddReport(e.incident_id, e.reported_at, e.json, e.source, e.recorded_at);
    impl.store.AddDecision(r.report_id, e.reported_at, r.decision.response_level, rules.meta.id, rules.source_sha256,
                           CompactDecisionJson(r.decision));
    if (b.created.count(e.incident_id) && reported_up.insert(e.incident_id).second)
      impl.ReportUpward(e.incident_id, e.recorded_at);
    for (auto& x : b.work[e.incident_id].reports)
      if (x.order == e.order) x.order = r.report_id;
  }
}

// Thrown inside a recording transaction that holds the count of burning fires shared when the batch turns out to
// change it: the transaction is rolled back and runs again holding it exclusive.
struct ChangesCount {};

// The shared store (PostgreSQL): other offices commit all the time, so the desk does not read first and check
// after (it would rarely find the store unchanged). It takes its turn on the count of burning fires first
// (Store::LockForRecording), then reads what the others committed meanwhile and decides, inside the transaction:
// nothing committed elsewhere can slip between the read and the write. Reports that leave every fire's burning and
// dangerous state as it was hold the count shared (they run side by side: none of them changes what the others
// count); a batch that opens an incident, arrives late or changes a fire's state holds it exclusive (recordings
// of all offices wait for it, and it waits for them). Which one a batch is, is known only after reading under the
// lock: a batch first tried shared that changes the count is rolled back and runs again exclusive. An incident
// this desk knows not to be open is taken to be opened (exclusive at once; a desk that has not read the store yet
// tries shared). Maps are read inside the
// transaction (with the lock held). A transaction the server rolled back (lost connection) runs again from a
// fresh read.
static Batch RecordShared(Desk::Impl& impl, std::vector<Pending>& pending) {
  std::vector<std::string> ids;
  bool opens = false;
  for (const Pending& p : pending) {
    ids.push_back(p.entry.incident_id);
    opens = opens || (impl.version && !impl.open.count(p.entry.incident_id));
  }
  CountLock count = opens ? CountLock::kExclusive : CountLock::kShared;
  for (;;) {
    bool first = true;
    try {
      return impl.store.Transaction([&] {
        if (!first) {  // a retry: the failed attempt moved incidents out of the cache
          impl.version.reset();
          impl.cursor.reset();
        }
        first = false;
        impl.store.LockForRecording(ids, count);
        Batch b = Prepare(impl, pending);
        if (count == CountLock::kShared && b.changes_count) throw ChangesCount{};
        Write(impl, b, pending);
        return b;
      });
    } catch (const ChangesCount&) {  // rolled back: the batch's incidents as stored, again
      impl.Reload(ids);
      count = CountLock::kExclusive;
    }
  }
}

static std::vector<Recorded> RecordAll(Desk::Impl& impl, std::vector<Pending>& pending) {
  auto keep = [&](Batch& b) {
    for (auto& [id, c] : b.work) impl.PutBack(id, std::move(c));
    return std::move(b.recorded);
  };
  try {
    if (impl.store.InTransaction()) {  // the caller's transaction: read, enrich and write in it
      Batch b = Prepare(impl, pending);
      Write(impl, b, pending);
      return keep(b);
    }
    if (impl.store.kind() == BackendKind::kPostgres) {
      Batch b = RecordShared(impl, pending);
      return keep(b);
    }
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      Batch b = Prepare(impl, pending);  // reads and maps, no lock held
      try {
        impl.store.Transaction([&] {
          if (impl.store.DataVersion() != *impl.version) throw Stale{};  // another process wrote meanwhile
          Write(impl, b, pending);
        });
        return keep(b);
      } catch (const Stale&) {
        impl.version.reset();
      }
    }
  } catch (...) {
    impl.version.reset();  // the batch moved incidents out of the cache: read the store again next time
    impl.cursor.reset();
    throw;
  }
  throw Error(
      ErrorKind::kStore, impl.store.path(),
      "other processes kept writing while the reports were being recorded (" + std::to_string(kAttempts) + " attempts)",
      "retry");
}

std::vector<Recorded> Desk::Report(const std::vector<ReportInput>& inputs) {
  const Timestamp now = clock_();
  std::vector<Pending> pending;
  for (const ReportInput& in : inputs)
    for (format::ReportObject& o : format::ReadReportObjects(in.text, in.source)) {
      Pending p;
      p.own = format::ParseReportNode(o.node, o.source, engine_.rules(), true).at(0);
      p.where = o.where;
      CheckTime(p.own.reported_at, o.where + ": /reported_at");
      if (p.own.open_fire_since) CheckTime(*p.own.open_fire_since, o.where + ": /open_fire_since");
      p.entry = ReportEntry{p.own.incident_id,      p.own.reported_at, std::max(now, p.own.reported_at), 0,
                            format::ToJson(o.node), o.source};
      pending.push_back(std::move(p));
    }
  return RecordAll(*impl_, pending);
}

std::vector<Recorded> Desk::Report(const std::string& text, const std::string& source) {
  return Report(std::vector<ReportInput>{ReportInput{text, source}});
}

Recorded Desk::ReportOne(const std::string& obj, const std::string& source, std::optional<Timestamp> recorded_at) {
  format::ReportUpdate u = format::ParseReportUpdate(obj, source, engine_.rules());
  Pending p;
  p.own = std::move(u.own);
  p.where = source;
  CheckTime(p.own.reported_at, source + ": /reported_at");
  const Timestamp at = recorded_at.value_or(std::max(clock_(), p.own.reported_at));
  p.entry = ReportEntry{p.own.incident_id, p.own.reported_at, at, 0, std::move(u.json), source};
  std::vector<Pending> one{std::move(p)};
  return std::move(RecordAll(*impl_, one).at(0));
}

void Desk::Preenrich(const std::vector<ReportEntry>& in_recording_order) {
  if (!impl_->enrich) return;
  std::map<std::string, std::vector<ReportEntry>> so_far;
  for (const ReportEntry& e : in_recording_order) {
    auto& v = so_far[e.incident_id];
    v.push_back(e);
    v.back().order = static_cast<std::int64_t>(v.size());
    std::vector<ReportEntry> sorted = v;
    timeline::SortByMoment(sorted);
    timeline::MergeHistory(engine_, sorted, impl_->Hook());
  }
}

// ---------------------------------------------------------------------------------------------------------
// Declarations, closures, upward reports

void Desk::Declare(const std::string& incident_id, engine::Level level, const std::string& by, const Timestamp& at,
                   const std::string& kind) {
  CheckRole(by);
  if (kind != "" && kind != "declare" && kind != "raise")
    throw Error(ErrorKind::kInput, "declaration", "kind must be declare or raise, got '" + kind + "'");
  CheckTime(at, "--at");
  store_.Transaction([&] {
    auto inc = store_.FindIncident(incident_id);
    if (!inc)
      throw Error(ErrorKind::kNotFound, incident_id, "no incident '" + incident_id + "' in the store",
                  "`firebreak status` lists open incidents");
    if (inc->closed_at) throw Error(ErrorKind::kInput, incident_id, "incident '" + incident_id + "' is closed");
    impl_->CheckOffice(*inc, by, level);
    IncidentHistory h = store_.History(incident_id);
    if (!h.reports.empty() && at < h.reports.front().reported_at)
      throw Error(ErrorKind::kInput, "--at",
                  "the declaration (" + FormatIso8601(at) + ") is before the incident's first report (" +
                      FormatIso8601(h.reports.front().reported_at) + ")",
                  "a level can only be declared for a fire already reported");
    std::string k = kind;
    if (k.empty()) {
      // The level in force after the last declaration, as a rank (0: none or ended; levels are 1..4). Not an
      // optional<Level>: g++ 12 -O2 flags its copies as maybe-uninitialized (the werror preset).
      int last = 0;
      for (const auto& d : h.declarations) last = d.kind == "end" || !d.level ? 0 : static_cast<int>(*d.level);
      k = last > 0 && static_cast<int>(level) > last ? "raise" : "declare";
    }
    store_.AddDeclaration(DeclarationRecord{0, incident_id, k, level, by, at});
  });
}

void Desk::Close(const std::string& incident_id, const std::string& by, const Timestamp& at) {
  CheckRole(by);
  CheckTime(at, "--at");
  store_.Transaction([&] {
    store_.LockForRecording({incident_id}, CountLock::kExclusive);  // a closure changes the count of fires
    if (auto inc = store_.FindIncident(incident_id)) impl_->CheckOffice(*inc, by, std::nullopt);
    const Timestamp first = FirstReportAt(incident_id);
    if (at < first)
      throw Error(ErrorKind::kInput, "--at",
                  "the closing time (" + FormatIso8601(at) + ") is before the incident's first report (" +
                      FormatIso8601(first) + ")",
                  "a response ends after the fire was reported; check the date");
    store_.AddDeclaration(DeclarationRecord{0, incident_id, "end", std::nullopt, by, at});
    store_.CloseIncident(incident_id, at, by);
  });
  Desk::Impl& d = *impl_;
  if (auto it = d.open.find(incident_id); it != d.open.end()) {
    d.Count(it->second, -1);
    if (d.closed_since && at.epoch_s >= *d.closed_since) {  // `closed` stays complete from closed_since on
      it->second.closed_at = at;
      d.closed[incident_id] = std::move(it->second);
    }
    d.open.erase(it);
  } else if (d.closed_since && at.epoch_s >= *d.closed_since) {
    d.closed.clear();  // not known here: read again when needed
    d.closed_since.reset();
  }
  d.latest_closure = std::max(d.latest_closure, at.epoch_s);
}

void Desk::UpwardReport(const std::string& incident_id, const std::string& clause, const std::vector<std::string>& to,
                        const Timestamp& at) {
  // The clause must be one of the rule file's 5.2 reporting conditions, and every recipient one it names.
  const engine::RuleSet& rules = engine_.rules();
  const engine::ReportingRule* rule = nullptr;
  std::vector<std::string> clauses, recipients;
  for (const auto& r : rules.reporting) {
    clauses.push_back(r.clause);
    if (r.clause == clause) rule = &r;
    for (const auto& id : r.recipients)
      if (std::find(recipients.begin(), recipients.end(), id) == recipients.end()) recipients.push_back(id);
  }
  if (!rule) {
    std::string hint = ClosestMatch(clause, clauses);
    throw Error(ErrorKind::kInput, "CLAUSE", "'" + clause + "' is not a reporting condition of the rule file",
                hint.empty() ? "see `firebreak rules show --format json` (reporting)" : "did you mean '" + hint + "'?");
  }
  if (to.empty())
    throw Error(ErrorKind::kInput, "--to", "no recipient given", "name who was told, e.g. city_government");
  for (const auto& id : to)
    if (std::find(recipients.begin(), recipients.end(), id) == recipients.end()) {
      std::string hint = ClosestMatch(id, recipients);
      throw Error(ErrorKind::kInput, "--to", "unknown recipient '" + id + "'",
                  hint.empty() ? "recipients of " + clause + " are the ids in the rule file's reporting section"
                               : "did you mean '" + hint + "'?");
    }
  CheckTime(at, "--at");
  store_.Transaction([&] {
    if (auto inc = store_.FindIncident(incident_id)) impl_->CheckOffice(*inc, "", std::nullopt);
    const Timestamp first = FirstReportAt(incident_id);
    if (at < first)
      throw Error(ErrorKind::kInput, "--at",
                  "the upward report (" + FormatIso8601(at) + ") is before the incident's first report (" +
                      FormatIso8601(first) + ")",
                  "check the date");
    store_.AddUpwardReport(UpwardReportRecord{0, incident_id, clause, to, at});
  });
}

// ---------------------------------------------------------------------------------------------------------
// Stored timelines

timeline::TimelineInput TimelineInputFromStore(const std::vector<IncidentHistory>& histories, const Enrich& enrich,
                                               const engine::RuleSet* rules) {
  timeline::TimelineInput in;
  in.enrich = enrich;
  std::set<std::string> counties;  // the rule file's county offices (their records reach the city when recorded)
  if (rules)
    for (const Office& o : OfficesOf(*rules))
      if (o.kind == "county") counties.insert(o.id);
  for (const auto& h : histories) {
    for (const auto& r : h.reports) {
      in.reports.push_back(ReportEntry{
          h.incident.incident_id, r.reported_at, r.recorded_at.value_or(r.reported_at), r.id, r.body,
          r.source.empty() ? "store: " + h.incident.incident_id + " report " + std::to_string(r.id) : r.source});
      in.reports.back().known_when_recorded = counties.count(r.office) > 0;
    }
    for (const auto& d : h.declarations)
      in.declarations.push_back(timeline::TimelineDeclaration{h.incident.incident_id, d.kind, d.level, d.by, d.at});
    for (const auto& u : h.upward_reports)
      in.upward_reports.push_back(timeline::TimelineUpwardReport{h.incident.incident_id, u.clause, u.to, u.at});
  }
  return in;
}

timeline::Timeline StoredTimeline(const Store& store, const engine::Engine& engine, const Timestamp& until,
                                  bool open_only, timeline::DerivationCache* cache, std::vector<IncidentRecord>* read) {
  std::vector<IncidentHistory> hs;
  for (const auto& inc : store.Incidents(open_only)) hs.push_back(store.History(inc.incident_id));
  if (read) {
    read->clear();
    for (const IncidentHistory& h : hs) read->push_back(h.incident);
  }
  const bool shared = store.kind() == BackendKind::kPostgres;  // a county's records reach the city when recorded
  timeline::TimelineInput in = TimelineInputFromStore(hs, {}, shared ? &engine.rules() : nullptr);
  in.until = until;
  try {
    return timeline::BuildTimeline(engine, in, cache);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kInput) throw;
    throw Error(ErrorKind::kStore, e.where(), "a stored report no longer parses with these rules: " + e.message(),
                "use the rule file the store was recorded with (see `firebreak store verify`)");
  }
}

timeline::StatusBoard StoredStatus(const Store& store, const engine::Engine& engine, const Timestamp& at,
                                   const timeline::AuditOptions& options, timeline::DerivationCache* cache,
                                   std::vector<IncidentRecord>* read) {
  return timeline::BuildStatusBoard(StoredTimeline(store, engine, at, true, cache, read), engine.rules(), at, options,
                                    store.path());
}

}  // namespace firebreak::store
