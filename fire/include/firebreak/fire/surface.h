// A surface fire run with BehavePlus's conventions (README of ../shared/data/reference/behave-surface):
// wind and direction in "upslope" or "north" mode, slope in degrees or percent, wind at 20 ft, 10 m or midflame
// with the wind adjustment factor, directions of interest from the ignition point or normal to the perimeter,
// elapsed time for the ellipse. Results in any of behave's units through SurfaceValue().
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "firebreak/fire/fuel_models.h"
#include "firebreak/fire/rothermel.h"

namespace firebreak::fire {

enum class Orientation { kUpslope, kNorth };
enum class WindHeight { kTwentyFoot, kTenMetre, kMidflame };
enum class DirectionMode { kFromIgnitionPoint, kFromPerimeter };

struct SurfaceCase {
  int fuel_model = 0;
  Moisture moisture;            // fractions
  double wind_speed_ftmin = 0;  // at wind_height, ft/min
  WindHeight wind_height = WindHeight::kTwentyFoot;
  std::optional<double> user_waf;  // a user WAF instead of the computed one (20-ft / 10-m wind only)
  double wind_direction_deg = 0;   // upslope mode: toward, clockwise from upslope; north mode: FROM, compass
  Orientation orientation = Orientation::kUpslope;
  double slope_deg = 0;     // [0, 90]
  double aspect_deg = 0;    // compass direction the slope faces (north mode)
  double canopy_cover = 0;  // fraction
  double canopy_height_ft = 0;
  double crown_ratio = 0;
  bool wind_limit = false;
  std::optional<double> direction_of_interest_deg;  // in the orientation's convention
  DirectionMode direction_mode = DirectionMode::kFromIgnitionPoint;
  std::optional<double> elapsed_min;
};

struct SurfaceOutputs {
  SpreadResult spread;
  double waf = 1;  // the wind adjustment factor used (1 for midflame input)
  bool sheltered = false;
  double midflame_wind_ftmin = 0;
  double dir_max_spread = 0;      // in the case's convention: clockwise from upslope, or compass bearing
  std::optional<double> doi_ros;  // ft/min in the direction of interest
  std::optional<double> doi_intensity, doi_flame_length;  // Btu/ft/s, ft
  std::optional<double> elapsed_min;
};

// Compiled fuel models (a SurfaceFuel per model of a table). Immutable; the table must outlive it.
class SurfaceFuels {
 public:
  explicit SurfaceFuels(const FuelModelTable& table);
  const SurfaceFuel* Find(int number) const;
  const FuelModelTable& table() const { return *table_; }

 private:
  const FuelModelTable* table_;
  std::vector<std::unique_ptr<SurfaceFuel>> by_number_;  // index = fuel model number
};

// REQUIRES: the fuel model exists (callers check with SurfaceFuels::Find and report their own error).
SurfaceOutputs RunSurface(const SurfaceFuel& fuel, const SurfaceCase& c);

// A named output in the named units (names and units: docs/fire.md; behave's getters in snake case, e.g.
// "spread_rate" [ch/h, ft/min, m/min, m/s, km/h, mi/h], "flame_length" [ft, m], "elliptical_a" [ch, ft, m],
// "fire_area" [ac, ha, m2, km2], "fireline_intensity" [Btu/ft/s, kW/m]). Throws std::invalid_argument with a
// message for an unknown name, unknown or mismatched units, or an output that needs an elapsed time or a
// direction of interest the case does not give.
double SurfaceValue(const SurfaceOutputs& o, std::string_view output, std::string_view units);

// Every output name SurfaceValue knows (for messages and docs).
std::vector<std::string> SurfaceOutputNames();

// Unit conversions used by the CLI: speed from/to ft/min, e.g. ToFtMin(5, "mi/h"). Throw std::invalid_argument.
double SpeedToFtMin(double v, std::string_view units);
double SpeedFromFtMin(double ftmin, std::string_view units);

}  // namespace firebreak::fire
