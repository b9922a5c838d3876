// `firebreak deploy`: the deployment plan for a fire (plan 4.1, 4.2, 6.2.1) with safety zones and escape
// routes (3.3 十个严禁); `firebreak forces`: check and list a forces registry. Format: docs/forces.md.
// Options are parsed here; the work runs in the geo plugin (geo_plugin.h), loaded when the command runs.
#include <memory>
#include <string>

#include "commands.h"
#include "firebreak/common/error.h"
#include "geo_plugin.h"

namespace firebreak::cli {

namespace {

void RunDeploy(DeployArgs a, Globals& g) {
  if (a.incident.empty() == a.at.empty())
    throw Error(ErrorKind::kUsage, "deploy", "give exactly one of --incident REPORT or --at LON,LAT");
  const engine::RuleSet rules = LoadRules(g);
  if (a.forces.empty()) a.forces = DefaultForcesPath();
  ThrowIfError(Geo().Deploy(a, rules, g.lang));
}

void RunForces(const std::string& file, const std::string& format, Globals& g) {
  const engine::RuleSet rules = LoadRules(g);
  ThrowIfError(Geo().Forces(file.empty() ? DefaultForcesPath() : file, format, rules, g.lang, g.exit_code));
}

}  // namespace

void RegisterDeployCommands(CLI::App& app, Globals& g) {
  auto a = std::make_shared<DeployArgs>();
  CLI::App* d = app.add_subcommand("deploy",
                                   "Deployment plan: who moves first, ETA, by whose request (4.1, 4.2, 6.2.1), "
                                   "safety zones and escape routes (3.3)");
  d->add_option("--incident", a->incident, "Incident report (JSON/YAML); level from the engine unless --level");
  d->add_option("--at", a->at, "Fire location LON,LAT (WGS84) instead of a report");
  d->add_option("--level", a->level, "Response level IV|III|II|I, or none (county response)");
  d->add_option("--county", a->county, "The fire's county (name or adcode); overrides the report's");
  d->add_option("--forces", a->forces, "Forces registry YAML (default: data/forces/liuzhou-demo.yaml, demo data)");
  d->add_option("--dem", a->dem, "DEM raster for the walk-in and safety zones (any GDAL raster, any CRS)");
  d->add_option("--dem-radius", a->dem_radius_km, "Half-side of the DEM window around the fire, km (default 15)");
  d->add_option("--roads", a->roads, "Road layer (any OGR line layer)");
  d->add_option("--roads-config", a->roads_config, "Road config YAML (class field, speed per class)");
  d->add_option("--safety-zone", a->zones, "A pre-set safety zone LON,LAT[,NAME] (repeatable)");
  d->add_option("--walk-in", a->walk_in_m,
                "Distance crews walk from the vehicles when no road layer says more, m (default 2000)");
  d->add_option("--geojson", a->geojson, "Write routes, safety zones and escape routes as GeoJSON");
  d->add_option("--format", a->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  d->callback([a, &g] { RunDeploy(*a, g); });

  auto file = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  CLI::App* f = app.add_subcommand("forces", "Check and list a forces registry (exit 1 if a unit has problems)");
  f->add_option("file", *file, "Forces registry YAML (default: the demo registry)");
  f->add_option("--format", *format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  f->callback([file, format, &g] { RunForces(*file, *format, g); });
}

}  // namespace firebreak::cli
