// Rothermel (1972) surface spread with Albini (1976), as behave (firelab/behave) computes it. Equation
// references: Andrews (2018), The Rothermel surface fire spread model and associated developments, RMRS-GTR-371.
#include "firebreak/fire/rothermel.h"

#include "fastmath.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <vector>

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
  b.sigma = b.f_life[0] * sigma_d + b.f_life[1] * sigma_l;
  b.rho_b = total_load / m.depth_ft;
  b.beta = b.rho_b / kParticleDensity;
  return b;
}

namespace {

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define FIREBREAK_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define FIREBREAK_SIMD_CLONES
#endif

// The batch kernel's per-run arrays (structure of arrays, reused per thread). Inputs: sigma, beta (bed), pir
// (Σ w_n h η_M, the moisture part of I_R without Γ η_S), hs (heat sink), u (midflame wind), slope and wdir
// (degrees), wl (1 = wind limit on). The rest are results of the passes.
struct Soa {
  std::vector<double> sigma, beta, pir, hs, u, slope, wdir, wl, tan2, cw, sw, dir;
  std::vector<double> ratio, gamma, xi, wc, wb, rne, sk;
  std::vector<double> ir, ros0, phiw, phis, heat, x, y, ros, ews, exceeded, lw, ecc, back, flank, tau, ib, fl;
  void Resize(std::size_t n) {
    for (auto* v : {&sigma, &beta,  &pir, &hs,  &u,        &slope, &wdir, &dir,  &tan2,  &cw,   &sw,   &wl,
                    &ratio, &gamma, &xi,  &wc,  &wb,       &rne,   &sk,   &ir,   &ros0,  &phiw, &phis, &heat,
                    &x,     &y,     &ros, &ews, &exceeded, &lw,    &ecc,  &back, &flank, &tau,  &ib,   &fl})
      v->resize(n);
  }
};

// The kernel's loops, each over restrict-qualified parameters and always inlined into Kernel (so that they are
// compiled for each of its targets) (GCC vectorises loops over local restrict pointers
// unreliably) and short (one long loop defeats its vectoriser).

// Packing ratio against optimum, reaction velocity Γ and propagating flux ratio ξ (Rothermel 1972, Albini 1976);
// every power from one logarithm of σ and one of β/β_op.
[[gnu::always_inline]] inline void BedRates(const double* __restrict sg, const double* __restrict bt,
                                            double* __restrict ratio, double* __restrict gamma, double* __restrict xi,
                                            std::size_t n) {
  using detail::FExp;
  using detail::FLog;
  for (std::size_t i = 0; i < n; ++i) {
    const double sig = sg[i], ls = FLog(sig), beta_op = 3.348 * FExp(-0.8189 * ls);
    const double r = bt[i] / beta_op, lr = FLog(r), a = 133.0 * FExp(-0.7913 * ls);
    const double s15 = sig * std::sqrt(sig);
    ratio[i] = r;
    gamma[i] = s15 / (495.0 + 0.0594 * s15) * FExp(a * (lr + 1.0 - r));  // Γ_max βr^A e^(A(1-βr))
    xi[i] = FExp((0.792 + 0.681 * std::sqrt(sig)) * (bt[i] + 0.1)) / (192.0 + 0.2595 * sig);
  }
}

// Wind-factor C, B and (β/β_op)^-E; slope-factor 5.275 β^-0.3 (ln β = ln βr + ln 3.348 - 0.8189 ln σ).
[[gnu::always_inline]] inline void WindSlopeTerms(const double* __restrict sg, const double* __restrict ratio,
                                                  double* __restrict wc, double* __restrict wb, double* __restrict rne,
                                                  double* __restrict sk, std::size_t n) {
  using detail::FExp;
  using detail::FLog;
  for (std::size_t i = 0; i < n; ++i) {
    const double sig = sg[i], ls = FLog(sig), lr = FLog(ratio[i]), e = 0.715 * FExp(-3.59e-4 * sig);
    wc[i] = 7.47 * FExp(-0.133 * FExp(0.55 * ls));
    wb[i] = 0.02526 * FExp(0.54 * ls);
    rne[i] = FExp(-e * lr);
    sk[i] = 5.275 * FExp(-0.3 * (lr + 1.2083631526272290 - 0.8189 * ls));
  }
}

// Reaction intensity, no-wind no-slope rate R0, wind and slope factors (φw = C U^B (β/β_op)^-E, φs = sk tan²θ).
[[gnu::always_inline]] inline void Factors(const double* __restrict gamma, const double* __restrict pir,
                                           const double* __restrict xi, const double* __restrict hs,
                                           const double* __restrict u, const double* __restrict wc,
                                           const double* __restrict wb, const double* __restrict rne,
                                           const double* __restrict sk, const double* __restrict tan2,
                                           double* __restrict ir, double* __restrict ros0, double* __restrict phiw,
                                           double* __restrict phis, double* __restrict heat, std::size_t n) {
  using detail::FExp;
  using detail::FLog;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = gamma[i] * kEtaS * pir[i];
    const double wind = u[i] > 1e-7;
    const double pw = wc[i] * FExp(wb[i] * FLog(wind ? u[i] : 1.0)) * rne[i];
    ir[i] = r;
    ros0[i] = hs[i] > 1e-7 ? r * xi[i] / hs[i] : 0.0;
    phiw[i] = wind ? pw : 0.0;
    phis[i] = sk[i] * tan2[i];
    heat[i] = r * xi[i] * (1.0 + (wind ? pw : 0.0) + sk[i] * tan2[i]);
  }
}

// The head rate with wind and slope added as vectors (slope along 0 = upslope).
[[gnu::always_inline]] inline void HeadRate(const double* __restrict ros0, const double* __restrict phiw,
                                            const double* __restrict phis, const double* __restrict cw,
                                            const double* __restrict sw, double* __restrict x, double* __restrict y,
                                            double* __restrict ros, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double xx = ros0[i] * phis[i] + ros0[i] * phiw[i] * cw[i], yy = ros0[i] * phiw[i] * sw[i];
    x[i] = xx, y[i] = yy;
    ros[i] = ros0[i] + std::sqrt(xx * xx + yy * yy);
  }
}

// Effective wind speed by inverting the wind factor; BehavePlus's wind limit 0.9 I_R (when on) caps it and the rate.
[[gnu::always_inline]] inline void EffectiveWind(const double* __restrict ros0, const double* __restrict ir,
                                                 const double* __restrict wc, const double* __restrict wb,
                                                 const double* __restrict rne, const double* __restrict wl,
                                                 double* __restrict ros, double* __restrict ews,
                                                 double* __restrict exceeded, std::size_t n) {
  using detail::FExp;
  using detail::FLog;
  for (std::size_t i = 0; i < n; ++i) {
    const double r0 = ros0[i], phie = r0 > 1e-7 ? ros[i] / r0 - 1.0 : 0.0, cr = wc[i] * rne[i];
    const double e = FExp(FLog(phie > 0 ? phie / cr : 1.0) / wb[i]);
    const double w = phie > 0 ? e : 0.0, limit = 0.9 * ir[i];
    const bool over = wl[i] > 0 && w > limit;
    const double capped = r0 * (1.0 + cr * FExp(wb[i] * FLog(limit > 0 ? limit : 1.0)));
    exceeded[i] = over ? 1.0 : 0.0;
    ews[i] = over ? limit : w;
    ros[i] = over ? capped : ros[i];
  }
}

// Fire shape (Anderson 1983, U in mi/h; 88 ft/min = 1 mi/h): L/W, eccentricity, backing and flanking rates.
[[gnu::always_inline]] inline void Shape(const double* __restrict ews, const double* __restrict ros,
                                         double* __restrict lw, double* __restrict ecc, double* __restrict back,
                                         double* __restrict flank, std::size_t n) {
  using detail::FExp;
  for (std::size_t i = 0; i < n; ++i) {
    const double um = ews[i] / 88.0;
    const double l0 = 0.936 * FExp(0.1147 * um) + 0.461 * FExp(-0.0692 * um) - 0.397;
    const double l = um > 1e-7 ? std::min(8.0, l0) : 1.0, l2 = l * l - 1.0;
    const double e = l2 > 0 ? std::sqrt(l2 > 0 ? l2 : 0.0) / l : 0.0, b = ros[i] * (1.0 - e) / (1.0 + e);
    lw[i] = l, ecc[i] = e, back[i] = b;
    flank[i] = (ros[i] + b) / (2.0 * l);
  }
}

// Residence time 384/σ, Byram intensity I_R τ R / 60 and flame length 0.45 I^0.46.
[[gnu::always_inline]] inline void Intensity(const double* __restrict sg, const double* __restrict ir,
                                             const double* __restrict ros, double* __restrict tau,
                                             double* __restrict ib, double* __restrict fl, std::size_t n) {
  using detail::FExp;
  using detail::FLog;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = 384.0 / sg[i], b = ir[i] * t * ros[i] / 60.0;
    tau[i] = t, ib[i] = b;
    fl[i] = b > 0 ? 0.45 * FExp(0.46 * FLog(b > 0 ? b : 1.0)) : 0.0;
  }
}

// tan² of the slope and the wind direction's cos and sin (degrees; fastmath.h, vectorisable).
[[gnu::always_inline]] inline void Angles(const double* __restrict slope, const double* __restrict wdir,
                                          double* __restrict tan2, double* __restrict cw, double* __restrict sw,
                                          std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    double ss = 0, sc = 1, ws = 0, wc = 1;
    detail::FSinCosDeg(slope[i], ss, sc);
    detail::FSinCosDeg(wdir[i], ws, wc);
    const double t = ss / sc;
    tan2[i] = t * t;
    cw[i] = wc, sw[i] = ws;
  }
}

// The direction of maximum spread, degrees clockwise from upslope in [0, 360) (0 when there is no vector).
[[gnu::always_inline]] inline void Direction(const double* __restrict x, const double* __restrict y,
                                             double* __restrict dir, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double rv = std::sqrt(x[i] * x[i] + y[i] * y[i]);
    const double az = detail::FAtan2Deg(y[i], x[i]), a = az < 0 ? az + 360.0 : az;
    dir[i] = rv > 1e-7 ? (a >= 360.0 ? a - 360.0 : a) : 0.0;
  }
}

// All passes over one chunk (built for AVX2+FMA and the baseline; the CPU picks at load time).
FIREBREAK_SIMD_CLONES void Kernel(Soa& s, std::size_t n) {
  Angles(s.slope.data(), s.wdir.data(), s.tan2.data(), s.cw.data(), s.sw.data(), n);
  BedRates(s.sigma.data(), s.beta.data(), s.ratio.data(), s.gamma.data(), s.xi.data(), n);
  WindSlopeTerms(s.sigma.data(), s.ratio.data(), s.wc.data(), s.wb.data(), s.rne.data(), s.sk.data(), n);
  Factors(s.gamma.data(), s.pir.data(), s.xi.data(), s.hs.data(), s.u.data(), s.wc.data(), s.wb.data(), s.rne.data(),
          s.sk.data(), s.tan2.data(), s.ir.data(), s.ros0.data(), s.phiw.data(), s.phis.data(), s.heat.data(), n);
  HeadRate(s.ros0.data(), s.phiw.data(), s.phis.data(), s.cw.data(), s.sw.data(), s.x.data(), s.y.data(), s.ros.data(),
           n);
  EffectiveWind(s.ros0.data(), s.ir.data(), s.wc.data(), s.wb.data(), s.rne.data(), s.wl.data(), s.ros.data(),
                s.ews.data(), s.exceeded.data(), n);
  Shape(s.ews.data(), s.ros.data(), s.lw.data(), s.ecc.data(), s.back.data(), s.flank.data(), n);
  Intensity(s.sigma.data(), s.ir.data(), s.ros.data(), s.tau.data(), s.ib.data(), s.fl.data(), n);
  Direction(s.x.data(), s.y.data(), s.dir.data(), n);
}

// The moisture part of one run (no transcendental functions): characteristic moistures, heat sink, live
// moisture of extinction (Albini 1976), Σ w_n h η_M.
void MoistureTerms(const FuelModel& m, const SurfaceFuel::Bed& b, const Moisture& mo, SpreadResult& r, double& pir,
                   double& hs_total) {
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
  r.dead_moisture = mdead;
  r.live_moisture = mlive;
  if (b.live_load > 1e-7) {
    const double fdm = b.fine_dead_load > 1e-7 ? fine_dead_m / b.fine_dead_load : 0.0;
    const double ratio = b.fine_live_load > 1e-7 ? b.fine_dead_load / b.fine_live_load : 0.0;
    r.live_mx = std::max(2.9 * ratio * (1.0 - fdm / m.mx_dead) - 0.226, m.mx_dead);
  }
  pir = b.wn[0] * b.heat[0] * EtaM(mdead, m.mx_dead) + b.wn[1] * b.heat[1] * EtaM(mlive, r.live_mx);
  hs_total = hs * b.rho_b;
}

// Fills a run's inputs into slot k of the arrays; returns false for a fuel that cannot burn (an empty bed).
bool Prepare(const SurfaceFuel& fuel, const SpreadInputs& in, Soa& s, std::size_t k, SurfaceFuel::Bed& local,
             const SurfaceFuel::Bed*& bed, SpreadResult& r) {
  r = SpreadResult{};
  r.cured_fraction = fuel.cures() ? CuredFraction(in.moisture.herb) : 0.0;
  if (fuel.cures()) {
    local = fuel.MakeBed(r.cured_fraction);
    bed = &local;
  } else {
    bed = &fuel.static_bed();
  }
  const SurfaceFuel::Bed& b = *bed;
  const bool burns = b.sigma > 0;
  if (burns) MoistureTerms(fuel.model(), b, in.moisture, r, s.pir[k], s.hs[k]);
  s.sigma[k] = burns ? b.sigma : 1000.0;  // a harmless bed for an empty one (its results are discarded)
  s.beta[k] = burns ? b.beta : 0.01;
  if (!burns) s.pir[k] = 0, s.hs[k] = 1;
  s.u[k] = in.midflame_wind_ftmin;
  s.slope[k] = in.slope_deg;
  s.wdir[k] = in.wind_dir_deg;
  s.wl[k] = in.wind_limit ? 1.0 : 0.0;
  return burns;
}

void Collect(const Soa& s, std::size_t k, const SurfaceFuel::Bed& b, SpreadResult& r) {
  r.sigma = b.sigma, r.bulk_density = b.rho_b, r.packing_ratio = b.beta, r.relative_packing_ratio = s.ratio[k];
  r.reaction_intensity = s.ir[k], r.xi = s.xi[k], r.heat_sink = s.hs[k], r.ros0 = s.ros0[k];
  r.wind_factor = s.phiw[k], r.slope_factor = s.phis[k], r.heat_source = s.heat[k], r.ros = s.ros[k];
  r.dir_max_spread = s.dir[k];
  r.effective_wind = s.ews[k], r.wind_limit_exceeded = s.exceeded[k] > 0;
  r.length_to_width = s.lw[k], r.eccentricity = s.ecc[k], r.backing_ros = s.back[k], r.flanking_ros = s.flank[k];
  r.residence_time = s.tau[k], r.heat_per_area = s.ir[k] * s.tau[k], r.fireline_intensity = s.ib[k];
  r.flame_length = s.fl[k];
}

}  // namespace

void SpreadBatch(const SurfaceFuel* const* fuels, const SpreadInputs* in, SpreadResult* out, std::size_t n) {
  constexpr std::size_t kChunk = 256;
  thread_local Soa s;
  thread_local std::vector<SurfaceFuel::Bed> beds;
  thread_local std::vector<const SurfaceFuel::Bed*> used;
  thread_local std::vector<char> burns;
  if (s.sigma.size() < kChunk) {
    s.Resize(kChunk);
    beds.resize(kChunk);
    used.resize(kChunk);
    burns.resize(kChunk);
  }
  for (std::size_t c0 = 0; c0 < n; c0 += kChunk) {
    const std::size_t m = std::min(kChunk, n - c0);
    for (std::size_t k = 0; k < m; ++k)
      burns[k] = Prepare(*fuels[c0 + k], in[c0 + k], s, k, beds[k], used[k], out[c0 + k]);
    Kernel(s, m);
    for (std::size_t k = 0; k < m; ++k)
      if (burns[k]) Collect(s, k, *used[k], out[c0 + k]);
  }
}

SpreadResult Spread(const SurfaceFuel& fuel, const SpreadInputs& in) {
  const SurfaceFuel* f = &fuel;
  SpreadResult r;
  SpreadBatch(&f, &in, &r, 1);
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

double FlameLength(double intensity) {
  return intensity > 0 ? 0.45 * detail::FExp(0.46 * detail::FLog(intensity)) : 0.0;
}

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
