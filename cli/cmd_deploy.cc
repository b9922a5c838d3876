// `firebreak deploy`: the deployment plan for a fire (plan 4.1, 4.2, 6.2.1) with safety zones and escape
// routes (3.3 十个严禁); `firebreak forces`: check and list a forces registry. Format: docs/forces.md.
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "firebreak/common/error.h"
#include "firebreak/engine/engine.h"
#include "firebreak/engine/report_io.h"
#include "firebreak/forces/deploy.h"
#include "firebreak/forces/registry.h"

namespace firebreak::cli {

namespace {

struct DeployArgs {
  std::string incident;
  std::string at;
  std::string level;
  std::string county;
  std::string forces;
  std::string dem;
  double dem_radius_km = 15;
  std::string roads;
  std::string roads_config;
  std::vector<std::string> zones;
  double walk_in_m = 2000;
  std::string geojson;
  std::string format = "text";
};

std::string DefaultForces() { return SourceDir() + "/data/forces/liuzhou-demo.yaml"; }

engine::LonLat ParseLonLat(const std::string& s, const std::string& opt) {
  double lon = 0, lat = 0;
  char comma = 0;
  std::istringstream in(s);
  if (!(in >> lon >> comma >> lat) || comma != ',' || lon < -180 || lon > 180 || lat < -90 || lat > 90)
    throw Error(ErrorKind::kUsage, opt, "expected LON,LAT in WGS84 degrees, got '" + s + "'", "e.g. --at 109.41,24.32");
  return {lon, lat};
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  if (!out) throw Error(ErrorKind::kNotFound, path, "cannot write the GeoJSON file", "check the directory exists");
  out << text;
}

void RunDeploy(const DeployArgs& a, Globals& g) {
  if (a.incident.empty() == a.at.empty())
    throw Error(ErrorKind::kUsage, "deploy", "give exactly one of --incident REPORT or --at LON,LAT");
  const engine::RuleSet rules = LoadRules(g);
  forces::DeployRequest req;
  std::optional<engine::Incident> incident;
  if (!a.incident.empty()) {
    auto incidents = engine::ReadReportFile(a.incident, rules);
    if (incidents.empty()) throw Error(ErrorKind::kInput, a.incident, "the report holds no incident");
    incident = incidents.front();
    if (!incident->location)
      throw Error(ErrorKind::kInput, a.incident + ": /location", "the incident has no location",
                  "add location {lon, lat} to the report or use --at");
    req.incident_id = incident->incident_id;
    req.fire = *incident->location;
    req.county = incident->county;
  } else {
    req.fire = ParseLonLat(a.at, "--at");
  }
  if (!a.county.empty()) req.county = a.county;
  if (!a.level.empty() && a.level != "none") {
    req.level = engine::ParseLevel(a.level);
    if (!req.level) throw Error(ErrorKind::kUsage, "--level", "unknown level '" + a.level + "'", "use IV, III, II, I or none");
    req.level_source = "--level";
  } else if (a.level.empty() && incident) {
    const engine::Engine engine(rules);
    const engine::Decision d = engine.Assess(*incident);
    req.level = d.response_level;
    req.level_source = "engine";
    for (const auto& t : d.triggers)
      if (d.response_level && t.level == *d.response_level) req.level_source += (req.level_source == "engine" ? ": " : ", ") + t.clause;
  } else if (a.level.empty()) {
    throw Error(ErrorKind::kUsage, "deploy", "--at needs --level IV|III|II|I|none",
                "or give --incident REPORT and let the engine decide the level");
  } else {
    req.level_source = "--level none";
  }
  const forces::Registry reg = forces::LoadRegistry(a.forces.empty() ? DefaultForces() : a.forces, rules);
  forces::DeployInputs in =
      forces::LoadDeployInputs(req.fire, a.dem, Metres(a.dem_radius_km * 1000), a.roads, a.roads_config);
  for (const auto& z : a.zones) {
    const auto second = z.find(',', z.find(',') + 1);
    const std::string ll = z.substr(0, second);
    const std::string name = second == std::string::npos ? "zone" + std::to_string(in.zones.size() + 1) : z.substr(second + 1);
    in.zones.push_back({name, ParseLonLat(ll, "--safety-zone")});
  }
  forces::DeployOptions opt;
  opt.walk_in = Metres(a.walk_in_m);
  const forces::DeploymentPlan plan = forces::PlanDeployment(rules, reg, req, in, opt);
  if (!a.geojson.empty()) WriteFile(a.geojson, forces::PlanToGeoJson(plan));
  if (a.format == "json") std::cout << forces::PlanToJson(plan, rules) << "\n";
  else std::cout << forces::PlanToText(plan, rules, g.lang);
}

void RunForces(const std::string& file, const std::string& format, Globals& g) {
  const engine::RuleSet rules = LoadRules(g);
  const forces::Registry reg = forces::LoadRegistry(file.empty() ? DefaultForces() : file, rules);
  const bool zh = g.lang != "en";
  int problems = 0;
  if (format == "json") {
    nlohmann::json j = {{"source", reg.source}, {"demo", reg.demo}, {"units", nlohmann::json::array()}};
    for (const auto& u : reg.units) {
      j["units"].push_back({{"id", u.id},
                            {"name", {{"zh", u.name.zh}, {"en", u.name.en}}},
                            {"type", u.type},
                            {"home_county", u.home_county},
                            {"base", {u.base.lon, u.base.lat}},
                            {"strength", u.strength},
                            {"readiness_s", u.readiness.value()},
                            {"where", u.where},
                            {"problems", u.problems}});
      problems += static_cast<int>(u.problems.size());
    }
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << reg.source << (reg.demo ? (zh ? "【演示数据】" : " [DEMO DATA]") : "") << ": " << reg.units.size()
              << (zh ? " 支队伍\n" : " units\n");
    for (const auto& u : reg.units) {
      std::cout << "  " << u.id << "  " << (zh ? u.name.zh : u.name.en) << "  " << u.type << "  "
                << (u.home_county.empty() ? "-" : u.home_county) << "  " << u.strength << (zh ? "人" : " people") << "\n";
      for (const auto& p : u.problems) {
        std::cout << "    ! " << p << "\n";
        ++problems;
      }
    }
  }
  if (problems) g.exit_code = 1;
}

}  // namespace

void RegisterDeployCommands(CLI::App& app, Globals& g) {
  auto a = std::make_shared<DeployArgs>();
  CLI::App* d = app.add_subcommand("deploy", "Deployment plan: who moves first, ETA, by whose request (4.1, 4.2, 6.2.1), "
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
  d->add_option("--walk-in", a->walk_in_m, "Distance crews walk from the vehicles when no road layer says more, m (default 2000)");
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
