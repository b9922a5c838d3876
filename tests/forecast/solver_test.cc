// The minimum-travel-time search on given wavelets: barriers and the gap-width rule, accuracy where every cell
// differs (no long any-angle lines), the time origin, bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "firebreak/common/error.h"
#include "firebreak/forecast/spread.h"
#include "test_util.h"

namespace firebreak::forecast {
namespace {

Wavelet East(float lw = 2) {
  Wavelet w;
  w.ros_m_min = 10;
  w.dir_deg = 90;
  w.lw = lw;
  return w;
}

SolveOptions Long() {
  SolveOptions o;
  o.horizon_min = 14 * 24 * 60;
  return o;
}

void Block(SpreadGrid& g, int r, int c) { g.cells[static_cast<std::size_t>(r) * g.cols + c].ros_m_min = 0; }
bool Burned(const Arrival& a, int r, int c) { return a.minutes[static_cast<std::size_t>(r) * a.cols + c] != kUnburned; }

// A wall of non-burnable cells along column 30, optionally with burnable gaps at the given rows.
SpreadGrid Walled(const std::vector<int>& gap_rows) {
  SpreadGrid g = testing::Uniform(60, 60, 30, East());
  for (int r = 0; r < 60; ++r) {
    if (std::find(gap_rows.begin(), gap_rows.end(), r) == gap_rows.end()) Block(g, r, 30);
  }
  return g;
}

TEST(Barrier, AWallStopsTheFire) {
  Ignition ign;
  ign.points.push_back({10.5, 30.5});
  const Arrival a = Solve(Walled({}), ign, Long());
  for (int r = 0; r < 60; ++r) {
    EXPECT_TRUE(Burned(a, r, 29)) << r;
    for (int c = 30; c < 60; ++c) ASSERT_FALSE(Burned(a, r, c)) << r << "," << c;
  }
}

TEST(Barrier, AOneCellGapLetsItThrough) {
  Ignition ign;
  ign.points.push_back({10.5, 30.5});
  const Arrival a = Solve(Walled({45}), ign, Long());
  EXPECT_TRUE(Burned(a, 45, 30));
  for (int r = 0; r < 60; ++r) EXPECT_TRUE(Burned(a, r, 59)) << r;
  // Through the gap the fire is late behind the wall: the cell right behind the wall's middle waits for it.
  const Arrival open = Solve(testing::Uniform(60, 60, 30, East()), ign, Long());
  EXPECT_GT(a.minutes[30 * 60 + 31], open.minutes[30 * 60 + 31] + 60);
}

// An 8-connected diagonal staircase of non-burnable cells (touching only at corners) stops the fire: no line may
// squeeze through a corner shared by two non-burnable cells. Remove one step and it passes.
TEST(Barrier, ADiagonalLineStopsItAndAGapOpensIt) {
  for (bool gap : {false, true}) {
    SpreadGrid g = testing::Uniform(60, 60, 30, East(3));
    for (int r = 0; r < 60; ++r) {
      if (r + 10 < 60 && !(gap && r == 20)) Block(g, r, 10 + r);  // a 45-degree staircase
    }
    Ignition ign;
    ign.points.push_back({2.5, 40.5});  // left of the line
    const Arrival a = Solve(g, ign, Long());
    int beyond = 0;
    for (int r = 0; r < 60; ++r) {
      for (int c = 11 + r; c < 60; ++c) beyond += Burned(a, r, c);
    }
    if (gap) {
      EXPECT_GT(beyond, 500);
    } else {
      EXPECT_EQ(beyond, 0);
    }
  }
}

TEST(Barrier, CornerRuleOnSegments) {
  SpreadGrid g = testing::Uniform(20, 20, 30, East(1));
  // Cells (row 10, col 10) and (row 11, col 11) touch at the corner (col 11, row 11).
  Block(g, 10, 10);
  Block(g, 11, 11);
  EXPECT_TRUE(std::isinf(SegmentMinutes(g, 11.5, 10.5, 10.5, 11.5)));         // (10,11) -> (11,10) through the corner
  EXPECT_TRUE(std::isinf(SegmentMinutes(g, 9.5, 9.5, 12.5, 12.5)));           // along the diagonal through both
  EXPECT_NEAR(SegmentMinutes(g, 11.5, 9.5, 14.5, 9.5), 3 * 30.0 / 10, 1e-5);  // east along row 9: open, 3 cells
  Block(g, 10, 10);
  g.cells[11 * 20 + 11].ros_m_min = 10;  // reopen one side: the corner is passable
  EXPECT_TRUE(std::isfinite(SegmentMinutes(g, 11.5, 10.5, 10.5, 11.5)));
}

// Per-cell noise makes every wavelet different, so lines are capped at max_line_cells and re-rooted: the documented
// accuracy there (docs/forecast.md) is head within 3 % and area within 5 % for L/W up to 2.5.
TEST(Heterogeneous, NearUniformNoiseStaysNearTheEllipse) {
  for (double lw : {1.5, 2.5}) {
    for (double dir : {10.0, 22.5, 33.0}) {
      const double ros = 15, cell = 30;
      const int n = 240;
      Wavelet w;
      w.ros_m_min = ros;
      w.dir_deg = static_cast<float>(dir);
      w.lw = static_cast<float>(lw);
      SpreadGrid g = testing::Uniform(n, n, cell, w);
      std::mt19937 rng(7);
      std::uniform_real_distribution<float> u(-1e-5f, 1e-5f);
      for (auto& c : g.cells) c.ros_m_min *= 1 + u(rng);
      Ignition ign;
      ign.points.push_back({n / 2 + 0.3, n / 2 + 0.6});
      SolveOptions opt;
      opt.horizon_min = 3 * 60 + 5;
      const Arrival a = Solve(g, ign, opt);
      const auto el = testing::Ellipse(ros, lw, 180);
      const double head = testing::RunDistance(a, cell, n / 2 + 0.3, n / 2 + 0.6, dir, 180);
      EXPECT_NEAR(head / el.head, 1.0, 0.03) << "L/W " << lw << " dir " << dir;
      EXPECT_NEAR(testing::BurnedArea(a, cell, 180) / el.area, 1.0, 0.05) << "L/W " << lw << " dir " << dir;
    }
  }
}

TEST(Origin, TheNthCellSetsHourZero) {
  const SpreadGrid g = testing::Uniform(80, 80, 30, East());
  Ignition ign;
  ign.points.push_back({40.5, 40.5});
  SolveOptions opt;
  opt.origin_cells = 150;
  opt.horizon_min = 60;
  const Arrival a = Solve(g, ign, opt);
  ASSERT_TRUE(a.origin_reached);
  std::size_t before = 0, after = 0;
  for (float m : a.minutes) {
    before += m <= a.origin_min;
    after += m != kUnburned && m > a.origin_min;
  }
  EXPECT_EQ(before, 150u);
  EXPECT_GT(after, 0u);
  for (float m : a.minutes) EXPECT_TRUE(m == kUnburned || m <= a.origin_min + 60 + 1e-3);
  opt.origin_cells = 80 * 80 + 1;  // more than the grid holds
  EXPECT_FALSE(Solve(g, ign, opt).origin_reached);
}

TEST(BadInput, ClearErrors) {
  SpreadGrid g = testing::Uniform(10, 10, 30, East());
  Ignition outside;
  outside.points.push_back({12, 3});
  EXPECT_THROW(Solve(g, outside), Error);
  Block(g, 5, 5);
  Ignition on_rock;
  on_rock.points.push_back({5.5, 5.5});
  try {
    Solve(g, on_rock);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(e.message().find("does not burn"), std::string::npos);
  }
  Ignition ok;
  ok.points.push_back({1.5, 1.5});
  SolveOptions zero;
  zero.horizon_min = 0;
  EXPECT_THROW(Solve(g, ok, zero), Error);
  g.cells[3].lw = 0.5f;
  try {
    Solve(g, ok);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.where().find("row 0, col 3"), std::string::npos) << e.where();
  }
  SpreadGrid wrong = testing::Uniform(10, 10, 30, East());
  wrong.cells.pop_back();
  EXPECT_THROW(Solve(wrong, ok), Error);
}

}  // namespace
}  // namespace firebreak::forecast
