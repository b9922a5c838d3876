// firebreak terrain — what the ground and the maps say about an incident point (facts with their sources,
// safety advice, GeoJSON zones); firebreak demo-data — write the synthetic demo terrain and layers.
// Options are parsed here; the work runs in the geo plugin (geo_plugin.h), loaded when the command runs.
#include <memory>
#include <string>

#include "commands.h"
#include "geo_plugin.h"

namespace firebreak::cli {

void RegisterTerrainCommands(CLI::App& app, Globals& g) {
  auto args = std::make_shared<TerrainArgs>();
  CLI::App* t = app.add_subcommand("terrain", "Terrain, places and safety facts at a point (DEM + layers; GDAL)");
  t->add_option("--dem", args->dem, "DEM raster (any GDAL format and CRS)");
  t->add_option("--layers", args->layers, "Layers config (YAML; docs/layers-config.md)");
  t->add_option("--at", args->at, "Incident point LON,LAT (WGS84 degrees)")->required();
  t->add_option("--radius", args->radius_km, "Analysis radius in km (default 3)");
  t->add_option("--geojson", args->geojson, "Write facts and safety zones as GeoJSON (for QGIS)");
  t->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  t->add_option("--wind-from", args->wind_from, "Wind direction, degrees the wind blows FROM");
  t->add_option("--wind-speed", args->wind_speed, "Wind speed, m/s");
  t->add_option("--head-dir", args->head_dir, "Observed direction the fire head spreads TOWARD, degrees");
  t->add_flag("--night", args->night, "It is night (poor visibility)");
  t->callback([args, &g] {
    const engine::RuleSet rules = LoadRules(g);  // the plan's words for the safety advice (site_safety)
    ThrowIfError(Geo().Terrain(*args, rules, g.lang));
  });

  auto outdir = std::make_shared<std::string>();
  CLI::App* d = app.add_subcommand("demo-data", "Write the synthetic demo DEM, fuel raster, layers and layers.yaml");
  d->add_option("OUTDIR", *outdir, "Output directory (created if missing)")->required();
  d->callback([outdir, &g] { ThrowIfError(Geo().DemoData(*outdir, g.lang)); });
}

}  // namespace firebreak::cli
