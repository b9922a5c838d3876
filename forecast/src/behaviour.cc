#include "firebreak/forecast/behaviour.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace firebreak::forecast {

namespace {

constexpr double kFtPerM = 1.0 / 0.3048;
constexpr double kDefaultCrownRatio = 0.4;

double Wrap360(double deg) {
  double d = std::fmod(deg, 360.0);
  return d < 0 ? d + 360.0 : d;
}

}  // namespace

std::optional<fire::Moisture> ParseMoisture(std::string_view text) {
  std::string s(text);
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (s.size() == 4 && s[0] == 'D' && s[2] == 'L' && s[1] >= '1' && s[1] <= '4' && s[3] >= '1' && s[3] <= '4') {
    const int d = s[1] - '0', l = s[3] - '0';
    const double dead = 3.0 * d;                            // D1 3 %, D2 6 %, D3 9 %, D4 12 %
    const double herb = 30.0 * l, woody = 30.0 * l + 30.0;  // L1 30/60 % .. L4 120/150 %
    return fire::Moisture{dead / 100, (dead + 1) / 100, (dead + 2) / 100, herb / 100, woody / 100};
  }
  std::vector<double> v;
  std::stringstream ss{std::string(text)};
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      std::size_t used = 0;
      v.push_back(std::stod(item, &used));
      if (used != item.size()) return std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (v.size() != 5) return std::nullopt;
  for (double x : v) {
    if (!(x > 0 && x <= 400)) return std::nullopt;
  }
  return fire::Moisture{v[0] / 100, v[1] / 100, v[2] / 100, v[3] / 100, v[4] / 100};
}

fire::Moisture MoistureFromFfmc(double ffmc) {
  const double m1 = std::clamp(147.2 * (101.0 - ffmc) / (59.5 + ffmc), 1.0, 60.0);
  return fire::Moisture{m1 / 100, (m1 + 1) / 100, (m1 + 2) / 100, 0.60, 0.90};
}

fire::Moisture MoistureFromAir(double temperature_c, double humidity_pct) {
  const double t = temperature_c * 9.0 / 5.0 + 32.0, h = humidity_pct;
  double emc;
  if (h < 10) {
    emc = 0.03229 + 0.281073 * h - 0.000578 * h * t;
  } else if (h < 50) {
    emc = 2.22749 + 0.160107 * h - 0.01478 * t;
  } else {
    emc = 21.0606 + 0.005565 * h * h - 0.00035 * h * t - 0.483199 * h;
  }
  const double m1 = std::clamp(emc, 2.0, 40.0);
  return fire::Moisture{m1 / 100, (m1 + 1) / 100, (m1 + 2) / 100, 0.60, 0.90};
}

SurfaceBehaviour::SurfaceBehaviour(const Landscape& land, const fire::SurfaceFuels& fuels,
                                   const SurfaceWeather& weather)
    : land_(land), fuels_(fuels), weather_(weather) {
  wind20_ftmin_ = weather.wind_ms / 1.15 * kFtPerM * 60.0;
  wind_to_deg_ = Wrap360(weather.wind_from_deg + 180.0);
}

std::optional<fire::SpreadResult> SurfaceBehaviour::SpreadAt(int i) const {
  const int code = land_.fuel[i];
  const fire::SurfaceFuel* fuel = code > 0 ? fuels_.Find(code) : nullptr;
  if (!fuel || !fuel->model().burnable) return std::nullopt;
  const double cover = land_.canopy_cover[i], height = land_.canopy_height_m[i], base = land_.canopy_base_m[i];
  const double ratio = (base > 0 && base < height) ? (height - base) / height : kDefaultCrownRatio;
  const double waf = fire::WindAdjustmentFactor(fuel->model().depth_ft, cover, height * kFtPerM, ratio);
  fire::SpreadInputs in;
  in.moisture = weather_.moisture;
  in.midflame_wind_ftmin = wind20_ftmin_ * waf;
  in.slope_deg = land_.slope_deg[i];
  const double upslope = in.slope_deg > 0 ? Wrap360(land_.aspect_deg[i] + 180.0) : 0.0;
  in.wind_dir_deg = Wrap360(wind_to_deg_ - upslope);
  fire::SpreadResult r = fire::Spread(*fuel, in);
  if (!(r.ros > 0)) return std::nullopt;
  return r;
}

Wavelet SurfaceBehaviour::At(int i) const {
  const std::optional<fire::SpreadResult> r = SpreadAt(i);
  Wavelet w;
  if (!r) return w;
  w.ros_m_min = static_cast<float>(r->ros * 0.3048);
  w.dir_deg = static_cast<float>(r->dir_max_spread);
  w.lw = static_cast<float>(std::max(1.0, r->length_to_width));
  w.slope_deg = land_.slope_deg[i];
  w.upslope_deg = w.slope_deg > 0 ? static_cast<float>(Wrap360(land_.aspect_deg[i] + 180.0)) : 0.0f;
  return w;
}

SpreadGrid SurfaceBehaviour::Grid(std::shared_ptr<const std::vector<float>> radius) const {
  SpreadGrid g;
  g.rows = land_.rows;
  g.cols = land_.cols;
  g.cell_x_m = land_.frame.cell_x_m;
  g.cell_y_m = land_.frame.cell_y_m;
  g.wavelet = [this](int i) { return At(i); };
  g.homogeneous_radius = std::move(radius);
  return g;
}

}  // namespace firebreak::forecast
