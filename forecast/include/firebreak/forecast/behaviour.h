// Surface-fire wavelets on a landscape: the Rothermel engine of fire/ (BehavePlus parity) per cell, from the
// weather of a report. Conventions and every assumption: docs/forecast.md, "Weather and fuel moisture".
//
//   wind     the report's 10-m open wind (m/s, FROM a compass direction) -> 20-ft wind = 10-m / 1.15 (BehavePlus)
//            -> midflame = 20-ft x WAF (Albini & Baughman, from the cell's canopy cover, height and crown ratio;
//            crown ratio = (height - base) / height when 0 < base < height, else 0.4).
//   slope    the cell's slope and aspect; wind and slope combined as vectors by the engine (upslope mode).
//   moisture one set for the whole landscape (MoistureFrom* below).
//
// Thread-safety: a SurfaceBehaviour is immutable; At() may be called from many threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "firebreak/fire/rothermel.h"
#include "firebreak/fire/surface.h"
#include "firebreak/forecast/landscape.h"
#include "firebreak/forecast/spread.h"

namespace firebreak::forecast {

struct SurfaceWeather {
  double wind_ms = 0;           // 10-m open wind speed, m/s (>= 0)
  double wind_from_deg = 0;     // compass direction the wind blows FROM
  fire::Moisture moisture;      // fractions of oven-dry weight (> 0)
  std::string moisture_source;  // how `moisture` was obtained (echoed in every output)
};

// Scott & Burgan (2005) moisture scenarios D1..D4 (dead 1/10/100-h 3/4/5 .. 12/13/14 %) with L1..L4 (live herb and
// woody 30/60 .. 120/150 %), e.g. "D2L2"; or five numbers "1h,10h,100h,herb,woody" in percent. nullopt otherwise.
std::optional<fire::Moisture> ParseMoisture(std::string_view text);

// Dead fine fuel moisture from the Fine Fuel Moisture Code (Van Wagner 1987: m = 147.2 (101 − F) / (59.5 + F), %);
// 10-h and 100-h = 1-h + 1 and + 2 points (the S&B scenario steps); live herb 60 %, woody 90 % (L2).
// REQUIRES: 0 <= ffmc <= 101.
fire::Moisture MoistureFromFfmc(double ffmc);

// Dead fine fuel moisture as the equilibrium moisture content of air at temperature_c and humidity_pct
// (Simard 1968, as NFDRS uses it), clamped to [2, 40] %; 10-h, 100-h and live as for MoistureFromFfmc.
fire::Moisture MoistureFromAir(double temperature_c, double humidity_pct);

class SurfaceBehaviour {
 public:
  // Keeps references: `land` and `fuels` must outlive it. REQUIRES: weather validated (moistures > 0).
  SurfaceBehaviour(const Landscape& land, const fire::SurfaceFuels& fuels, const SurfaceWeather& weather);

  // The wavelet of cell i (ros 0 where the fuel does not burn or the moisture puts it out).
  Wavelet At(int i) const;
  // The engine's full result at cell i (for the ignition point's behaviour in outputs). nullopt if it does not burn.
  std::optional<fire::SpreadResult> SpreadAt(int i) const;
  // A lazy spread grid over the landscape (wavelets on first touch), sharing `radius` (HomogeneousRadius of the
  // landscape's edges). The grid refers to this object: keep it alive while solving.
  SpreadGrid Grid(std::shared_ptr<const std::vector<float>> radius) const;

  const SurfaceWeather& weather() const { return weather_; }

 private:
  const Landscape& land_;
  const fire::SurfaceFuels& fuels_;
  SurfaceWeather weather_;
  double wind20_ftmin_ = 0;
  double wind_to_deg_ = 0;
};

}  // namespace firebreak::forecast
