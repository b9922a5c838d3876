// firebreak forecast — where the fire will be and when the plan would require more (a projection, never a
// requirement). Options are parsed here; the work runs in the geo plugin (geo_plugin.h). docs/forecast.md.
#include <memory>
#include <string>

#include "commands.h"
#include "geo_plugin.h"

namespace firebreak::cli {

void RegisterForecastCommands(CLI::App& app, Globals& g) {
  auto a = std::make_shared<ForecastArgs>();
  CLI::App* f = app.add_subcommand(
      "forecast", "Project the fire's spread on a landscape and the plan's thresholds it would cross (a projection)");
  f->add_option("REPORT", a->report,
                "Incident report (JSON/YAML): its location is the ignition, its weather the weather")
      ->required();
  f->add_option("--landscape", a->landscape,
                "FARSITE-style landscape GeoTIFF (elevation, slope, aspect, fuel, canopy)");
  f->add_option("--dem", a->dem, "DEM (instead of --landscape; needs --fuel)");
  f->add_option("--fuel", a->fuel, "Fuel-model raster on the DEM's grid (behave / Scott & Burgan numbers)");
  f->add_option("--canopy", a->canopy, "Canopy cover raster (%) on the DEM's grid (optional)");
  f->add_option("--hours", a->hours, "Horizon in hours after the report, (0, 336] (default 24)");
  f->add_option("--ensemble", a->ensemble, "Ensemble members over wind and moisture (seeded)");
  f->add_option("--seed", a->seed, "Ensemble seed (default 1)");
  f->add_option("--layers", a->layers, "Layers config: places, key targets, counties, city (docs/layers-config.md)");
  f->add_option("--barrier", a->barriers,
                "Control lines, roads or other breaks (GeoJSON or any OGR vector; repeatable)");
  f->add_option("--perimeter", a->perimeter, "The fire so far as polygons (instead of the report's point)");
  f->add_option("--isochrones", a->isochrones,
                "Perimeter times in hours, e.g. 1,3,6,12 (default: a set within the horizon)");
  f->add_option("--wind-speed", a->wind_speed, "10-m wind speed in m/s (overrides the report)");
  f->add_option("--wind-from", a->wind_from, "Direction the wind blows FROM, degrees (overrides the report)");
  f->add_option("--moisture", a->moisture, "Fuel moisture: a scenario such as D2L2, or 1h,10h,100h,herb,woody in %");
  f->add_option("--ffmc", a->ffmc, "Fine Fuel Moisture Code for the dead fine fuel moisture");
  f->add_option("--fwi-weather", a->fwi_weather,
                "Daily noon weather (as `firebreak fire weather` reads it): its last day's FFMC sets the moisture");
  f->add_option("--fuel-models", a->fuel_models, "fuel_models.csv (default: as `firebreak fire` finds it)");
  f->add_option("--geojson", a->geojson, "Write isochrones, places and ignition as GeoJSON (WGS84)");
  f->add_option("--tif", a->tif, "Write arrival hours (and burn probability) as a GeoTIFF");
  f->add_option("--html", a->html, "Write a self-contained HTML page");
  f->add_option("--format", a->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  f->add_option("--threads", a->threads, "Threads for the ensemble (default 2)");
  f->callback([a, &g] {
    const engine::RuleSet rules = LoadRules(g);
    ThrowIfError(Geo().Forecast(*a, rules, g.lang));
  });
}

}  // namespace firebreak::cli
