#include "firebreak/common/time.h"

#include <cstdio>
#include <cstdlib>

namespace firebreak {
namespace {

// Days from civil date (proleptic Gregorian), Howard Hinnant's algorithm.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, int* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int>(yy + (*m <= 2));
}

bool Digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

bool Fail(std::string* why, const char* msg) {
  if (why) *why = msg;
  return false;
}

struct Local {
  int y;
  unsigned mo, d;
  int h, mi, s;
};

Local ToLocal(const Timestamp& t) {
  std::int64_t local = t.epoch_s + static_cast<std::int64_t>(t.offset_min) * 60;
  std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  std::int64_t secs = local - days * 86400;
  Local l{};
  CivilFromDays(days, &l.y, &l.mo, &l.d);
  l.h = static_cast<int>(secs / 3600);
  l.mi = static_cast<int>((secs % 3600) / 60);
  l.s = static_cast<int>(secs % 60);
  return l;
}

}  // namespace

std::optional<Timestamp> ParseIso8601(std::string_view s, std::string* why) {
  int y, mo, d, h, mi, sec = 0;
  const char* expect = "expected an ISO 8601 time with offset, e.g. 2026-03-14T09:30:00+08:00";
  if (!Digits(s, 0, 4, &y) || s.size() < 16 || s[4] != '-' || !Digits(s, 5, 2, &mo) || s[7] != '-' ||
      !Digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') || !Digits(s, 11, 2, &h) || s[13] != ':' ||
      !Digits(s, 14, 2, &mi)) {
    Fail(why, expect);
    return std::nullopt;
  }
  std::size_t p = 16;
  if (p < s.size() && s[p] == ':') {
    if (!Digits(s, p + 1, 2, &sec)) {
      Fail(why, expect);
      return std::nullopt;
    }
    p += 3;
    if (p < s.size() && s[p] == '.') {
      ++p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
    Fail(why, "date or time field out of range");
    return std::nullopt;
  }
  static const int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kMonthDays[mo - 1] || (mo == 2 && d == 29 && !leap)) {
    Fail(why, "no such day in that month");
    return std::nullopt;
  }
  int offset = 0;
  if (p >= s.size()) {
    Fail(why, "missing UTC offset: write Z or +08:00");
    return std::nullopt;
  }
  if (s[p] == 'Z' || s[p] == 'z') {
    ++p;
  } else if (s[p] == '+' || s[p] == '-') {
    int oh, om;
    if (!Digits(s, p + 1, 2, &oh) || p + 3 >= s.size() || s[p + 3] != ':' || !Digits(s, p + 4, 2, &om) || oh > 14 ||
        om > 59) {
      Fail(why, "malformed UTC offset: write +HH:MM");
      return std::nullopt;
    }
    offset = (oh * 60 + om) * (s[p] == '-' ? -1 : 1);
    p += 6;
  } else {
    Fail(why, expect);
    return std::nullopt;
  }
  if (p != s.size()) {
    Fail(why, "unexpected characters after the time");
    return std::nullopt;
  }
  std::int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  std::int64_t local = days * 86400 + h * 3600 + mi * 60 + sec;
  // A leap second (:60) on the last second of 9999 would roll into year 10000, which has no 4-digit form.
  static const std::int64_t kLastLocal = DaysFromCivil(9999, 12, 31) * 86400 + 86399;
  if (local > kLastLocal) {
    Fail(why, "time after 9999-12-31T23:59:59");
    return std::nullopt;
  }
  return Timestamp{local - static_cast<std::int64_t>(offset) * 60, offset};
}

std::string FormatIso8601(const Timestamp& t) {
  Local l = ToLocal(t);
  char buf[64];
  if (t.offset_min == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", l.y, l.mo, l.d, l.h, l.mi, l.s);
  } else {
    int off = std::abs(t.offset_min);
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", l.y, l.mo, l.d, l.h, l.mi, l.s,
                  t.offset_min < 0 ? '-' : '+', off / 60, off % 60);
  }
  return buf;
}

std::string FormatShort(const Timestamp& t) {
  Local l = ToLocal(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02u-%02u %02d:%02d", l.mo, l.d, l.h, l.mi);
  return buf;
}

int LocalHour(const Timestamp& t) { return ToLocal(t).h; }
int LocalMonth(const Timestamp& t) { return static_cast<int>(ToLocal(t).mo); }
int LocalDay(const Timestamp& t) { return static_cast<int>(ToLocal(t).d); }

std::int64_t LocalDayNumber(const Timestamp& t) {
  std::int64_t local = t.epoch_s + static_cast<std::int64_t>(t.offset_min) * 60;
  return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

Timestamp LocalMidnight(std::int64_t day, int offset_min) {
  return Timestamp{day * 86400 - static_cast<std::int64_t>(offset_min) * 60, offset_min};
}

std::int64_t DayNumber(int year, int month, int day) {
  return DaysFromCivil(year, static_cast<unsigned>(month), 1) + (day - 1);
}

int YearOfDay(std::int64_t day) {
  int y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  return y;
}

int MonthDayOfDay(std::int64_t day) {
  int y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  return static_cast<int>(m * 100 + d);
}

}  // namespace firebreak
