// The Enricher (enrich.h) as a proxy: the maps and the forces registry are opened by the geo plugin
// (geo_plugin.h), which is loaded only when EnrichOptions::any() — plain `assess` never loads GDAL.
#include "enrich.h"

#include <sstream>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/fire/facts.h"
#include "geo_plugin.h"

namespace firebreak::cli {

void AddEnrichOptions(CLI::App* cmd, EnrichOptions& o) {
  cmd->add_option("--dem", o.dem, "DEM raster: derive terrain facts (slope, ridge, saddle, box canyon, cliff…)");
  cmd->add_option("--layers", o.layers,
                  "Layers config (counties, city outline, places, targets, sensitive areas, fuel)");
  cmd->add_option("--radius", o.radius_km, "Analysis radius around the incident, km (default 3)")
      ->check(CLI::Range(0.1, 50.0));
  cmd->add_option("--forces", o.forces, "Forces registry: add the deployment plan (4.1/4.2, 6.2.1)");
  cmd->add_option("--roads", o.roads, "Road line layer for travel times (with --forces)");
  cmd->add_option("--roads-config", o.roads_config, "Road speeds by class (with --roads)");
  cmd->add_option("--fire-weather", o.fire_weather,
                  "Station noon weather (fire weather format): FWI of the report's date and the colour it suggests");
  cmd->add_option("--fwi-latitude", o.fwi_latitude, "Station latitude for the FWI day-length band (Liuzhou 24.3)");
  cmd->add_option("--fwi-start", o.fwi_start,
                  "Codes before the station series' first day: FFMC,DMC,DC (default 85,6,15)");
  cmd->add_option(
      "--fuel-moisture", o.fuel_moisture,
      "Fuel moisture for the fire behaviour at the point: D1L1..D4L4 (default D2L2) or 1h,10h,100h,herb,woody %");
  cmd->add_option("--fuel-models", o.fuel_models,
                  "BehavePlus fuel_models.csv (default: $FIREBREAK_FUEL_MODELS, shared data)");
  cmd->add_option("--wang", o.wang, "Wang Zhengfei parameter file (default: data/fire/wang-zhengfei.yaml)");
  AddForecastOptions(cmd, o);
}

void AddForecastOptions(CLI::App* cmd, EnrichOptions& o) {
  cmd->add_option("--landscape", o.landscape,
                  "FARSITE-style landscape: add a spread forecast and the thresholds it would cross (a projection)");
  cmd->add_flag("--forecast", o.forecast, "Forecast on --dem and the fuel raster of --layers (instead of --landscape)");
  cmd->add_option("--forecast-hours", o.forecast_hours, "Forecast horizon, hours (default 24)");
}

struct Enricher::Impl {
  EnrichOptions opt;
  const engine::RuleSet* rules = nullptr;
  std::unique_ptr<GeoSession> session;         // null when !opt.any()
  std::optional<fire::WeatherSeries> station;  // --fire-weather
  fire::FwiCodes start;                        // --fwi-start
  bool fire_used = false;                      // some incident has an FWI (text/JSON sections)
};

Enricher::Enricher(const EnrichOptions& o, const engine::RuleSet& rules) : impl_(std::make_unique<Impl>()) {
  impl_->opt = o;
  impl_->rules = &rules;
  if (!o.fwi_start.empty()) {
    std::istringstream in(o.fwi_start);
    char c1 = 0, c2 = 0;
    fire::FwiCodes& c = impl_->start;
    if (!(in >> c.ffmc >> c1 >> c.dmc >> c2 >> c.dc) || c1 != ',' || c2 != ',' || !(c.ffmc >= 0 && c.ffmc <= 101) ||
        !(c.dmc >= 0) || !(c.dc >= 0))
      throw Error(ErrorKind::kUsage, "--fwi-start",
                  "expected FFMC,DMC,DC (FFMC 0-101, codes >= 0), got '" + o.fwi_start + "'",
                  "e.g. --fwi-start 85,6,15");
  }
  if (o.fwi_latitude && !(*o.fwi_latitude >= -90 && *o.fwi_latitude <= 90))
    throw Error(ErrorKind::kUsage, "--fwi-latitude", "latitude must be in [-90, 90]");
  if (!o.fire_weather.empty()) impl_->station = fire::ReadWeatherFile(o.fire_weather);
  if (!o.roads.empty() && o.forces.empty())
    throw Error(ErrorKind::kUsage, "--roads", "a road layer is only used for deployment", "add --forces FILE");
  if (o.any()) ThrowIfError(Geo().OpenSession(o, rules, impl_->session));
}

Enricher::~Enricher() = default;

bool Enricher::active() const { return impl_->opt.any() || impl_->fire_used; }
bool Enricher::forecasts() const { return impl_->opt.forecasts(); }

void Enricher::Enrich(engine::Incident& incident) {
  if (impl_->session) ThrowIfError(impl_->session->Enrich(incident));
  // Fire danger (no maps needed): the station's FWI on the report's date, then the class and suggested colour.
  std::optional<fire::FwiDay> day;
  std::string source;
  if (impl_->station) {
    const EnrichOptions& o = impl_->opt;
    const fire::DayLength dl = fire::DayLengthFor(o.fwi_latitude);
    day = fire::StationDay(*impl_->station, impl_->start, dl, incident);
    source = "fwi:" + o.fire_weather + " " + std::to_string(LocalMonth(incident.reported_at)) + "/" +
             std::to_string(LocalDay(incident.reported_at)) + " (day length " + dl.name + ")";
  }
  fire::AddDangerFacts(incident, *impl_->rules, day, source);
  if (incident.derived.Has(engine::FactId::kFwi) || incident.extra.Has(engine::FactId::kFwi)) impl_->fire_used = true;
}

std::string Enricher::Text(const engine::Incident& incident, const engine::Decision& d, const std::string& lang) {
  std::string out;
  if (impl_->session) ThrowIfError(impl_->session->Text(incident, d, lang, out));
  return fire::DangerText(incident, *impl_->rules, lang != "en") + out;
}

std::string Enricher::Json(const engine::Incident& incident, const engine::Decision& d) {
  std::string out = "{}";
  if (impl_->session) ThrowIfError(impl_->session->Json(incident, d, out));
  auto danger = nlohmann::ordered_json::parse(fire::DangerJson(incident, *impl_->rules));
  if (danger.empty()) return out;
  auto j = nlohmann::ordered_json::parse(out);
  j["fire_danger"] = std::move(danger);
  return j.dump();
}

std::string Enricher::Forecast(const engine::Incident& incident, const std::string& lang, bool json) {
  std::string out;
  if (impl_->session) ThrowIfError(impl_->session->Forecast(incident, lang, json, out));
  return out;
}

}  // namespace firebreak::cli
