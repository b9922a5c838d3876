// Internal to server/src: the desk's clock. Real time, or in test mode a clock that starts at a given moment,
// runs on in real time and can be set or advanced (POST /api/test/clock) so that tests can make a countdown
// reach zero. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>

#include "firebreak/common/time.h"

namespace firebreak::server {

class Clock {
 public:
  Clock(std::optional<Timestamp> test_start, int offset_min);

  Timestamp Now() const;
  bool test_mode() const { return test_; }
  // Test mode only (REQUIRES test_mode()).
  void Set(const Timestamp& t);
  void Advance(std::chrono::seconds s);

 private:
  const bool test_;
  const int offset_min_;
  mutable std::mutex mu_;
  std::int64_t base_epoch_ = 0;                        // test mode: the clock's time at `base_steady_`
  std::chrono::steady_clock::time_point base_steady_;  // test mode
};

}  // namespace firebreak::server
