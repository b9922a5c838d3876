// 王正非 (Wang Zhengfei) surface spread, R = R0·Ks·Kw·Kφ (m/min), the model Chinese forest-fire services use,
// with its coefficients, fuel-type table and fuel-model mapping read from a data file
// (data/fire/wang-zhengfei.yaml; equations and sources: docs/fire.md).
//
// Where the file is found (WangParamsPath): --wang FILE, else $FIREBREAK_WANG, else
// <exe dir>/../share/firebreak/wang-zhengfei.yaml, else <source tree>/data/fire/wang-zhengfei.yaml.
// Thread-safety: WangParams is immutable once loaded; the functions are pure.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace firebreak::fire {

struct WangFuelType {
  std::string id;  // "grass_weeds"
  std::string zh, en;
  double ks = 1;
};

struct WangParams {
  double a = 0, b = 0, c = 0, d = 0;   // R0 = a T + b V + c (100 - h) - d
  double wind_k = 0;                   // Kw = exp(wind_k · W cos θ)
  double slope_k = 0, slope_p = 1;     // Kφ = exp(± slope_k · |tan φθ|^slope_p)
  double slope_max_deg = 90;           // slope.max_grade_pct as degrees: steeper slopes are taken at this one
  std::vector<double> beaufort_lower;  // m/s lower limits of forces 1, 2, ...
  std::vector<WangFuelType> types;
  std::array<int, 256> type_of_model{};  // fuel model number -> types index + 1 (0 = none)
  std::string source;

  const WangFuelType* TypeOf(int fuel_model) const {
    if (fuel_model < 0 || fuel_model > 255) return nullptr;
    const int i = type_of_model[static_cast<std::size_t>(fuel_model)];
    return i ? &types[static_cast<std::size_t>(i - 1)] : nullptr;
  }
};

// Loads and validates the YAML. Throws Error(kNotFound) if missing, Error(kInput, "file:line:col") if invalid.
WangParams LoadWangParams(const std::string& path);
std::string WangParamsPath(const std::string& explicit_path = {});

struct WangInputs {
  double temp_c = 20;
  double rh_pct = 50;
  double wind_ms = 0;      // 10-m wind speed, m/s
  double wind_to_deg = 0;  // direction the wind blows TOWARD, degrees clockwise from upslope
  double slope_deg = 0;
};

struct WangResult {
  int beaufort = 0;
  double r0 = 0;  // m/min (>= 0)
  double ks = 0;
  double head_ros = 0;                 // m/min, the fastest direction
  double head_dir_deg = 0;             // clockwise from upslope
  double kw = 1, kphi = 1;             // the corrections in the head direction
  bool slope_capped = false;           // the slope exceeded slope_max_deg and was taken at it (Kφ held)
  double slope_capped_at_deg = 0;      // slope_max_deg when slope_capped
  double slope_deg = 0;                // the slope given (degrees)
  const WangFuelType* type = nullptr;  // nullptr: no type (non-burnable): no spread
};

int BeaufortForce(const WangParams& p, double wind_ms);
// R in direction `dir_deg` (clockwise from upslope) for a fuel-type coefficient ks. A slope steeper than
// p.slope_max_deg is taken at p.slope_max_deg (the data file's slope.max_grade_pct, interpretation wang-slope-cap).
double WangRosInDirection(const WangParams& p, double ks, const WangInputs& in, double dir_deg);
WangResult WangSpread(const WangParams& p, int fuel_model, const WangInputs& in);

// The warning for a capped slope ("王正非坡度修正已封顶 …" / "Wang Zhengfei slope factor capped …").
std::string WangSlopeCapNote(double capped_at_deg, double slope_deg, bool zh);

}  // namespace firebreak::fire
