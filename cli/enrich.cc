// The Enricher (enrich.h) as a proxy: the maps and the forces registry are opened by the geo plugin
// (geo_plugin.h), which is loaded only when EnrichOptions::any() — plain `assess` never loads GDAL.
#include "enrich.h"

#include "firebreak/common/error.h"
#include "geo_plugin.h"

namespace firebreak::cli {

void AddEnrichOptions(CLI::App* cmd, EnrichOptions& o) {
  cmd->add_option("--dem", o.dem, "DEM raster: derive terrain facts (slope, ridge, saddle, box canyon, cliff…)");
  cmd->add_option("--layers", o.layers, "Layers config (counties, city outline, places, targets, sensitive areas, fuel)");
  cmd->add_option("--radius", o.radius_km, "Analysis radius around the incident, km (default 3)")
      ->check(CLI::Range(0.1, 50.0));
  cmd->add_option("--forces", o.forces, "Forces registry: add the deployment plan (4.1/4.2, 6.2.1)");
  cmd->add_option("--roads", o.roads, "Road line layer for travel times (with --forces)");
  cmd->add_option("--roads-config", o.roads_config, "Road speeds by class (with --roads)");
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
  std::unique_ptr<GeoSession> session;  // null when !opt.any()
};

Enricher::Enricher(const EnrichOptions& o, const engine::RuleSet& rules) : impl_(std::make_unique<Impl>()) {
  impl_->opt = o;
  if (!o.roads.empty() && o.forces.empty())
    throw Error(ErrorKind::kUsage, "--roads", "a road layer is only used for deployment", "add --forces FILE");
  if (o.any()) ThrowIfError(Geo().OpenSession(o, rules, impl_->session));
}

Enricher::~Enricher() = default;

bool Enricher::active() const { return impl_->opt.any(); }
bool Enricher::forecasts() const { return impl_->opt.forecasts(); }

void Enricher::Enrich(engine::Incident& incident) {
  if (impl_->session) ThrowIfError(impl_->session->Enrich(incident));
}

std::string Enricher::Text(const engine::Incident& incident, const engine::Decision& d, const std::string& lang) {
  std::string out;
  if (impl_->session) ThrowIfError(impl_->session->Text(incident, d, lang, out));
  return out;
}

std::string Enricher::Json(const engine::Incident& incident, const engine::Decision& d) {
  std::string out = "{}";
  if (impl_->session) ThrowIfError(impl_->session->Json(incident, d, out));
  return out;
}

std::string Enricher::Forecast(const engine::Incident& incident, const std::string& lang, bool json) {
  std::string out;
  if (impl_->session) ThrowIfError(impl_->session->Forecast(incident, lang, json, out));
  return out;
}

}  // namespace firebreak::cli
