// Rothermel (1972) surface spread with Albini (1976), as behave (firelab/behave) computes it. Equation
// references: Andrews (2018), The Rothermel surface fire spread model and associated developments, RMRS-GTR-371.
#include "firebreak/fire/rothermel.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace firebreak::fire {

namespace {

constexpr double kParticleDensity = 32.0;  // lb/ft³
constexpr double kTotalSilica = 0.0555;    // S_T
constexpr double kRad = std::numbers::pi / 180.0;
// η_S = 0.174 S_e^-0.19 with S_e = 0.01 (capped at 1): a constant for every standard fuel model.
const double kEtaS = std::min(1.0, 0.174 / std::pow(0.01, 0.19));

// Albini's size classes for the net-load weights ("size-sorted" surface-area fractions).
int SizeBin(double savr) {
  return savr >= 1200 ? 0 : savr >= 192 ? 1 : savr >= 96 ? 2 : savr >= 48 ? 3 : savr >= 16 ? 4 : 5;
}

// Moisture damping coefficient η_M (Rothermel 1972 eq. 29).
inline double EtaM(double m, double mx) {
  if (mx <= 0 || m >= mx) return 0.0;
  const double r = m / mx;
  return 1.0 - 2.59 * r + 5.11 * r * r - 3.52 * r * r * r;
}

// Share of the herbaceous load counted as dead (BehavePlus's curing: all below 30 %, none above 120 %).
inline double CuredFraction(double herb_moisture) {
  if (herb_moisture < 0.30) return 1.0;
  if (herb_moisture > 1.20) return 0.0;
  return 1.333 - 1.11 * herb_moisture;
}

}  // namespace

SurfaceFuel::SurfaceFuel(const FuelModel& m) : model_(&m) {
  for (int i = 0; i < 5; ++i) {
    const double s = m.savr[static_cast<std::size_t>(i)];
    exp138_[i] = s > 1e-7 ? std::exp(-138.0 / s) : 0.0;
    exp500_[i] = s > 1e-7 ? std::exp(-500.0 / s) : 0.0;
  }
  cures_ = m.dynamic && m.load[kHerb] > 0;
  if (!cures_) bed_ = MakeBed(0.0);
  waf_unsheltered_ = WindAdjustmentFactor(m.depth_ft, 0, 0, 0);
}

SurfaceFuel::Bed SurfaceFuel::MakeBed(double cured) const {
  const FuelModel& m = *model_;
  Bed b;
  const double herb = m.load[kHerb];
  const double load_d[4] = {m.load[k1h], m.load[k10h], m.load[k100h], herb * cured};
  const double load_l[2] = {herb * (1.0 - cured), m.load[kWoody]};
  const double savr_d[4] = {m.savr[k1h], m.savr[k10h], m.savr[k100h], m.savr[kHerb]};
  const double savr_l[2] = {m.savr[kHerb], m.savr[kWoody]};
  const double e138_d[4] = {exp138_[k1h], exp138_[k10h], exp138_[k100h], exp138_[kHerb]};
  const double e138_l[2] = {exp138_[kHerb], exp138_[kWoody]};
  const double e500_l[2] = {exp500_[kHerb], exp500_[kWoody]};
  b.cured_load = load_d[3];
  double sa_d[4], sa_l[2], sad = 0, sal = 0;
  for (int i = 0; i < 4; ++i) sad += sa_d[i] = load_d[i] * savr_d[i] / kParticleDensity;
  for (int i = 0; i < 2; ++i) sal += sa_l[i] = load_l[i] * savr_l[i] / kParticleDensity;
  const double total = sad + sal;
  if (total < 1e-7) return b;  // non-burnable: an empty bed
  b.f_life[0] = sad / total;
  b.f_life[1] = sal / total;
  for (int i = 0; i < 4; ++i) b.f_dead[i] = sad > 1e-7 ? sa_d[i] / sad : 0.0;
  for (int i = 0; i < 2; ++i) b.f_live[i] = sal > 1e-7 ? sa_l[i] / sal : 0.0;
  // Net loads with Albini's size-class weights: each class weighted by the surface-area share of its size bin.
  double bin_d[6] = {}, bin_l[6] = {};
  for (int i = 0; i < 4; ++i) bin_d[SizeBin(savr_d[i])] += b.f_dead[i];
  for (int i = 0; i < 2; ++i) bin_l[SizeBin(savr_l[i])] += b.f_live[i];
  double sigma_d = 0, sigma_l = 0, total_load = 0;
  for (int i = 0; i < 4; ++i) {
    b.wn[0] += bin_d[SizeBin(savr_d[i])] * load_d[i] * (1.0 - kTotalSilica);
    b.heat[0] += b.f_dead[i] * m.heat_dead;
    sigma_d += b.f_dead[i] * savr_d[i];
    b.hs_dead[i] = b.f_life[0] * b.f_dead[i] * e138_d[i];
    b.fine_dead_w[i] = load_d[i] * e138_d[i];
    b.fine_dead_load += b.fine_dead_w[i];
    total_load += load_d[i];
  }
  for (int i = 0; i < 2; ++i) {
    b.wn[1] += bin_l[SizeBin(savr_l[i])] * load_l[i] * (1.0 - kTotalSilica);
    b.heat[1] += b.f_live[i] * m.heat_live;
    sigma_l += b.f_live[i] * savr_l[i];
    b.hs_live[i] = b.f_life[1] * b.f_live[i] * e138_l[i];
    b.fine_live_load += load_l[i] * e500_l[i];
    b.live_load += load_l[i];
    total_load += load_l[i];
  }
  const double s = b.sigma = b.f_life[0] * sigma_d + b.f_life[1] * sigma_l;
  b.rho_b = total_load / m.depth_ft;
  b.beta = b.rho_b / kParticleDensity;
  const double beta_op = 3.348 * std::pow(s, -0.8189);
  b.beta_ratio = b.beta / beta_op;
  const double a = 133.0 * std::pow(s, -0.7913);
  const double s15 = s * std::sqrt(s);
  const double gamma_max = s15 / (495.0 + 0.0594 * s15);
  b.gamma = gamma_max * std::pow(b.beta_ratio, a) * std::exp(a * (1.0 - b.beta_ratio));
  b.xi = std::exp((0.792 + 0.681 * std::sqrt(s)) * (b.beta + 0.1)) / (192.0 + 0.2595 * s);
  b.wind_c = 7.47 * std::exp(-0.133 * std::pow(s, 0.55));
  b.wind_b = 0.02526 * std::pow(s, 0.54);
  b.wind_e = 0.715 * std::exp(-3.59e-4 * s);
  b.ratio_neg_e = std::pow(b.beta_ratio, -b.wind_e);
  b.slope_k = 5.275 * std::pow(b.beta, -0.3);
  return b;
}

SpreadResult Spread(const SurfaceFuel& fuel, const SpreadInputs& in) {
  const FuelModel& m = fuel.model();
  SpreadResult r;
  r.cured_fraction = fuel.cures() ? CuredFraction(in.moisture.herb) : 0.0;
  const SurfaceFuel::Bed local = fuel.cures() ? fuel.MakeBed(r.cured_fraction) : SurfaceFuel::Bed{};
  const SurfaceFuel::Bed& b = fuel.cures() ? local : fuel.static_bed();
  if (b.sigma <= 0) return r;  // nothing burns
  const Moisture& mo = in.moisture;
  const double md[4] = {mo.d1h, mo.d10h, mo.d100h, mo.d1h};  // cured herbs take the 1-h moisture
  const double ml[2] = {mo.herb, mo.woody};
  double mdead = 0, mlive = 0, hs = 0, fine_dead_m = 0;
  for (int i = 0; i < 4; ++i) {
    mdead += b.f_dead[i] * md[i];
    hs += b.hs_dead[i] * (250.0 + 1116.0 * md[i]);
    fine_dead_m += b.fine_dead_w[i] * md[i];
  }
  for (int i = 0; i < 2; ++i) {
    mlive += b.f_live[i] * ml[i];
    hs += b.hs_live[i] * (250.0 + 1116.0 * ml[i]);
  }
  r.sigma = b.sigma;
  r.bulk_density = b.rho_b;
  r.packing_ratio = b.beta;
  r.relative_packing_ratio = b.beta_ratio;
  r.dead_moisture = mdead;
  r.live_moisture = mlive;
  // Live moisture of extinction (Albini 1976): from the fine dead and fine live loads.
  if (b.live_load > 1e-7) {
    const double fdm = b.fine_dead_load > 1e-7 ? fine_dead_m / b.fine_dead_load : 0.0;
    const double ratio = b.fine_live_load > 1e-7 ? b.fine_dead_load / b.fine_live_load : 0.0;
    r.live_mx = std::max(2.9 * ratio * (1.0 - fdm / m.mx_dead) - 0.226, m.mx_dead);
  }
  r.reaction_intensity =
      b.gamma * kEtaS * (b.wn[0] * b.heat[0] * EtaM(mdead, m.mx_dead) + b.wn[1] * b.heat[1] * EtaM(mlive, r.live_mx));
  r.xi = b.xi;
  r.heat_sink = hs * b.rho_b;
  r.ros0 = r.heat_sink > 1e-7 ? r.reaction_intensity * b.xi / r.heat_sink : 0.0;
  const double u = in.midflame_wind_ftmin;
  r.wind_factor = u > 1e-7 ? b.wind_c * std::pow(u, b.wind_b) * b.ratio_neg_e : 0.0;
  const double tan_s = std::tan(in.slope_deg * kRad);
  r.slope_factor = b.slope_k * tan_s * tan_s;
  r.heat_source = r.reaction_intensity * b.xi * (1.0 + r.wind_factor + r.slope_factor);
  // Direction of maximum spread: the wind and slope rates added as vectors (slope along 0 = upslope).
  const double wind_rate = r.ros0 * r.wind_factor, slope_rate = r.ros0 * r.slope_factor;
  const double wd = in.wind_dir_deg * kRad;
  const double x = slope_rate + wind_rate * std::cos(wd), y = wind_rate * std::sin(wd);
  const double rv = std::sqrt(x * x + y * y);
  r.ros = r.ros0 + rv;
  if (rv > 1e-7) {
    double az = std::atan2(y, x) / kRad;
    if (az < 0) az += 360.0;
    r.dir_max_spread = az >= 360.0 ? az - 360.0 : az;
  }
  // Effective wind speed: the wind that alone would give the combined spread (inverting the wind factor).
  const double phi_e = r.ros0 > 1e-7 ? r.ros / r.ros0 - 1.0 : 0.0;
  r.effective_wind = phi_e > 0 ? std::pow(phi_e / (b.wind_c * b.ratio_neg_e), 1.0 / b.wind_b) : 0.0;
  const double limit = 0.9 * r.reaction_intensity;
  if (in.wind_limit && r.effective_wind > limit) {
    r.wind_limit_exceeded = true;
    r.effective_wind = limit;
    r.ros = r.ros0 * (1.0 + b.wind_c * std::pow(limit, b.wind_b) * b.ratio_neg_e);
  }
  // Fire shape (Anderson 1983, with U in mi/h; 88 ft/min = 1 mi/h).
  const double u_mph = r.effective_wind / 88.0;
  if (u_mph > 1e-7) {
    r.length_to_width = std::min(8.0, 0.936 * std::exp(0.1147 * u_mph) + 0.461 * std::exp(-0.0692 * u_mph) - 0.397);
  }
  const double lw2 = r.length_to_width * r.length_to_width - 1.0;
  r.eccentricity = lw2 > 0 ? std::sqrt(lw2) / r.length_to_width : 0.0;
  r.backing_ros = r.ros * (1.0 - r.eccentricity) / (1.0 + r.eccentricity);
  r.flanking_ros = (r.ros + r.backing_ros) / (2.0 * r.length_to_width);
  r.residence_time = 384.0 / b.sigma;
  r.heat_per_area = r.reaction_intensity * r.residence_time;
  r.fireline_intensity = r.heat_per_area * r.ros / 60.0;
  r.flame_length = FlameLength(r.fireline_intensity);
  return r;
}

double WindAdjustmentFactor(double depth_ft, double canopy_cover, double canopy_height_ft, double crown_ratio,
                            bool* sheltered) {
  const double fill = canopy_cover * crown_ratio / 3.0;
  const bool shelter = canopy_cover > 1e-7 && fill >= 0.05 && canopy_height_ft >= 6.0;
  if (sheltered) *sheltered = shelter;
  if (shelter) {
    const double h = canopy_height_ft;
    return 0.555 / (std::sqrt(fill * h) * std::log((20.0 + 0.36 * h) / (0.13 * h)));
  }
  if (depth_ft <= 1e-7) return 1.0;
  return 1.83 / std::log((20.0 + 0.36 * depth_ft) / (0.13 * depth_ft));
}

double RosFromIgnitionPoint(const SpreadResult& r, double beta_deg) {
  const double e = r.eccentricity;
  return r.ros * (1.0 - e) / (1.0 - e * std::cos(beta_deg * kRad));
}

double RosNormalToPerimeter(const SpreadResult& r, double beta_deg) {
  const double f = (r.ros + r.backing_ros) / 2.0, g = r.ros - f, h = r.flanking_ros;
  const double c = std::cos(beta_deg * kRad), s = std::sin(beta_deg * kRad);
  return g * c + std::sqrt(f * f * c * c + h * h * s * s);
}

double ByramIntensity(const SpreadResult& r, double ros_ftmin) { return r.heat_per_area * ros_ftmin / 60.0; }

double FlameLength(double intensity) { return intensity > 0 ? 0.45 * std::pow(intensity, 0.46) : 0.0; }

double HeadingToBackingRatio(double lw) {
  const double s = std::sqrt(std::max(lw * lw - 1.0, 0.0));
  return (lw + s) / (lw - s);
}

Ellipse FireEllipse(const SpreadResult& r, double minutes) {
  Ellipse e;
  e.b = (r.ros + r.backing_ros) / 2.0 * minutes;
  e.a = e.b / r.length_to_width;
  e.c = e.b - r.backing_ros * minutes;
  e.area = std::numbers::pi * e.a * e.b;
  const double s = e.a + e.b;
  const double h = s > 0 ? (e.a - e.b) * (e.a - e.b) / (s * s) : 0.0;
  e.perimeter = std::numbers::pi * s * (1.0 + h / 4.0 + h * h / 64.0);
  return e;
}

}  // namespace firebreak::fire
