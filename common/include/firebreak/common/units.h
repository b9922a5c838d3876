// Units in types where C++ code does arithmetic that could mix them: distances, durations, speeds, angles (a
// travel time does not add to a distance). Quantity<Tag> wraps a double; arithmetic is only defined within one
// tag, scaling by a plain double.
//
// Incident facts (hectares, hours of open fire, persons) are deliberately NOT Quantity types: a report's values
// go straight into an engine::FactSet keyed by FactId, and every fact carries its one unit in the fact table
// (engine/facts.h: burned_area_ha "ha", open_fire_hours "h", deaths "persons"). A rule's bound is attached to
// one fact and read in that fact's unit by the loader, so a hectare threshold can never be compared with hours:
// the FactId is the type. The tags that only mirrored those units (Hectares, Celsius, Percent) were never used
// and are gone; Hours stays for turning Timestamp differences into hours.
#pragma once

#include <compare>

namespace firebreak {

template <class Tag>
class Quantity {
 public:
  constexpr Quantity() = default;
  constexpr explicit Quantity(double v) : v_(v) {}
  constexpr double value() const { return v_; }

  constexpr Quantity operator+(Quantity o) const { return Quantity(v_ + o.v_); }
  constexpr Quantity operator-(Quantity o) const { return Quantity(v_ - o.v_); }
  constexpr Quantity operator*(double k) const { return Quantity(v_ * k); }
  constexpr Quantity operator/(double k) const { return Quantity(v_ / k); }
  constexpr double operator/(Quantity o) const { return v_ / o.v_; }
  constexpr Quantity& operator+=(Quantity o) {
    v_ += o.v_;
    return *this;
  }
  constexpr Quantity& operator-=(Quantity o) {
    v_ -= o.v_;
    return *this;
  }
  constexpr auto operator<=>(const Quantity&) const = default;

 private:
  double v_ = 0.0;
};

namespace unit_tag {
struct Hours {};
struct Seconds {};
struct Metres {};
struct Kilometres {};
struct Degrees {};
struct MetresPerSecond {};
}  // namespace unit_tag

using Hours = Quantity<unit_tag::Hours>;
using Seconds = Quantity<unit_tag::Seconds>;
using Metres = Quantity<unit_tag::Metres>;
using Kilometres = Quantity<unit_tag::Kilometres>;
using Degrees = Quantity<unit_tag::Degrees>;
using MetresPerSecond = Quantity<unit_tag::MetresPerSecond>;

constexpr Hours ToHours(Seconds s) { return Hours(s.value() / 3600.0); }
constexpr Seconds ToSeconds(Hours h) { return Seconds(h.value() * 3600.0); }
constexpr Kilometres ToKilometres(Metres m) { return Kilometres(m.value() / 1000.0); }
constexpr Metres ToMetres(Kilometres k) { return Metres(k.value() * 1000.0); }

}  // namespace firebreak
