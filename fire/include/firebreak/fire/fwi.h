// The Canadian Forest Fire Weather Index (FWI) System: the six codes and indices from daily noon weather,
// carried day to day (Van Wagner & Pickett 1985, Equations and FORTRAN program for the Canadian Forest Fire
// Weather Index System, Forestry Technical Report 33; equation numbers below are theirs; Van Wagner 1987, FTR 35).
//
// Pure arithmetic: no I/O, no allocation in the per-day functions. Thread-safe (no state).
//
// Inputs are noon local standard time observations: temperature (°C), relative humidity (%), 10-m open wind
// (km/h) and rain of the previous 24 h (mm). The functions REQUIRE valid values (RH in [0, 100], wind and
// rain >= 0, month 1..12); readers validate with the file position (weather_io.h, ValidateWeather).
//
// Day length. DMC and DC use monthly day-length factors (Le, Lf). The published tables are for 46°N (the
// system's home; the reference table of the report uses them). For other latitudes we use the bands of Lawson
// & Armitage (2008) as the R package cffdrs implements them: DMC 30°N < lat: 46°N table; 10°N < lat <= 30°N:
// the 20°N table; |lat| <= 10°: 9 every month; 30°S..10°S and south of 30°S: the southern tables. DC: north of
// 20°N the 46°N table; 20°S..20°N: 1.4; south of 20°S the southern table. Liuzhou (23.9–26.1°N) is in the DMC
// 20°N band and the DC northern band (docs/fire.md explains the choice).
#pragma once

#include <array>
#include <optional>
#include <span>
#include <vector>

namespace firebreak::fire {

// One day's noon observation.
struct NoonWeather {
  int month = 1;        // 1..12 (selects the day-length factors)
  double temp_c = 0;    // air temperature, °C
  double rh_pct = 0;    // relative humidity, % [0, 100]
  double wind_kmh = 0;  // 10-m open wind speed, km/h, >= 0
  double rain_mm = 0;   // rain in the 24 h before noon, mm, >= 0
};

// Yesterday's moisture codes (start-up: 85, 6, 15 — Van Wagner 1987).
struct FwiCodes {
  double ffmc = 85;  // Fine Fuel Moisture Code
  double dmc = 6;    // Duff Moisture Code
  double dc = 15;    // Drought Code
};

// One day of the system.
struct FwiDay {
  double ffmc = 0, dmc = 0, dc = 0;  // moisture codes
  double isi = 0;                    // Initial Spread Index
  double bui = 0;                    // Buildup Index
  double fwi = 0;                    // Fire Weather Index
  double dsr = 0;                    // Daily Severity Rating, 0.0272 FWI^1.77 (Van Wagner 1970)
  FwiCodes codes() const { return {ffmc, dmc, dc}; }
};

// Monthly day-length factors for DMC (Le, hours) and DC (Lf, mm-equivalent). Index 0 = January.
struct DayLength {
  std::array<double, 12> le{};
  std::array<double, 12> lf{};
  const char* name = "";  // "46N standard", "20N (lat 10..30N)", ... (for output notes)
};

// The published 46°N tables (nullopt) or the Lawson & Armitage band for `latitude_deg` (see above).
// REQUIRES: |latitude_deg| <= 90.
DayLength DayLengthFor(std::optional<double> latitude_deg);

// The codes and indices, one function per equation group (REQUIRES: valid inputs, see above).
double Ffmc(double ffmc_yesterday, const NoonWeather& w);           // eqs. 1-10
double Dmc(double dmc_yesterday, const NoonWeather& w, double le);  // eqs. 11-16
double Dc(double dc_yesterday, const NoonWeather& w, double lf);    // eqs. 18-23
double Isi(double ffmc, double wind_kmh);                           // eqs. 24-26
double Bui(double dmc, double dc);                                  // eqs. 27a, 27b
double Fwi(double isi, double bui);                                 // eqs. 28-30
double Dsr(double fwi);                                             // eq. 31

// One day from yesterday's codes.
FwiDay Step(const FwiCodes& yesterday, const NoonWeather& w, const DayLength& dl);

// A station series: day i from day i-1 (day 0 from `start`). The result has one entry per day.
std::vector<FwiDay> RunFwi(const FwiCodes& start, std::span<const NoonWeather> days, const DayLength& dl);

// Overwintering DC (Lawson & Armitage 2008, after Turner & Lawson 1978): the spring start-up DC from the last
// fall DC and the rain (mm) between fall and spring. carry_over a (0.75 typical) and rain efficiency b (0.75
// typical for well-drained soils). Result >= 15 (the ordinary start-up value).
double OverwinterDc(double dc_fall, double winter_rain_mm, double a = 0.75, double b = 0.75);

// Moisture content (%) of fine fuel behind an FFMC value (the FF scale, eq. 1): 147.2 (101 - F) / (59.5 + F).
double FfmcMoisture(double ffmc);

}  // namespace firebreak::fire
