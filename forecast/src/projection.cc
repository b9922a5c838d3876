#include "firebreak/forecast/projection.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <span>

namespace firebreak::forecast {

namespace {

using engine::FactId;

double Hours(float minutes, double origin_min) { return (static_cast<double>(minutes) - origin_min) / 60.0; }

FactId ThreatFact(engine::Threat t) {
  switch (t) {
    case engine::Threat::kResidential:
      return FactId::kThreatensResidential;
    case engine::Threat::kKeyFacility:
      return FactId::kThreatensKeyFacility;
    case engine::Threat::kMilitary:
      return FactId::kThreatensMilitary;
    case engine::Threat::kHazardousChemicals:
      return FactId::kThreatensHazardousChemicals;
    case engine::Threat::kOilGasPipeline:
      return FactId::kThreatensOilGasPipeline;
    case engine::Threat::kRailway:
      return FactId::kThreatensRailway;
    case engine::Threat::kNuclear:
      return FactId::kThreatensNuclear;
    case engine::Threat::kMajorHazard:
      return FactId::kThreatensMajorHazard;
  }
  return FactId::kThreatensKeyFacility;
}

// Marks a threat as projected: in the report's list when the report gave one (a list makes the others false),
// else as a derived fact (so threats nobody reported stay unknown, not false).
void AddThreat(engine::Incident& inc, engine::Threat t) {
  if (inc.threatens_reported) {
    if (std::find(inc.threatens.begin(), inc.threatens.end(), t) == inc.threatens.end()) inc.threatens.push_back(t);
  } else {
    inc.derived.SetBool(ThreatFact(t), true);
    inc.derived_from.emplace_back(ThreatFact(t), "forecast: projected spread");
  }
}

}  // namespace

double RunTimes::AreaHaAt(double hours) const {
  const auto n = std::upper_bound(burn_hours.begin(), burn_hours.end(), hours) - burn_hours.begin();
  return static_cast<double>(n) * cell_ha;
}

double RunTimes::HoursToArea(double ha) const {
  if (cell_ha <= 0) return kNever;
  const double k = std::floor(ha / cell_ha);
  return k < static_cast<double>(burn_hours.size()) ? burn_hours[static_cast<std::size_t>(k)] : kNever;
}

std::optional<double> RunTimes::CityKmAt(double hours) const {
  std::optional<double> km;
  for (const auto& [h, d] : city_km) {
    if (h > hours) break;
    km = d;
  }
  return km;
}

RunTimes Summarise(const Arrival& a, const MapOnGrid& map, double origin_min, double cell_area_m2, int ignition_cell) {
  RunTimes r;
  r.origin_min = origin_min;
  r.cell_ha = cell_area_m2 / 10000.0;
  r.burn_hours.reserve(a.order.size());
  for (int i : a.order) r.burn_hours.push_back(Hours(a.minutes[i], origin_min));
  auto first = [&](const std::vector<int>& cells) {
    float t = kUnburned;
    for (int i : cells) t = std::min(t, a.minutes[i]);
    return t == kUnburned ? kNever : Hours(t, origin_min);
  };
  for (const PlaceOnGrid& p : map.places) {
    r.place_threat.push_back(first(p.zone));
    r.place_reach.push_back(first(p.cells));
  }
  r.county_enter.assign(map.county_names.size(), kNever);
  if (a.order.empty()) return r;
  const int start = ignition_cell;
  if (!map.county.empty()) r.ignition_county = map.county[start];
  const int start_inside = map.inside_city.empty() ? 0 : map.inside_city[start];
  double best_km = kNever;
  for (int i : a.order) {
    const double h = Hours(a.minutes[i], origin_min);
    if (!map.county.empty() && map.county[i] > 0) {
      double& e = r.county_enter[map.county[i] - 1];
      e = std::min(e, h);
    }
    if (!map.inside_city.empty()) {
      if (map.inside_city[i] != start_inside) r.city_cross = std::min(r.city_cross, h);
      const float km = map.km_to_city_boundary[i];
      if (!std::isnan(km) && km < best_km) {
        best_km = km;
        r.city_km.emplace_back(h, km);
      }
    }
  }
  return r;
}

engine::Incident ProjectedIncident(const engine::Incident& report, const RunTimes& run, const MapOnGrid& map,
                                   double hours) {
  engine::Incident inc = report;
  inc.burned_area_ha = std::max(report.burned_area_ha.value_or(0.0), run.AreaHaAt(hours));
  for (std::size_t k = 0; k < map.places.size(); ++k) {
    if (!(run.place_threat[k] <= hours)) continue;
    const PlaceOnGrid& p = map.places[k];
    if (const auto t = engine::ParseThreat(p.threat)) AddThreat(inc, *t);
    if (p.layer == "key_targets") AddThreat(inc, engine::Threat::kKeyFacility);
  }
  if (const auto km = run.CityKmAt(hours)) {
    inc.km_to_city_boundary = std::min(report.km_to_city_boundary.value_or(*km), *km);
  }
  for (std::size_t k = 0; k < run.county_enter.size(); ++k) {
    if (static_cast<int>(k) + 1 != run.ignition_county && run.county_enter[k] <= hours) inc.crosses_boundary = true;
  }
  if (run.city_cross <= hours) inc.crosses_city_boundary = true;
  return inc;
}

const char* ThresholdKindName(ThresholdKind k) {
  switch (k) {
    case ThresholdKind::kLevel:
      return "level";
    case ThresholdKind::kReport:
      return "report";
    case ThresholdKind::kMeasure:
      return "measure";
    case ThresholdKind::kLead:
      return "lead";
  }
  return "level";
}

std::vector<ThresholdId> HoldingThresholds(const engine::Decision& d) {
  std::vector<ThresholdId> ids;
  for (const auto& t : d.triggers) ids.push_back({ThresholdKind::kLevel, std::string(t.clause), t.level});
  for (const auto& r : d.reporting) ids.push_back({ThresholdKind::kReport, std::string(r.rule.clause), std::nullopt});
  for (const auto& m : d.measures) {
    if (!m.from_level) ids.push_back({ThresholdKind::kMeasure, std::string(m.clause), std::nullopt});
  }
  for (const auto& f : d.lead.reasons) ids.push_back({ThresholdKind::kLead, std::string(f.clause), std::nullopt});
  return ids;
}

namespace {

// The facts of the firing behind a threshold in a decision (nullopt if it does not hold there).
std::optional<std::span<const engine::FactUse>> FactsOf(const engine::Decision& d, const ThresholdId& id) {
  switch (id.kind) {
    case ThresholdKind::kLevel:
      for (const auto& t : d.triggers) {
        if (t.clause == id.clause && t.level == id.level) return d.Uses(t);
      }
      break;
    case ThresholdKind::kReport:
      for (const auto& r : d.reporting) {
        if (r.rule.clause == id.clause) return d.Uses(r.rule);
      }
      break;
    case ThresholdKind::kMeasure:
      for (const auto& m : d.measures) {
        if (!m.from_level && m.clause == id.clause) return d.Uses(m);
      }
      break;
    case ThresholdKind::kLead:
      for (const auto& f : d.lead.reasons) {
        if (f.clause == id.clause) return d.Uses(f);
      }
      break;
  }
  return std::nullopt;
}

// Decisions at event times, computed once each.
class Timeline {
 public:
  Timeline(const engine::Engine& e, const engine::Incident& report, const RunTimes& run, const MapOnGrid& map,
           std::vector<double> events)
      : e_(e), report_(report), run_(run), map_(map), events_(std::move(events)) {}

  const std::vector<double>& events() const { return events_; }
  const engine::Decision& At(std::size_t k) {
    auto it = cache_.find(k);
    if (it != cache_.end()) return it->second;
    const double h = events_[k];
    const engine::Incident inc = ProjectedIncident(report_, run_, map_, h);
    const Timestamp at = Plus(report_.reported_at, Seconds(std::round(h * 3600.0)));
    return cache_.emplace(k, e_.Assess(inc, at, engine::Concurrency{})).first->second;
  }
  bool Holds(std::size_t k, const ThresholdId& id) { return FactsOf(At(k), id).has_value(); }

 private:
  const engine::Engine& e_;
  const engine::Incident& report_;
  const RunTimes& run_;
  const MapOnGrid& map_;
  std::vector<double> events_;
  std::map<std::size_t, engine::Decision> cache_;
};

std::vector<double> EventTimes(const engine::Decision& now, const engine::Incident& report, const RunTimes& run,
                               double horizon, std::vector<double>& discrete) {
  auto keep = [&](double h) { return h > 0 && h <= horizon; };
  for (double h : run.place_threat) discrete.push_back(h);
  for (std::size_t k = 0; k < run.county_enter.size(); ++k) {
    if (static_cast<int>(k) + 1 != run.ignition_county) discrete.push_back(run.county_enter[k]);
  }
  discrete.push_back(run.city_cross);
  for (const auto& [h, km] : run.city_km) discrete.push_back(h);
  for (const auto& d : now.next.due) {
    discrete.push_back(Between(report.reported_at, d.at).value() / 3600.0);
  }
  discrete.erase(std::remove_if(discrete.begin(), discrete.end(), [&](double h) { return !keep(h); }), discrete.end());
  discrete.push_back(horizon);
  std::sort(discrete.begin(), discrete.end());
  discrete.erase(std::unique(discrete.begin(), discrete.end()), discrete.end());
  std::vector<double> events{0.0};
  const auto lo = std::upper_bound(run.burn_hours.begin(), run.burn_hours.end(), 0.0);
  const auto hi = std::upper_bound(run.burn_hours.begin(), run.burn_hours.end(), horizon);
  events.insert(events.end(), lo, hi);
  const std::size_t mid = events.size();
  events.insert(events.end(), discrete.begin(), discrete.end());
  std::inplace_merge(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(mid), events.end());
  events.erase(std::unique(events.begin(), events.end()), events.end());
  return events;
}

}  // namespace

std::vector<Crossing> FindCrossings(const engine::Engine& engine, const engine::Incident& report, const RunTimes& run,
                                    const MapOnGrid& map, double horizon_hours) {
  const engine::Decision now = engine.Assess(report, report.reported_at, engine::Concurrency{});
  const std::vector<ThresholdId> held = HoldingThresholds(now);
  std::vector<double> discrete;
  Timeline tl(engine, report, run, map, EventTimes(now, report, run, horizon_hours, discrete));
  const std::vector<double>& ev = tl.events();
  auto index_of = [&](double h) {
    return static_cast<std::size_t>(std::lower_bound(ev.begin(), ev.end(), h) - ev.begin());
  };
  // Candidates: thresholds holding at the report time (projected), at a discrete event, or at the horizon.
  std::vector<std::pair<ThresholdId, std::size_t>> candidates;  // id, first probe index where it holds
  std::vector<std::size_t> probes{0};
  for (double h : discrete) probes.push_back(index_of(h));
  for (std::size_t k : probes) {
    for (const ThresholdId& id : HoldingThresholds(tl.At(k))) {
      const bool known =
          std::find(held.begin(), held.end(), id) != held.end() ||
          std::any_of(candidates.begin(), candidates.end(), [&](const auto& c) { return c.first == id; });
      if (!known) candidates.emplace_back(id, k);
    }
  }
  std::vector<Crossing> out;
  for (const auto& [id, probe] : candidates) {
    std::size_t lo = 0, hi = probe;  // invariant: holds at hi; lo = 0 or a time where it does not hold
    if (tl.Holds(0, id)) hi = 0;
    while (hi > lo + 1) {
      const std::size_t mid = lo + (hi - lo) / 2;
      (tl.Holds(mid, id) ? hi : lo) = mid;
    }
    Crossing c;
    c.id = id;
    c.hours = ev[hi];
    const engine::Decision& d = tl.At(hi);
    const std::span<const engine::FactUse> facts = *FactsOf(d, id);
    c.facts.assign(facts.begin(), facts.end());
    c.required_level = d.response_level;
    // Driven by the clock alone when the report as it stands (no projected fact) already gives it at that time.
    const Timestamp at = Plus(report.reported_at, Seconds(std::round(c.hours * 3600.0)));
    c.clock_only = FactsOf(engine.Assess(report, at, engine::Concurrency{}), id).has_value();
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const Crossing& a, const Crossing& b) { return a.hours < b.hours; });
  return out;
}

}  // namespace firebreak::forecast
