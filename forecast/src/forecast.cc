#include "firebreak/forecast/forecast.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "firebreak/common/error.h"
#include "firebreak/engine/engine.h"
#include "firebreak/fire/fuel_models.h"
#include "firebreak/fire/surface.h"
#include "firebreak/fire/weather_io.h"
#include "internal.h"

namespace firebreak::forecast {

namespace {

using internal::Context;

constexpr double kMaxHours = 14 * 24;

std::string Where(const engine::Incident& r, const std::string& path) {
  return (r.source.empty() ? std::string("report") : r.source) + ": " + path;
}

void Validate(const engine::Incident& report, const ForecastOptions& opt) {
  if (!(opt.hours > 0 && opt.hours <= kMaxHours)) {
    std::ostringstream os;
    os << "the horizon must be more than 0 and at most " << kMaxHours << " hours (14 days), got " << opt.hours;
    throw Error(ErrorKind::kInput, "--hours", os.str(), "e.g. --hours 24");
  }
  if (opt.ensemble < 0 || opt.ensemble > 10000) {
    throw Error(ErrorKind::kInput, "--ensemble",
                "must be between 1 and 10000 members, got " + std::to_string(opt.ensemble),
                "leave --ensemble out for the deterministic projection alone");
  }
  if (opt.threads < 1) throw Error(ErrorKind::kInput, "--threads", "must be at least 1");
  if (opt.perimeter.empty() && !report.location) {
    throw Error(ErrorKind::kInput, Where(report, "/location"), "the report has no location: nowhere to ignite",
                "add \"location\": {\"lon\": ..., \"lat\": ...} to the report, or give --perimeter FILE");
  }
  const bool speed = opt.wind_ms.has_value() || report.weather.wind_speed_ms.has_value();
  if (!speed) {
    throw Error(ErrorKind::kInput, Where(report, "/weather/wind_speed_ms"),
                "the report gives no wind speed: the spread depends on it",
                "add weather.wind_speed_ms and wind_dir_deg to the report, or give --wind-speed and --wind-from");
  }
  const double ms = opt.wind_ms.value_or(report.weather.wind_speed_ms.value_or(0));
  if (!(ms >= 0 && ms < 60)) throw Error(ErrorKind::kInput, "--wind-speed", "must be in [0, 60) m/s");
  if (ms > 0 && !opt.wind_from_deg && !report.weather.wind_dir_deg) {
    throw Error(ErrorKind::kInput, Where(report, "/weather/wind_dir_deg"),
                "the report gives a wind speed but no direction",
                "add weather.wind_dir_deg (the direction it blows FROM) or --wind-from");
  }
  if (opt.ffmc && !(*opt.ffmc >= 0 && *opt.ffmc <= 101)) {
    throw Error(ErrorKind::kInput, "--ffmc", "must be in [0, 101]");
  }
}

// The FFMC of the last day of a noon-weather series, by the FWI System of fire/ from the start-up codes, with the
// day-length band of the ignition's latitude.
double FfmcFromWeather(const std::string& file, double latitude, std::string& source) {
  const fire::WeatherSeries s = fire::ReadWeatherFile(file);
  const std::vector<fire::FwiDay> days = fire::RunFwi(fire::FwiCodes{}, s.weather, fire::DayLengthFor(latitude));
  std::ostringstream os;
  os << "FWI of " << file << " (" << days.size() << " days from start-up codes; last FFMC " << days.back().ffmc << ")";
  source = os.str();
  return days.back().ffmc;
}

SurfaceWeather BaseWeather(const engine::Incident& r, const ForecastOptions& opt, double latitude,
                           std::vector<std::string>& en, std::vector<std::string>& zh) {
  SurfaceWeather w;
  w.wind_ms = opt.wind_ms.value_or(r.weather.wind_speed_ms.value_or(0));
  w.wind_from_deg = opt.wind_from_deg.value_or(r.weather.wind_dir_deg.value_or(0));
  if (!opt.moisture.empty()) {
    const auto m = ParseMoisture(opt.moisture);
    if (!m) {
      throw Error(ErrorKind::kInput, "--moisture", "cannot read '" + opt.moisture + "'",
                  "give a Scott & Burgan scenario such as D2L2, or five percentages 1h,10h,100h,herb,woody");
    }
    w.moisture = *m;
    w.moisture_source = "--moisture " + opt.moisture;
  } else if (opt.ffmc) {
    w.moisture = MoistureFromFfmc(*opt.ffmc);
    std::ostringstream os;
    os << "FFMC " << *opt.ffmc << " (Van Wagner 1987); live herb 60 %, woody 90 %";
    w.moisture_source = os.str();
  } else if (!opt.fwi_weather.empty()) {
    std::string source;
    w.moisture = MoistureFromFfmc(FfmcFromWeather(opt.fwi_weather, latitude, source));
    w.moisture_source = source + "; live herb 60 %, woody 90 %";
  } else if (r.weather.temperature_c && r.weather.humidity_pct) {
    w.moisture = MoistureFromAir(*r.weather.temperature_c, *r.weather.humidity_pct);
    std::ostringstream os;
    os << "report air " << *r.weather.temperature_c << " °C, RH " << *r.weather.humidity_pct
       << " % (equilibrium moisture, Simard 1968); live herb 60 %, woody 90 %";
    w.moisture_source = os.str();
  } else {
    w.moisture = *ParseMoisture("D2L2");
    w.moisture_source = "D2L2 (assumed: the report gives no temperature/RH)";
    en.push_back("Fuel moisture assumed D2L2 (dead 6/7/8 %, live 60/90 %): the report gives no temperature or RH.");
    zh.push_back("可燃物含水率按D2L2假定（死可燃物6/7/8%，活可燃物60/90%）：报告未给气温或相对湿度。");
  }
  return w;
}

// Degrees clockwise from grid north to true north at `p` (meridian convergence).
double Convergence(const gis::Grid& frame, engine::LonLat p) {
  try {
    const gis::CrsPoint a = frame.Wgs84ToCrs(p), b = frame.Wgs84ToCrs({p.lon, p.lat + 0.01});
    return std::atan2(b.x - a.x, b.y - a.y) * 180.0 / 3.14159265358979323846;
  } catch (const Error&) {
    return 0.0;
  }
}

std::vector<double> DefaultIsochrones(double h) {
  std::vector<double> v;
  if (h >= 4) v.push_back(1);
  for (double f : {0.125, 0.25, 0.5, 1.0}) v.push_back(std::round(h * f * 4) / 4);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  v.erase(std::remove_if(v.begin(), v.end(), [&](double x) { return x <= 0 || x > h; }), v.end());
  return v;
}

// Quantile (linear between order statistics) of values that may be kNever.
std::optional<double> Quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const std::size_t i = static_cast<std::size_t>(std::floor(pos));
  const double f = pos - static_cast<double>(i);
  const double a = v[i], b = v[std::min(i + 1, v.size() - 1)];
  if (std::isinf(a) || (f > 0 && std::isinf(b))) return std::nullopt;
  return a + f * (b - a);
}

EnsembleRange Stats(const std::vector<double>& v, double horizon) {
  EnsembleRange s;
  s.p10 = Quantile(v, 0.1);
  s.p90 = Quantile(v, 0.9);
  const auto n = std::count_if(v.begin(), v.end(), [&](double h) { return h <= horizon; });
  s.probability = v.empty() ? 0.0 : static_cast<double>(n) / static_cast<double>(v.size());
  return s;
}

SurfaceWeather Perturb(const SurfaceWeather& base, std::uint64_t seed, int member) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(member), 0x5eedu};
  std::mt19937_64 gen(seq);
  std::normal_distribution<double> n01(0.0, 1.0);
  SurfaceWeather w = base;
  w.wind_ms = base.wind_ms * std::exp(0.25 * n01(gen));
  w.wind_from_deg = std::fmod(base.wind_from_deg + 20.0 * n01(gen) + 720.0, 360.0);
  const double dead = std::exp(0.15 * n01(gen)), live = std::exp(0.10 * n01(gen));
  w.moisture.d1h *= dead;
  w.moisture.d10h *= dead;
  w.moisture.d100h *= dead;
  w.moisture.herb *= live;
  w.moisture.woody *= live;
  return w;
}

// Member results gathered for statistics.
struct MemberSummary {
  std::vector<std::pair<ThresholdId, double>> thresholds;
  std::vector<Crossing> crossings;
  std::vector<double> place_threat, place_reach;
  std::vector<double> boundary_hours;
};

MemberSummary Summary(const Context& ctx, const internal::MemberRun& m) {
  MemberSummary s;
  for (const Crossing& c : m.crossings) s.thresholds.emplace_back(c.id, c.hours);
  s.crossings = m.crossings;
  s.place_threat = m.run.place_threat;
  s.place_reach = m.run.place_reach;
  s.boundary_hours = internal::BoundaryHours(ctx, m.run);
  return s;
}

void RunEnsemble(const Context& ctx, const ForecastOptions& opt, const SurfaceWeather& base, ForecastResult& out,
                 std::vector<MemberSummary>& members) {
  const int n = opt.ensemble;
  members.assign(static_cast<std::size_t>(n), {});
  const std::size_t cells = ctx.land.size();
  std::vector<std::vector<std::uint16_t>> counts(static_cast<std::size_t>(opt.threads));
  std::atomic<int> next{0}, done{0};
  std::mutex mu;
  std::exception_ptr failure;
  auto work = [&](int t) {
    std::vector<std::uint16_t>& count = counts[static_cast<std::size_t>(t)];
    count.assign(cells, 0);
    for (int k = next++; k < n; k = next++) {
      try {
        const internal::MemberRun m = internal::RunMember(ctx, Perturb(base, opt.seed, k), false);
        for (int i : m.burned_within_horizon) ++count[static_cast<std::size_t>(i)];
        members[static_cast<std::size_t>(k)] = Summary(ctx, m);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!failure) failure = std::current_exception();
        next = n;
      }
      const int d = ++done;
      if (opt.progress && (n >= 10 && (d % std::max(1, n / 10) == 0 || d == n))) {
        std::lock_guard<std::mutex> lock(mu);
        opt.progress("ensemble " + std::to_string(d) + "/" + std::to_string(n));
      }
    }
  };
  const int threads = std::min(opt.threads, n);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
  out.burn_probability.assign(cells, 0.0f);
  for (const auto& count : counts) {
    for (std::size_t i = 0; i < count.size(); ++i) out.burn_probability[i] += count[i];
  }
  for (float& p : out.burn_probability) p /= static_cast<float>(n);
}

void AddEnsembleStats(const std::vector<MemberSummary>& members, double horizon, ForecastResult& out) {
  if (members.empty()) return;
  for (std::size_t k = 0; k < out.places.size(); ++k) {
    std::vector<double> threat, reach;
    for (const auto& m : members) {
      threat.push_back(m.place_threat[k]);
      reach.push_back(m.place_reach[k]);
    }
    out.places[k].threat_spread = Stats(threat, horizon);
    out.places[k].reach_spread = Stats(reach, horizon);
  }
  for (std::size_t k = 0; k < out.boundaries.size(); ++k) {
    std::vector<double> v;
    for (const auto& m : members) v.push_back(m.boundary_hours[k]);
    out.boundaries[k].spread = Stats(v, horizon);
  }
  // Thresholds crossed by the deterministic run or by any member.
  for (const auto& m : members) {
    for (const Crossing& c : m.crossings) {
      const bool known = std::any_of(out.thresholds.begin(), out.thresholds.end(),
                                     [&](const ThresholdResult& t) { return t.crossing.id == c.id; });
      if (!known) {
        ThresholdResult t;
        t.crossing = c;
        t.crossing.hours = kNever;
        out.thresholds.push_back(std::move(t));
      }
    }
  }
  for (ThresholdResult& t : out.thresholds) {
    std::vector<double> v;
    for (const auto& m : members) {
      double h = kNever;
      for (const auto& [id, hours] : m.thresholds) {
        if (id == t.crossing.id) h = hours;
      }
      v.push_back(h);
    }
    t.spread = Stats(v, horizon);
  }
}

}  // namespace

ForecastResult RunForecast(const engine::Incident& report, const engine::RuleSet& rules, const ForecastOptions& opt) {
  const auto t_start = std::chrono::steady_clock::now();
  auto t_phase = t_start;
  ForecastResult* result = nullptr;
  auto lap = [&](const char* name) {
    const auto now = std::chrono::steady_clock::now();
    result->timing.emplace_back(name, std::chrono::duration<double>(now - t_phase).count());
    t_phase = now;
  };
  Validate(report, opt);
  ForecastResult out;
  result = &out;
  out.incident_id = report.incident_id;
  out.reported_at = report.reported_at;
  out.hours = opt.hours;
  out.ensemble = opt.ensemble;
  out.seed = opt.seed;
  const fire::FuelModelTable table = fire::FuelModelTable::Load(fire::FuelModelPath(opt.fuel_models));
  const fire::SurfaceFuels fuels(table);
  const engine::Engine engine(rules);
  lap("fuel_models");
  Context ctx = internal::MakeContext(report, rules, engine, table, fuels, opt, out);
  lap("landscape_and_layers");
  SurfaceWeather weather = BaseWeather(report, opt, out.ignition.lat, out.notes_en, out.notes_zh);
  out.grid_convergence_deg = Convergence(ctx.land.frame, out.ignition);
  weather.wind_from_deg = std::fmod(weather.wind_from_deg + out.grid_convergence_deg + 360.0, 360.0);
  out.weather = weather;
  out.weather.wind_from_deg = opt.wind_from_deg.value_or(report.weather.wind_dir_deg.value_or(0));
  if (opt.progress) {
    std::ostringstream os;
    os << ctx.land.description << ": projecting " << opt.hours << " h"
       << (opt.ensemble > 0 ? ", then " + std::to_string(opt.ensemble) + " ensemble members" : "");
    opt.progress(os.str());
  }
  internal::MemberRun base = internal::RunMember(ctx, weather, true);
  internal::FillDeterministic(ctx, base, weather, out);
  lap("projection");
  std::vector<MemberSummary> members;
  if (opt.ensemble > 0) {
    RunEnsemble(ctx, opt, weather, out, members);
    AddEnsembleStats(members, opt.hours, out);
    lap("ensemble");
  }
  if (opt.geometry) {
    const std::vector<double> times = opt.isochrones.empty() ? DefaultIsochrones(opt.hours) : opt.isochrones;
    out.isochrones = internal::Isochrones(ctx.land.frame, out.arrival_hours, times, base.run.cell_ha);
    lap("isochrones");
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return out;
}

}  // namespace firebreak::forecast
