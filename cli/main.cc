// firebreak: the command line. The only place that prints errors and exits (exit codes: docs/exit-codes.md).
#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "firebreak/common/error.h"

int main(int argc, char** argv) {
  using firebreak::Error;
  using firebreak::ErrorKind;
  firebreak::cli::Globals g;
  CLI::App app{"firebreak — forest-fire emergency response decisions under the Liuzhou plan (柳州市森林火灾应急预案)"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Help for every subcommand");
  app.add_option("--lang", g.lang, "Language of human output: zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  app.add_option("--rules", g.rules_path, "Rule file (default: the bundled rules/liuzhou-2022.yaml)");

  firebreak::cli::RegisterRulesCommands(app, g);
  firebreak::cli::RegisterAssessCommands(app, g);
  firebreak::cli::RegisterStoreCommands(app, g);
  firebreak::cli::RegisterMigrateCommands(app, g);
  firebreak::cli::RegisterTerrainCommands(app, g);
  firebreak::cli::RegisterDeployCommands(app, g);
  firebreak::cli::RegisterServeCommands(app, g);
  firebreak::cli::RegisterUserCommands(app, g);
  firebreak::cli::RegisterFireCommands(app, g);
  firebreak::cli::RegisterForecastCommands(app, g);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message
    return firebreak::ExitCode(ErrorKind::kUsage);
  } catch (const Error& e) {
    std::cerr << "firebreak: error: " << e.ToString() << "\n";
    return firebreak::ExitCode(e.kind());
  } catch (const std::exception& e) {
    std::cerr << "firebreak: internal error: " << e.what() << " (please report this)\n";
    return firebreak::ExitCode(ErrorKind::kInternal);
  }
  std::cout.flush();
  return g.exit_code;
}
