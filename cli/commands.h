// Subcommand registration for the `firebreak` binary. Each cmd_*.cc registers its subcommands on the app;
// callbacks throw firebreak::Error, which main() maps to exit codes (docs/exit-codes.md) in one place.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "firebreak/engine/rule_set.h"

namespace firebreak::cli {

struct Globals {
  std::string lang = "zh";  // --lang zh|en
  std::string rules_path;   // --rules FILE (default: DefaultRulesPath())
  int exit_code = 0;        // set by a command that completes with findings (e.g. lint, drill mismatches)
};

// $FIREBREAK_RULES, else <dir of the binary>/../share/firebreak/rules/liuzhou-2022.yaml (docs/install.md).
// Throws Error(kNotFound) naming the search order when neither exists.
std::string DefaultRulesPath();
// $FIREBREAK_FORCES, else <dir of the binary>/../share/firebreak/forces/liuzhou-demo.yaml (the demo registry).
std::string DefaultForcesPath();
// The bundled drills: $FIREBREAK_SCENARIOS, else <dir of the binary>/../share/firebreak/scenarios.
std::string DefaultScenariosDir();
// Loads globals.rules_path (or the default). Throws Error(kRuleFile).
engine::RuleSet LoadRules(const Globals& g);

void RegisterRulesCommands(CLI::App& app, Globals& g);     // rules show | lint
void RegisterAssessCommands(CLI::App& app, Globals& g);    // assess
void RegisterStoreCommands(CLI::App& app, Globals& g);     // report, declare, close, status, store verify, audit, drill
void RegisterMigrateCommands(CLI::App& app, Globals& g);   // store migrate (after RegisterStoreCommands)
void RegisterTerrainCommands(CLI::App& app, Globals& g);   // terrain, demo-terrain
void RegisterDeployCommands(CLI::App& app, Globals& g);    // deploy, forces
void RegisterServeCommands(CLI::App& app, Globals& g);     // serve (the web duty desk)
void RegisterUserCommands(CLI::App& app, Globals& g);      // users add|passwd|disable|list
void RegisterFireCommands(CLI::App& app, Globals& g);      // fire weather | behavior | grid (issue 9)
void RegisterForecastCommands(CLI::App& app, Globals& g);  // forecast (issue 10)

}  // namespace firebreak::cli
