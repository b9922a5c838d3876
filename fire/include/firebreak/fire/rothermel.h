// Surface fire spread as BehavePlus computes it: Rothermel (1972) with Albini's (1976) corrections, dynamic
// fuel models (herbaceous curing), the Albini & Baughman (1979) wind adjustment factor, direction of maximum
// spread from wind and slope as vectors, effective wind speed (with BehavePlus's optional wind limit), Anderson's
// (1983) length-to-width ratio, the elliptical fire shape, Byram's intensity and flame length. Conventions and
// the reference cases: ../shared/data/reference/behave-surface/README.md; equations: docs/fire.md.
//
// Internal units are behave's: ft, min, lb, Btu; moistures are fractions of oven-dry weight. Unit conversions
// and the north/upslope conventions are in surface.h.
//
// Thread-safety: SurfaceFuel is immutable after construction; Spread() is a pure function.
#pragma once

#include <array>

#include "firebreak/fire/fuel_models.h"

namespace firebreak::fire {

// Moisture contents, fractions of oven-dry weight (0.06 = 6 %).
struct Moisture {
  double d1h = 0, d10h = 0, d100h = 0, herb = 0, woody = 0;
};

// Everything of one fuel model that does not depend on moisture, wind or slope, computed once. For a dynamic
// model with herbaceous load the fuel bed itself depends on herb moisture (curing), so only the per-class terms
// are kept and the bed is rebuilt per run.
class SurfaceFuel {
 public:
  explicit SurfaceFuel(const FuelModel& m);

  // Fuel-bed structure for a given cured fraction of the herbaceous load: shares, net loads, σ, β, heat-sink and
  // fine-load weights (the σ-dependent transcendental terms are computed by the spread kernel).
  struct Bed {
    double f_life[2] = {0, 0};                // share of surface area: dead, live
    double f_dead[4] = {};                    // within dead: 1h, 10h, 100h, cured herb
    double f_live[2] = {};                    // within live: herb, woody
    double wn[2] = {};                        // net load (lb/ft²): dead, live
    double heat[2] = {};                      // weighted heat content (Btu/lb)
    double sigma = 0;                         // characteristic SAV (ft²/ft³)
    double rho_b = 0;                         // bulk density (lb/ft³)
    double beta = 0;                          // packing ratio
    double hs_dead[4] = {}, hs_live[2] = {};  // heat-sink weights f_life f_i e^(-138/σ_i)
    double fine_dead_load = 0;                // Σ w_i e^(-138/σ_i) over dead classes
    double fine_dead_w[4] = {};               // the terms, for the fine dead moisture
    double fine_live_load = 0;                // Σ w_i e^(-500/σ_i) over live classes
    double live_load = 0;                     // total live load
    double cured_load = 0;                    // herbaceous load moved to dead
  };
  Bed MakeBed(double cured_fraction) const;

  const FuelModel& model() const { return *model_; }
  bool cures() const { return cures_; }
  const Bed& static_bed() const { return bed_; }  // valid when !cures()
  double waf_unsheltered() const { return waf_unsheltered_; }

 private:
  const FuelModel* model_;
  bool cures_ = false;
  double exp138_[5] = {}, exp500_[5] = {};
  Bed bed_;  // the bed for !cures_
  double waf_unsheltered_ = 1;
};

struct SpreadInputs {
  Moisture moisture;
  double midflame_wind_ftmin = 0;  // midflame wind speed, ft/min (>= 0)
  double wind_dir_deg = 0;         // direction the wind pushes the fire, degrees clockwise from upslope
  double slope_deg = 0;            // slope steepness, degrees [0, 90]
  bool wind_limit = false;         // BehavePlus's effective wind limit 0.9 I_R (off in behave by default)
};

struct SpreadResult {
  double cured_fraction = 0;  // share of the herbaceous load counted as dead (dynamic models)
  double sigma = 0;           // characteristic SAV, ft²/ft³
  double bulk_density = 0, packing_ratio = 0, relative_packing_ratio = 0;
  double dead_moisture = 0, live_moisture = 0;  // characteristic moistures (fraction)
  double live_mx = 0;                           // live moisture of extinction (fraction)
  double reaction_intensity = 0;                // Btu/ft²/min
  double xi = 0;                                // propagating flux ratio
  double heat_sink = 0;                         // Btu/ft³
  double ros0 = 0;                              // no-wind, no-slope spread rate, ft/min
  double wind_factor = 0, slope_factor = 0;
  double heat_source = 0;     // I_R ξ (1 + φw + φs), Btu/ft²/min
  double ros = 0;             // head-fire spread rate, ft/min
  double dir_max_spread = 0;  // degrees clockwise from upslope
  double effective_wind = 0;  // ft/min
  bool wind_limit_exceeded = false;
  double length_to_width = 1, eccentricity = 0;
  double backing_ros = 0, flanking_ros = 0;  // ft/min
  double residence_time = 0;                 // min (384/σ)
  double heat_per_area = 0;                  // Btu/ft² (I_R τ)
  double fireline_intensity = 0;             // head fire, Btu/ft/s
  double flame_length = 0;                   // head fire, ft
};

// One surface fire run. REQUIRES: moistures > 0, 0 <= slope_deg <= 90, midflame wind >= 0.
SpreadResult Spread(const SurfaceFuel& fuel, const SpreadInputs& in);

// n independent runs (fuels[i], in[i]) -> out[i]; Spread() is this with n = 1 (one implementation). The
// transcendental-heavy parts run as loops over the batch that the compiler vectorises (AVX2 clones on x86-64,
// picked at load time), so many runs cost less each than one. Thread-safe (per-thread scratch).
void SpreadBatch(const SurfaceFuel* const* fuels, const SpreadInputs* in, SpreadResult* out, std::size_t n);

// The wind adjustment factor (Albini & Baughman 1979, behave's UseCrownRatio method): sheltered when canopy
// cover > 0, crown fill f = cover·crown_ratio/3 >= 0.05 and canopy height >= 6 ft; else from the fuel bed depth.
// canopy_cover is a fraction (0.5 = 50 %).
double WindAdjustmentFactor(double fuel_bed_depth_ft, double canopy_cover, double canopy_height_ft, double crown_ratio,
                            bool* sheltered = nullptr);

// Shape and direction helpers (BehavePlus). beta_deg: angle between the direction of interest and the
// direction of maximum spread.
double RosFromIgnitionPoint(const SpreadResult& r, double beta_deg);  // R(1-e)/(1-e cos β)
double RosNormalToPerimeter(const SpreadResult& r, double beta_deg);  // Catchpole et al. 1982, eq. 9
double ByramIntensity(const SpreadResult& r, double ros_ftmin);       // I_R τ R / 60, Btu/ft/s
double FlameLength(double intensity_btu_ft_s);                        // 0.45 I^0.46, ft
double HeadingToBackingRatio(double length_to_width);

// The ellipse after `minutes` (feet): a = semi-minor, b = semi-major, c = centre to ignition point.
struct Ellipse {
  double a = 0, b = 0, c = 0;
  double area = 0;       // ft², π a b
  double perimeter = 0;  // ft, π(a+b)(1 + h/4 + h²/64), h = (a-b)²/(a+b)²
};
Ellipse FireEllipse(const SpreadResult& r, double minutes);

}  // namespace firebreak::fire
