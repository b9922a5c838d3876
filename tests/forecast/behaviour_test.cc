// The spread driven by the Rothermel engine of fire/ (BehavePlus parity): on flat uniform fuel with a constant wind
// the burned shape is the engine's own ellipse (fire::FireEllipse); on a slope without wind the fire runs fastest
// upslope at the engine's rates. Also: moisture inputs (scenarios, FFMC, air).
#include <gtest/gtest.h>

#include <cmath>

#include "firebreak/fire/rothermel.h"
#include "firebreak/fire/surface.h"
#include "firebreak/forecast/behaviour.h"
#include "test_util.h"

namespace firebreak::forecast {
namespace {

using testing::Models;

constexpr double kFtMin = 0.3048;  // ft/min -> m/min

// The engine's head-fire result for a flat cell of `fuel` under a 10-m wind, as SurfaceBehaviour must compute it.
fire::SpreadResult Engine(int fuel, double wind_ms, const fire::Moisture& m, double slope = 0, double rel_dir = 0) {
  const fire::SurfaceFuels fuels(Models());
  const fire::SurfaceFuel& f = *fuels.Find(fuel);
  fire::SpreadInputs in;
  in.moisture = m;
  in.midflame_wind_ftmin = wind_ms / 1.15 / 0.3048 * 60 * fire::WindAdjustmentFactor(f.model().depth_ft, 0, 0, 0);
  in.wind_dir_deg = rel_dir;
  in.slope_deg = slope;
  return fire::Spread(f, in);
}

struct WindCase {
  int fuel;
  double wind_ms, from_deg;
};

class RothermelEllipse : public ::testing::TestWithParam<WindCase> {};

TEST_P(RothermelEllipse, HeadWithin2PctAreaWithin5PctAt1_2_6h) {
  const WindCase k = GetParam();
  const fire::Moisture m = *ParseMoisture("D1L1");
  const fire::SpreadResult r = Engine(k.fuel, k.wind_ms, m);
  ASSERT_GT(r.ros, 0);
  const double ros = r.ros * kFtMin;
  // The landscape's resolution is free: 30 cells per hour of head-fire run.
  const double cell = ros * 60 / 30;
  const int n = 420;
  const Landscape land = testing::UniformLandscape(n, n, cell, k.fuel);
  const fire::SurfaceFuels fuels(Models());
  SurfaceWeather w;
  w.wind_ms = k.wind_ms;
  w.wind_from_deg = k.from_deg;
  w.moisture = m;
  const SurfaceBehaviour beh(land, fuels, w);
  const SpreadGrid grid = beh.Grid(HomogeneousRadius(n, n, land.edge));
  Ignition ign;
  ign.points.push_back({n / 2 + 0.25, n / 2 + 0.5});
  SolveOptions opt;
  opt.horizon_min = 6 * 60 + 5;
  const Arrival a = Solve(grid, ign, opt);
  const double head_az = std::fmod(k.from_deg + 180, 360);
  for (double hours : {1.0, 2.0, 6.0}) {
    const fire::Ellipse el = fire::FireEllipse(r, hours * 60);  // feet
    const double head = testing::RunDistance(a, cell, ign.points[0].col, ign.points[0].row, head_az, hours * 60);
    EXPECT_NEAR(head / (r.ros * hours * 60 * kFtMin), 1.0, 0.02) << hours << " h";
    const double area = testing::BurnedArea(a, cell, hours * 60);
    EXPECT_NEAR(area / (el.area * kFtMin * kFtMin), 1.0, 0.05) << hours << " h";
  }
}

// Winds from light to strong (L/W ~1.1 to ~2.6), directions on and between grid neighbours.
INSTANTIATE_TEST_SUITE_P(Winds, RothermelEllipse,
                         ::testing::Values(WindCase{102, 2, 270}, WindCase{102, 5, 250}, WindCase{102, 9, 292.5},
                                           WindCase{122, 6, 0}, WindCase{122, 12, 123}, WindCase{165, 8, 200}));

TEST(SlopeOnly, FastestUpslopeAtTheEnginesRates) {
  const double slope = 20;  // degrees; the slope faces south (aspect 180), so upslope is north
  const fire::Moisture m = *ParseMoisture("D2L2");
  const fire::SpreadResult r = Engine(102, 0, m, slope);
  const double ros = r.ros * kFtMin;
  const double cell = ros * 60 / 25;
  const int n = 260;
  const Landscape land = testing::UniformLandscape(n, n, cell, 102, static_cast<float>(slope), 180);
  const fire::SurfaceFuels fuels(Models());
  SurfaceWeather w;
  w.moisture = m;
  const SurfaceBehaviour beh(land, fuels, w);
  Ignition ign;
  ign.points.push_back({n / 2 + 0.5, n / 2 + 0.5});
  SolveOptions opt;
  opt.horizon_min = 5 * 60;
  const Arrival a = Solve(beh.Grid(HomogeneousRadius(n, n, land.edge)), ign, opt);
  const double t = 4 * 60, cs = std::cos(slope * testing::kRad);
  auto run = [&](double az) { return testing::RunDistance(a, cell, n / 2 + 0.5, n / 2 + 0.5, az, t); };
  // Fastest upslope: of 16 directions, north runs farthest.
  double best_az = -1, best = 0;
  for (int k = 0; k < 16; ++k) {
    if (run(k * 22.5) > best) best = run(best_az = k * 22.5);
  }
  EXPECT_EQ(best_az, 0);
  // Rates along the ground (map distance / cos slope on the fall line) match the engine's.
  EXPECT_NEAR(run(0) / cs / t / ros, 1.0, 0.02) << "head (upslope)";
  EXPECT_NEAR(run(180) / cs / t / (r.backing_ros * kFtMin), 1.0, 0.05) << "backing (downslope)";
  EXPECT_NEAR(run(90) / t / (fire::RosFromIgnitionPoint(r, 90) * kFtMin), 1.0, 0.03) << "across the slope";
  EXPECT_NEAR(run(270), run(90), 0.02 * run(90)) << "symmetric across the slope";
}

TEST(Moisture, ScenariosNumbersFfmcAndAir) {
  const auto d2l2 = ParseMoisture("d2l2");
  ASSERT_TRUE(d2l2);
  EXPECT_DOUBLE_EQ(d2l2->d1h, 0.06);
  EXPECT_DOUBLE_EQ(d2l2->d10h, 0.07);
  EXPECT_DOUBLE_EQ(d2l2->d100h, 0.08);
  EXPECT_DOUBLE_EQ(d2l2->herb, 0.60);
  EXPECT_DOUBLE_EQ(d2l2->woody, 0.90);
  const auto d4l1 = ParseMoisture("D4L1");
  ASSERT_TRUE(d4l1);
  EXPECT_DOUBLE_EQ(d4l1->d1h, 0.12);
  EXPECT_DOUBLE_EQ(d4l1->woody, 0.60);
  const auto five = ParseMoisture("5,6,7,80,110");
  ASSERT_TRUE(five);
  EXPECT_DOUBLE_EQ(five->herb, 0.80);
  for (const char* bad : {"D5L1", "D2", "5,6,7,80", "5,6,x,80,110", "0,6,7,80,110", ""}) {
    EXPECT_FALSE(ParseMoisture(bad)) << bad;
  }
  // Van Wagner (1987): m = 147.2 (101 - F) / (59.5 + F): FFMC 85 -> 2355.2 / 144.5 = 16.2990 %;
  // FFMC 92 -> 1324.8 / 151.5 = 8.7446 %.
  EXPECT_NEAR(MoistureFromFfmc(85).d1h * 100, 16.2990, 1e-3);
  EXPECT_NEAR(MoistureFromFfmc(92).d1h * 100, 8.7446, 1e-3);
  // Simard (1968) EMC at 30 °C (86 °F), RH 20 %: 2.22749 + 0.160107*20 - 0.01478*86 = 4.1583 %.
  EXPECT_NEAR(MoistureFromAir(30, 20).d1h * 100, 4.15835, 1e-3);
  // RH 70 %, 20 °C (68 °F): 21.0606 + 27.2685 - 1.666 - 33.82393 = 12.83917 %.
  EXPECT_NEAR(MoistureFromAir(20, 70).d1h * 100, 12.83917, 1e-3);
  EXPECT_NEAR(MoistureFromAir(45, 2).d1h * 100, 2.0, 1e-9);  // clamped
}

}  // namespace
}  // namespace firebreak::forecast
