// HTTP dates (RFC 9110 section 5.6.7): IMF-fixdate out; IMF-fixdate, RFC 850 and
// asctime in, as Go's http.ParseTime. Civil-date arithmetic is Howard Hinnant's
// days_from_civil/civil_from_days, so nothing here depends on the C library's time zone.
#include "httpkit/http_date.hpp"

#include <array>
#include <cstdint>

namespace httpkit {

namespace {

using namespace std::string_view_literals;
using Seconds = std::chrono::seconds;

constexpr std::array kDayNames = {"Sun"sv, "Mon"sv, "Tue"sv, "Wed"sv, "Thu"sv, "Fri"sv, "Sat"sv};
constexpr std::array kLongDayNames = {"Sunday"sv,   "Monday"sv, "Tuesday"sv, "Wednesday"sv,
                                      "Thursday"sv, "Friday"sv, "Saturday"sv};
constexpr std::array kMonthNames = {"Jan"sv, "Feb"sv, "Mar"sv, "Apr"sv, "May"sv, "Jun"sv,
                                    "Jul"sv, "Aug"sv, "Sep"sv, "Oct"sv, "Nov"sv, "Dec"sv};
constexpr std::int64_t kSecondsPerDay = 86400;

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month, day;
};

Civil civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

void put2(char* out, unsigned v) noexcept {
  out[0] = static_cast<char>('0' + v / 10 % 10);
  out[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

void format_http_date(std::chrono::system_clock::time_point t, char out[kTimeFormatLen]) noexcept {
  std::int64_t secs = std::chrono::floor<Seconds>(t.time_since_epoch()).count();
  std::int64_t days = secs >= 0 ? secs / kSecondsPerDay : (secs - kSecondsPerDay + 1) / kSecondsPerDay;
  auto sod = static_cast<unsigned>(secs - days * kSecondsPerDay);
  Civil c = civil_from_days(days);
  auto weekday = static_cast<std::size_t>((days % 7 + 11) % 7);  // 1970-01-01 was a Thursday (4)
  // "Mon, 02 Jan 2006 15:04:05 GMT"
  auto copy3 = [](char* dst, std::string_view s) { dst[0] = s[0], dst[1] = s[1], dst[2] = s[2]; };
  copy3(out, kDayNames[weekday]);
  out[3] = ',', out[4] = ' ';
  put2(out + 5, c.day);
  out[7] = ' ';
  copy3(out + 8, kMonthNames[c.month - 1]);
  out[11] = ' ';
  auto year = static_cast<unsigned>(c.year < 0 ? 0 : c.year % 10000);
  put2(out + 12, year / 100);
  put2(out + 14, year % 100);
  out[16] = ' ';
  put2(out + 17, sod / 3600);
  out[19] = ':';
  put2(out + 20, sod / 60 % 60);
  out[22] = ':';
  put2(out + 23, sod % 60);
  copy3(out + 25, " GM");
  out[28] = 'T';
}

std::string format_http_date(std::chrono::system_clock::time_point t) {
  std::string s(kTimeFormatLen, '\0');
  format_http_date(t, s.data());
  return s;
}

namespace {

// Cursor reads the fixed-layout fields of a date, failing on the first mismatch.
struct Cursor {
  std::string_view s;
  bool ok = true;

  void literal(std::string_view lit) noexcept {
    if (ok && s.starts_with(lit)) s.remove_prefix(lit.size());
    else ok = false;
  }
  unsigned digits(std::size_t n) noexcept {
    unsigned v = 0;
    for (std::size_t i = 0; i < n && ok; ++i) {
      if (s.empty() || s[0] < '0' || s[0] > '9') ok = false;
      else v = v * 10 + static_cast<unsigned>(s[0] - '0'), s.remove_prefix(1);
    }
    return v;
  }
  template <std::size_t N>
  std::size_t name(const std::array<std::string_view, N>& names) noexcept {
    for (std::size_t i = 0; ok && i < N; ++i) {
      if (s.starts_with(names[i])) {
        s.remove_prefix(names[i].size());
        return i;
      }
    }
    ok = false;
    return 0;
  }
};

struct Fields {
  std::int64_t year;
  unsigned month, day, hour, minute, second;
};

std::optional<std::chrono::system_clock::time_point> to_time(const Fields& f) noexcept {
  static constexpr std::array<unsigned, 12> kDaysIn = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (f.year % 4 == 0 && f.year % 100 != 0) || f.year % 400 == 0;
  unsigned max_day = f.month == 1 && !leap ? 28 : kDaysIn[f.month];
  if (f.day < 1 || f.day > max_day || f.hour > 23 || f.minute > 59 || f.second > 59) return std::nullopt;
  std::int64_t secs = days_from_civil(f.year, f.month + 1, f.day) * kSecondsPerDay + f.hour * 3600 + f.minute * 60 + f.second;
  return std::chrono::system_clock::time_point(Seconds(secs));
}

void clock_fields(Cursor& c, Fields& f) noexcept {
  f.hour = c.digits(2);
  c.literal(":");
  f.minute = c.digits(2);
  c.literal(":");
  f.second = c.digits(2);
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<std::chrono::system_clock::time_point> parse_imf(std::string_view s) noexcept {
  Cursor c{s};
  Fields f{};
  c.name(kDayNames);
  c.literal(", ");
  f.day = c.digits(2);
  c.literal(" ");
  f.month = static_cast<unsigned>(c.name(kMonthNames));
  c.literal(" ");
  f.year = c.digits(4);
  c.literal(" ");
  clock_fields(c, f);
  c.literal(" GMT");
  if (!c.ok || !c.s.empty()) return std::nullopt;
  return to_time(f);
}

// "Sunday, 06-Nov-94 08:49:37 GMT": two-digit years 69-99 are 19xx, as Go's "06".
std::optional<std::chrono::system_clock::time_point> parse_rfc850(std::string_view s) noexcept {
  Cursor c{s};
  Fields f{};
  c.name(kLongDayNames);
  c.literal(", ");
  f.day = c.digits(2);
  c.literal("-");
  f.month = static_cast<unsigned>(c.name(kMonthNames));
  c.literal("-");
  unsigned yy = c.digits(2);
  f.year = yy >= 69 ? 1900 + yy : 2000 + yy;
  c.literal(" ");
  clock_fields(c, f);
  c.literal(" GMT");
  if (!c.ok || !c.s.empty()) return std::nullopt;
  return to_time(f);
}

// "Sun Nov  6 08:49:37 1994": the day is space-padded (or two digits).
std::optional<std::chrono::system_clock::time_point> parse_asctime(std::string_view s) noexcept {
  Cursor c{s};
  Fields f{};
  c.name(kDayNames);
  c.literal(" ");
  f.month = static_cast<unsigned>(c.name(kMonthNames));
  c.literal(" ");
  if (c.ok && c.s.starts_with(' ')) {
    c.s.remove_prefix(1);
    f.day = c.digits(1);
  } else {
    f.day = c.digits(2);
  }
  c.literal(" ");
  clock_fields(c, f);
  c.literal(" ");
  f.year = c.digits(4);
  if (!c.ok || !c.s.empty()) return std::nullopt;
  return to_time(f);
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) noexcept {
  if (auto t = parse_imf(s)) return t;
  if (auto t = parse_rfc850(s)) return t;
  return parse_asctime(s);
}

}  // namespace httpkit
