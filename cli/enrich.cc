#include "enrich.h"

#include <map>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/forces/deploy.h"
#include "firebreak/forces/registry.h"
#include "firebreak/gis/site.h"

namespace firebreak::cli {

void AddEnrichOptions(CLI::App* cmd, EnrichOptions& o) {
  cmd->add_option("--dem", o.dem, "DEM raster: derive terrain facts (slope, ridge, saddle, box canyon, cliff…)");
  cmd->add_option("--layers", o.layers, "Layers config (counties, city outline, places, targets, sensitive areas, fuel)");
  cmd->add_option("--radius", o.radius_km, "Analysis radius around the incident, km (default 3)")
      ->check(CLI::Range(0.1, 50.0));
  cmd->add_option("--forces", o.forces, "Forces registry: add the deployment plan (4.1/4.2, 6.2.1)");
  cmd->add_option("--roads", o.roads, "Road line layer for travel times (with --forces)");
  cmd->add_option("--roads-config", o.roads_config, "Road speeds by class (with --roads)");
}

struct Enricher::Impl {
  const engine::RuleSet& rules;
  EnrichOptions opt;
  std::optional<gis::SiteContext> site;
  std::optional<forces::Registry> registry;
  std::map<std::string, gis::SiteAnalysis> analyses;
  Impl(const EnrichOptions& o, const engine::RuleSet& r) : rules(r), opt(o) {}
};

Enricher::Enricher(const EnrichOptions& o, const engine::RuleSet& rules) : impl_(std::make_unique<Impl>(o, rules)) {
  if (!o.roads.empty() && o.forces.empty())
    throw Error(ErrorKind::kUsage, "--roads", "a road layer is only used for deployment", "add --forces FILE");
  if (o.any_gis()) impl_->site.emplace(gis::SiteContext::Open(o.dem, o.layers));
  if (!o.forces.empty()) impl_->registry.emplace(forces::LoadRegistry(o.forces, rules));
}

Enricher::~Enricher() = default;

bool Enricher::active() const { return impl_->opt.any(); }

void Enricher::Enrich(engine::Incident& incident) {
  if (!impl_->site) return;
  impl_->analyses[incident.incident_id] = impl_->site->Enrich(incident, ToMetres(Kilometres(impl_->opt.radius_km)));
}

std::string Enricher::Text(const engine::Incident& incident, const engine::Decision& d, const std::string& lang) {
  std::string out;
  bool zh = lang != "en";
  if (auto it = impl_->analyses.find(incident.incident_id); it != impl_->analyses.end()) {
    out += zh ? "\n【地形与地物】\n" : "\n[Terrain and places]\n";
    out += gis::SiteText(it->second, zh);
  }
  if (impl_->registry) {
    if (!incident.location) {
      out += zh ? "\n【力量调动】报告无经纬度，无法生成调动方案。\n"
                : "\n[Deployment] the report has no location: no deployment plan.\n";
    } else {
      auto in = forces::LoadDeployInputs(*incident.location, impl_->opt.dem, Metres(5000), impl_->opt.roads,
                                         impl_->opt.roads_config);
      auto plan = forces::PlanForIncident(impl_->rules, incident, d.response_level, *impl_->registry, in);
      out += "\n" + forces::PlanToText(plan, impl_->rules, lang);
    }
  }
  return out;
}

std::string Enricher::Json(const engine::Incident& incident, const engine::Decision& d) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  if (auto it = impl_->analyses.find(incident.incident_id); it != impl_->analyses.end())
    j["site"] = nlohmann::ordered_json::parse(gis::SiteJson(it->second));
  if (impl_->registry && incident.location) {
    auto in = forces::LoadDeployInputs(*incident.location, impl_->opt.dem, Metres(5000), impl_->opt.roads,
                                       impl_->opt.roads_config);
    auto plan = forces::PlanForIncident(impl_->rules, incident, d.response_level, *impl_->registry, in);
    j["deployment"] = nlohmann::ordered_json::parse(forces::PlanToJson(plan, impl_->rules, -1));
  }
  return j.dump();
}

}  // namespace firebreak::cli
