#include "firebreak/fire/surface.h"

#include <cctype>
#include <cmath>
#include <functional>
#include <stdexcept>

namespace firebreak::fire {

namespace {

double Norm360(double d) {
  d = std::fmod(d, 360.0);
  return d < 0 ? d + 360.0 : d;
}

// Lower case, only letters and digits: "Characteristic_SAVR" -> "characteristicsavr".
std::string Key(std::string_view s) {
  std::string k;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

// Lower case without spaces: "Btu/ft2/min".
std::string UnitKey(std::string_view s) {
  std::string k;
  for (char c : s)
    if (c != ' ' && c != '\t') k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (k == "°" || k == "degree" || k == "degrees" || k == "deg") return "deg";
  return k;
}

enum class Dim {
  kSpeed,
  kLength,
  kArea,
  kRatio,
  kMoisture,
  kSavr,
  kHeatFlux,
  kIntensity,
  kAngle,
  kTime,
  kHeatArea,
  kDensity,
  kHeatSink
};

// Factor from the internal unit of `dim` to `units`; throws for units of another dimension.
double Factor(Dim dim, std::string_view units) {
  const std::string u = UnitKey(units);
  auto bad = [&]() -> double {
    throw std::invalid_argument("unknown or wrong units '" + std::string(units) + "' for this output");
  };
  switch (dim) {
    case Dim::kSpeed:  // ft/min
      if (u == "ft/min") return 1.0;
      if (u == "ch/h" || u == "chains/h" || u == "ch/hr") return 60.0 / 66.0;
      if (u == "m/min") return 0.3048;
      if (u == "m/s") return 0.3048 / 60.0;
      if (u == "km/h" || u == "kph" || u == "km/hr") return 0.3048 * 60.0 / 1000.0;
      if (u == "mi/h" || u == "mph" || u == "mi/hr") return 60.0 / 5280.0;
      if (u == "ft/s") return 1.0 / 60.0;
      return bad();
    case Dim::kLength:  // ft
      if (u == "ft") return 1.0;
      if (u == "ch" || u == "chains") return 1.0 / 66.0;
      if (u == "m") return 0.3048;
      if (u == "km") return 0.0003048;
      if (u == "mi") return 1.0 / 5280.0;
      return bad();
    case Dim::kArea:  // ft²
      if (u == "ft2" || u == "sqft") return 1.0;
      if (u == "ac" || u == "acres") return 1.0 / 43560.0;
      if (u == "ha") return 0.09290304 / 10000.0;
      if (u == "m2") return 0.09290304;
      if (u == "km2") return 0.09290304e-6;
      if (u == "mi2") return 1.0 / 27878400.0;
      return bad();
    case Dim::kRatio:
      if (u.empty() || u == "dimensionless" || u == "ratio" || u == "-" || u == "fraction") return 1.0;
      return bad();
    case Dim::kMoisture:  // fraction
      if (u == "percent" || u == "%") return 100.0;
      if (u == "fraction") return 1.0;
      return bad();
    case Dim::kSavr:  // ft²/ft³
      if (u == "ft2/ft3" || u == "1/ft") return 1.0;
      if (u == "m2/m3" || u == "1/m") return 1.0 / 0.3048;
      if (u == "cm2/cm3" || u == "1/cm") return 1.0 / 30.48;
      return bad();
    case Dim::kHeatFlux:  // Btu/ft²/min
      if (u == "btu/ft2/min") return 1.0;
      if (u == "btu/ft2/s") return 1.0 / 60.0;
      if (u == "kw/m2" || u == "kj/m2/s") return 1055.05585 / 0.09290304 / 60.0 / 1000.0;
      return bad();
    case Dim::kIntensity:  // Btu/ft/s
      if (u == "btu/ft/s") return 1.0;
      if (u == "btu/ft/min") return 60.0;
      if (u == "kw/m" || u == "kj/m/s") return 3.46414;  // behave's constant (README)
      return bad();
    case Dim::kAngle:
      if (u == "deg") return 1.0;
      return bad();
    case Dim::kTime:  // min
      if (u == "min") return 1.0;
      if (u == "s") return 60.0;
      if (u == "h") return 1.0 / 60.0;
      return bad();
    case Dim::kHeatArea:  // Btu/ft²
      if (u == "btu/ft2") return 1.0;
      if (u == "kj/m2") return 1.05505585 / 0.09290304;
      return bad();
    case Dim::kDensity:  // lb/ft³
      if (u == "lb/ft3") return 1.0;
      if (u == "kg/m3") return 16.018463;
      return bad();
    case Dim::kHeatSink:  // Btu/ft³
      if (u == "btu/ft3") return 1.0;
      if (u == "kj/m3") return 1.05505585 / 0.028316846592;
      return bad();
  }
  return bad();
}

struct OutputDef {
  Dim dim;
  std::function<double(const SurfaceOutputs&)> get;
};

double NeedT(const SurfaceOutputs& o) {
  if (!o.elapsed_min) throw std::invalid_argument("this output needs an elapsed time (elapsed_time)");
  return *o.elapsed_min;
}
double NeedDoi(const std::optional<double>& v) {
  if (!v) throw std::invalid_argument("this output needs a direction of interest (run_type direction_of_interest)");
  return *v;
}

const std::vector<std::pair<std::vector<std::string>, OutputDef>>& Outputs() {
  using O = const SurfaceOutputs&;
  static const std::vector<std::pair<std::vector<std::string>, OutputDef>> kOut = {
      {{"spread_rate", "rate_of_spread", "head_spread_rate", "forward_spread_rate"},
       {Dim::kSpeed, [](O o) { return o.spread.ros; }}},
      {{"spread_rate_in_direction_of_interest"}, {Dim::kSpeed, [](O o) { return NeedDoi(o.doi_ros); }}},
      {{"backing_spread_rate"}, {Dim::kSpeed, [](O o) { return o.spread.backing_ros; }}},
      {{"flanking_spread_rate"}, {Dim::kSpeed, [](O o) { return o.spread.flanking_ros; }}},
      {{"no_wind_no_slope_spread_rate"}, {Dim::kSpeed, [](O o) { return o.spread.ros0; }}},
      {{"spread_distance", "head_spread_distance"}, {Dim::kLength, [](O o) { return o.spread.ros * NeedT(o); }}},
      {{"backing_spread_distance"}, {Dim::kLength, [](O o) { return o.spread.backing_ros * NeedT(o); }}},
      {{"flanking_spread_distance"}, {Dim::kLength, [](O o) { return o.spread.flanking_ros * NeedT(o); }}},
      {{"spread_distance_in_direction_of_interest"}, {Dim::kLength, [](O o) { return NeedDoi(o.doi_ros) * NeedT(o); }}},
      {{"live_moisture_of_extinction", "live_fuel_moisture_of_extinction"},
       {Dim::kMoisture, [](O o) { return o.spread.live_mx; }}},
      {{"characteristic_live_moisture"}, {Dim::kMoisture, [](O o) { return o.spread.live_moisture; }}},
      {{"characteristic_dead_moisture"}, {Dim::kMoisture, [](O o) { return o.spread.dead_moisture; }}},
      {{"characteristic_savr", "characteristic_sav"}, {Dim::kSavr, [](O o) { return o.spread.sigma; }}},
      {{"heat_source"}, {Dim::kHeatFlux, [](O o) { return o.spread.heat_source; }}},
      {{"reaction_intensity"}, {Dim::kHeatFlux, [](O o) { return o.spread.reaction_intensity; }}},
      {{"heat_per_unit_area"}, {Dim::kHeatArea, [](O o) { return o.spread.heat_per_area; }}},
      {{"heat_sink"}, {Dim::kHeatSink, [](O o) { return o.spread.heat_sink; }}},
      {{"residence_time"}, {Dim::kTime, [](O o) { return o.spread.residence_time; }}},
      {{"length_to_width_ratio", "fire_length_to_width_ratio"},
       {Dim::kRatio, [](O o) { return o.spread.length_to_width; }}},
      {{"eccentricity", "fire_eccentricity"}, {Dim::kRatio, [](O o) { return o.spread.eccentricity; }}},
      {{"heading_to_backing_ratio"},
       {Dim::kRatio, [](O o) { return HeadingToBackingRatio(o.spread.length_to_width); }}},
      {{"elliptical_a", "ellipse_a", "semi_minor_axis"},
       {Dim::kLength, [](O o) { return FireEllipse(o.spread, NeedT(o)).a; }}},
      {{"elliptical_b", "ellipse_b", "semi_major_axis"},
       {Dim::kLength, [](O o) { return FireEllipse(o.spread, NeedT(o)).b; }}},
      {{"elliptical_c", "ellipse_c"}, {Dim::kLength, [](O o) { return FireEllipse(o.spread, NeedT(o)).c; }}},
      {{"fire_area", "area"}, {Dim::kArea, [](O o) { return FireEllipse(o.spread, NeedT(o)).area; }}},
      {{"fire_perimeter", "perimeter"}, {Dim::kLength, [](O o) { return FireEllipse(o.spread, NeedT(o)).perimeter; }}},
      {{"fire_length", "fire_length_after"},
       {Dim::kLength, [](O o) { return 2.0 * FireEllipse(o.spread, NeedT(o)).b; }}},
      {{"fire_width", "maximum_fire_width"},
       {Dim::kLength, [](O o) { return 2.0 * FireEllipse(o.spread, NeedT(o)).a; }}},
      {{"direction_of_max_spread", "direction_of_maximum_spread"}, {Dim::kAngle, [](O o) { return o.dir_max_spread; }}},
      {{"fireline_intensity", "head_fireline_intensity"},
       {Dim::kIntensity, [](O o) { return o.spread.fireline_intensity; }}},
      {{"fireline_intensity_in_direction_of_interest"},
       {Dim::kIntensity, [](O o) { return NeedDoi(o.doi_intensity); }}},
      {{"backing_fireline_intensity"},
       {Dim::kIntensity, [](O o) { return ByramIntensity(o.spread, o.spread.backing_ros); }}},
      {{"flanking_fireline_intensity"},
       {Dim::kIntensity, [](O o) { return ByramIntensity(o.spread, o.spread.flanking_ros); }}},
      {{"flame_length", "head_flame_length"}, {Dim::kLength, [](O o) { return o.spread.flame_length; }}},
      {{"flame_length_in_direction_of_interest"}, {Dim::kLength, [](O o) { return NeedDoi(o.doi_flame_length); }}},
      {{"backing_flame_length"},
       {Dim::kLength, [](O o) { return FlameLength(ByramIntensity(o.spread, o.spread.backing_ros)); }}},
      {{"flanking_flame_length"},
       {Dim::kLength, [](O o) { return FlameLength(ByramIntensity(o.spread, o.spread.flanking_ros)); }}},
      {{"effective_wind_speed"}, {Dim::kSpeed, [](O o) { return o.spread.effective_wind; }}},
      {{"midflame_wind_speed", "midflame_windspeed"}, {Dim::kSpeed, [](O o) { return o.midflame_wind_ftmin; }}},
      {{"wind_adjustment_factor"}, {Dim::kRatio, [](O o) { return o.waf; }}},
      {{"wind_factor", "phi_w"}, {Dim::kRatio, [](O o) { return o.spread.wind_factor; }}},
      {{"slope_factor", "phi_s"}, {Dim::kRatio, [](O o) { return o.spread.slope_factor; }}},
      {{"bulk_density"}, {Dim::kDensity, [](O o) { return o.spread.bulk_density; }}},
      {{"packing_ratio"}, {Dim::kRatio, [](O o) { return o.spread.packing_ratio; }}},
      {{"relative_packing_ratio"}, {Dim::kRatio, [](O o) { return o.spread.relative_packing_ratio; }}},
      {{"propagating_flux_ratio"}, {Dim::kRatio, [](O o) { return o.spread.xi; }}},
  };
  return kOut;
}

}  // namespace

SurfaceFuels::SurfaceFuels(const FuelModelTable& table) : table_(&table), by_number_(256) {
  for (const FuelModel& m : table.models())
    by_number_[static_cast<std::size_t>(m.number)] = std::make_unique<SurfaceFuel>(m);
}

const SurfaceFuel* SurfaceFuels::Find(int number) const {
  if (number < 0 || number > 255) return nullptr;
  return by_number_[static_cast<std::size_t>(number)].get();
}

SurfaceOutputs RunSurface(const SurfaceFuel& fuel, const SurfaceCase& c) {
  SurfaceOutputs o;
  o.elapsed_min = c.elapsed_min;
  if (c.wind_height == WindHeight::kMidflame) {
    o.midflame_wind_ftmin = c.wind_speed_ftmin;
  } else {
    const double at20ft = c.wind_height == WindHeight::kTenMetre ? c.wind_speed_ftmin / 1.15 : c.wind_speed_ftmin;
    o.waf = c.user_waf ? *c.user_waf
                       : WindAdjustmentFactor(fuel.model().depth_ft, c.canopy_cover, c.canopy_height_ft, c.crown_ratio,
                                              &o.sheltered);
    o.midflame_wind_ftmin = at20ft * o.waf;
  }
  SpreadInputs in;
  in.moisture = c.moisture;
  in.midflame_wind_ftmin = o.midflame_wind_ftmin;
  in.slope_deg = c.slope_deg;
  in.wind_limit = c.wind_limit;
  // North mode: the wind blows FROM wind_direction; the slope faces `aspect` (upslope = aspect + 180). The angle
  // of the wind-to direction from upslope is then wind_from - aspect.
  in.wind_dir_deg =
      Norm360(c.orientation == Orientation::kNorth ? c.wind_direction_deg - c.aspect_deg : c.wind_direction_deg);
  o.spread = Spread(fuel, in);
  o.dir_max_spread = c.orientation == Orientation::kNorth ? Norm360(o.spread.dir_max_spread + c.aspect_deg + 180.0)
                                                          : o.spread.dir_max_spread;
  if (c.direction_of_interest_deg) {
    double beta = std::fabs(Norm360(*c.direction_of_interest_deg) - o.dir_max_spread);
    if (beta > 180.0) beta = 360.0 - beta;
    o.doi_ros = c.direction_mode == DirectionMode::kFromPerimeter ? RosNormalToPerimeter(o.spread, beta)
                                                                  : RosFromIgnitionPoint(o.spread, beta);
    o.doi_intensity = ByramIntensity(o.spread, *o.doi_ros);
    o.doi_flame_length = FlameLength(*o.doi_intensity);
  }
  return o;
}

double SurfaceValue(const SurfaceOutputs& o, std::string_view output, std::string_view units) {
  const std::string k = Key(output);
  for (const auto& [names, def] : Outputs())
    for (const std::string& n : names)
      if (Key(n) == k) {
        const double f = Factor(def.dim, units);  // check units before computing
        return def.get(o) * f;
      }
  throw std::invalid_argument("unknown output '" + std::string(output) + "'");
}

std::vector<std::string> SurfaceOutputNames() {
  std::vector<std::string> v;
  for (const auto& [names, def] : Outputs()) v.push_back(names.front());
  return v;
}

double SpeedToFtMin(double v, std::string_view units) { return v / Factor(Dim::kSpeed, units); }
double SpeedFromFtMin(double ftmin, std::string_view units) { return ftmin * Factor(Dim::kSpeed, units); }

}  // namespace firebreak::fire
