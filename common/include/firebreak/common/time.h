// Instants of time for incident reports, declarations and timelines.
//
// A Timestamp is an absolute instant (seconds since the Unix epoch, UTC) plus the UTC offset it was written
// with, so that it prints back in the duty office's local time (Liuzhou is +08:00).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "firebreak/common/units.h"

namespace firebreak {

struct Timestamp {
  std::int64_t epoch_s = 0;  // seconds since 1970-01-01T00:00:00Z
  int offset_min = 8 * 60;   // offset used when printing (minutes east of UTC)

  friend bool operator==(const Timestamp& a, const Timestamp& b) { return a.epoch_s == b.epoch_s; }
  friend auto operator<=>(const Timestamp& a, const Timestamp& b) { return a.epoch_s <=> b.epoch_s; }
};

// Parses ISO 8601 "YYYY-MM-DDTHH:MM[:SS][.fff](Z|+HH:MM|-HH:MM)". The offset is REQUIRED: a report
// without one is ambiguous. Returns nullopt (and sets *why) on any malformed input.
std::optional<Timestamp> ParseIso8601(std::string_view text, std::string* why = nullptr);

// "2026-03-14T09:30:00+08:00" in the timestamp's own offset.
std::string FormatIso8601(const Timestamp& t);
// "03-14 09:30" (local, compact) for timelines.
std::string FormatShort(const Timestamp& t);

inline Seconds Between(const Timestamp& from, const Timestamp& to) {
  return Seconds(static_cast<double>(to.epoch_s - from.epoch_s));
}
inline Timestamp Plus(const Timestamp& t, Seconds s) {
  return Timestamp{t.epoch_s + static_cast<std::int64_t>(s.value()), t.offset_min};
}

// Local hour of day (0..23) in the timestamp's offset (used for night / sensitive-period rules).
int LocalHour(const Timestamp& t);
// Local month (1..12) and day (1..31).
int LocalMonth(const Timestamp& t);
int LocalDay(const Timestamp& t);

// Local calendar days (for calendars of sensitive periods): days since 1970-01-01 of the local date of `t`.
std::int64_t LocalDayNumber(const Timestamp& t);
// The instant local midnight begins day `day` at UTC offset `offset_min`.
Timestamp LocalMidnight(std::int64_t day, int offset_min);
// Day number of a civil date (proleptic Gregorian; day may run past the month's end: 02-30 = 03-02).
std::int64_t DayNumber(int year, int month, int day);
// Year, and month*100 + day (e.g. 328 for March 28), of a day number.
int YearOfDay(std::int64_t day);
int MonthDayOfDay(std::int64_t day);

}  // namespace firebreak
