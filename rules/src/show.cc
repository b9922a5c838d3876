// `firebreak rules show`: the response table, the grades table and the interpretations used.
// Contract: rules/include/firebreak/rules/show.h.
#include "firebreak/rules/show.h"

#include "firebreak/common/text.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "label_match.h"

namespace firebreak::rules {

using engine::FactId;

// ---------------------------------------------------------------------------------------------------------
// Display width.

namespace {

// Decodes one code point at s[i] and advances i past it. An invalid or truncated sequence decodes as its
// first byte (width 1) and advances one byte.
char32_t Decode(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int extra = 0;
  char32_t cp = b;
  if (b >= 0xC0 && b < 0xE0) {
    extra = 1;
    cp = b & 0x1F;
  } else if (b >= 0xE0 && b < 0xF0) {
    extra = 2;
    cp = b & 0x0F;
  } else if (b >= 0xF0 && b < 0xF8) {
    extra = 3;
    cp = b & 0x07;
  }
  for (int k = 1; k <= extra; ++k) {
    if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
      ++i;
      return b;
    }
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

using text::CodePointWidth;  // utf8proc (common/text.h)

}  // namespace

int DisplayWidth(std::string_view s) { return text::DisplayWidth(s); }

std::vector<std::string> WrapLine(std::string_view line, int max_width) {
  std::vector<std::string> out;
  if (max_width < 2 || DisplayWidth(line) <= max_width) {
    out.emplace_back(line);
    return out;
  }
  std::string cur;
  int cur_w = 0;
  std::size_t last_space = std::string::npos;  // byte index in cur just after a space
  std::size_t i = 0;
  while (i < line.size()) {
    std::size_t start = i;
    char32_t cp = Decode(line, i);
    int w = CodePointWidth(cp);
    if (cur_w + w > max_width && !cur.empty()) {
      if (last_space != std::string::npos && last_space > cur.size() / 2) {
        std::string rest = cur.substr(last_space);
        cur.resize(last_space);
        while (!cur.empty() && cur.back() == ' ') cur.pop_back();
        out.push_back(cur);
        cur = rest;
      } else {
        out.push_back(cur);
        cur.clear();
      }
      cur_w = DisplayWidth(cur);
      last_space = std::string::npos;
    }
    if (cur.empty() && cp == U' ') continue;  // no leading space on a wrapped line
    cur.append(line.substr(start, i - start));
    cur_w += w;
    if (cp == U' ') last_space = cur.size();
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Cell text.

namespace {

std::string Num(double v) { return text::Number(v); }

std::string Unit(FactId f, bool zh) {
  std::string_view u = engine::Info(f).unit;
  if (u == "ha") return zh ? "公顷" : " ha";
  if (u == "persons") return zh ? "人" : "";
  if (u == "h") return zh ? "小时" : " h";
  if (u == "fires") return zh ? "起" : "";
  if (u == "km") return zh ? "公里" : " km";
  return zh ? std::string(u) : (u.empty() ? "" : " " + std::string(u));
}

// Short fact names for cells that hold several facts (casualties).
std::string ShortName(FactId f, bool zh) {
  switch (f) {
    case FactId::kDeaths:
      return zh ? "死亡" : "deaths";
    case FactId::kSeriousInjuries:
      return zh ? "重伤" : "serious injuries";
    default:
      return std::string(zh ? engine::Info(f).zh : engine::Info(f).en);
  }
}

// Bound words that stand before the number in Chinese ("超过50公顷"); the others follow it ("3人以下").
bool WordBefore(const std::string& w) {
  return w == "超过" || w == "达到" || w == "不足" || w == "低于" || w == "高于" || w == "至少" || w == "满" ||
         w == "大于" || w == "小于" || w == "不少于" || w == "不超过";
}

const char* EnSymbol(engine::Cmp c) {
  switch (c) {
    case engine::Cmp::kGt:
      return ">";
    case engine::Cmp::kGe:
      return "≥";
    case engine::Cmp::kLt:
      return "<";
    case engine::Cmp::kLe:
      return "≤";
    case engine::Cmp::kEq:
      return "";
  }
  return "";
}

std::string BoundsText(const engine::Predicate& p, bool zh) {
  std::string s;
  for (const auto& b : p.bounds) {
    std::string n = Num(b.value) + Unit(p.fact, zh);
    if (zh) {
      const std::string& w = b.word;
      bool symbolic = w.empty() || w == "=" || w == "等于" || w == ">" || w == ">=" || w == "<" || w == "<=";
      if (b.op == engine::Cmp::kEq && symbolic)
        s += n;
      else if (symbolic)
        s += std::string(EnSymbol(b.op)) + n;
      else if (WordBefore(w))
        s += w + n;
      else
        s += n + w;
    } else {
      if (!s.empty()) s += " ";
      s += std::string(b.op == engine::Cmp::kEq ? "=" : EnSymbol(b.op)) + n;
    }
  }
  return s;
}

enum Col { kArea, kCasualties, kHoursSensitive, kHoursOther, kOpinion, kConcurrent, kOther, kColCount };

const char* ColHeader(int c, bool zh) {
  static const char* kZh[] = {
      "过火面积",     "人员伤亡", "明火持续（敏感时段/地区）", "明火持续（其他时段/地区）", "舆情核查",
      "同时发生火灾", "其他条件"};
  static const char* kEn[] = {
      "burned area",      "casualties", "open fire, sensitive", "open fire, other", "public opinion",
      "concurrent fires", "other"};
  return zh ? kZh[c] : kEn[c];
}

bool Tests(const engine::Alternative& a, FactId f) {
  return std::any_of(a.all.begin(), a.all.end(), [f](const engine::Predicate& p) { return p.fact == f; });
}
bool TestsTrue(const engine::Alternative& a, FactId f) {
  return std::any_of(a.all.begin(), a.all.end(),
                     [f](const engine::Predicate& p) { return p.fact == f && p.is && *p.is; });
}

int ColumnOf(const engine::Alternative& a) {
  if (Tests(a, FactId::kBurnedAreaHa)) return kArea;
  if (Tests(a, FactId::kDeaths) || Tests(a, FactId::kSeriousInjuries)) return kCasualties;
  if (Tests(a, FactId::kOpenFireHours))
    return TestsTrue(a, FactId::kSensitivePeriod) || TestsTrue(a, FactId::kSensitiveArea) ? kHoursSensitive
                                                                                          : kHoursOther;
  if (Tests(a, FactId::kPublicOpinionVerification)) return kOpinion;
  if (Tests(a, FactId::kConcurrentDangerousFires) || Tests(a, FactId::kConcurrentFires)) return kConcurrent;
  return kOther;
}

// Facts a column's header already says (not repeated in its cells).
bool Implied(int col, FactId f) {
  switch (col) {
    case kArea:
      return f == FactId::kBurnedAreaHa;
    case kHoursSensitive:
    case kHoursOther:
      return f == FactId::kOpenFireHours || f == FactId::kSensitivePeriod || f == FactId::kSensitiveArea;
    case kOpinion:
      return f == FactId::kPublicOpinionVerification;
    case kConcurrent:
      return f == FactId::kConcurrentDangerousFires || f == FactId::kConcurrentFires;
    default:
      return false;
  }
}

std::string BoolText(FactId f, bool v, bool zh) {
  if (f == FactId::kControlled) return v ? (zh ? "已控制" : "under control") : (zh ? "未控制" : "not under control");
  std::string n(zh ? engine::Info(f).zh : engine::Info(f).en);
  if (v) return n;
  return zh ? "非" + n : "not " + n;
}

// One alternative as cell text, e.g. "超过50公顷且未控制", "死亡1人以上3人以下". Empty parts dropped.
std::string AlternativeText(const engine::Alternative& a, int col, bool zh, bool name_facts) {
  std::vector<std::string> parts;
  for (const auto& p : a.all) {
    if (engine::Info(p.fact).kind == engine::FactKind::kNumber || !p.bounds.empty()) {
      std::string b = BoundsText(p, zh);
      if (!Implied(col, p.fact) || name_facts) b = ShortName(p.fact, zh) + (zh ? "" : " ") + b;
      parts.push_back(b);
    } else if (p.is && !Implied(col, p.fact)) {
      parts.push_back(BoolText(p.fact, *p.is, zh));
    }
  }
  std::string s;
  for (const auto& x : parts) s += (s.empty() ? "" : (zh ? "且" : ", ")) + x;
  if (s.empty()) s = zh ? "是" : "yes";
  return s;
}

// "6.3.2.1(2)" -> "(2)"; a clause without a parenthesised item -> the whole clause.
std::string ItemOf(const std::string& clause) {
  auto k = clause.rfind('(');
  return k == std::string::npos ? clause : clause.substr(k);
}

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

}  // namespace

Grid ResponseGrid(const engine::RuleSet& rs, const std::string& lang) {
  bool zh = lang != "en";
  // cells[level][col] = lines
  std::vector<std::vector<std::vector<std::string>>> cells(rs.levels.size(),
                                                           std::vector<std::vector<std::string>>(kColCount));
  for (std::size_t r = 0; r < rs.levels.size(); ++r)
    for (const auto& t : rs.levels[r].triggers) {
      // Alternatives of one trigger, grouped by column, deduplicated (the two sensitive branches read alike).
      std::vector<std::vector<std::string>> by_col(kColCount);
      if (t.when.always()) by_col[kOther].push_back(zh ? "无条件" : "always");
      for (const auto& a : t.when.any) {
        int c = ColumnOf(a);
        std::string s = AlternativeText(a, c, zh, false);
        if (LabelNamesInterpretation(a.label, t.interpretations)) s += " *";
        if (std::find(by_col[c].begin(), by_col[c].end(), s) == by_col[c].end()) by_col[c].push_back(s);
      }
      for (int c = 0; c < kColCount; ++c)
        for (std::size_t k = 0; k < by_col[c].size(); ++k)
          cells[r][c].push_back((k == 0 ? ItemOf(t.clause) + " " : (zh ? "  或 " : "  or ")) + by_col[c][k]);
    }
  std::vector<int> used;
  for (int c = 0; c < kColCount; ++c)
    if (std::any_of(cells.begin(), cells.end(), [c](const auto& row) { return !row[c].empty(); })) used.push_back(c);

  Grid g;
  g.header.push_back(zh ? "响应级别" : "level");
  for (int c : used) g.header.push_back(ColHeader(c, zh));
  g.header.push_back(zh ? "决定启动" : "decided by");
  g.header.push_back(zh ? "在…基础上" : "builds on");
  for (std::size_t r = 0; r < rs.levels.size(); ++r) {
    const auto& l = rs.levels[r];
    std::vector<std::vector<std::string>> row;
    row.push_back({zh ? engine::LevelNameZh(l.level) : std::string(engine::LevelName(l.level))});
    for (int c : used) row.push_back(cells[r][c].empty() ? std::vector<std::string>{"—"} : cells[r][c]);
    std::vector<std::string> names;
    for (const auto& d : l.deciders) names.push_back(rs.NameOf(d, zh ? "zh" : "en"));
    std::vector<std::string> dec;
    if (!names.empty())
      dec.push_back(Join(names, zh ? " 或 " : " or "));
    else if (!(zh ? l.decider_text.zh : l.decider_text.en).empty())
      dec.push_back(zh ? l.decider_text.zh : l.decider_text.en);
    if (!l.decider_clause.empty()) dec.push_back("(" + l.decider_clause + ")");
    if (dec.empty()) dec.push_back("—");
    row.push_back(dec);
    if (l.builds_on) {
      std::string b = zh ? std::string(engine::LevelNameZh(*l.builds_on)) : engine::LevelName(*l.builds_on);
      row.push_back({b, l.measures_clause.empty() ? "" : "(" + l.measures_clause + ")"});
      if (row.back().back().empty()) row.back().pop_back();
    } else {
      row.push_back({"—"});
    }
    g.rows.push_back(std::move(row));
  }
  return g;
}

Grid GradeGrid(const engine::RuleSet& rs, const std::string& lang) {
  bool zh = lang != "en";
  // Columns: the first fact of each alternative, in order of first appearance.
  std::vector<FactId> cols;
  for (const auto& g : rs.grades)
    for (const auto& a : g.when.any)
      if (!a.all.empty() && std::find(cols.begin(), cols.end(), a.all.front().fact) == cols.end())
        cols.push_back(a.all.front().fact);
  std::vector<engine::Grade> grades;
  for (const auto& g : rs.grades)
    if (std::find(grades.begin(), grades.end(), g.grade) == grades.end()) grades.push_back(g.grade);
  std::sort(grades.begin(), grades.end());

  Grid grid;
  grid.header.push_back(zh ? "火灾等级" : "grade");
  for (FactId f : cols) grid.header.push_back(zh ? std::string(engine::Info(f).zh) : std::string(engine::Info(f).en));
  for (engine::Grade gr : grades) {
    std::vector<std::vector<std::string>> row;
    row.push_back({zh ? engine::GradeNameZh(gr) : engine::GradeNameEn(gr)});
    for (FactId f : cols) {
      std::vector<std::string> lines;
      for (const auto& g : rs.grades) {
        if (g.grade != gr) continue;
        for (const auto& a : g.when.any) {
          if (a.all.empty() || a.all.front().fact != f) continue;
          // The column names the first fact; for a bool column "是" reads as "yes, this holds".
          std::string s;
          for (const auto& p : a.all) {
            std::string part;
            if (engine::Info(p.fact).kind == engine::FactKind::kNumber || !p.bounds.empty())
              part = (p.fact == f ? "" : ShortName(p.fact, zh) + (zh ? "" : " ")) + BoundsText(p, zh);
            else if (p.is)
              part = p.fact == f ? (*p.is ? (zh ? "是" : "yes") : (zh ? "否" : "no")) : BoolText(p.fact, *p.is, zh);
            s += (s.empty() ? "" : (zh ? "且" : ", ")) + part;
          }
          if (LabelNamesInterpretation(a.label, g.interpretations)) s += " *";
          if (std::find(lines.begin(), lines.end(), s) == lines.end())
            lines.push_back(lines.empty() ? s : (zh ? "或 " : "or ") + s);
        }
      }
      row.push_back(lines.empty() ? std::vector<std::string>{"—"} : lines);
    }
    grid.rows.push_back(std::move(row));
  }
  return grid;
}

std::vector<std::string> InterpretationsUsed(const engine::RuleSet& rs) {
  std::vector<std::string> ids;
  auto add = [&](const std::vector<std::string>& v) {
    for (const auto& id : v)
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  };
  for (const auto& l : rs.levels)
    for (const auto& t : l.triggers) add(t.interpretations);
  for (const auto& g : rs.grades) add(g.interpretations);
  return ids;
}

std::string RenderTerminal(const Grid& g, bool ascii, int max_cell_width) {
  std::size_t ncol = g.header.size();
  for (const auto& r : g.rows) ncol = std::max(ncol, r.size());
  auto wrap = [&](const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines)
      for (auto& piece : WrapLine(l, max_cell_width)) out.push_back(std::move(piece));
    return out;
  };
  std::vector<std::vector<std::vector<std::string>>> body;
  body.push_back({});
  for (std::size_t c = 0; c < ncol; ++c) body.back().push_back(wrap({c < g.header.size() ? g.header[c] : ""}));
  for (const auto& r : g.rows) {
    body.push_back({});
    for (std::size_t c = 0; c < ncol; ++c)
      body.back().push_back(c < r.size() ? wrap(r[c]) : std::vector<std::string>{});
  }
  std::vector<int> width(ncol, 1);
  for (const auto& r : body)
    for (std::size_t c = 0; c < ncol; ++c)
      for (const auto& l : r[c]) width[c] = std::max(width[c], DisplayWidth(l));

  const char* h = ascii ? "-" : "─";
  const char* v = ascii ? "|" : "│";
  auto rule = [&](const char* l, const char* m, const char* r) {
    std::string s = l;
    for (std::size_t c = 0; c < ncol; ++c) {
      for (int k = 0; k < width[c] + 2; ++k) s += h;
      s += c + 1 < ncol ? m : r;
    }
    return s + "\n";
  };
  std::string out = ascii ? rule("+", "+", "+") : rule("┌", "┬", "┐");
  for (std::size_t ri = 0; ri < body.size(); ++ri) {
    const auto& r = body[ri];
    std::size_t height = 1;
    for (const auto& cell : r) height = std::max(height, cell.size());
    for (std::size_t line = 0; line < height; ++line) {
      out += v;
      for (std::size_t c = 0; c < ncol; ++c) {
        std::string text = line < r[c].size() ? r[c][line] : "";
        out += " " + text + std::string(static_cast<std::size_t>(width[c] - DisplayWidth(text)), ' ') + " " + v;
      }
      out += "\n";
    }
    if (ri + 1 < body.size()) out += ascii ? rule("+", "+", "+") : rule("├", "┼", "┤");
  }
  out += ascii ? rule("+", "+", "+") : rule("└", "┴", "┘");
  return out;
}

std::string RenderMarkdown(const Grid& g) {
  auto cell = [](const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) {
      if (!s.empty()) s += "<br>";
      for (char ch : l) {
        if (ch == '|' || ch == '*') s.push_back('\\');
        s.push_back(ch);
      }
    }
    return s;
  };
  std::string out = "|";
  for (const auto& h : g.header) {
    out += ' ';
    out += cell({h});
    out += " |";
  }
  out += "\n|";
  for (std::size_t c = 0; c < g.header.size(); ++c) out += "---|";
  out += "\n";
  for (const auto& r : g.rows) {
    out += "|";
    for (const auto& c : r) {
      out += ' ';
      out += cell(c);
      out += " |";
    }
    out += "\n";
  }
  return out;
}

std::string RenderShow(const engine::RuleSet& rs, const ShowOptions& opt) {
  bool zh = opt.lang != "en";
  Grid resp = ResponseGrid(rs, opt.lang);
  Grid grades = GradeGrid(rs, opt.lang);
  std::vector<std::string> used = InterpretationsUsed(rs);

  if (opt.format == ShowFormat::kJson) {
    nlohmann::ordered_json j;
    j["plan"] = {{"id", rs.meta.id},
                 {"title", zh ? rs.meta.title.zh : rs.meta.title.en},
                 {"file", rs.source_file},
                 {"sha256", rs.source_sha256}};
    auto grid_json = [](const Grid& g) {
      nlohmann::ordered_json x;
      x["header"] = g.header;
      x["rows"] = nlohmann::ordered_json::array();
      for (const auto& r : g.rows) x["rows"].push_back(r);
      return x;
    };
    nlohmann::ordered_json levels = nlohmann::ordered_json::array();
    for (const auto& l : rs.levels) {
      nlohmann::ordered_json lj;
      lj["level"] = engine::LevelName(l.level);
      lj["clause"] = l.clause;
      lj["decider"] = {
          {"clause", l.decider_clause}, {"roles", l.deciders}, {"zh", l.decider_text.zh}, {"en", l.decider_text.en}};
      lj["builds_on"] = l.builds_on ? nlohmann::ordered_json(engine::LevelName(*l.builds_on)) : nullptr;
      lj["triggers"] = nlohmann::ordered_json::array();
      for (const auto& t : l.triggers) {
        nlohmann::ordered_json tj;
        tj["clause"] = t.clause;
        tj["zh"] = t.text.zh;
        tj["en"] = t.text.en;
        tj["alternatives"] = nlohmann::ordered_json::array();
        for (const auto& a : t.when.any) {
          int c = ColumnOf(a);
          tj["alternatives"].push_back(
              {{"label", a.label}, {"column", ColHeader(c, false)}, {"text", AlternativeText(a, c, zh, true)}});
        }
        tj["interpretations"] = t.interpretations;
        lj["triggers"].push_back(std::move(tj));
      }
      levels.push_back(std::move(lj));
    }
    j["levels"] = std::move(levels);
    j["response_table"] = grid_json(resp);
    j["grades_table"] = grid_json(grades);
    j["interpretations"] = nlohmann::ordered_json::array();
    for (const auto& id : used) {
      const auto* in = rs.FindInterpretation(id);
      j["interpretations"].push_back(
          {{"id", id}, {"clause", in ? in->clause : ""}, {"zh", in ? in->text.zh : ""}, {"en", in ? in->text.en : ""}});
    }
    return j.dump(2) + "\n";
  }

  bool md = opt.format == ShowFormat::kMarkdown;
  auto table = [&](const Grid& g) { return md ? RenderMarkdown(g) : RenderTerminal(g, opt.ascii); };
  std::ostringstream os;
  std::string title = zh ? rs.meta.title.zh : rs.meta.title.en;
  if (title.empty()) title = rs.meta.id;
  std::string h1 = md ? "## " : "";
  os << h1 << title << (zh ? " — 市级响应启动条件（6.3）" : " — city response levels (6.3)") << "\n\n";
  os << table(resp);
  os << "\n"
     << (zh ? "“*” 表示该项依据规则文件中的具名解释（见下）。"
            : "\"*\" marks an alternative resting on a named interpretation (below).")
     << (md ? "\n" : "") << "\n";
  if (!grades.rows.empty()) {
    os << "\n"
       << h1 << (zh ? "火灾等级（1.5 / 《森林防火条例》第四十条）" : "fire grades (1.5 / national article 40)")
       << "\n\n";
    os << table(grades);
  }
  if (!used.empty()) {
    os << "\n" << h1 << (zh ? "所用解释" : "interpretations used") << "\n\n";
    for (const auto& id : used) {
      const auto* in = rs.FindInterpretation(id);
      os << (md ? "- **" : "- ") << id << (md ? "**" : "");
      if (in) {
        if (!in->clause.empty()) os << " (" << in->clause << ")";
        os << (zh ? "：" : ": ") << (zh ? in->text.zh : in->text.en);
      }
      os << "\n";
    }
  }
  return os.str();
}

}  // namespace firebreak::rules
