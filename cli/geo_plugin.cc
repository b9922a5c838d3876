// libfirebreak_geo.so: the GDAL / Boost.Graph half of `firebreak` (interface and contract: geo_plugin.h).
// Holds the work of `terrain`, `demo-data`, `deploy`, `forces` and of the Enricher behind
// assess/report/drill --dem/--layers/--forces. Option parsing stays in the executable.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/engine/engine.h"
#include "firebreak/format/report_io.h"
#include "firebreak/fire/facts.h"
#include "firebreak/fire/grid.h"
#include "firebreak/fire/oneshot.h"
#include "firebreak/forces/deploy.h"
#include "firebreak/forces/registry.h"
#include "firebreak/gis/demo_data.h"
#include "firebreak/gis/layers.h"
#include "firebreak/gis/raster.h"
#include "firebreak/gis/site.h"
#include "firebreak/gis/web_export.h"
#include "geo_plugin.h"

namespace firebreak::cli {

void RunForecastCommand(const ForecastArgs& a, const engine::RuleSet& rules, const std::string& lang);
// The forecast section of assess/report/status (geo_plugin_forecast.cc); "" without a landscape.
// Error(kUsage) when --forecast has no DEM or no fuel raster in the layers config (serve refuses to start).
void CheckForecastLandscape(const EnrichOptions& o);
std::string DeskForecast(const EnrichOptions& o, const engine::Incident& incident, const engine::RuleSet& rules,
                         const DeskForecastArgs& a);
std::string ForecastSection(const EnrichOptions& o, const engine::Incident& incident, const engine::RuleSet& rules,
                            const std::string& lang, bool json);

namespace {

// Runs f; returns what it threw as a GeoError (nothing crosses the boundary as an exception).
template <class F>
GeoError Guard(F&& f) noexcept {
  try {
    f();
    return {};
  } catch (const Error& e) {
    return {GeoError::Type::kError, e.kind(), e.where(), e.message(), e.hint()};
  } catch (const std::exception& e) {
    return {GeoError::Type::kOther, ErrorKind::kInternal, {}, e.what(), {}};
  } catch (...) {
    return {GeoError::Type::kOther, ErrorKind::kInternal, {}, "unknown exception in the geo plugin", {}};
  }
}

// ---- terrain, demo-data ----

engine::LonLat ParseTerrainLonLat(const std::string& s) {
  const auto comma = s.find(',');
  engine::LonLat ll;
  try {
    if (comma == std::string::npos) throw std::invalid_argument("no comma");
    std::size_t p1 = 0, p2 = 0;
    ll.lon = std::stod(s.substr(0, comma), &p1);
    ll.lat = std::stod(s.substr(comma + 1), &p2);
    if (p1 != comma || p2 != s.size() - comma - 1) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw Error(ErrorKind::kUsage, "--at", "cannot parse '" + s + "' as LON,LAT",
                "give WGS84 degrees, longitude first, e.g. --at 109.30,25.00");
  }
  if (!(std::abs(ll.lon) <= 180 && std::abs(ll.lat) <= 90)) {
    throw Error(ErrorKind::kUsage, "--at", "'" + s + "' is not a lon/lat in degrees",
                "longitude first: --at 109.30,25.00");
  }
  return ll;
}

void RunTerrain(const TerrainArgs& a, const engine::RuleSet& rules, const std::string& lang) {
  const engine::LonLat at = ParseTerrainLonLat(a.at);
  if (!(a.radius_km > 0 && a.radius_km <= 50)) {
    throw Error(ErrorKind::kUsage, "--radius", "radius must be in (0, 50] km", "e.g. --radius 3");
  }
  gis::SiteContext ctx = gis::SiteContext::Open(a.dem, a.layers);
  gis::SiteOptions opt;
  opt.radius = Metres(a.radius_km * 1000);
  opt.wind_from_deg = a.wind_from;
  opt.wind_speed_ms = a.wind_speed;
  opt.head_dir_deg = a.head_dir;
  if (a.night) opt.night = true;
  opt.zones = !a.geojson.empty();
  gis::SiteAnalysis s = gis::AnalyzeSite(ctx.layers(), ctx.dem(), at, opt);
  gis::WordSiteSafety(s, rules);
  if (!a.geojson.empty()) {
    std::ofstream out(a.geojson);
    out << gis::SiteGeoJson(s) << "\n";
    if (!out) throw Error(ErrorKind::kInput, a.geojson, "cannot write GeoJSON", "check the directory is writable");
  }
  if (a.format == "json") {
    std::cout << gis::SiteJson(s) << "\n";
  } else {
    std::cout << gis::SiteText(s, lang != "en");
    if (!a.geojson.empty())
      std::cout << (lang != "en" ? "GeoJSON 已写入 " : "GeoJSON written to ") << a.geojson << "\n";
  }
}

std::string Fixed5(const engine::LonLat& ll) {
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(5);
  os << ll.lon << "," << ll.lat;
  return os.str();
}

void RunDemoData(const std::string& outdir, const std::string& lang) {
  gis::DemoFiles f = gis::WriteDemoData(outdir);
  const bool zh = lang != "en";
  std::cout << (zh ? "演示数据（合成，非真实地理）已写入 " : "Demo data (synthetic, not real geography) written to ")
            << outdir << "\n"
            << "  dem:    " << f.dem << "\n  fuel:   " << f.fuel << "\n  layers: " << f.layers << "\n"
            << (zh ? "已知地形点（--at）：\n" : "Known features (--at):\n");
  for (const auto& [name, ll] : f.points) {
    std::cout << "  " << name << std::string(12 - std::min<std::size_t>(11, name.size()), ' ') << Fixed5(ll) << "\n";
  }
  std::cout << (zh ? "试一试：" : "Try: ") << "firebreak terrain --dem " << f.dem << " --layers " << f.layers
            << " --at " << Fixed5(f.points[3].second) << "\n";
}

// ---- deploy, forces ----

engine::LonLat ParseDeployLonLat(const std::string& s, const std::string& opt) {
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

void RunDeploy(const DeployArgs& a, const engine::RuleSet& rules, const std::string& lang) {
  forces::DeployRequest req;
  std::optional<engine::Incident> incident;
  if (!a.incident.empty()) {
    auto incidents = format::ReadReportFile(a.incident, rules);
    if (incidents.empty()) throw Error(ErrorKind::kInput, a.incident, "the report holds no incident");
    incident = incidents.front();
    if (!incident->location)
      throw Error(ErrorKind::kInput, a.incident + ": /location", "the incident has no location",
                  "add location {lon, lat} to the report or use --at");
    req.incident_id = incident->incident_id;
    req.fire = *incident->location;
    req.county = incident->county;
  } else {
    req.fire = ParseDeployLonLat(a.at, "--at");
  }
  if (!a.county.empty()) req.county = a.county;
  if (!a.level.empty() && a.level != "none") {
    req.level = engine::ParseLevel(a.level);
    if (!req.level)
      throw Error(ErrorKind::kUsage, "--level", "unknown level '" + a.level + "'", "use IV, III, II, I or none");
    req.level_source = "--level";
  } else if (a.level.empty() && incident) {
    const engine::Engine engine(rules);
    const engine::Decision d = engine.Assess(*incident);
    req.level = d.response_level;
    req.level_source = "engine";
    for (const auto& t : d.triggers)
      if (d.response_level && t.level == *d.response_level)
        req.level_source += (req.level_source == "engine" ? ": " : ", ") + std::string(t.clause);
  } else if (a.level.empty()) {
    throw Error(ErrorKind::kUsage, "deploy", "--at needs --level IV|III|II|I|none",
                "or give --incident REPORT and let the engine decide the level");
  } else {
    req.level_source = "--level none";
  }
  const forces::Registry reg = forces::LoadRegistry(a.forces, rules);
  forces::DeployInputs in =
      forces::LoadDeployInputs(req.fire, a.dem, Metres(a.dem_radius_km * 1000), a.roads, a.roads_config);
  for (const auto& z : a.zones) {
    const auto second = z.find(',', z.find(',') + 1);
    const std::string ll = z.substr(0, second);
    const std::string name =
        second == std::string::npos ? "zone" + std::to_string(in.zones.size() + 1) : z.substr(second + 1);
    in.zones.push_back({name, ParseDeployLonLat(ll, "--safety-zone")});
  }
  forces::DeployOptions opt;
  opt.walk_in = Metres(a.walk_in_m);
  const forces::DeploymentPlan plan = forces::PlanDeployment(rules, reg, req, in, opt);
  if (!a.geojson.empty()) WriteFile(a.geojson, forces::PlanToGeoJson(plan));
  if (a.format == "json")
    std::cout << forces::PlanToJson(plan, rules) << "\n";
  else
    std::cout << forces::PlanToText(plan, rules, lang);
}

void RunForces(const std::string& file, const std::string& format, const engine::RuleSet& rules,
               const std::string& lang, int& exit_code) {
  const forces::Registry reg = forces::LoadRegistry(file, rules);
  const bool zh = lang != "en";
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
                << (u.home_county.empty() ? "-" : u.home_county) << "  " << u.strength << (zh ? "人" : " people")
                << "\n";
      for (const auto& p : u.problems) {
        std::cout << "    ! " << p << "\n";
        ++problems;
      }
    }
  }
  if (problems) exit_code = 1;
}

// ---- the Enricher's maps (semantics: enrich.h) ----

class Session final : public GeoSession {
 public:
  Session(const EnrichOptions& o, const engine::RuleSet& rules) : rules_(rules), opt_(o) {
    if (o.any_gis()) site_.emplace(gis::SiteContext::Open(o.dem, o.layers));
    if (!o.forces.empty()) registry_.emplace(forces::LoadRegistry(o.forces, rules));
    if (site_ && site_->layers().fuel()) OpenFire();
  }

  GeoError Enrich(engine::Incident& incident) override {
    return Guard([&] {
      if (!site_) return;
      gis::SiteAnalysis& s = analyses_[incident.incident_id];
      s = site_->Enrich(incident, ToMetres(Kilometres(opt_.radius_km)));
      gis::WordSiteSafety(s, rules_);
      const gis::SiteAnalysis& a = s;
      if (fuels_) FireAt(incident, a);
    });
  }

  GeoError Text(const engine::Incident& incident, const engine::Decision& d, const std::string& lang,
                std::string& out) override {
    return Guard([&] {
      out.clear();
      const bool zh = lang != "en";
      if (auto it = analyses_.find(incident.incident_id); it != analyses_.end()) {
        out += zh ? "\n【地形与地物】\n" : "\n[Terrain and places]\n";
        out += gis::SiteText(it->second, zh);
      }
      out += FireText(incident.incident_id, zh);
      if (registry_) {
        if (!incident.location) {
          out += zh ? "\n【力量调动】报告无经纬度，无法生成调动方案。\n"
                    : "\n[Deployment] the report has no location: no deployment plan.\n";
        } else {
          out += "\n" + forces::PlanToText(Plan(incident, d), rules_, lang);
        }
      }
      out += ForecastSection(opt_, incident, rules_, lang, false);
    });
  }

  GeoError Json(const engine::Incident& incident, const engine::Decision& d, std::string& out) override {
    return Guard([&] {
      nlohmann::ordered_json j = nlohmann::ordered_json::object();
      if (auto it = analyses_.find(incident.incident_id); it != analyses_.end())
        j["site"] = nlohmann::ordered_json::parse(gis::SiteJson(it->second));
      if (auto f = fire_.find(incident.incident_id); f != fire_.end()) {
        if (f->second.ran) {
          j["fire_behaviour"] = nlohmann::ordered_json::parse(fire::PointBehaviourJson(f->second.b, f->second.in));
          j["fire_behaviour"]["source"] = f->second.source;
        } else {
          j["fire_behaviour"] = {{"not_computed", f->second.why}};
        }
      }
      if (registry_ && incident.location)
        j["deployment"] = nlohmann::ordered_json::parse(forces::PlanToJson(Plan(incident, d), rules_, -1));
      if (opt_.forecasts())
        j["forecast"] = nlohmann::ordered_json::parse(ForecastSection(opt_, incident, rules_, "en", true));
      out = j.dump();
    });
  }

  GeoError Forecast(const engine::Incident& incident, const std::string& lang, bool json, std::string& out) override {
    return Guard([&] { out = ForecastSection(opt_, incident, rules_, lang, json); });
  }

 private:
  // Issue 9: the fire behaviour at the incident point needs the fuel models (and, for 王正非, its file). A table
  // that was named and is missing is an error; one that the default search does not find only skips the model.
  void OpenFire() {
    std::string path;
    try {
      path = fire::FuelModelPath(opt_.fuel_models);
    } catch (const Error& e) {
      fire_note_ = e.message();
      return;
    }
    fuel_table_.emplace(fire::FuelModelTable::Load(path));
    fuels_.emplace(*fuel_table_);
    moisture_ = fire::ParseMoistureSpec(opt_.fuel_moisture, "--fuel-moisture", moisture_source_);
    try {
      wang_.emplace(fire::LoadWangParams(fire::WangParamsPath(opt_.wang)));
    } catch (const Error& e) {
      if (!opt_.wang.empty()) throw;
    }
  }

  void FireAt(engine::Incident& incident, const gis::SiteAnalysis& a) {
    FireRun& f = fire_[incident.incident_id];
    const auto in = fire::BehaviourInputs(incident, *fuels_, a.fuel_code, a.slope_deg, a.aspect_deg, moisture_,
                                          moisture_source_, f.why);
    if (!in) return;
    fire::ValidatePointInputs(*fuels_, *in);
    f.in = *in;
    f.b = fire::BehaviourAtPoint(*fuels_, wang_ ? &*wang_ : nullptr, *in);
    std::ostringstream src;
    src.setf(std::ios::fixed);
    src.precision(1);
    src << "fire:rothermel fuel " << f.b.model->code << "(" << f.b.model->number << ") layers:fuel; slope "
        << in->slope_deg << "° aspect " << in->aspect_deg << "° dem; wind " << in->wind_ms << " m/s from "
        << in->wind_from_deg << "° (report, 10 m; WAF " << f.b.surface.waf << "); moisture " << in->moisture_source;
    f.source = src.str();
    fire::AddBehaviourFacts(incident, f.b, f.source);
    f.ran = true;
  }

  std::string FireText(const std::string& id, bool zh) const {
    if (!fuels_ && fire_note_.empty()) return {};
    if (!fuels_)
      return zh ? "\n【火行为】未计算：" + fire_note_ + "\n" : "\n[Fire behaviour] not computed: " + fire_note_ + "\n";
    auto it = fire_.find(id);
    if (it == fire_.end()) return {};
    if (!it->second.ran)
      return (zh ? "\n【火行为】未计算：" : "\n[Fire behaviour] not computed: ") + it->second.why + "\n";
    return (zh ? "\n【火行为】" : "\n[Fire behaviour] ") + fire::BehaviourLine(it->second.b, zh) + "\n  " +
           (zh ? "输入：" : "inputs: ") + it->second.source + "\n";
  }

  struct FireRun {
    bool ran = false;
    std::string why, source;
    fire::PointInputs in;
    fire::PointBehaviour b;
  };

  forces::DeploymentPlan Plan(const engine::Incident& incident, const engine::Decision& d) const {
    auto in = forces::LoadDeployInputs(*incident.location, opt_.dem, Metres(5000), opt_.roads, opt_.roads_config);
    return forces::PlanForIncident(rules_, incident, d.response_level, *registry_, in);
  }

  const engine::RuleSet& rules_;
  EnrichOptions opt_;
  std::optional<gis::SiteContext> site_;
  std::optional<forces::Registry> registry_;
  std::map<std::string, gis::SiteAnalysis> analyses_;
  std::optional<fire::FuelModelTable> fuel_table_;
  std::optional<fire::SurfaceFuels> fuels_;
  std::optional<fire::WangParams> wang_;
  fire::Moisture moisture_;
  std::string moisture_source_, fire_note_;
  std::map<std::string, FireRun> fire_;
};

// ---- the web desk's maps (firebreak serve) ----

class DeskMapsImpl final : public DeskMaps {
 public:
  DeskMapsImpl(const EnrichOptions& o, const engine::RuleSet& rules) : rules_(rules), opt_(o) {
    if (o.any_gis()) site_.emplace(gis::SiteContext::Open(o.dem, o.layers));
    if (!o.layers.empty()) layers_cfg_ = gis::LoadLayersConfig(o.layers);
    if (!o.forces.empty()) registry_.emplace(forces::LoadRegistry(o.forces, rules));
    CheckForecastLandscape(o);
  }

  GeoError Enrich(engine::Incident& incident) override {
    return Guard([&] {
      if (site_) site_->Enrich(incident, ToMetres(Kilometres(opt_.radius_km)));
    });
  }
  GeoError Layers(std::string& geojson) override {
    return Guard([&] {
      if (!layers_cfg_) throw Error(ErrorKind::kGis, "--layers", "no layers config");
      geojson = gis::LayersGeoJson(*layers_cfg_);
    });
  }
  GeoError Hillshade(HillshadeOut& out) override {
    return Guard([&] {
      if (opt_.dem.empty()) throw Error(ErrorKind::kGis, "--dem", "no DEM");
      gis::HillshadeImage h = gis::RenderHillshade(opt_.dem);
      out = HillshadeOut{std::move(h.png), h.west, h.south, h.east, h.north};
    });
  }
  GeoError Site(const SiteArgs& a, std::string& json) override {
    return Guard([&] {
      if (!site_) throw Error(ErrorKind::kGis, "--dem", "no DEM or layers");
      gis::SiteOptions opt;
      opt.radius = Metres(a.radius_km * 1000);
      opt.wind_from_deg = a.wind_from;
      opt.wind_speed_ms = a.wind_speed;
      if (a.night) opt.night = true;
      gis::SiteAnalysis s = gis::AnalyzeSite(site_->layers(), site_->dem(), a.at, opt);
      gis::WordSiteSafety(s, rules_);  // the plan's words, as `firebreak terrain site` gives them
      json = "{\"site\":" + gis::SiteJson(s) + ",\"zones\":" + gis::SiteGeoJson(s) + "}";
    });
  }
  GeoError Deploy(const engine::Incident& incident, std::optional<engine::Level> level, std::string& json) override {
    return Guard([&] {
      if (!registry_) throw Error(ErrorKind::kGis, "--forces", "no forces registry");
      if (!incident.location)
        throw Error(ErrorKind::kInput, incident.incident_id + ": /location", "the incident has no location",
                    "report its location (lon, lat) to plan the deployment");
      auto in = forces::LoadDeployInputs(*incident.location, opt_.dem, Metres(5000), opt_.roads, opt_.roads_config);
      const forces::DeploymentPlan plan = forces::PlanForIncident(rules_, incident, level, *registry_, in);
      json = "{\"plan\":" + forces::PlanToJson(plan, rules_, -1) + ",\"geojson\":" + forces::PlanToGeoJson(plan) + "}";
    });
  }
  GeoError Forecast(const engine::Incident& incident, const DeskForecastArgs& a, std::string& json) override {
    return Guard([&] { json = DeskForecast(opt_, incident, rules_, a); });  // geo_plugin_forecast.cc
  }

 private:
  const engine::RuleSet& rules_;
  EnrichOptions opt_;
  std::optional<gis::SiteContext> site_;
  std::optional<gis::LayersConfig> layers_cfg_;
  std::optional<forces::Registry> registry_;
};

class Plugin final : public GeoPlugin {
 public:
  GeoError OpenSession(const EnrichOptions& o, const engine::RuleSet& rules,
                       std::unique_ptr<GeoSession>& out) override {
    return Guard([&] { out = std::make_unique<Session>(o, rules); });
  }
  GeoError Terrain(const TerrainArgs& a, const engine::RuleSet& rules, const std::string& lang) override {
    return Guard([&] { RunTerrain(a, rules, lang); });
  }
  GeoError DemoData(const std::string& outdir, const std::string& lang) override {
    return Guard([&] { RunDemoData(outdir, lang); });
  }
  GeoError Deploy(const DeployArgs& a, const engine::RuleSet& rules, const std::string& lang) override {
    return Guard([&] { RunDeploy(a, rules, lang); });
  }
  GeoError Forces(const std::string& file, const std::string& format, const engine::RuleSet& rules,
                  const std::string& lang, int& exit_code) override {
    return Guard([&] { RunForces(file, format, rules, lang, exit_code); });
  }
  GeoError OpenDeskMaps(const EnrichOptions& o, const engine::RuleSet& rules,
                        std::unique_ptr<DeskMaps>& out) override {
    return Guard([&] { out = std::make_unique<DeskMapsImpl>(o, rules); });
  }
  GeoError LandscapeAt(const std::string& path, const engine::LonLat& at, fire::LandscapeCell& out) override {
    return Guard([&] { out = fire::ReadLandscapeAt(path, at); });
  }
  GeoError FwiGrid(const fire::FwiGridJob& job, const engine::RuleSet& rules, fire::FwiGridSummary& out) override {
    return Guard([&] { out = fire::RunFwiGrid(job, rules); });
  }
  GeoError Forecast(const ForecastArgs& a, const engine::RuleSet& rules, const std::string& lang) override {
    return Guard([&] { RunForecastCommand(a, rules, lang); });  // geo_plugin_forecast.cc
  }
};

}  // namespace

}  // namespace firebreak::cli

// The one exported symbol (everything else in the plugin is hidden: -fvisibility=hidden).
extern "C" __attribute__((visibility("default"))) firebreak::cli::GeoPlugin* firebreak_geo_plugin(int version) {
  static firebreak::cli::Plugin plugin;
  return version == firebreak::cli::kGeoPluginVersion ? &plugin : nullptr;
}
