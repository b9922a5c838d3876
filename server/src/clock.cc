#include "clock.h"

namespace firebreak::server {

Clock::Clock(std::optional<Timestamp> test_start, int offset_min)
    : test_(test_start.has_value()), offset_min_(offset_min) {
  if (test_) {
    base_epoch_ = test_start->epoch_s;
    base_steady_ = std::chrono::steady_clock::now();
  }
}

Timestamp Clock::Now() const {
  if (!test_) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return Timestamp{std::chrono::duration_cast<std::chrono::seconds>(now).count(), offset_min_};
  }
  std::lock_guard<std::mutex> lock(mu_);
  const auto run = std::chrono::steady_clock::now() - base_steady_;
  return Timestamp{base_epoch_ + std::chrono::duration_cast<std::chrono::seconds>(run).count(), offset_min_};
}

void Clock::Set(const Timestamp& t) {
  std::lock_guard<std::mutex> lock(mu_);
  base_epoch_ = t.epoch_s;
  base_steady_ = std::chrono::steady_clock::now();
}

void Clock::Advance(std::chrono::seconds s) {
  const Timestamp now = Now();
  Set(Timestamp{now.epoch_s + s.count(), offset_min_});
}

}  // namespace firebreak::server
