// The web desk's maps over the geo plugin: server::DeskGeo implemented with the plugin's DeskMaps (DEM,
// layers, forces given to `firebreak serve`) and its Enricher sessions (a drill scenario's own terrain). The
// plugin is loaded on first use, so a desk without maps never loads GDAL.
#pragma once

#include <map>
#include <memory>

#include "enrich.h"
#include "firebreak/server/desk_geo.h"
#include "geo_plugin.h"

namespace firebreak::cli {

class PluginDeskGeo final : public server::DeskGeo {
 public:
  // Opens the maps named in `o` now (errors: Error(kGis/kInput/kNotFound) with the file), if any.
  PluginDeskGeo(const EnrichOptions& o, const engine::RuleSet& rules);

  bool has_dem() const override { return !opt_.dem.empty(); }
  bool has_layers() const override { return !opt_.layers.empty(); }
  bool has_forces() const override { return !opt_.forces.empty(); }
  bool has_forecast() const override { return opt_.forecasts(); }
  double forecast_hours() const override { return opt_.forecast_hours; }
  bool enriches() const override { return opt_.any(); }
  // As `firebreak report` with the same options: cli::Enricher (terrain and places, the fire behaviour at the
  // point, the fire danger), so a report recorded at the desk is decided on the same facts.
  void Enrich(engine::Incident& incident) override;
  std::string LayersGeoJson() override;
  server::Hillshade HillshadePng() override;
  std::string Terrain(const server::TerrainQuery& q) override;
  std::string Deploy(const engine::Incident& incident, std::optional<engine::Level> level) override;
  std::string Forecast(const engine::Incident& incident, const server::ForecastQuery& q) override;
  std::function<void(engine::Incident&)> ScenarioEnrich(const timeline::Scenario& scenario) override;

 private:
  DeskMaps& Maps();

  EnrichOptions opt_;
  const engine::RuleSet& rules_;
  std::unique_ptr<DeskMaps> maps_;
  std::unique_ptr<Enricher> enricher_;                                   // null without maps (opt_.any() false)
  std::map<std::string, std::unique_ptr<Enricher>> scenario_enrichers_;  // by scenario file; live until exit
};

}  // namespace firebreak::cli
