// Fire behaviour at one point for a duty officer: metric units, compass bearings, the 10-m station wind, both
// models side by side (Rothermel as BehavePlus computes it, and 王正非). Used by `firebreak fire behavior` with
// flags and by assess/report when a report has weather and the maps give the fuel and terrain (docs/fire.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "firebreak/fire/surface.h"
#include "firebreak/fire/wang.h"

namespace firebreak::fire {

// Scott & Burgan (2005) moisture scenarios: D1..D4 (dead 1/10/100-h: 3/4/5 .. 12/13/14 %) and L1..L4 (live herb
// and woody: 30/60 .. 120/150 %), e.g. "D2L2". Case-insensitive; nullopt if not one.
std::optional<Moisture> MoistureScenario(std::string_view name);

// A moisture given as a scenario ("D2L2") or five percentages ("6,7,8,60,90"); empty = D2L2. Throws
// Error(kInput, flag, ...) otherwise. `source` gets what to echo ("D2L2 (default)", "6,7,8,60,90").
Moisture ParseMoistureSpec(const std::string& spec, const std::string& flag, std::string& source);

struct PointInputs {
  int fuel_model = 0;
  Moisture moisture;            // fractions
  std::string moisture_source;  // "D2L2", "given", ... (echoed)
  double wind_ms = 0;           // at wind_height
  WindHeight wind_height = WindHeight::kTenMetre;
  double wind_from_deg = 0;  // compass, the direction the wind blows FROM
  double slope_deg = 0;
  double aspect_deg = 0;    // compass, the direction the slope faces (downslope)
  double canopy_cover = 0;  // fraction; 0 = open (unsheltered WAF from the fuel bed depth)
  double canopy_height_m = 0;
  double crown_ratio = 0;
  std::optional<double> temp_c, rh_pct;  // for 王正非's R0 (without them that model is not run)
  bool wind_limit = false;
  std::optional<double> elapsed_min;  // for the ellipse
};

struct PointBehaviour {
  const FuelModel* model = nullptr;
  SurfaceOutputs surface;  // Rothermel (dir_max_spread is a compass bearing)
  double head_ros_mmin = 0, backing_mmin = 0, flanking_mmin = 0;
  double flame_length_m = 0, intensity_kwm = 0;
  double dir_max_spread_deg = 0;  // compass bearing the head runs toward
  double midflame_ms = 0;
  std::optional<Ellipse> ellipse_m;  // lengths in m, area in m² (after elapsed_min)
  std::optional<WangResult> wang;    // head_dir_deg converted to a compass bearing
  std::string wang_skipped;          // why 王正非 was not run (no temperature/RH, no fuel type)
};

// REQUIRES: fuels.Find(in.fuel_model) != nullptr; inputs validated (ValidatePointInputs).
PointBehaviour BehaviourAtPoint(const SurfaceFuels& fuels, const WangParams* wang, const PointInputs& in);

// Throws Error(kInput, "--flag", ...) for out-of-range values (moisture <= 0, slope > 90°, RH outside 0..100,
// negative wind, unknown fuel model ...). `flag_of` names the flag of each field for messages.
void ValidatePointInputs(const SurfaceFuels& fuels, const PointInputs& in);

std::string PointBehaviourText(const PointBehaviour& b, const PointInputs& in, bool zh);
std::string PointBehaviourJson(const PointBehaviour& b, const PointInputs& in);
// One compact line for the duty officer's sheet: both models' head rates, flame length, intensity, direction.
std::string BehaviourLine(const PointBehaviour& b, bool zh);

}  // namespace firebreak::fire
