// `firebreak rules lint [FILE]` and `firebreak rules show [FILE]` (docs/lint.md).
// FILE overrides the global --rules; without either, the bundled plan (DefaultRulesPath()).
// Exit codes: 0 clean (lint: no warning/error findings), 1 lint findings of warning/error severity,
// 3 the rule file does not load (Error kRuleFile, mapped in main.cc).
#include <iostream>
#include <memory>

#include "commands.h"
#include "firebreak/rules/lint.h"
#include "firebreak/rules/show.h"

namespace firebreak::cli {

namespace {

struct RulesArgs {
  std::string file;
  std::string format;
  bool ascii = false;
};

engine::RuleSet LoadFor(const Globals& g, const std::string& file) {
  Globals copy = g;
  if (!file.empty()) copy.rules_path = file;
  return LoadRules(copy);
}

}  // namespace

void RegisterRulesCommands(CLI::App& app, Globals& g) {
  auto* rules = app.add_subcommand("rules", "The plan as data: lint or show a rule file");
  rules->require_subcommand(1);

  auto lint_args = std::make_shared<RulesArgs>();
  lint_args->format = "text";
  auto* lint = rules->add_subcommand(
      "lint",
      "Find overlapping bands, subsumed/identical conditions, gaps, contradictions and undefined "
      "references in a rule file. Exit 0 clean, 1 findings (warning/error), 3 file does not load");
  lint->add_option("FILE", lint_args->file, "Rule file (default: --rules or the bundled plan)");
  lint->add_option("--format", lint_args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  lint->callback([&g, lint_args] {
    engine::RuleSet rs = LoadFor(g, lint_args->file);
    rules::LintReport report = rules::Lint(rs);
    std::cout << (lint_args->format == "json" ? rules::RenderLintJson(report, g.lang)
                                              : rules::RenderLintText(report, g.lang));
    g.exit_code = report.HasProblems() ? 1 : 0;
  });

  auto show_args = std::make_shared<RulesArgs>();
  show_args->format = "table";
  auto* show = rules->add_subcommand(
      "show",
      "The response table (levels IV..I x criteria, decider, builds on), the grades table and the "
      "interpretations used");
  show->add_option("FILE", show_args->file, "Rule file (default: --rules or the bundled plan)");
  show->add_option("--format", show_args->format, "table (default), markdown or json")
      ->check(CLI::IsMember({"table", "markdown", "json"}));
  show->add_flag("--ascii", show_args->ascii, "Table with ASCII lines instead of box drawing");
  show->callback([&g, show_args] {
    engine::RuleSet rs = LoadFor(g, show_args->file);
    rules::ShowOptions opt;
    opt.lang = g.lang;
    opt.ascii = show_args->ascii;
    opt.format = show_args->format == "markdown" ? rules::ShowFormat::kMarkdown
                 : show_args->format == "json"   ? rules::ShowFormat::kJson
                                                 : rules::ShowFormat::kTable;
    std::cout << rules::RenderShow(rs, opt);
  });
}

}  // namespace firebreak::cli
