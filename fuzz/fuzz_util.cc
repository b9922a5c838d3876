#include "fuzz_util.h"

namespace firebreak::fuzz {

const char* RulesPath() { return FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml"; }

}  // namespace firebreak::fuzz
