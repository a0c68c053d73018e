// summarize_build_errors: the compiler's errors from a failed build, short and clear.
#pragma once

#include <string>

namespace httpkit::cli {

// summarize_build_errors keeps each "file:line:col: error: ..." line with the source
// and caret lines the compiler prints under it (and CMake errors), drops command lines,
// notes and template back-traces, and stops after max_errors. When nothing matches it
// returns the last lines of output, so a failure is never silent.
std::string summarize_build_errors(const std::string& output, int max_errors = 5);

}  // namespace httpkit::cli
