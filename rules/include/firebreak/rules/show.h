// The response table of a rule file (`firebreak rules show`): levels IV..I × criteria (burned area, casualties,
// open-fire hours in sensitive vs other periods/areas, public opinion, concurrent fires), the decider
// (6.3.x.1) and "builds on" (6.3.x.2), followed by the grades table (1.5 / art. 40) and the interpretations
// used. Page: docs/lint.md ("rules show").
//
// Cells are built from the rule set (plan bound words and numbers, e.g. "(1) 超过50公顷且未控制"), never from
// Liuzhou-specific code: columns are chosen by the facts an alternative tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "firebreak/engine/rule_set.h"

namespace firebreak::rules {

// A table of text: header cells and rows; every cell is one or more lines.
struct Grid {
  std::vector<std::string> header;
  std::vector<std::vector<std::vector<std::string>>> rows;  // rows[r][c] = lines of the cell
};

// Columns of the terminal, in display cells: East Asian wide/fullwidth characters (CJK ideographs, fullwidth
// punctuation, Hangul, ...) count 2, combining marks 0, everything else 1 (ambiguous-width characters such as
// Ⅳ, ≥, box drawing count 1, as in most terminals). Invalid UTF-8 bytes count 1 each.
int DisplayWidth(std::string_view utf8);

// Splits `line` into pieces of at most `max_width` display cells (breaking after a space where one is near,
// else between characters; never inside a UTF-8 sequence). max_width < 2 returns the line unchanged.
std::vector<std::string> WrapLine(std::string_view line, int max_width);

Grid ResponseGrid(const engine::RuleSet& rs, const std::string& lang);
Grid GradeGrid(const engine::RuleSet& rs, const std::string& lang);
// Interpretation ids referenced by the level triggers, deciders' levels and grade criteria, first use first.
std::vector<std::string> InterpretationsUsed(const engine::RuleSet& rs);

// Box-drawing (or ASCII) table aligned by display width; cells wrapped at `max_cell_width` display cells.
std::string RenderTerminal(const Grid& g, bool ascii = false, int max_cell_width = 30);
// GitHub Markdown table (header, separator row, cells with lines joined by "<br>", '|' and '*' escaped).
std::string RenderMarkdown(const Grid& g);

enum class ShowFormat { kTable, kMarkdown, kJson };
struct ShowOptions {
  ShowFormat format = ShowFormat::kTable;
  std::string lang = "zh";  // "zh" | "en"
  bool ascii = false;       // table only: ASCII instead of box drawing
};

// The whole page: title, response table, grades table, interpretations used.
std::string RenderShow(const engine::RuleSet& rs, const ShowOptions& opt);

}  // namespace firebreak::rules
