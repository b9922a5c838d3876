// `firebreak fire weather|behavior|grid` — fire danger (FWI) and surface fire behaviour (issue 9; docs/fire.md).
// weather and behavior run in the executable (fire/ is pure C++); grid and --landscape read rasters through the
// geo plugin (geo_plugin.h). Output is built whole before anything is printed or written (--output is written
// atomically), so bad input prints nothing and exits 4.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "commands.h"
#include "firebreak/common/error.h"
#include "firebreak/fire/cases.h"
#include "firebreak/fire/fwi.h"
#include "firebreak/fire/grid.h"
#include "firebreak/fire/oneshot.h"
#include "firebreak/fire/output.h"
#include "firebreak/fire/weather_io.h"
#include "geo_plugin.h"

namespace firebreak::cli {

namespace {

void Emit(const std::string& text, const std::string& output) {
  if (output.empty())
    std::cout << text;
  else
    fire::WriteFileAtomic(output, text);
}

struct WeatherArgs {
  std::string input, format = "text", output;
  double ffmc = 85, dmc = 6, dc = 15;
  std::optional<double> fall_dc, winter_rain, latitude;
};

fire::FwiCodes StartCodes(const WeatherArgs& a) {
  if (!(a.ffmc >= 0 && a.ffmc <= 101)) throw Error(ErrorKind::kInput, "--start-ffmc", "FFMC must be in [0, 101]");
  if (!(a.dmc >= 0)) throw Error(ErrorKind::kInput, "--start-dmc", "DMC must be >= 0");
  if (!(a.dc >= 0)) throw Error(ErrorKind::kInput, "--start-dc", "DC must be >= 0");
  fire::FwiCodes c{a.ffmc, a.dmc, a.dc};
  if (a.fall_dc || a.winter_rain) {
    if (!a.fall_dc || !a.winter_rain)
      throw Error(ErrorKind::kUsage, "--overwinter-dc",
                  "the overwintering DC needs both --overwinter-dc and --winter-rain");
    if (!(*a.fall_dc >= 0) || !(*a.winter_rain >= 0))
      throw Error(ErrorKind::kInput, "--overwinter-dc", "fall DC and winter rain must be >= 0");
    c.dc = fire::OverwinterDc(*a.fall_dc, *a.winter_rain);
  }
  if (a.latitude && !(*a.latitude >= -90 && *a.latitude <= 90))
    throw Error(ErrorKind::kInput, "--latitude", "latitude must be in [-90, 90] degrees");
  return c;
}

void RunWeather(const Globals& g, const WeatherArgs& a) {
  const fire::FwiCodes start = StartCodes(a);
  const engine::RuleSet rules = LoadRules(g);
  const fire::WeatherSeries s = fire::ReadWeatherFile(a.input);
  const fire::DayLength dl = fire::DayLengthFor(a.latitude);
  const auto days = fire::RunFwi(start, s.weather, dl);
  fire::FwiTableOptions o;
  o.format = a.format;
  o.lang = g.lang;
  o.start = start;
  o.day_length = dl.name;
  Emit(fire::FormatFwiTable(s, days, rules, o), a.output);
}

struct BehaviorArgs {
  std::string input, format, output, fuel_models, wang;
  // one-shot
  std::string fuel_model, moisture, moisture_scenario, wind_units = "m/s", wind_height = "10m", slope_units = "deg";
  std::optional<double> wind, wind_from, slope, aspect, canopy_cover, canopy_height, crown_ratio, temp, rh, elapsed;
  bool wind_limit = false;
  std::string landscape, at;
};

int ParseFuelModel(const fire::FuelModelTable& t, const std::string& s) {
  if (const fire::FuelModel* m = t.FindCode(s)) return m->number;
  try {
    std::size_t used = 0;
    const int n = std::stoi(s, &used);
    if (used == s.size()) return n;
  } catch (const std::exception&) {
  }
  throw Error(ErrorKind::kInput, "--fuel-model", "unknown fuel model '" + s + "'",
              "a code such as GS2, TU5, FM4 or a number 1-13, 91-99, 101-204");
}

fire::Moisture ParseMoisture(const BehaviorArgs& a, std::string& source) {
  if (!a.moisture.empty() && !a.moisture_scenario.empty())
    throw Error(ErrorKind::kUsage, "--moisture", "give --moisture or --moisture-scenario, not both");
  return a.moisture.empty() ? fire::ParseMoistureSpec(a.moisture_scenario, "--moisture-scenario", source)
                            : fire::ParseMoistureSpec(a.moisture, "--moisture", source);
}

double WindMs(const BehaviorArgs& a) {
  const double v = a.wind.value_or(0);
  if (v < 0) throw Error(ErrorKind::kInput, "--wind", "wind speed must be >= 0");
  try {
    return fire::SpeedToFtMin(v, a.wind_units) * 0.3048 / 60.0;
  } catch (const std::invalid_argument&) {
    throw Error(ErrorKind::kInput, "--wind-units", "unknown speed units '" + a.wind_units + "'",
                "m/s, km/h, mi/h or m/min");
  }
}

// Values a --landscape cell supplies when the flags do not (issue 9: fire behaviour at a point from a landscape).
void FillFromLandscape(const BehaviorArgs& a, fire::PointInputs& in, int& fuel, std::string& note) {
  engine::LonLat ll;
  char comma = 0;
  std::istringstream s(a.at);
  if (!(s >> ll.lon >> comma >> ll.lat) || comma != ',' || std::abs(ll.lon) > 180 || std::abs(ll.lat) > 90)
    throw Error(ErrorKind::kUsage, "--at", "expected LON,LAT in WGS84 degrees, got '" + a.at + "'",
                "e.g. --at -114.18,46.69");
  fire::LandscapeCell p;
  ThrowIfError(Geo().LandscapeAt(a.landscape, ll, p));
  if (fuel == 0 && p.fuel_model) fuel = *p.fuel_model;
  if (!a.slope && p.slope_deg) in.slope_deg = *p.slope_deg;
  if (!a.aspect && p.aspect_deg) in.aspect_deg = *p.aspect_deg;
  if (!a.canopy_cover && p.canopy_cover_pct) in.canopy_cover = *p.canopy_cover_pct / 100;
  if (!a.canopy_height && p.canopy_height_m) in.canopy_height_m = *p.canopy_height_m;
  if (!a.crown_ratio && p.canopy_height_m && p.canopy_base_m && *p.canopy_height_m > 0)
    in.crown_ratio = std::clamp((*p.canopy_height_m - *p.canopy_base_m) / *p.canopy_height_m, 0.0, 1.0);
  note = p.description;
}

void RunOneShot(const Globals& g, const BehaviorArgs& a) {
  const fire::FuelModelTable table = fire::FuelModelTable::Load(fire::FuelModelPath(a.fuel_models));
  const fire::SurfaceFuels fuels(table);
  fire::PointInputs in;
  int fuel = a.fuel_model.empty() ? 0 : ParseFuelModel(table, a.fuel_model);
  in.moisture = ParseMoisture(a, in.moisture_source);
  in.wind_ms = WindMs(a);
  in.wind_height = a.wind_height == "20ft"       ? fire::WindHeight::kTwentyFoot
                   : a.wind_height == "midflame" ? fire::WindHeight::kMidflame
                                                 : fire::WindHeight::kTenMetre;
  in.wind_from_deg = a.wind_from.value_or(0);
  const double slope = a.slope.value_or(0);
  in.slope_deg = a.slope_units == "percent" ? std::atan(slope / 100) * 180 / 3.14159265358979323846 : slope;
  if (a.slope_units == "percent" && slope < 0) in.slope_deg = -1;  // rejected below
  in.aspect_deg = a.aspect.value_or(0);
  in.canopy_cover = a.canopy_cover.value_or(0) / 100;
  in.canopy_height_m = a.canopy_height.value_or(0);
  in.crown_ratio = a.crown_ratio.value_or(0);
  in.temp_c = a.temp;
  in.rh_pct = a.rh;
  in.wind_limit = a.wind_limit;
  in.elapsed_min = a.elapsed;
  std::string landscape_note;
  if (!a.landscape.empty()) FillFromLandscape(a, in, fuel, landscape_note);
  if (fuel == 0)
    throw Error(ErrorKind::kUsage, "--fuel-model", "name the fuel model (or give --landscape FILE --at LON,LAT)");
  in.fuel_model = fuel;
  fire::ValidatePointInputs(fuels, in);
  std::optional<fire::WangParams> wang;
  if (in.temp_c && in.rh_pct) wang = fire::LoadWangParams(fire::WangParamsPath(a.wang));
  const fire::PointBehaviour b = fire::BehaviourAtPoint(fuels, wang ? &*wang : nullptr, in);
  const bool zh = g.lang != "en";
  std::string out = a.format == "json" ? fire::PointBehaviourJson(b, in) : fire::PointBehaviourText(b, in, zh);
  if (!landscape_note.empty() && a.format != "json")
    out = (zh ? "地形与可燃物：" : "Landscape: ") + landscape_note + "\n" + out;
  Emit(out, a.output);
}

void RunBehavior(const Globals& g, const BehaviorArgs& a) {
  if (a.input.empty()) return RunOneShot(g, a);
  const fire::FuelModelTable table = fire::FuelModelTable::Load(fire::FuelModelPath(a.fuel_models));
  const fire::SurfaceFuels fuels(table);
  std::string text;
  if (a.input == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    text = s.str();
  } else {
    std::ifstream in(a.input, std::ios::binary);
    if (!in) throw Error(ErrorKind::kNotFound, a.input, "cannot open file", "check the path");
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  const fire::CasesRun run = fire::RunCases(text, a.input == "-" ? "stdin" : a.input, fuels);
  Emit(fire::FormatCases(run, a.format.empty() ? "csv" : a.format), a.output);
  for (const std::string& s : run.skipped) std::cerr << "firebreak: note: " << s << "\n";
}

void AddWeather(CLI::App* fire_cmd, Globals& g) {
  auto a = std::make_shared<WeatherArgs>();
  CLI::App* w = fire_cmd->add_subcommand("weather",
                                         "FWI codes and indices from daily noon weather (FFMC DMC DC ISI BUI FWI DSR)");
  w->add_option("--input", a->input,
                "Weather file: '[year] month day temp_c rh_pct wind_kmh rain_mm' per line, or CSV ('-' = stdin)")
      ->required();
  w->add_option("--start-ffmc", a->ffmc, "Yesterday's FFMC (start-up 85)");
  w->add_option("--start-dmc", a->dmc, "Yesterday's DMC (start-up 6)");
  w->add_option("--start-dc", a->dc, "Yesterday's DC (start-up 15)");
  w->add_option("--overwinter-dc", a->fall_dc, "Last fall DC: start from the overwintered DC (with --winter-rain)");
  w->add_option("--winter-rain", a->winter_rain, "Rain (mm) between fall and spring, for --overwinter-dc");
  w->add_option("--latitude", a->latitude,
                "Station latitude: day-length factors of its band (default: the standard 46°N tables; Liuzhou 24.3)");
  w->add_option("--format", a->format, "text (default), csv or json")->check(CLI::IsMember({"text", "csv", "json"}));
  w->add_option("--output", a->output, "Write to FILE (atomically) instead of stdout");
  w->add_option("--lang", g.lang, "zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  w->callback([a, &g] { RunWeather(g, *a); });
}

void AddBehavior(CLI::App* fire_cmd, Globals& g) {
  auto a = std::make_shared<BehaviorArgs>();
  CLI::App* b =
      fire_cmd->add_subcommand("behavior", "Surface fire behaviour: a CASES.csv file, or one point from flags");
  b->alias("behaviour");
  b->add_option("--input", a->input, "CASES.csv with the columns of surface_cases_public.csv ('-' = stdin)");
  b->add_option("--format", a->format, "csv (default for --input) or json; text (default) or json for one point")
      ->check(CLI::IsMember({"csv", "json", "text"}));
  b->add_option("--output", a->output, "Write to FILE (atomically) instead of stdout");
  b->add_option("--fuel-models", a->fuel_models,
                "BehavePlus fuel_models.csv (default: $FIREBREAK_FUEL_MODELS, then the shared data)");
  b->add_option("--wang", a->wang, "Wang Zhengfei parameter file (default: data/fire/wang-zhengfei.yaml)");
  b->add_option("--fuel-model", a->fuel_model, "Fuel model code or number (GS2, 122, FM4)");
  b->add_option("--moisture", a->moisture, "Moistures % 1h,10h,100h,herb,woody (e.g. 6,7,8,60,90)");
  b->add_option("--moisture-scenario", a->moisture_scenario, "Scott & Burgan scenario D1L1..D4L4 (default D2L2)");
  b->add_option("--wind", a->wind, "Wind speed (default units m/s)");
  b->add_option("--wind-units", a->wind_units, "m/s (default), km/h, mi/h, m/min");
  b->add_option("--wind-height", a->wind_height, "10m (default, station wind), 20ft or midflame")
      ->check(CLI::IsMember({"10m", "20ft", "midflame"}));
  b->add_option("--wind-from", a->wind_from, "Direction the wind blows FROM, degrees (compass)");
  b->add_option("--slope", a->slope, "Slope steepness (degrees; --slope-units percent)");
  b->add_option("--slope-units", a->slope_units, "deg (default) or percent")->check(CLI::IsMember({"deg", "percent"}));
  b->add_option("--aspect", a->aspect, "Direction the slope faces, degrees (compass)");
  b->add_option("--canopy-cover", a->canopy_cover, "Canopy cover % (sheltered wind adjustment)");
  b->add_option("--canopy-height", a->canopy_height, "Canopy height, m");
  b->add_option("--crown-ratio", a->crown_ratio, "Crown ratio (0-1)");
  b->add_option("--temp", a->temp, "Air temperature °C (for 王正非's R0)");
  b->add_option("--rh", a->rh, "Relative humidity % (for 王正非's R0)");
  b->add_option("--elapsed", a->elapsed, "Elapsed time, minutes: fire size and perimeter");
  b->add_flag("--wind-limit", a->wind_limit, "Apply BehavePlus's effective wind limit (0.9 I_R)");
  b->add_option("--landscape", a->landscape, "Landscape GeoTIFF (LCP bands: elevation, slope, aspect, fuel, canopy)");
  b->add_option("--at", a->at, "Point LON,LAT (WGS84) in --landscape");
  b->add_option("--lang", g.lang, "zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  b->callback([a, &g] { RunBehavior(g, *a); });
}

struct GridArgs {
  fire::FwiGridJob job;
  std::string bands = "1,2,3,4", format = "text";
  double ffmc = 85, dmc = 6, dc = 15;
};

void RunGrid(const Globals& g, GridArgs a) {
  std::istringstream bs(a.bands);
  char c1 = 0, c2 = 0, c3 = 0;
  if (!(bs >> a.job.band_temp >> c1 >> a.job.band_rh >> c2 >> a.job.band_wind >> c3 >> a.job.band_rain) || c1 != ',' ||
      c2 != ',' || c3 != ',')
    throw Error(ErrorKind::kUsage, "--bands", "expected four band numbers TEMP,RH,WIND,RAIN, got '" + a.bands + "'");
  WeatherArgs w;
  w.ffmc = a.ffmc, w.dmc = a.dmc, w.dc = a.dc, w.latitude = a.job.latitude;
  a.job.start = StartCodes(w);
  const engine::RuleSet rules = LoadRules(g);
  fire::FwiGridSummary s;
  ThrowIfError(Geo().FwiGrid(a.job, rules, s));
  const bool zh = g.lang != "en";
  std::ostringstream o;
  if (a.format == "json") {
    o << "{\"output\": \"" << a.job.output << "\", \"rows\": " << s.rows << ", \"cols\": " << s.cols
      << ", \"valid_cells\": " << s.valid << ", \"fwi_min\": " << s.fwi_min << ", \"fwi_max\": " << s.fwi_max
      << ", \"fwi_mean\": " << s.fwi_mean << ", \"class_cells\": [";
    for (std::size_t k = 0; k < s.class_cells.size(); ++k) o << (k ? ", " : "") << s.class_cells[k];
    o << "], \"day_length\": \"" << s.day_length << "\", \"seconds\": {\"read\": " << s.seconds_read
      << ", \"compute\": " << s.seconds_compute << ", \"write\": " << s.seconds_write << "}}\n";
  } else {
    o << (zh ? "FWI 栅格已写入 " : "FWI grid written to ") << a.job.output << " (" << s.rows << " x " << s.cols
      << (zh ? "，8个波段 FFMC DMC DC ISI BUI FWI DSR CLASS)\n" : ", 8 bands FFMC DMC DC ISI BUI FWI DSR CLASS)\n");
    o << (zh ? "  有效像元 " : "  valid cells ") << s.valid << "  FWI " << s.fwi_min << " .. " << s.fwi_max
      << (zh ? "，均值 " : ", mean ") << s.fwi_mean << "\n";
    for (std::size_t k = 1; k < s.class_cells.size() && rules.fire_danger; ++k) {
      const engine::DangerClass& c = rules.fire_danger->classes[k - 1];
      o << "  " << (zh ? c.name.zh : c.name.en) << " → "
        << (zh ? engine::ColourNameZh(c.colour) : engine::ColourName(c.colour))
        << (zh ? "（建议）: " : " (suggested): ") << s.class_cells[k] << "\n";
    }
    o << (zh ? "  日长系数：" : "  day length: ") << s.day_length << "\n";
  }
  std::cout << o.str();
}

void AddGrid(CLI::App* fire_cmd, Globals& g) {
  auto a = std::make_shared<GridArgs>();
  CLI::App* c = fire_cmd->add_subcommand("grid", "FWI over a weather raster stack (GDAL), written as a GeoTIFF stack");
  c->add_option("--weather", a->job.weather, "Weather raster (bands temp_c, rh_pct, wind_kmh, rain_mm)")->required();
  c->add_option("--bands", a->bands, "Band numbers TEMP,RH,WIND,RAIN (default 1,2,3,4)");
  c->add_option("--month", a->job.month, "Month of the day (1-12; day-length factors)")->required();
  c->add_option("--yesterday", a->job.yesterday, "Yesterday's codes: a raster with FFMC, DMC, DC in bands 1-3");
  c->add_option("--start-ffmc", a->ffmc, "FFMC for every cell when there is no --yesterday (85)");
  c->add_option("--start-dmc", a->dmc, "DMC for every cell (6)");
  c->add_option("--start-dc", a->dc, "DC for every cell (15)");
  c->add_option("--latitude", a->job.latitude, "Latitude for the day-length band (default: the 46°N tables)");
  c->add_option("--output", a->job.output, "Output GeoTIFF (written whole, then renamed into place)")->required();
  c->add_option("--threads", a->job.threads, "Threads (default: all cores)");
  c->add_option("--format", a->format, "text (default) or json summary")->check(CLI::IsMember({"text", "json"}));
  c->add_option("--lang", g.lang, "zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  c->callback([a, &g] { RunGrid(g, *a); });
}

}  // namespace

void RegisterFireCommands(CLI::App& app, Globals& g) {
  CLI::App* f = app.add_subcommand("fire", "Fire danger (FWI) and fire behaviour (Rothermel/BehavePlus, 王正非)");
  f->require_subcommand(1);
  AddWeather(f, g);
  AddBehavior(f, g);
  AddGrid(f, g);
}

}  // namespace firebreak::cli
