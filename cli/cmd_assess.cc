// Placeholder: filled in by the module owner.
#include "commands.h"

namespace firebreak::cli {

void RegisterAssessCommands(CLI::App& /*app*/, Globals& /*g*/) {}

}  // namespace firebreak::cli
