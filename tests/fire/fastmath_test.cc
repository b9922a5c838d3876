// fire/src/fastmath.h: the vectorisable exp and log against libm over their whole documented ranges.
#include <cmath>

#include <gtest/gtest.h>

#include "../../fire/src/fastmath.h"

namespace firebreak::fire::detail {
namespace {

TEST(FastMath, ExpAgreesWithLibmEverywhere) {
  double worst = 0;
  for (double x = -708; x <= 709; x += 0.00731) worst = std::max(worst, std::fabs(FExp(x) - std::exp(x)) / std::exp(x));
  EXPECT_LT(worst, 5e-16);
  EXPECT_EQ(FExp(0), 1.0);
  EXPECT_DOUBLE_EQ(FExp(1), std::exp(1.0));
  EXPECT_GT(FExp(-1e6), 0.0);  // clamped to e^-708, never 0/NaN
  EXPECT_LT(FExp(-1e6), 1e-300);
}

TEST(FastMath, LogAgreesWithLibmEverywhere) {
  double worst_rel = 0, worst_abs = 0;
  for (double x = 1e-300; x < 1e300; x *= 1.0137) {
    const double a = std::log(x), b = FLog(x);
    worst_rel = std::max(worst_rel, std::fabs(a - b) / std::max(1.0, std::fabs(a)));
  }
  for (double x = 0.5; x < 2.0; x += 1.3e-6) worst_abs = std::max(worst_abs, std::fabs(std::log(x) - FLog(x)));
  EXPECT_LT(worst_rel, 3e-16);
  EXPECT_LT(worst_abs, 3e-16);
  EXPECT_EQ(FLog(1.0), 0.0);
  EXPECT_NEAR(FLog(0.0), -709.09, 0.01);  // the documented value callers rely on (FExp of its multiples is 0)
  EXPECT_NEAR(FPow(37.5, 0.679), std::pow(37.5, 0.679), 1e-14);
}

// The short variants of the FWI index pass (fwi.cc; results not carried to the next day) to their documented bounds.
TEST(FastMath, VariantsWithinTheirDocumentedBounds) {
  double lo = 0;
  for (double x = 1e-300; x < 1e300; x *= 1.0137) {
    const double a = std::log(x);
    lo = std::max(lo, std::fabs(a - FLogLo(x)) / std::max(1.0, std::fabs(a)));
  }
  for (double x = 0.5; x < 2.0; x += 1.3e-6) {
    lo = std::max(lo, std::fabs(std::log(x) - FLogLo(x)));
  }
  EXPECT_LT(lo, 4e-12);
  EXPECT_EQ(FLogLo(1.0), 0.0);
  double ex = 0;
  for (double x = -708; x <= 709; x += 0.00731) ex = std::max(ex, std::fabs(FExpLo(x) - std::exp(x)) / std::exp(x));
  EXPECT_LT(ex, 4e-13);
}

}  // namespace
}  // namespace firebreak::fire::detail

namespace firebreak::fire::detail {
namespace {

TEST(FastMath, SinCosAndAtan2InDegrees) {
  double worst = 0;
  for (double d = -720; d <= 720; d += 0.0137) {
    double s = 0, c = 0;
    FSinCosDeg(d, s, c);
    const double r = d * 3.14159265358979323846 / 180;
    worst = std::max({worst, std::fabs(s - std::sin(r)), std::fabs(c - std::cos(r))});
  }
  EXPECT_LT(worst, 3e-15);  // the reference itself rounds d·π/180 (up to 12.6 rad here); within ±45°:
  double near = 0;
  for (double d = -45; d <= 45; d += 0.00137) {
    double s = 0, c = 0;
    FSinCosDeg(d, s, c);
    const double r = d * 3.14159265358979323846 / 180;
    near = std::max({near, std::fabs(s - std::sin(r)), std::fabs(c - std::cos(r))});
  }
  EXPECT_LT(near, 3e-16);
  double s = 0, c = 0;
  FSinCosDeg(90, s, c);
  EXPECT_EQ(s, 1.0);
  EXPECT_EQ(c, 0.0);
  double wa = 0;
  for (double a = -179.99; a <= 180; a += 0.0173)
    for (double r : {1e-3, 1.0, 250.0}) {
      const double x = r * std::cos(a * 3.14159265358979323846 / 180),
                   y = r * std::sin(a * 3.14159265358979323846 / 180);
      wa = std::max(wa, std::fabs(FAtan2Deg(y, x) - std::atan2(y, x) * 180 / 3.14159265358979323846));
    }
  EXPECT_LT(wa, 1e-13);
  EXPECT_EQ(FAtan2Deg(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(FAtan2Deg(1, 0), 90.0);
  EXPECT_DOUBLE_EQ(FAtan2Deg(0, -1), 180.0);
  EXPECT_DOUBLE_EQ(FAtan2Deg(-1, -1), -135.0);
}

}  // namespace
}  // namespace firebreak::fire::detail
