// Flat uniform ground, constant wind: the burned shape is Anderson's ellipse. Given wavelets (head rate, direction,
// L/W) here; the same check driven by the Rothermel engine is in behaviour_test.cc.
#include <gtest/gtest.h>

#include "firebreak/forecast/spread.h"
#include "test_util.h"

namespace firebreak::forecast {
namespace {

using testing::Ellipse;

struct Case {
  double lw, dir_deg;
};

// Directions on grid neighbours (0, 45, 63.43 = knight) and between them (10, 22.5, 100, 200, 317).
const Case kCases[] = {{1.0, 0},   {1.5, 22.5}, {2.0, 0},  {2.0, 10}, {2.5, 63.43},
                       {3.0, 100}, {4.0, 200},  {4.0, 45}, {6.0, 317}};

class EllipseTest : public ::testing::TestWithParam<Case> {};

TEST_P(EllipseTest, HeadWithin2PctAreaWithin5PctAt1_2_6h) {
  const Case k = GetParam();
  // 30 m cells, head rate 15 m/min: the head runs 30 cells an hour, 180 cells in 6 h.
  const double cell = 30, ros = 15;
  const int n = 420;
  Wavelet w;
  w.ros_m_min = ros;
  w.dir_deg = static_cast<float>(k.dir_deg);
  w.lw = static_cast<float>(k.lw);
  const SpreadGrid g = testing::Uniform(n, n, cell, w);
  Ignition ign;
  ign.points.push_back({n / 2 + 0.3, n / 2 + 0.6});  // off the cell centre on purpose
  SolveOptions opt;
  opt.horizon_min = 6 * 60 + 5;
  const Arrival a = Solve(g, ign, opt);
  for (double hours : {1.0, 2.0, 6.0}) {
    const double t = hours * 60;
    const auto el = Ellipse(ros, k.lw, t);
    const double head = testing::RunDistance(a, cell, ign.points[0].col, ign.points[0].row, k.dir_deg, t);
    EXPECT_NEAR(head / el.head, 1.0, 0.02) << "head at " << hours << " h: " << head << " m vs " << el.head;
    const double back = testing::RunDistance(a, cell, ign.points[0].col, ign.points[0].row, k.dir_deg + 180, t);
    EXPECT_NEAR(back, el.back, 0.05 * el.back + cell) << "back at " << hours << " h";
    const double area = testing::BurnedArea(a, cell, t);
    EXPECT_NEAR(area / el.area, 1.0, 0.05) << "area at " << hours << " h: " << area << " m2 vs " << el.area;
  }
}

INSTANTIATE_TEST_SUITE_P(Winds, EllipseTest, ::testing::ValuesIn(kCases));

// On uniform ground the any-angle search is exact at cell centres: every centre's time is the ellipse's.
TEST(Ellipse, CentresExactOnUniformGround) {
  Wavelet w;
  w.ros_m_min = 10;
  w.dir_deg = 33;
  w.lw = 3;
  const SpreadGrid g = testing::Uniform(81, 81, 30, w);
  Ignition ign;
  ign.points.push_back({40.5, 40.5});
  SolveOptions opt;
  opt.horizon_min = 14 * 24 * 60;  // the backing fire needs ~3 days to reach the edge
  const Arrival a = Solve(g, ign, opt);
  const double e = std::sqrt(8.0) / 3.0;
  double worst = 0;
  for (int r = 0; r < 81; ++r) {
    for (int c = 0; c < 81; ++c) {
      const double de = (c - 40) * 30.0, dn = -(r - 40) * 30.0;
      const double dist = std::hypot(de, dn);
      if (dist == 0) continue;
      const double beta = std::atan2(de, dn) - 33 * testing::kRad;
      const double ray = 10 * (1 - e) / (1 - e * std::cos(beta));  // BehavePlus: from the ignition point
      worst = std::max(worst, std::abs(a.minutes[r * 81 + c] - dist / ray) / (dist / ray));
    }
  }
  EXPECT_LT(worst, 1e-5);
}

}  // namespace
}  // namespace firebreak::forecast
