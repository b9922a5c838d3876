// libfirebreak_geo.so: the work of `firebreak forecast` (forecast/; options parsed in cmd_forecast.cc).
#include <iostream>
#include <sstream>
#include <string>

#include "firebreak/common/error.h"
#include "firebreak/forecast/forecast.h"
#include "firebreak/forecast/output.h"
#include "firebreak/format/report_io.h"
#include "firebreak/gis/layers.h"
#include "geo_plugin.h"

namespace firebreak::cli {

namespace {

std::vector<double> ParseHoursList(const std::string& s) {
  std::vector<double> v;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      std::size_t used = 0;
      const double h = std::stod(item, &used);
      if (used != item.size() || !(h > 0)) throw std::invalid_argument("bad");
      v.push_back(h);
    } catch (const std::exception&) {
      throw Error(ErrorKind::kUsage, "--isochrones", "cannot read '" + s + "' as hours", "e.g. --isochrones 1,3,6,12");
    }
  }
  return v;
}

forecast::ForecastOptions Options(const ForecastArgs& a) {
  forecast::ForecastOptions o;
  o.landscape.landscape = a.landscape;
  o.landscape.dem = a.dem;
  o.landscape.fuel = a.fuel;
  o.landscape.canopy = a.canopy;
  o.layers = a.layers;
  o.barriers = a.barriers;
  o.perimeter = a.perimeter;
  o.hours = a.hours;
  if (a.ensemble) {
    if (*a.ensemble < 1) {
      throw Error(ErrorKind::kInput, "--ensemble",
                  "an ensemble needs at least 1 member, got " + std::to_string(*a.ensemble),
                  "e.g. --ensemble 100, or leave --ensemble out for the deterministic projection alone");
    }
    o.ensemble = *a.ensemble;
  }
  o.seed = a.seed;
  if (!a.isochrones.empty()) o.isochrones = ParseHoursList(a.isochrones);
  o.wind_ms = a.wind_speed;
  o.wind_from_deg = a.wind_from;
  o.moisture = a.moisture;
  o.ffmc = a.ffmc;
  o.fwi_weather = a.fwi_weather;
  o.fuel_models = a.fuel_models;
  o.threads = a.threads;
  o.geometry = !a.geojson.empty() || !a.html.empty() || a.format == "text";
  o.progress = [](const std::string& line) { std::cerr << "forecast: " << line << "\n"; };
  return o;
}

}  // namespace

void RunForecastCommand(const ForecastArgs& a, const engine::RuleSet& rules, const std::string& lang) {
  const std::vector<engine::Incident> incidents = format::ReadReportFile(a.report, rules);
  if (incidents.size() != 1) {
    throw Error(ErrorKind::kInput, a.report,
                "a forecast projects one incident; the file holds " + std::to_string(incidents.size()),
                "give a file with one report");
  }
  const forecast::ForecastOptions opt = Options(a);
  const forecast::ForecastResult r = forecast::RunForecast(incidents.front(), rules, opt);
  const bool zh = lang != "en";
  forecast::WriteOutputs(r, rules, {a.geojson, a.tif, a.html, zh});
  if (a.format == "json") {
    std::cout << forecast::ForecastJson(r, rules) << "\n";
  } else {
    std::cout << forecast::ForecastText(r, rules, zh);
    for (const auto* f : {&a.geojson, &a.tif, &a.html}) {
      if (!f->empty()) std::cout << (zh ? "已写入 " : "written: ") << *f << "\n";
    }
  }
}

// The landscape of `--landscape`, or of `--forecast`: the DEM and the layers config's fuel raster.
// Error(kUsage) when neither is usable.
forecast::LandscapeFiles LandscapeOf(const EnrichOptions& o) {
  forecast::LandscapeFiles l;
  l.landscape = o.landscape;
  if (!o.landscape.empty()) return l;
  const std::optional<gis::FuelConfig> fuel = o.layers.empty() ? std::nullopt : gis::LoadLayersConfig(o.layers).fuel;
  if (o.dem.empty() || !fuel) {
    throw Error(ErrorKind::kUsage, "--forecast", "needs --dem and a layers config with a fuel raster",
                "or give --landscape LCP.tif");
  }
  l.dem = o.dem;
  l.fuel = fuel->file;
  l.fuel_band = fuel->band;
  return l;
}

void CheckForecastLandscape(const EnrichOptions& o) {
  if (o.forecasts()) (void)LandscapeOf(o);
}

std::string ForecastSection(const EnrichOptions& o, const engine::Incident& incident, const engine::RuleSet& rules,
                            const std::string& lang, bool json) {
  if (!o.forecasts()) return "";
  forecast::ForecastOptions fo;
  fo.layers = o.layers;
  fo.hours = o.forecast_hours;
  fo.geometry = false;
  const bool zh = lang != "en";
  try {
    fo.landscape = LandscapeOf(o);
    const forecast::ForecastResult r = forecast::RunForecast(incident, rules, fo);
    return json ? forecast::ForecastSummaryJson(r, rules) : forecast::ForecastSummaryText(r, rules, zh);
  } catch (const Error& e) {
    // The decision stands without it: say why there is no forecast.
    return json ? forecast::ForecastUnavailableJson(e.ToString()) : forecast::ForecastUnavailableText(e.ToString(), zh);
  }
}

// `GET /api/forecast` of the web desk: what `firebreak forecast REPORT --format json --geojson F` prints and
// writes, for the incident's latest state on serve's landscape, with its layers. Errors are thrown.
std::string DeskForecast(const EnrichOptions& o, const engine::Incident& incident, const engine::RuleSet& rules,
                         const DeskForecastArgs& a) {
  if (!o.forecasts()) {
    throw Error(ErrorKind::kNotFound, "/api/forecast", "no landscape configured on this desk",
                "start `firebreak serve` with --landscape LCP.tif, or --forecast with --dem and a layers fuel raster");
  }
  ForecastArgs args;
  args.hours = a.hours;
  if (a.ensemble > 0) args.ensemble = a.ensemble;
  args.layers = o.layers;
  args.geojson = "-";  // isochrone polygons wanted
  forecast::ForecastOptions fo = Options(args);
  fo.landscape = LandscapeOf(o);
  fo.progress = nullptr;  // a server has no terminal
  const forecast::ForecastResult r = forecast::RunForecast(incident, rules, fo);
  return "{\"forecast\":" + forecast::ForecastJson(r, rules) + ",\"geojson\":" + forecast::ForecastGeoJson(r, rules) +
         "}";
}

}  // namespace firebreak::cli
