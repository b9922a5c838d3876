#include "serve_geo.h"

#include <filesystem>

#include "firebreak/common/error.h"

namespace firebreak::cli {

PluginDeskGeo::PluginDeskGeo(const EnrichOptions& o, const engine::RuleSet& rules) : opt_(o), rules_(rules) {
  if (o.any()) {  // open now: a bad --dem or --fire-weather fails at start, not at the first click or report
    Maps();
    enricher_ = std::make_unique<Enricher>(opt_, rules_);
  }
}

DeskMaps& PluginDeskGeo::Maps() {
  if (!maps_) ThrowIfError(Geo().OpenDeskMaps(opt_, rules_, maps_));
  return *maps_;
}

void PluginDeskGeo::Enrich(engine::Incident& incident) {
  if (enricher_) enricher_->Enrich(incident);
}

std::string PluginDeskGeo::LayersGeoJson() {
  std::string out;
  ThrowIfError(Maps().Layers(out));
  return out;
}

server::Hillshade PluginDeskGeo::HillshadePng() {
  HillshadeOut h;
  ThrowIfError(Maps().Hillshade(h));
  return server::Hillshade{std::move(h.png), h.west, h.south, h.east, h.north};
}

std::string PluginDeskGeo::Terrain(const server::TerrainQuery& q) {
  std::string out;
  ThrowIfError(Maps().Site(SiteArgs{q.at, q.wind_from_deg, q.wind_speed_ms, q.night, q.radius_km}, out));
  return out;
}

std::string PluginDeskGeo::Deploy(const engine::Incident& incident, std::optional<engine::Level> level) {
  std::string out;
  ThrowIfError(Maps().Deploy(incident, level, out));
  return out;
}

std::string PluginDeskGeo::Forecast(const engine::Incident& incident, const server::ForecastQuery& q) {
  std::string out;
  ThrowIfError(Maps().Forecast(incident, DeskForecastArgs{q.hours, q.ensemble}, out));
  return out;
}

// A scenario's `terrain: {dem, layers}` is relative to the scenario file (as `firebreak drill` reads it).
std::function<void(engine::Incident&)> PluginDeskGeo::ScenarioEnrich(const timeline::Scenario& sc) {
  if (!sc.terrain) return {};
  auto& e = scenario_enrichers_[sc.file];
  if (!e) {
    namespace fs = std::filesystem;
    const fs::path base = fs::path(sc.file).parent_path();
    auto resolve = [&](const std::string& f) {
      return f.empty() || fs::path(f).is_absolute() ? f : (base / f).string();
    };
    EnrichOptions o;
    o.dem = resolve(sc.terrain->dem);
    o.layers = resolve(sc.terrain->layers);
    e = std::make_unique<Enricher>(o, rules_);
  }
  Enricher* en = e.get();
  return [en](engine::Incident& i) { en->Enrich(i); };
}

}  // namespace firebreak::cli
