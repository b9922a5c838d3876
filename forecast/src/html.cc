// The self-contained HTML page of a forecast: inline SVG of the perimeters, places and ignition; the burned-area
// curve with the thresholds on it; the tables. No script, no external resource.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "firebreak/common/text.h"
#include "firebreak/forecast/output.h"
#include "render_util.h"

namespace firebreak::forecast {

namespace {

using firebreak::text::HtmlEscape;
using internal::Fixed;

const char* kColours[] = {"#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#993404", "#662506"};

struct View {
  double x0 = 0, y0 = 0, x1 = 1, y1 = 1;  // metres (CRS scaled)
  double sx = 1, sy = 1;                  // metres per CRS unit
  double w = 640, h = 480;
  double X(double x) const { return (x * sx - x0) / (x1 - x0) * w; }
  double Y(double y) const { return h - (y * sy - y0) / (y1 - y0) * h; }
};

View MakeView(const ForecastResult& r) {
  View v;
  v.sx = r.frame.gt[1] != 0 ? r.frame.cell_x_m / std::abs(r.frame.gt[1]) : 1;
  v.sy = r.frame.gt[5] != 0 ? r.frame.cell_y_m / std::abs(r.frame.gt[5]) : 1;
  double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
  auto grow = [&](double x, double y) {
    x0 = std::min(x0, x * v.sx);
    x1 = std::max(x1, x * v.sx);
    y0 = std::min(y0, y * v.sy);
    y1 = std::max(y1, y * v.sy);
  };
  for (const auto& iso : r.isochrones) {
    for (const auto& poly : iso.polygons) {
      for (const auto& [x, y] : poly.front()) grow(x, y);
    }
  }
  const gis::CrsPoint ig = r.frame.Wgs84ToCrs(r.ignition);
  grow(ig.x, ig.y);
  for (const auto& p : r.places) {
    if (p.threat_hours == kNever) continue;
    const gis::CrsPoint c = r.frame.Wgs84ToCrs(p.at);
    grow(c.x, c.y);
  }
  const double pad = std::max({(x1 - x0) * 0.08, (y1 - y0) * 0.08, 300.0});
  x0 -= pad, x1 += pad, y0 -= pad, y1 += pad;
  // Same scale on both axes.
  const double span = std::max((x1 - x0) / v.w, (y1 - y0) / v.h);
  const double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  v.x0 = cx - span * v.w / 2;
  v.x1 = cx + span * v.w / 2;
  v.y0 = cy - span * v.h / 2;
  v.y1 = cy + span * v.h / 2;
  return v;
}

void MapSvg(std::ostringstream& os, const ForecastResult& r, const View& v, bool zh) {
  os << "<svg viewBox='0 0 " << v.w << " " << v.h << "' width='" << v.w << "' height='" << v.h
     << "' xmlns='http://www.w3.org/2000/svg' style='background:#f4f7f0;border:1px solid #999'>\n";
  for (std::size_t k = r.isochrones.size(); k-- > 0;) {
    const Isochrone& iso = r.isochrones[k];
    os << "<path fill-rule='evenodd' fill='" << kColours[std::min<std::size_t>(k, 6)]
       << "' stroke='#7f2704' stroke-width='0.6' d='";
    for (const auto& poly : iso.polygons) {
      for (const auto& ring : poly) {
        for (std::size_t i = 0; i < ring.size(); ++i) {
          os << (i == 0 ? "M" : "L") << Fixed(v.X(ring[i].first), 1) << "," << Fixed(v.Y(ring[i].second), 1);
        }
        os << "Z";
      }
    }
    os << "'><title>+" << Fixed(iso.hours, 1) << "h " << Fixed(iso.area_ha, 0) << " ha</title></path>\n";
  }
  // The landscape's edge (a north-up grid): the projection stops there, so a straight perimeter along it is the
  // data's limit, not a barrier.
  const auto& gt = r.frame.gt;
  if (gt[2] == 0 && gt[4] == 0 && r.frame.cols > 0 && r.frame.rows > 0) {
    const double ex0 = v.X(gt[0]), ex1 = v.X(gt[0] + r.frame.cols * gt[1]);
    const double ey0 = v.Y(gt[3]), ey1 = v.Y(gt[3] + r.frame.rows * gt[5]);
    os << "<rect x='" << Fixed(std::min(ex0, ex1), 1) << "' y='" << Fixed(std::min(ey0, ey1), 1) << "' width='"
       << Fixed(std::abs(ex1 - ex0), 1) << "' height='" << Fixed(std::abs(ey1 - ey0), 1)
       << "' fill='none' stroke='#444' stroke-dasharray='6,4'><title>"
       << (zh ? "景观范围（预测止于此）" : "landscape edge (the projection stops here)") << "</title></rect>\n";
  }
  for (const auto& p : r.places) {
    if (p.threat_hours == kNever) continue;
    const gis::CrsPoint c = r.frame.Wgs84ToCrs(p.at);
    const bool reached = p.reach_hours != kNever;
    const double x = v.X(c.x), y = v.Y(c.y);
    const bool right = x > v.w * 0.65;  // labels near the right edge run leftward
    os << "<circle cx='" << Fixed(x, 1) << "' cy='" << Fixed(y, 1) << "' r='5' fill='"
       << (reached ? "#b10026" : "#2c7fb8") << "' stroke='white'/><text x='" << Fixed(right ? x - 7 : x + 7, 1)
       << "' y='" << Fixed(y + 4, 1) << "' font-size='12'" << (right ? " text-anchor='end'" : "") << ">"
       << HtmlEscape(p.name) << " "
       << HtmlEscape(internal::HoursText(reached ? p.reach_hours : p.threat_hours, r.reported_at, zh)) << "</text>\n";
  }
  const gis::CrsPoint ig = r.frame.Wgs84ToCrs(r.ignition);
  os << "<path d='M" << Fixed(v.X(ig.x), 1) << "," << Fixed(v.Y(ig.y) - 8, 1) << "l6,14h-12z' fill='black'><title>"
     << (zh ? "起火点" : "ignition") << "</title></path>\n";
  // Scale bar (a round number of km near a fifth of the width) and north arrow.
  const double m_per_px = (v.x1 - v.x0) / v.w;
  double km = std::pow(10.0, std::floor(std::log10(m_per_px * v.w / 5 / 1000)));
  if (km * 5 * 1000 / m_per_px < v.w / 5)
    km *= 5;
  else if (km * 2 * 1000 / m_per_px < v.w / 5)
    km *= 2;
  const double px = km * 1000 / m_per_px;
  os << "<path d='M20," << v.h - 20 << "h" << Fixed(px, 1) << "' stroke='black' stroke-width='3'/><text x='20' y='"
     << v.h - 26 << "' font-size='12'>" << Fixed(km, km < 1 ? 1 : 0) << " km</text>\n";
  os << "<path d='M" << v.w - 25 << ",45l6,-20l6,20z' fill='black'/><text x='" << v.w - 24
     << "' y='58' font-size='12'>N</text>\n";
  os << "</svg>\n";
}

void CurveSvg(std::ostringstream& os, const ForecastResult& r, const engine::RuleSet& rules, bool zh) {
  const double w = 640, h = 300, l = 60, b = 30, t = 28, right = 15;
  double amax = 1;
  for (const auto& [hh, a] : r.area_curve) amax = std::max(amax, a);
  // Round ticks: a step of 1, 2 or 5 × 10^k giving at most 5 intervals; the axis ends on a tick.
  double step = std::pow(10.0, std::floor(std::log10(amax / 5)));
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (amax / (step * m) <= 5) {
      step *= m;
      break;
    }
  const int ticks = static_cast<int>(std::ceil(amax / step - 1e-9));
  amax = step * ticks;
  auto X = [&](double hours) { return l + hours / std::max(r.hours, 1e-9) * (w - l - right); };
  auto Y = [&](double a) { return h - b - a / amax * (h - b - t); };
  os << "<svg viewBox='0 0 " << w << " " << h << "' width='" << w << "' height='" << h
     << "' xmlns='http://www.w3.org/2000/svg' style='border:1px solid #999;background:white'>\n";
  os << "<path d='M" << l << "," << t << "V" << h - b << "H" << w - right << "' stroke='black' fill='none'/>\n";
  for (int k = 0; k <= ticks; ++k)
    os << "<text x='4' y='" << Fixed(Y(step * k) + 4, 1) << "' font-size='11'>" << Fixed(step * k, step < 1 ? 1 : 0)
       << "</text>\n";
  for (int k = 0; k <= 4; ++k)
    os << "<text x='" << Fixed(X(r.hours * k / 4) - 6, 1) << "' y='" << h - 12 << "' font-size='11'>"
       << Fixed(r.hours * k / 4, 0) << "h</text>\n";
  os << "<text x='" << l + 4 << "' y='" << t - 10 << "' font-size='11'>"
     << (zh ? "过火面积（公顷）" : "burned area (ha)")
     << "</text>\n<polyline fill='none' stroke='#cc4c02' stroke-width='2' points='";
  for (const auto& [hh, a] : r.area_curve) os << Fixed(X(hh), 1) << "," << Fixed(Y(a), 1) << " ";
  os << "'/>\n";
  // Threshold labels: each on the first of 8 rows where it does not overlap a label already there; a label that
  // would run past the right edge ends at its line instead.
  std::vector<double> row_end(8, -1e9);
  for (const ThresholdResult& th : r.thresholds) {
    const double hours = th.crossing.hours;
    if (std::isinf(hours)) continue;
    double area = 0;
    for (const auto& [hh, a] : r.area_curve) {
      if (hh <= hours) area = a;
    }
    const double x = X(hours), y = Y(area);
    if (th.spread && th.spread->p10) {
      const double x1 = th.spread->p90 ? X(*th.spread->p90) : X(r.hours);
      os << "<path d='M" << Fixed(X(*th.spread->p10), 1) << "," << Fixed(y, 1) << "H" << Fixed(x1, 1)
         << "' stroke='#2c7fb8' stroke-width='4' opacity='0.5'/>\n";
    }
    const ThresholdText d = DescribeThreshold(rules, th.crossing.id);
    os << "<path d='M" << Fixed(x, 1) << "," << t << "V" << h - b << "' stroke='#555' stroke-dasharray='3,3'/>"
       << "<circle cx='" << Fixed(x, 1) << "' cy='" << Fixed(y, 1) << "' r='4' fill='#08519c'><title>"
       << HtmlEscape(th.crossing.id.clause + " " + (zh ? d.what_zh : d.what_en)) << "</title></circle>";
    double width = 0;  // px at font-size 10: ASCII ~6, CJK ~10
    for (const unsigned char c : th.crossing.id.clause) width += c < 0x80 ? 6.0 : (c >= 0xE0 ? 10.0 : 0.0);
    const bool left = x + 3 + width > w - right;
    const double x0 = left ? x - 3 - width : x + 3;
    std::size_t row = 0;
    for (std::size_t k = 0; k < row_end.size(); ++k) {
      if (row_end[k] < x0) {
        row = k;
        break;
      }
      if (row_end[k] < row_end[row]) row = k;
    }
    row_end[row] = x0 + width + 4;
    os << "<text x='" << Fixed(left ? x - 3 : x + 3, 1) << "' y='" << t + 12 + 12 * static_cast<double>(row)
       << "' font-size='10'" << (left ? " text-anchor='end'" : "") << ">" << HtmlEscape(th.crossing.id.clause)
       << "</text>\n";
  }
  os << "</svg>\n";
}

// p10–p90 and probability cells, as the text writes them: times before the report read 0, beyond the horizon ">H".
std::string SpreadCell(const std::optional<EnsembleRange>& s, double horizon) {
  if (!s) return "<td>—</td><td>—</td>";
  auto h = [&](const std::optional<double>& v) {
    return v ? Fixed(std::max(0.0, *v), 1) : "&gt;" + Fixed(horizon, horizon < 10 ? 1 : 0);
  };
  return "<td>" + h(s->p10) + "–" + h(s->p90) + " h</td><td>" + Fixed(s->probability, 2) + "</td>";
}

void Tables(std::ostringstream& os, const ForecastResult& r, const engine::RuleSet& rules, bool zh) {
  os << "<h2>" << (zh ? "阈值（预测，非要求）" : "Thresholds (projections, not requirements)")
     << "</h2>\n<table class='thr'><tr><th>" << (zh ? "时间" : "time") << "</th><th>" << (zh ? "条款" : "clause")
     << "</th><th>" << (zh ? "启动" : "starts") << "</th><th>" << (zh ? "内容" : "text") << "</th><th>"
     << (zh ? "决定/报告/牵头" : "who") << "</th><th>p10–p90</th><th>" << (zh ? "概率" : "probability")
     << "</th></tr>\n";
  if (r.thresholds.empty())
    os << "<tr><td colspan='7'>" << (zh ? "预测时段内不跨越任何阈值" : "no threshold is crossed within the horizon")
       << "</td></tr>\n";
  for (const ThresholdResult& t : r.thresholds) {
    const ThresholdText d = DescribeThreshold(rules, t.crossing.id);
    std::string who;
    for (const auto& id : d.who) who += (who.empty() ? "" : "、") + rules.NameOf(id, zh ? "zh" : "en");
    os << "<tr><td>" << HtmlEscape(internal::HoursText(t.crossing.hours, r.reported_at, zh)) << "</td><td>"
       << HtmlEscape(t.crossing.id.clause) << "</td><td>" << HtmlEscape(zh ? d.what_zh : d.what_en) << "</td><td>"
       << HtmlEscape(zh ? d.zh : d.en) << "</td><td>" << HtmlEscape(who) << "</td>" << SpreadCell(t.spread, r.hours)
       << "</tr>\n";
  }
  os << "</table>\n<h2>" << (zh ? "到达（预测）" : "Arrivals (projection)") << "</h2>\n<table class='arr'><tr><th>"
     << (zh ? "名称" : "name") << "</th><th>" << (zh ? "进入威胁范围" : "within threat distance") << "</th><th>"
     << (zh ? "到达" : "reached") << "</th><th>p10–p90</th><th>" << (zh ? "概率" : "probability") << "</th></tr>\n";
  bool any_arrival = false;
  for (const PlaceResult& p : r.places) {
    if (p.threat_hours == kNever && !(p.threat_spread && p.threat_spread->probability > 0)) continue;
    any_arrival = true;
    os << "<tr><td>" << HtmlEscape(p.name) << "</td><td>"
       << HtmlEscape(internal::HoursText(p.threat_hours, r.reported_at, zh)) << " (" << Fixed(p.threat_km, 1)
       << " km)</td><td>" << HtmlEscape(internal::HoursText(p.reach_hours, r.reported_at, zh)) << "</td>"
       << SpreadCell(p.threat_spread, r.hours) << "</tr>\n";
  }
  for (const BoundaryResult& b : r.boundaries) {
    if (b.hours == kNever && !(b.spread && b.spread->probability > 0)) continue;
    any_arrival = true;
    std::string name = b.kind == "county" ? b.name
                       : b.kind == "city_km"
                           ? (zh ? "距市界" + Fixed(b.km, 0) + "公里" : Fixed(b.km, 0) + " km of the city boundary")
                           : (zh ? "市界" : "city boundary");
    os << "<tr><td>" << HtmlEscape(name) << "</td><td>—</td><td>"
       << HtmlEscape(internal::HoursText(b.hours, r.reported_at, zh)) << "</td>" << SpreadCell(b.spread, r.hours)
       << "</tr>\n";
  }
  if (!any_arrival)
    os << "<tr><td colspan='5'>"
       << (zh ? "预测时段内无居民点、重要目标或边界受到威胁"
              : "no place, key target or boundary within reach in the horizon")
       << "</td></tr>\n";
  os << "</table>\n";
}

}  // namespace

std::string ForecastHtml(const ForecastResult& r, const engine::RuleSet& rules, bool zh) {
  std::ostringstream os;
  os << "<!DOCTYPE html>\n<html lang='" << (zh ? "zh" : "en") << "'><head><meta charset='utf-8'><title>"
     << HtmlEscape((zh ? "蔓延预测 " : "Forecast ") + r.incident_id) << "</title><style>"
     << "body{font-family:sans-serif;margin:1.5em;max-width:1000px}table{border-collapse:collapse;margin:.5em 0}"
     << "td,th{border:1px solid #bbb;padding:3px 6px;font-size:13px;vertical-align:top}"
     << ".thr td:nth-child(-n+3),.thr td:nth-child(n+6),.arr td{white-space:nowrap}"
     << ".banner{background:#fff3cd;border:1px solid #e0b000;padding:.6em;font-weight:bold}"
     << "pre{background:#f6f6f6;padding:.6em;white-space:pre-wrap}</style></head><body>\n";
  os << "<div class='banner'>"
     << (zh ? "预测，非预案要求：以下时间为按当前条件推算的可能时间；审计只依据报告的事实。"
            : "PROJECTION, not a requirement of the plan: the times below are what the spread model projects if "
              "nothing changes; the audit judges only reported facts.")
     << "</div>\n<h1>" << HtmlEscape((zh ? "森林火灾蔓延预测 " : "Fire spread projection ") + r.incident_id)
     << "</h1>\n";
  os << "<pre>" << HtmlEscape(ForecastText(r, rules, zh)) << "</pre>\n";
  os << "<h2>" << (zh ? "火场边界（等时线）" : "Perimeters (isochrones)") << "</h2>\n";
  if (!r.isochrones.empty()) MapSvg(os, r, MakeView(r), zh);
  os << "<p>";
  for (std::size_t k = 0; k < r.isochrones.size(); ++k) {
    os << "<span style='background:" << kColours[std::min<std::size_t>(k, 6)] << ";padding:0 6px'>+"
       << Fixed(r.isochrones[k].hours, 1) << "h " << Fixed(r.isochrones[k].area_ha, 0) << (zh ? " 公顷" : " ha")
       << "</span> ";
  }
  os << "</p>\n<h2>" << (zh ? "过火面积与阈值" : "Burned area and thresholds") << "</h2>\n";
  CurveSvg(os, r, rules, zh);
  Tables(os, r, rules, zh);
  os << "<p style='font-size:12px;color:#555'>" << HtmlEscape(r.landscape) << " · firebreak forecast · "
     << Fixed(r.seconds, 2) << " s</p>\n</body></html>\n";
  return os.str();
}

}  // namespace firebreak::forecast
