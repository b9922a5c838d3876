// Writing command output files: all or nothing (docs/exit-codes.md: never half a record).
#pragma once

#include <string>

namespace firebreak::fire {

// Writes `text` to `path` atomically: a temporary file in the same directory, fsync, then rename(2); a reader
// sees the old file or the whole new one. Throws Error(kNotFound, path, ...) if it cannot be written.
void WriteFileAtomic(const std::string& path, const std::string& text);

}  // namespace firebreak::fire
